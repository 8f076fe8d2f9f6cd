"""Run learner code in a forked child process, never in the checker's own.

The checker's process imports SQLAlchemy, Flask and bcrypt once; every check
then forks a fresh child from it, so each one starts warm but clean: a new
session id (so the whole group can be killed), a fresh temporary working
directory (so `a.db` is per check), stdout and stderr sent to files capped
in size, and a deadline after which the group gets SIGKILL, which no
`except BaseException` can catch. The child reports back through a pipe.
"""
import faulthandler
import os
import pickle
import resource
import select
import shutil
import signal
import struct
import sys
import tempfile
import time
import traceback
from typing import Any
from typing import Callable
from typing import List
from typing import NamedTuple
from typing import Optional
from typing import Tuple

OUTPUT_CAP = 64 * 1024        # bytes of stdout/stderr kept for messages
FILE_SIZE_LIMIT = 32 * 2**20  # no file a child writes may grow beyond this
PR_SET_PDEATHSIG = 1  # prctl option: a signal for when the parent dies
EXIT_GRACE = 2.0  # seconds a child that has reported may take to exit
CHECKER_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Raised(NamedTuple):
    """An exception that ended the child's work, described in plain data."""

    type_name: str
    message: str
    traceback: str
    learner_frame: Optional[str]
    from_checker: bool
    is_assertion: bool
    is_skip: bool = False


class ChildResult(NamedTuple):
    """What a child did: returned a value, raised, timed out, or exited."""

    status: str  # "returned", "raised", "timeout" or "exited"
    value: Any
    raised: Optional[Raised]
    stdout: str
    stderr: str
    exit_code: Optional[int]
    hang_trace: str
    seconds: float


def temp_base() -> str:
    """Prefer a memory-backed directory: SQLite's syncs cost nothing there."""
    shm = "/dev/shm"
    if os.path.isdir(shm) and os.access(shm, os.W_OK):
        return shm
    return tempfile.gettempdir()


def _frames_in(tb_summary: traceback.StackSummary, folder: str) -> List[str]:
    """Return "file:line in function" for each frame under a folder."""
    return ["{}:{} in {}".format(os.path.basename(frame.filename),
                                 frame.lineno, frame.name)
            for frame in tb_summary
            if os.path.abspath(frame.filename).startswith(folder + os.sep)]


def describe(error: BaseException, learner_dir: str) -> Raised:
    """Turn an exception into plain data the parent can read."""
    summary = traceback.extract_tb(error.__traceback__)
    learner = _frames_in(summary, learner_dir)
    innermost = os.path.abspath(summary[-1].filename) if summary else ""
    text = "".join(traceback.format_exception(
        type(error), error, error.__traceback__))
    skip = type(error).__name__ == "Skipped"
    return Raised(type(error).__name__, str(error), text[-OUTPUT_CAP:],
                  learner[-1] if learner else None,
                  innermost.startswith(CHECKER_DIR + os.sep),
                  isinstance(error, AssertionError), skip)


