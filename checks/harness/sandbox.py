"""Sandboxes as the checker sees them: asked of the zygote, ended here.

The checker copies checks/runtime/ out of its tree, starts a zygote from
that copy (or joins a running one), asks it for one sandbox per check and
the sandbox's init for workers, and talks to each worker over a socket of
its own. Every wait has a deadline and every message is capped JSON (see
checks/runtime/protocol.py), so nothing a worker sends can stall, crash or
run code in the checker. Files the sandbox wrote (a.db, captured output)
are read through a descriptor of its scratch folder, one path component at
a time, never following a link. Where each sandbox is a cgroup, what the
kernel's OOM killer did in it is read from the cgroup's own files, never
from anything the sandbox says.
"""
import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
from typing import Any
from typing import Dict
from typing import List
from typing import NamedTuple
from typing import Optional
from typing import Tuple

from checks.runtime import protocol
from checks.runtime.cgroups import Applied
from checks.runtime.cgroups import applied_from

RUNTIME_PACKAGE = "kata_runtime"
RUNTIME_SOURCE = os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), "runtime")
START_LIMIT = 60.0  # seconds a zygote may take to warm up
ANSWER_LIMIT = 10.0  # seconds the zygote or an init may take to answer
# Seconds our zygote may take to end: it kills every sandbox left and
# removes their cgroups (within its own limits of a few seconds, which a
# starved machine stretches). Killed before it is done, it leaves the
# groups to the next zygote, so it is given far more than it needs.
ZYGOTE_END_LIMIT = 30.0
EXIT_WAIT = 0.5  # seconds to wait for an init to say how a worker ended
GLANCE = 0.001  # seconds a look at what a worker sent may wait for it
# Seconds a measured sandbox (or zygote) may take to end by itself: each of
# its processes saves its coverage data as it exits, and one killed while
# saving leaves a file that coverage.py cannot read, so a measurement is
# deterministic only if nothing measured is killed at its end. A slow CI
# machine under load takes seconds per save.
MEASURED_END_LIMIT = 60.0
# Limits of every worker process (resource.RLIMIT_<name>). NPROC counts
# the processes of a user, across sandboxes: it is left out where cgroups
# keep each sandbox's own count (BUDGET).
LIMITS = {"DATA": 1024 * 2**20, "AS": 4096 * 2**20, "FSIZE": 32 * 2**20,
          "NPROC": 256, "NOFILE": 512, "CORE": 0}
# What the processes of one sandbox may use together, where the machine
# lets the checker make a cgroup per sandbox (runtime/cgroups.py).
BUDGET = {"memory": 1024 * 2**20, "pids": 256}
# "off": no cgroups, per-process limits only (to compare, or to work
# around a machine whose cgroups misbehave).
CGROUPS_ENV = "CHECKS_CGROUPS"
ZYGOTE_ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8",
              "MALLOC_ARENA_MAX": "2"}
# coverage.py's own variables, passed to the zygote when the sandboxes are
# measured too: the maintainer's tox environments set COVER_SANDBOXES to 1
# for the grade of the reference (each sandbox writes a data file, so the
# self-tests' hundreds of grades leave it unset).
COVERAGE_ENV = ("COVERAGE_PROCESS_CONFIG", "COVERAGE_PROCESS_START",
                "COVERAGE_FILE")
COVER_SANDBOXES = "CHECKS_COVER_SANDBOXES"
TEMP_DIR_ENV = "CHECKS_TEMP_DIR"


def measured() -> bool:
    """Tell whether coverage.py is to measure the zygote and sandboxes."""
    return os.environ.get(COVER_SANDBOXES) == "1" and any(
        os.environ.get(name) for name in COVERAGE_ENV[:2])


def coverage_folder() -> str:
    """Return the folder where coverage data files go, writable by all
    (the sandboxes bind it, and their workers may run as nobody)."""
    folder = os.path.dirname(os.path.abspath(os.environ.get(
        "COVERAGE_FILE", ".coverage")))
    os.chmod(folder, 0o777)
    return folder


class Gone(Exception):
    """The worker's connection ended; `status` says how it ended, if known.
    """

    def __init__(self, status: Optional[int]) -> None:
        """Keep the exit status (minus the signal number), or None."""
        super().__init__(status)
        self.status = status


class Late(Exception):
    """The worker did not answer before the deadline."""


