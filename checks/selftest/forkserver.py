"""A warm grader: imports the checker once, forks per grade, one zygote.

The self-tests grade a few hundred folders; starting Python, pytest and a
zygote (which imports SQLAlchemy, Flask and bcrypt) for each would cost
most of the time. This process does it once: it starts one zygote that
every grade shares (`--zygote`), then reads JSON requests from stdin, one a
line (`{"args": [...], "log": PATH, "limit": SECONDS}`), runs
`pytest.main(args)` in a forked child with its output sent to the log, and
answers each with a JSON line `{"rc": N}` (-9 when the child ran past its
limit and was killed). Run it as `python -m checks.selftest.forkserver`
from the repository root, so that the child sees the same `sys.path` as
`python -m pytest`. It collects the checks once at start, so that each
child finds the check modules imported (and their asserts rewritten).
"""
import json
import os
import signal
import sys
import tempfile
import time
from typing import Any
from typing import Dict
from typing import List

import pytest

from checks.harness.sandbox import Zygote
from checks.harness.sandbox import temp_base

POLL = 0.01  # seconds between checks on a running child


def _child(request: Dict[str, Any]) -> None:
    """Run one grade in this forked child and exit with its status."""
    status = 3
    try:
        os.setsid()
        log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
                      0o600)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        status = int(pytest.main(list(request["args"])))
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(status)


def run(request: Dict[str, Any], shared: List[str]) -> int:
    """Fork a child for one grade, wait for it within the limit."""
    request = dict(request, args=list(request["args"]) + shared)
    pid = os.fork()
    if pid == 0:
        _child(request)
    deadline = time.monotonic() + float(request["limit"])
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.WEXITSTATUS(status) if os.WIFEXITED(status) else \
                -os.WTERMSIG(status)
        if time.monotonic() > deadline:
            os.killpg(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return -signal.SIGKILL
        time.sleep(POLL)


def warm_up(shared: List[str]) -> None:
    """Collect the checks once, silently, importing everything they use."""
    saved = os.dup(1)
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    try:
        pytest.main(["checks", "--collect-only", "-q", "-p",
                     "no:cacheprovider"] + shared)
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def main() -> None:
    """Start the shared zygote, warm up, then serve until stdin closes."""
    root = tempfile.mkdtemp(prefix="checks-forkserver-", dir=temp_base())
    os.chmod(root, 0o755)
    zygote = Zygote.start(root)
    shared = ["--zygote", os.path.join(root, "zygote.sock")]
    warm_up(shared)
    try:
        for line in sys.stdin:
            if line.strip():
                print(json.dumps({"rc": run(json.loads(line), shared)}),
                      flush=True)
    finally:
        zygote.close()


if __name__ == "__main__":
    main()
