"""A warm grader: the checker imported once, one zygote, a fork per grade.

Starting Python, pytest and a zygote (which imports SQLAlchemy, Flask and
bcrypt) costs about two seconds, far more than grading one task. A warm
grader pays it once: it starts one zygote that every grade shares
(`--zygote`), collects the checks once (so that each grade finds the check
modules imported and their asserts rewritten), then runs each grade as
`pytest.main(args)` in a forked child. The child, not this process, holds
the grade's state, so a grade that crashes or is cancelled leaves this
process as it was. Learner code still runs only in the zygote's
sandboxes. Used by watch mode (checks/watch) and the self-tests'
forkserver; both run from the repository root, so that the child sees the
same `sys.path` as `python -m pytest`.
"""
import os
import shutil
import signal
import sys
import tempfile
import time
from typing import Callable
from typing import List
from typing import NoReturn
from typing import Optional

import pytest

from checks.harness.sandbox import TEMP_DIR_ENV
from checks.harness.sandbox import Zygote
from checks.harness.sandbox import temp_base
from checks.runtime.contain import die_with_parent

POLL = 0.01  # seconds between looks at a running child
KILLED = -signal.SIGKILL  # what run() returns for a child it had to kill
STOPPING = {signal.SIGINT, signal.SIGTERM}  # how a user ends a warm grader


def _child(args: List[str], log: str, temp: str, parent: int) -> NoReturn:
    """Run one grade in this forked child and exit with its status; end
    with the warm grader, even if it is killed (kill -9)."""
    status = 3
    try:
        os.setsid()
        die_with_parent(signal.SIGKILL)
        if os.getppid() != parent:  # it ended before we asked
            os._exit(status)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPPING)
        os.environ[TEMP_DIR_ENV] = temp
        out = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(out, 1)
        os.dup2(out, 2)
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        status = int(pytest.main(args))
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(status)


def _kill(pid: int) -> None:
    """Kill a grade's child and every process of its session; reap it."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:  # not yet the leader of its own session
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:  # reaped already
            pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


class WarmGrader:
    """A zygote and the checker's imports, kept for many grades."""

    def __init__(self, contain: bool = True) -> None:
        """Start the shared zygote and collect the checks once."""
        self.contain = contain
        self._start_zygote()
        self._warm_up()

    def _start_zygote(self) -> None:
        """Start a zygote in a folder of its own (it removes it at exit).
        """
        self.root = tempfile.mkdtemp(prefix="checks-warm-", dir=temp_base())
        os.chmod(self.root, 0o755)
        self.zygote = Zygote.start(self.root, self.contain)
        self.shared = ["--zygote", os.path.join(self.root, "zygote.sock")]
        if not self.contain:
            self.shared.append("--no-namespaces")

    def _zygote_alive(self) -> bool:
        """Tell whether our zygote still runs (a long watch must outlive
        a zygote that died)."""
        process = self.zygote.process
        return process is None or process.poll() is None

    def _warm_up(self) -> None:
        """Collect the checks, silently, importing everything they use."""
        saved = os.dup(1)
        quiet = os.open(os.devnull, os.O_WRONLY)
        os.dup2(quiet, 1)
        os.close(quiet)
        try:
            pytest.main(["checks", "--collect-only", "-q", "-p",
                         "no:cacheprovider"] + self.shared)
        finally:
            sys.stdout.flush()
            os.dup2(saved, 1)
            os.close(saved)

    def run(self, args: List[str], log: str, limit: float,
            cancelled: Optional[Callable[[], bool]] = None) -> Optional[int]:
        """Grade `pytest args` in a child, its output to log; return its
        exit status, KILLED past the limit, or None when `cancelled` said
        so first (the child and its processes are killed then too)."""
        # Ctrl-C waits while the zygote is looked at and the child forked:
        # an interrupt there could leave the child running, or leave the
        # zygote's Popen lock held for ever (Python 3.7), which then hangs
        # close(). The child unblocks it in its own session.
        signal.pthread_sigmask(signal.SIG_BLOCK, STOPPING)
        pid = 0
        temp = ""
        try:
            if not self._zygote_alive():
                self.zygote.close()
                self._start_zygote()
            temp = tempfile.mkdtemp(prefix="grade-", dir=self.root)
            os.chmod(temp, 0o755)
            parent = os.getpid()
            pid = os.fork()
            if pid == 0:
                _child(list(args) + self.shared, log, temp, parent)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPPING)
            return self._wait(pid, limit, cancelled)
        except BaseException:  # Ctrl-C: the child must not outlive us
            if pid:
                _kill(pid)
            raise
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPPING)
            if temp:
                shutil.rmtree(temp, ignore_errors=True)

    @staticmethod
    def _wait(pid: int, limit: float,
              cancelled: Optional[Callable[[], bool]]) -> Optional[int]:
        """Wait for a grade's child, killing it past the limit or when
        cancelled; return what run() returns."""
        deadline = time.monotonic() + limit
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return os.WEXITSTATUS(status) if os.WIFEXITED(status) \
                    else -os.WTERMSIG(status)
            stop = cancelled is not None and cancelled()
            if stop or time.monotonic() > deadline:
                _kill(pid)
                return None if stop else KILLED
            time.sleep(POLL)

    def close(self) -> None:
        """End the zygote, which removes its folder and every sandbox."""
        self.zygote.close()