class Garbled(Exception):
    """The worker sent something that is not a valid message."""


class Containment(NamedTuple):
    """How sandboxes are contained here, and why when not fully."""

    mode: str  # "namespaces" or "reduced"
    reason: str
    cgroups: Optional[Applied] = None  # None: per-process limits
    cgroups_reason: str = ""  # why there are none


def temp_base() -> str:
    """Prefer a memory-backed folder for the checker's temporary files,
    unless CHECKS_TEMP_DIR names one (a warm grader's child: its folder
    is removed whatever happens to the child)."""
    chosen = os.environ.get(TEMP_DIR_ENV, "")
    if chosen and os.path.isdir(chosen):
        return chosen
    shm = "/dev/shm"
    if os.path.isdir(shm) and os.access(shm, os.W_OK):
        return shm
    import tempfile
    return tempfile.gettempdir()


def copy_runtime(root: str) -> str:
    """Copy checks/runtime/ to root/runtime/kata_runtime; return its parent.
    """
    parent = os.path.join(root, "runtime")
    target = os.path.join(parent, RUNTIME_PACKAGE)
    os.makedirs(target)
    for name in sorted(os.listdir(RUNTIME_SOURCE)):
        if name.endswith(".py"):
            shutil.copyfile(os.path.join(RUNTIME_SOURCE, name),
                            os.path.join(target, name))
    for path in (parent, target):
        os.chmod(path, 0o755)
    return parent