def _read_capped(path: str) -> str:
    """Read at most OUTPUT_CAP bytes of a capture file, marking any cut."""
    try:
        with open(path, "rb") as stream:
            data = stream.read(OUTPUT_CAP + 1)
    except OSError:
        return ""
    text = data[:OUTPUT_CAP].decode("utf-8", "replace")
    if len(data) > OUTPUT_CAP:
        text += "\n[output truncated after {} KiB]".format(OUTPUT_CAP // 1024)
    return text


def _redirect(fd: int, path: str) -> None:
    """Point a file descriptor at a new file."""
    target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(target, fd)
    os.close(target)


def _die_with_parent() -> None:
    """Have the kernel kill this child if the checker dies first (Linux).

    A child runs in a session of its own, so nothing else would end it if
    the checker were killed, and learner code that loops forever would.
    """
    parent = os.getppid()
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:
        os._exit(1)


def _enter_child(root: str, workdir: str, learner_dir: str,
                 timeout: float) -> None:
    """Isolate a freshly forked child before it touches learner code."""
    _die_with_parent()
    os.setsid()
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGALRM):
        signal.signal(signum, signal.SIG_DFL)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE,
                       (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    stdin = os.open(os.devnull, os.O_RDONLY)
    os.dup2(stdin, 0)
    _redirect(1, os.path.join(root, "stdout"))
    _redirect(2, os.path.join(root, "stderr"))
    sys.stdin = open(0, "r", closefd=False)
    sys.stdout = open(1, "w", buffering=1, closefd=False)
    sys.stderr = open(2, "w", buffering=1, closefd=False)
    hang = open(os.path.join(root, "hang"), "w")
    faulthandler.dump_traceback_later(max(timeout - 0.4, 0.1), file=hang)
    os.chdir(workdir)
    sys.path.insert(0, learner_dir)


def _child_main(func: Callable[[], Any], write_fd: int, root: str,
                workdir: str, learner_dir: str, timeout: float) -> None:
    """Run func in the child and send its outcome; never returns."""
    try:
        _enter_child(root, workdir, learner_dir, timeout)
        try:
            payload: Tuple[str, Any, Any] = ("returned", func(), None)
        except BaseException as error:  # the child's one boundary
            payload = ("raised", None, describe(error, learner_dir))
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            data = pickle.dumps(payload)
        except Exception:
            data = pickle.dumps(("returned", repr(payload[1]), payload[2]))
        _send(write_fd, struct.pack(">Q", len(data)) + data)
    finally:
        # The pipe closes as the process ends: after anything os._exit
        # itself does, such as coverage saving its data.
        os._exit(0)


def _send(fd: int, data: bytes) -> None:
    """Write all of data to a pipe."""
    while data:
        data = data[os.write(fd, data):]


class Child:
    """A running child: its pipe, its deadline, and what it sent so far."""

    def __init__(self, func: Callable[[], Any], learner_dir: str,
                 timeout: float) -> None:
        """Fork a child that runs func in a fresh working directory."""
        self.root = tempfile.mkdtemp(prefix="checks-", dir=temp_base())
        workdir = os.path.join(self.root, "work")
        os.mkdir(workdir)
        read_fd, write_fd = os.pipe()
        self.started = time.monotonic()
        self.deadline = self.started + timeout
        self.chunks: List[bytes] = []
        self.eof = False
        self.expired = False
        sys.stdout.flush()
        sys.stderr.flush()
        self.pid = os.fork()
        if self.pid == 0:
            os.close(read_fd)
            _child_main(func, write_fd, self.root, workdir, learner_dir,
                        timeout)
        os.close(write_fd)
        self.read_fd = read_fd

    def fileno(self) -> int:
        """Let select() watch the child's pipe."""
        return self.read_fd

    def drain(self) -> None:
        """Read what the child has sent; note when its report is whole.

        The report is length-prefixed, so it is known complete without
        waiting for the pipe to close (a process the learner forked may
        hold it open).
        """
        chunk = os.read(self.read_fd, 65536)
        if chunk:
            self.chunks.append(chunk)
            self.eof = bool(self.report())
        else:
            self.eof = True

    def report(self) -> bytes:
        """Return the child's whole report, or b"" if it never completed."""
        data = b"".join(self.chunks)
        if len(data) < 8 or len(data) < 8 + struct.unpack(">Q", data[:8])[0]:
            return b""
        return data[8:]

    def poll(self) -> None:
        """Read whatever the child has sent, without waiting."""
        while not self.eof and select.select([self], [], [], 0)[0]:
            self.drain()

    def expire_if_late(self, now: float) -> None:
        """Kill a child whose deadline has passed without a full report."""
        if self.eof or self.expired or now < self.deadline:
            return
        self.poll()
        if not self.eof:
            self.expired = True
            _kill_group(self.pid)

    def finish(self) -> ChildResult:
        """Reap the child and everything it started; return its outcome."""
        os.close(self.read_fd)
        status = _await_exit(self.pid, EXIT_GRACE) if self.eof else None
        _kill_group(self.pid)
        if status is None:
            status = os.waitpid(self.pid, 0)[1]
        exit_code = _exit_code(status)
        data = self.report() if self.eof else None
        result = _result(data, exit_code, self.root,
                         time.monotonic() - self.started)
        shutil.rmtree(self.root, ignore_errors=True)
        return result


def wait_for(target: Child, others: List[Child]) -> ChildResult:
    """Wait for one child, reading the others' pipes so none stalls.

    A deadline is judged only after the pipe has been read: a child that
    finished while the checker was busy elsewhere is not a late one.
    """
    while not target.eof:
        now = time.monotonic()
        for child in others:
            child.expire_if_late(now)
        watched = [child for child in [target] + others
                   if not child.eof and not child.expired]
        ready, _, _ = select.select(watched, [], [],
                                    max(0.0, target.deadline - now))
        for child in ready:
            child.drain()
        if not ready and time.monotonic() >= target.deadline:
            target.poll()
            break
    return target.finish()


def _await_exit(pid: int, seconds: float) -> Optional[int]:
    """Give a child that has reported a moment to end by itself.

    Returns its wait status if it ended, or None.
    """
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        time.sleep(0.001)
    return None


def _kill_group(pid: int) -> None:
    """End the child and everything it started."""
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass


def _exit_code(status: int) -> int:
    """Turn a wait status into an exit code, or minus the signal."""
    if os.WIFEXITED(status):
        return os.WEXITSTATUS(status)
    return -os.WTERMSIG(status)


def run_in_child(func: Callable[[], Any], learner_dir: str,
                 timeout: float) -> ChildResult:
    """Run func in a forked child with a fresh working directory."""
    return wait_for(Child(func, learner_dir, timeout), [])


def _result(data: Optional[bytes], exit_code: Optional[int], root: str,
            seconds: float) -> ChildResult:
    """Build a ChildResult from the child's report and its capture files."""
    stdout = _read_capped(os.path.join(root, "stdout"))
    stderr = _read_capped(os.path.join(root, "stderr"))
    hang = _read_capped(os.path.join(root, "hang"))
    if data is None:
        return ChildResult("timeout", None, None, stdout, stderr, None,
                           hang, seconds)
    if not data:
        return ChildResult("exited", None, None, stdout, stderr, exit_code,
                           "", seconds)
    status, value, raised = pickle.loads(data)
    return ChildResult(status, value, raised, stdout, stderr, exit_code, "",
                       seconds)
