"""A worker forked from a template is a fresh import's equal, or not used.

A check cannot tell a worker forked from a template (harness/templates.py)
from one that imported the learner's modules in a new sandbox: it sees
what the import printed, learns how the worker ended, and nothing its code
started outlives it. An import that a fork could not carry (a thread, an
open socket, a file in /tmp, an in-memory database) is refused, with its
reason, and its checks get new sandboxes. (test_isolation.py proves that
no state of one check reaches the next, both ways.)
"""
import os
import shutil
import signal
import tempfile
import time
from typing import Iterator
from typing import List
from typing import Tuple

import pytest

from checks.harness.pipeline import Pipeline
from checks.harness.pipeline import Spec
from checks.harness.remote import Learner
from checks.harness.sandbox import Gone
from checks.harness.sandbox import Sandbox
from checks.harness.sandbox import Zygote
from checks.harness.sandbox import temp_base
from checks.harness.templates import ChildSandbox
from checks.selftest import folders
from checks.selftest.processes import processes_with

LIMIT = 30.0  # seconds a request may take here (a loaded CI)
SPEC = Spec(("user", "db", "auth"))
AUTH_TOP = "import bcrypt\n"  # the line of auth.py that code goes after
PRINTED = "auth.py says hello at import"
# Code that auth.py runs at import, which no fork could carry, and the
# words of the reason the template gives.
UNSAFE = {
    "thread": ("import threading as _t, time as _s\n"
               "_t.Thread(target=_s.sleep, args=(60,), daemon=True)"
               ".start()\n", "started a thread"),
    "socket": ("import socket as _k\n_OPEN = _k.socket()\n",
               "descriptor open (socket:"),
    "tmp": ("open('/tmp/left-by-import', 'w').close()\n",
            "wrote to /tmp"),
    "memory-db": ("from sqlalchemy import create_engine as _c\n"
                  "_MEMORY = _c('sqlite://')\n_MEMORY.connect()\n",
                  "in-memory SQLite database"),
}


def at_import(code: str) -> Tuple[str, str, str, str]:
    """Return the edit that has auth.py run code at import."""
    return ("replace", "auth.py", AUTH_TOP, AUTH_TOP + code)


def pipeline_over(root: str, edits: List[Tuple[str, str, str, str]]
                  ) -> Pipeline:
    """Return a forking pipeline over an edited copy of the reference,
    with a zygote of its own (closed by close_all)."""
    os.chmod(root, 0o755)
    folder = folders.build(edits, os.path.join(root, "solution"))
    zygote = Zygote.start(root)
    if zygote.containment.mode != "namespaces":
        zygote.close()
        pytest.skip("no namespaces here: templates are not used")
    return Pipeline(zygote, folder, forking=True)


def close_all(pipeline: Pipeline) -> None:
    """End the pipeline's templates, then its zygote."""
    pipeline.close()
    pipeline.zygote.close()


@pytest.fixture
def root() -> Iterator[str]:
    """A folder for one test's zygote and solution."""
    made = tempfile.mkdtemp(prefix="checks-templates-", dir=temp_base())
    try:
        yield made
    finally:
        shutil.rmtree(made, ignore_errors=True)


def settled(pipeline: Pipeline) -> str:
    """Make SPEC's template and wait until it is ready or refused; return
    the refusal ("" when it is ready)."""
    assert pipeline.templates is not None
    first = pipeline.prepare(SPEC)
    first.worker.close()
    first.sandbox.close()
    template = pipeline.templates.by_spec[SPEC]
    deadline = time.monotonic() + LIMIT
    while time.monotonic() < deadline and not template.usable() and \
            not template.refused:
        time.sleep(0.05)
    return template.refused


def learner_of(pipeline: Pipeline) -> Learner:
    """Return the next check's learner, as the `learner` fixture does."""
    prepared = pipeline.take("check", SPEC, lambda nodeid: True)
    return Learner(prepared.worker, time.monotonic() + LIMIT, LIMIT)


def test_a_forked_check_sees_what_the_import_printed(root: str) -> None:
    """The import's output starts a forked check's output, as it starts a
    fresh import's."""
    pipeline = pipeline_over(root, [at_import("print({!r})\n".format(
        PRINTED))])
    try:
        assert settled(pipeline) == ""
        learner = learner_of(pipeline)
        assert isinstance(learner.worker.sandbox, ChildSandbox)
        learner.request("exec", "a print", code="print('and the check')")
        assert learner.output() == PRINTED + "\nand the check\n"
    finally:
        close_all(pipeline)


@pytest.mark.parametrize("code, status", [
    ("import os\nos._exit(3)\n", 3),
    ("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n",
     -signal.SIGKILL)], ids=["exit-3", "killed"])
def test_a_forked_worker_that_ends_says_how(root: str, code: str,
                                            status: int) -> None:
    """A forked worker that exits or is killed mid-request is reported
    with its exit status, as the init of a sandbox reports it."""
    pipeline = pipeline_over(root, [])
    try:
        assert settled(pipeline) == ""
        learner = learner_of(pipeline)
        assert isinstance(learner.worker.sandbox, ChildSandbox)
        with pytest.raises(Gone) as ended:
            learner.worker.request("exec", time.monotonic() + LIMIT,
                                   code=code)
        assert ended.value.status == status
    finally:
        close_all(pipeline)


def test_what_a_forked_check_started_ends_with_it(root: str) -> None:
    """A daemon that a forked check's code started (double fork, setsid)
    is killed when the check ends."""
    token = "4747.{}".format(os.getpid())
    daemon = ("import os\nif os.fork() == 0:\n    os.setsid()\n"
              "    if os.fork() == 0:\n"
              "        os.execv('/bin/sleep', ['sleep', '{}'])\n"
              "    os._exit(0)\n".format(token))
    pipeline = pipeline_over(root, [])
    try:
        assert settled(pipeline) == ""
        learner = learner_of(pipeline)
        learner.request("exec", "a daemon", code=daemon)
        deadline = time.monotonic() + LIMIT
        while not processes_with(token) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert processes_with(token), "the daemon never started"
        learner.worker.close()
        learner.worker.sandbox.close()
        while processes_with(token) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert processes_with(token) == []
    finally:
        close_all(pipeline)


@pytest.mark.parametrize("kind", sorted(UNSAFE))
def test_an_import_a_fork_cannot_carry_gets_new_sandboxes(
        root: str, kind: str) -> None:
    """A template whose import left what a fork cannot carry is refused,
    saying why, and its checks get a new sandbox each."""
    code, words = UNSAFE[kind]
    pipeline = pipeline_over(root, [at_import(code)])
    try:
        reason = settled(pipeline)
        if not reason:  # refused at the first fork, not at the hello
            learner_of(pipeline)
            assert pipeline.templates is not None
            reason = pipeline.templates.by_spec[SPEC].refused
        assert words in reason
        learner = learner_of(pipeline)
        assert isinstance(learner.worker.sandbox, Sandbox)
        assert learner.module("auth") is not None
        assert any(words in line for line in pipeline.describe())
    finally:
        close_all(pipeline)