class Zygote:
    """A connection to a zygote, and the zygote process if we started it."""

    def __init__(self, sock: socket.socket,
                 process: Optional["subprocess.Popen[bytes]"] = None
                 ) -> None:
        """Say hello; its answer (how sandboxes are contained) is read when
        first needed, so that a zygote we start imports the stack while
        pytest collects the checks."""
        self.sock = sock
        self.reader = protocol.Reader(sock, max_fds=0)
        self.process = process
        self.measured = measured()
        self._containment: Optional[Containment] = None
        protocol.send(sock, {"op": "hello"})

    @property
    def containment(self) -> Containment:
        """Return how sandboxes are contained (see greeted)."""
        return self.greeted()

    def greeted(self) -> Containment:
        """Return how sandboxes are contained, waiting for the zygote's
        answer to our hello the first time (it comes once it is warm)."""
        if self._containment is None:
            answer = self._answer(START_LIMIT)
            self._containment = Containment(
                str(answer.get("containment")),
                str(answer.get("reason", "")),
                applied_from(answer.get("cgroups")),
                str(answer.get("cgroups_reason", ""))[:300])
        return self._containment

    @classmethod
    def start(cls, root: str, contain: bool = True) -> "Zygote":
        """Start a zygote of our own, which removes `root` when it ends."""
        runtime = copy_runtime(root)
        path = os.path.join(root, "zygote.sock")
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(path)
        listener.listen(64)
        settings = {"root": root, "runtime": runtime, "limits": LIMITS,
                    "contain": "auto" if contain else "off",
                    "writable": [coverage_folder()] if measured() else [],
                    "measured": measured(), "budget": BUDGET,
                    "cgroups": os.environ.get(CGROUPS_ENV) != "off"}
        # Coverage's own variables only when the sandboxes are measured:
        # with `patch = subprocess, fork`, a zygote given them traces every
        # sandbox process, whose data then has nowhere to go (a gallery
        # grade under a measured checker took 24.6 s, 9.2 s untraced).
        env = dict(ZYGOTE_ENV, **{name: os.environ[name] for name in
                                  COVERAGE_ENV if name in os.environ
                                  and measured()})
        boot = ("import sys; sys.path.insert(0, {!r}); from {} import "
                "zygote; zygote.main({})".format(
                    runtime, RUNTIME_PACKAGE, listener.fileno()))
        with open(os.path.join(root, "zygote.log"), "wb") as log:
            process = subprocess.Popen(
                [sys.executable, "-I", "-c", boot, json.dumps(settings)],
                stdin=subprocess.PIPE, stdout=log, stderr=log,
                pass_fds=(listener.fileno(),), env=env, cwd=root,
                start_new_session=True)
        listener.close()
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.connect(path)
        return cls(sock, process)

    @classmethod
    def join(cls, path: str) -> "Zygote":
        """Use a zygote that someone else started, listening at path."""
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(path)
        except OSError as error:
            sock.close()
            raise OSError(error.errno, "no zygote answers at {}: {}".format(
                path, error.strerror))
        return cls(sock)

    def _answer(self, limit: float = ANSWER_LIMIT) -> Dict[str, Any]:
        """Read the zygote's answer to our last request."""
        answer = self.reader.receive(time.monotonic() + limit)
        if not isinstance(answer, dict) or "error" in answer:
            raise protocol.ProtocolError("the zygote refused: {}".format(
                answer))
        return answer

    def sandbox(self, solution: str) -> "Sandbox":
        """Ask for a new sandbox that sees this solution folder."""
        self.greeted()  # the hello's answer comes first
        ours, theirs = socket.socketpair()
        try:
            protocol.send(self.sock, {"op": "sandbox", "solution": solution},
                          (theirs.fileno(),))
        finally:
            theirs.close()
        answer = self._answer()
        return Sandbox(self, int(answer["sandbox"]), ours,
                       str(answer.get("group", "")))

    def end(self, sandbox: int) -> None:
        """Have the zygote kill a sandbox and everything in it (no answer:
        the check that ends it need not wait)."""
        protocol.send(self.sock, {"op": "end", "sandbox": sandbox})

    def close(self) -> None:
        """Leave the zygote; if it is ours, have it end and clean up."""
        self.sock.close()
        self.reader.close()
        if self.process is None:
            return
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(MEASURED_END_LIMIT if self.measured
                              else ZYGOTE_END_LIMIT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Scratch:
    """Where a worker runs, as its Worker needs it: a whole sandbox, or the
    part of a template's sandbox that one forked check owns (templates.py).
    """

    zygote: Zygote
    serving: List[int]  # workers that serve until killed
    ended: bool

    def read(self, relative: str, cap: int) -> Optional[bytes]:
        """Read up to cap bytes of a regular file of the scratch folder."""
        raise NotImplementedError

    def exited(self, worker: int) -> Optional[int]:
        """Return how a worker ended, if known already."""
        raise NotImplementedError

    def exit_status(self, worker: int) -> Optional[int]:
        """Return how a worker ended, waiting a moment to learn it."""
        raise NotImplementedError

    def killed_for_memory(self) -> int:
        """Return how many processes went over the memory budget."""
        raise NotImplementedError

    def close(self) -> None:
        """End the worker's processes."""
        raise NotImplementedError


class Sandbox(Scratch):
    """One sandbox: its control connection, scratch folder and workers."""

    def __init__(self, zygote: Zygote, number: int, ctl: socket.socket,
                 group: str = "") -> None:
        """Remember the sandbox (and its cgroup's name, "" when it has
        none); it gets ready in the background."""
        self.zygote = zygote
        self.number = number
        self.ctl = ctl
        self.group = group
        self.memory_kills = 0  # as counted when the sandbox ended
        self.reader = protocol.Reader(ctl, max_fds=1)  # the scratch
        self.scratch: Optional[int] = None
        self.layout: Dict[str, str] = {}
        self.error = ""
        self.exits: Dict[int, int] = {}
        self.workers = 0
        self.connections: List[socket.socket] = []
        self.serving: List[int] = []  # workers that serve until killed
        self.ended = False

    def spawn(self, config: Dict[str, Any], fds: Tuple[int, ...] = ()
              ) -> "Worker":
        """Ask for a worker now; it starts as soon as the sandbox is ready.
        """
        self.workers += 1
        ours, theirs = socket.socketpair()
        self.connections.append(ours)
        try:
            protocol.send(self.ctl, dict(config, op="spawn",
                                         worker=self.workers),
                          (theirs.fileno(),) + tuple(fds))
        finally:
            theirs.close()
        return Worker(self, self.workers, ours, tuple(
            str(name) for name in config.get("preload", ())))

    def _event(self, deadline: float) -> None:
        """Read one message of the init and note what it says."""
        message = self.reader.receive(deadline)
        if not isinstance(message, dict):
            raise protocol.ProtocolError("not a message")
        if message.get("ready"):
            fds = self.reader.take_fds()
            self.scratch = fds[0] if fds else None
            layout = message.get("layout")
            self.layout = layout if isinstance(layout, dict) else {}
        elif "error" in message:
            self.error = str(message["error"])[:500]
        elif isinstance(message.get("exited"), int) and isinstance(
                message.get("status"), int):
            self.exits[message["exited"]] = message["status"]

    def ready(self, deadline: float) -> None:
        """Wait until the init has built the sandbox (or failed to)."""
        while self.scratch is None and not self.error:
            self._event(deadline)
        if self.error:
            raise protocol.ProtocolError("the sandbox could not be made: " +
                                         self.error)

    def exited(self, worker: int) -> Optional[int]:
        """Return how a worker ended, if the init has said so already."""
        try:
            while worker not in self.exits:
                self._event(time.monotonic() + 0.01)
        except (protocol.ProtocolError, protocol.TimedOut, OSError):
            pass
        return self.exits.get(worker)

    def exit_status(self, worker: int) -> Optional[int]:
        """Return how a worker ended, waiting a moment for the init's word.
        """
        deadline = time.monotonic() + EXIT_WAIT
        try:
            while worker not in self.exits:
                self._event(deadline)
        except (protocol.ProtocolError, protocol.TimedOut, OSError):
            pass
        return self.exits.get(worker)

    def read(self, relative: str, cap: int) -> Optional[bytes]:
        """Read up to cap bytes of a regular file in the scratch folder.

        Each folder on the way is opened without following links, so a
        link planted by learner code cannot lead outside the sandbox.
        """
        if self.scratch is None:
            try:
                self.ready(time.monotonic() + ANSWER_LIMIT)
            except (OSError, protocol.ProtocolError, protocol.TimedOut):
                return None
        if self.scratch is None:
            return None
        parts = relative.split("/")
        opened: List[int] = []
        try:
            here = self.scratch
            for part in parts[:-1]:
                here = os.open(part, os.O_RDONLY | os.O_DIRECTORY |
                               os.O_NOFOLLOW, dir_fd=here)
                opened.append(here)
            fd = os.open(parts[-1], os.O_RDONLY | os.O_NOFOLLOW |
                         os.O_NONBLOCK, dir_fd=here)
            opened.append(fd)
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            chunks = []
            left = cap
            while left > 0:
                chunk = os.read(fd, min(left, 1 << 20))
                if not chunk:
                    break
                chunks.append(chunk)
                left -= len(chunk)
            return b"".join(chunks)
        except OSError:
            return None
        finally:
            for fd in opened:
                os.close(fd)

    def close(self) -> None:
        """End the sandbox and everything in it.

        When coverage is measured, every process ends by itself, so that
        each saves its data whole: the workers first (their connection
        closes and they exit; servers, which never end, excepted), then the
        init (our end of its connection closes: it exits, and the kernel
        kills the servers). Else the zygote kills the sandbox at once.
        """
        if self.ended:
            return
        self.memory_kills = self.killed_for_memory()
        self.ended = True
        for connection in self.connections:
            connection.close()
        if self.zygote.measured:
            self._end_measured(time.monotonic() + MEASURED_END_LIMIT)
        else:
            try:
                self.zygote.end(self.number)
            except (OSError, protocol.ProtocolError):
                pass
        self.ctl.close()
        self.reader.close()
        if self.scratch is not None:
            os.close(self.scratch)

    def killed_for_memory(self) -> int:
        """Return how many of the sandbox's processes the kernel killed
        for going over the sandbox's memory (0: none, or no cgroup).

        A kernel that counts no kills (before 4.13) is read the old way:
        the group reached its limit, and a worker died of SIGKILL.
        """
        applied = self.zygote.containment.cgroups
        if self.ended or applied is None or not self.group:
            return self.memory_kills
        kills = applied.oom_kills(self.group)
        if kills is None:
            return int(applied.limit_hits(self.group) > 0 and
                       -signal.SIGKILL in self.exits.values())
        return kills

    def _end_measured(self, deadline: float) -> None:
        """Wait for the workers to exit, then for the init (see close)."""
        ending = [worker for worker in range(1, self.workers + 1)
                  if worker not in self.serving]
        try:
            while any(worker not in self.exits for worker in ending):
                self._event(deadline)
            self.ctl.shutdown(socket.SHUT_WR)
            while True:
                self._event(deadline)
        except (protocol.ProtocolError, protocol.TimedOut, OSError):
            pass  # the init closed its end (it ended), or the limit passed


class Worker:
    """A connection to one worker: requests with deadlines, plain replies.
    """

    def __init__(self, sandbox: Scratch, number: int, sock: socket.socket,
                 preload: Tuple[str, ...] = ()) -> None:
        """Remember the connection and the modules the worker imports
        first; it reports each, then says hello when it is up."""
        self.sandbox = sandbox
        self.number = number
        self.sock = sock
        self.reader = protocol.Reader(sock, max_fds=0)
        self.preload = preload
        self.imported: Dict[str, Dict[str, Any]] = {}  # module -> report
        self.preloaded: Optional[Dict[str, Any]] = None
        self.requests = 0
        # What a look that does not wait (reported()) met: raised by the
        # next import_report(), as if it had met it itself.
        self.held: Optional[Exception] = None

    def _receive(self, deadline: float) -> Any:
        """Read one message, turning every failure into Gone/Late/Garbled.
        """
        try:
            message = self.reader.receive(deadline)
        except protocol.TimedOut:
            raise Late()
        except (protocol.Closed, ConnectionError):
            raise Gone(self.sandbox.exit_status(self.number))
        except protocol.ProtocolError as error:
            raise Garbled(str(error))
        if not isinstance(message, dict):
            raise Garbled("a message that is not an object")
        return message

    def message(self, deadline: float) -> Dict[str, Any]:
        """Read the worker's next message, whatever it is (a template's
        answers, read in the order the checker needs them)."""
        return self._receive(deadline)

    def hello(self, deadline: float) -> Dict[str, Any]:
        """Wait for the worker's hello; return what its preload did."""
        while self.preloaded is None:
            self._starting(self._receive(deadline))
        return self.preloaded

    def import_report(self, module: str, deadline: float
                      ) -> Optional[Dict[str, Any]]:
        """Wait until the preload has imported a module; return its report
        ("raised", "docs"), or None if the preload stopped before it."""
        while module not in self.imported and self.preloaded is None:
            if self.held is not None:
                raise self.held
            self._starting(self._receive(deadline))
        return self.imported.get(module)

    def reported(self, module: str) -> bool:
        """Tell, without waiting, whether import_report(module) would
        answer at once: the messages that have arrived are taken first."""
        try:
            while module not in self.imported and self.preloaded is None \
                    and self.held is None:
                self._starting(self._receive(time.monotonic() + GLANCE))
        except Late:
            return False
        except (Gone, Garbled) as error:
            self.held = error
        return True

    def _starting(self, message: Dict[str, Any]) -> None:
        """Take one message of a worker starting: an import, or hello."""
        name = message.get("imported")
        if isinstance(name, str) and name in self.preload:
            self.imported[name] = message
            return
        preloaded = message.get("preloaded")
        if message.get("hello") != self.number or not isinstance(
                preloaded, dict):
            raise Garbled("no hello")
        self.preloaded = preloaded

    def importing(self) -> Optional[str]:
        """Return the module the preload is still importing (or was, when
        the worker hung or ended), or None once the worker is up."""
        for name in self.preload if self.preloaded is None else ():
            if name not in self.imported:
                return name
            if self.imported[name].get("raised") is not None:
                break  # the preload stopped there
        return None

    def request(self, op: str, deadline: float, fds: Tuple[int, ...] = (),
                **fields: Any) -> Dict[str, Any]:
        """Send one request and return its reply (value, raised or error)."""
        self.hello(deadline)
        self.requests += 1
        if op == "serve":
            self.sandbox.serving.append(self.number)
        fields.update(op=op, id=self.requests,
                      budget=max(0.0, deadline - time.monotonic()))
        try:
            protocol.send(self.sock, fields, fds, protocol.REQUEST_FRAME)
        except (OSError, protocol.ProtocolError):
            raise Gone(self.sandbox.exit_status(self.number))
        reply = self._receive(deadline)
        if type(reply.get("id")) is not int:  # 7.0 == 7, True == 1
            raise Garbled("a reply whose id is not an int")
        if reply["id"] != self.requests:
            raise Garbled("an answer to another request")
        return reply

    def read_output(self, stream: str, cap: int) -> bytes:
        """Return what the worker wrote to stdout or stderr (capped)."""
        return self.sandbox.read("out/{}-{}".format(stream, self.number),
                                 cap) or b""

    def close(self) -> None:
        """Close our end of the connection."""
        self.sock.close()
        self.reader.close()
