"""The zygote: a warm process that makes sandboxes and the workers in them.

The checker starts it as a fresh `python -I` (nothing of the checker is in
its memory), hands it a listening Unix socket, and asks it for sandboxes.
It imports Flask, SQLAlchemy and bcrypt once, so that every sandbox and
worker forked from it starts warm. Three processes make a sandbox:

- the keeper (a child of the zygote): enters new namespaces, forks the
  init, and waits; killing it ends the whole sandbox (its child has
  PR_SET_PDEATHSIG);
- the init: PID 1 of the new PID namespace, builds the private root, then
  spawns workers on the checker's request and reports how they end; when
  it exits, the kernel kills every process left in the sandbox;
- the workers (worker.py), one per connection the checker hands over.

Where namespaces are unavailable the same three processes run without them
("reduced" containment): the init is a child subreaper that kills every
descendant when it ends, and a root checker's workers run as nobody.

Where cgroups can be made (cgroups.py), each sandbox's keeper first joins
a group of the sandbox's own, so that all its processes share one memory
and process budget; ending the sandbox kills the group, which is removed
once empty.
"""
import gc
import json
import os
import shutil
import signal
import socket
import sys
import time
import traceback
from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

from . import cgroup_tree
from . import cgroups
from . import contain
from . import protocol
from . import worker

SCRATCH_SIZE = "64m"
PROBE_TIMEOUT = 5.0  # seconds for the trial sandbox at start-up
# Seconds the sandboxes of a measured zygote may take to end by themselves
# when it closes: a process killed while it saves its coverage data leaves
# a file that coverage.py cannot read.
MEASURED_END_LIMIT = 30.0
REMOVE_RETRY = 0.02  # seconds between tries to remove an emptying group
REMOVE_LIMIT = 5.0  # seconds the groups may take to empty at the end


class Settings:
    """What the checker asked of this zygote, from its JSON argument."""

    def __init__(self, raw: Dict[str, Any]) -> None:
        """Read the settings, with the defaults of a plain grade."""
        self.root = str(raw["root"])
        self.runtime = str(raw["runtime"])
        self.contain = raw.get("contain", "auto") != "off"
        self.limits: Dict[str, int] = dict(raw.get("limits", {}))
        # Folders bound writable into every sandbox (coverage data only).
        self.writable: List[str] = [str(path) for path in raw.get(
            "writable", [])]
        self.scratch_size = str(raw.get("scratch_size", SCRATCH_SIZE))
        # Coverage is measured: sandboxes end by themselves, never killed.
        self.measured = bool(raw.get("measured", False))
        # A cgroup per sandbox, when the machine allows, with this budget.
        self.cgroups = bool(raw.get("cgroups", False))
        budget = raw.get("budget", {})
        self.budget = cgroups.Budget(int(budget.get("memory", 2**30)),
                                     int(budget.get("pids", 256)))


def warm_up() -> None:
    """Import and exercise the libraries learner code uses, once, here."""
    for name in ("sqlite3", "uuid", "json", "bcrypt", "requests",
                 "sqlalchemy", "sqlalchemy.orm", "sqlalchemy.ext.declarative",
                 "flask", "werkzeug", "werkzeug.serving", "werkzeug.test"):
        try:
            __import__(name)
        except Exception:  # a missing library fails the checks that need it
            continue
    worker.warm_up()


def bind_sources(settings: Settings) -> List[str]:
    """Return the host paths a sandbox sees, read-only: what Python needs.

    The runtime package is not among them: the zygote has imported all of
    it already, and workers inherit it.
    """
    paths = {"/usr", "/etc", sys.prefix, sys.base_prefix,
             sys.exec_prefix, getattr(sys, "base_exec_prefix", sys.prefix)}
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        if os.path.isdir("/" + name) and not os.path.islink("/" + name):
            paths.add("/" + name)
    paths.update(path for path in sys.path if path and os.path.isdir(path))
    ordered = sorted(os.path.realpath(path) for path in paths
                     if not os.path.realpath(path).startswith(
                         os.path.realpath(settings.root) + "/"))
    return [path for path in ordered if not any(
        path != other and path.startswith(other.rstrip("/") + "/")
        for other in ordered)]


class Zygote:
    """The zygote's state: settings, clients, and the sandboxes it keeps."""

    def __init__(self, settings: Settings, listener: socket.socket) -> None:
        """Remember what to serve; nothing is made yet (see prepare)."""
        self.settings = settings
        self.listener = listener
        self.sources = bind_sources(settings)
        self.mountpoint = os.path.join(settings.root, "mountpoint")
        os.makedirs(self.mountpoint, exist_ok=True)
        self.clients: Dict[int, Tuple[socket.socket,
                                      protocol.Reader]] = {}
        self.keepers: Dict[int, int] = {}  # keeper pid -> client fd
        self.tree: Optional[cgroup_tree.Tree] = None
        self.tree_reason = "switched off"
        self.groups: Dict[int, cgroups.Group] = {}  # keeper pid -> group
        self.ending: List[cgroups.Group] = []  # killed; removed once empty
        self.made = 0  # sandboxes made, which name their groups
        self.containment, self.reason = "reduced", "switched off"

    def prepare(self) -> None:
        """Make the sandboxes' parent cgroup, where cgroups can be made,
        then learn whether sandboxes can have namespaces."""
        if self.settings.cgroups:
            # SIGTERM (our owner died) waits until the tree is ours to
            # remove: a tree half made would be left behind.
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
            try:
                self.tree, self.tree_reason = cgroup_tree.open_tree(
                    self.settings.budget)
            finally:
                signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
        if self.tree is not None:  # the budget is the sandbox's: a user's
            self.settings.limits.pop("NPROC", None)  # count spans them all
        if self.settings.contain:
            self.containment, self.reason = self.probe()

    def probe(self) -> Tuple[str, str]:
        """Make one sandbox to learn whether namespaces work here."""
        ours, theirs = socket.socketpair()
        pid = self.start_keeper(theirs, True, self.settings.runtime)
        theirs.close()
        try:
            ready = protocol.Reader(ours).receive(
                time.monotonic() + PROBE_TIMEOUT)
        except (protocol.ProtocolError, protocol.TimedOut):
            ready = {"error": "the trial sandbox gave no answer"}
        finally:
            _kill(pid)
            self.end_group(pid)
            os.waitpid(pid, 0)
            ours.close()
        if isinstance(ready, dict) and ready.get("ready"):
            return "namespaces", ""
        return "reduced", str(ready.get("error", "unknown") if isinstance(
            ready, dict) else "unknown")

    def start_keeper(self, ctl: socket.socket, namespaces: bool,
                     solution: str) -> int:
        """Fork the keeper of a new sandbox, in a group of its own if
        cgroups are used; return its pid."""
        group = None
        if self.tree is not None:
            self.made += 1
            group = self.tree.make("sandbox-{}".format(self.made))
        pid = os.fork()
        if pid == 0:
            status = 1
            try:
                status = keeper(self.settings, ctl, namespaces, solution,
                                self.sources, self.mountpoint, group)
            finally:
                os._exit(status)
        if group is not None:
            self.groups[pid] = group
        return pid

    def end_group(self, keeper_pid: int) -> None:
        """Kill everything in a sandbox's group; remove it once empty."""
        group = self.groups.pop(keeper_pid, None)
        if group is not None:
            self.ending.append(group)  # first: close() then removes it
            group.kill()

    def remove_groups(self) -> None:
        """Remove the groups of ended sandboxes that are empty now."""
        self.ending = [group for group in self.ending if not group.remove()]

    def serve(self) -> None:
        """Answer clients until the owner (our stdin) goes away."""
        wake_r, wake_w = os.pipe()
        os.set_blocking(wake_w, False)
        signal.set_wakeup_fd(wake_w)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        while True:
            watched = [self.listener.fileno(), sys.stdin.fileno(), wake_r] + \
                list(self.clients)
            ready = protocol.ready_to_read(watched, REMOVE_RETRY
                                           if self.ending else None)
            self.remove_groups()
            if sys.stdin.fileno() in ready and not os.read(
                    sys.stdin.fileno(), 4096):
                signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
                return  # to close(), which no SIGTERM may interrupt
            if wake_r in ready:
                os.read(wake_r, 4096)
                self.reap()
            if self.listener.fileno() in ready:
                self.accept()
            for fd in [fd for fd in ready if fd in self.clients]:
                self.answer(fd)
                while fd in self.clients and self.clients[fd][1].buffered():
                    self.answer(fd)

    def accept(self) -> None:
        """Take a new client, if it runs as our own user."""
        conn, _ = self.listener.accept()
        creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED,
                                12)
        uid = int.from_bytes(creds[4:8], sys.byteorder)
        if uid != os.geteuid():
            conn.close()
            return
        self.clients[conn.fileno()] = (conn, protocol.Reader(conn))

    def answer(self, fd: int) -> None:
        """Serve one request of a client; forget the client if it left."""
        conn, reader = self.clients[fd]
        try:
            request = reader.receive(time.monotonic() + 1.0)
        except (protocol.ProtocolError, protocol.TimedOut, OSError):
            self.drop(fd)
            return
        fds = reader.take_fds()
        try:
            self.serve_request(conn, fd, request, fds)
        except OSError:  # the client left mid-request: a cancelled grade
            self.drop(fd)
        for extra in fds:
            os.close(extra)

    def serve_request(self, conn: socket.socket, fd: int, request: Any,
                      fds: List[int]) -> None:
        """Do what one request asks and answer it."""
        op = request.get("op") if isinstance(request, dict) else None
        if op == "hello":
            protocol.send(conn, {
                "containment": self.containment, "reason": self.reason,
                "cgroups": None if self.tree is None else
                self.tree.applied()._asdict(),
                "cgroups_reason": self.tree_reason})
        elif op == "sandbox" and len(fds) == 1 and isinstance(
                request.get("solution"), str):
            ctl = socket.socket(fileno=fds.pop())
            try:
                pid = self.start_keeper(
                    ctl, self.containment == "namespaces",
                    request["solution"])
            except OSError as error:  # its group could not be made
                protocol.send(conn, {"error": "cgroup: {}".format(error)})
                return
            finally:
                ctl.close()
            self.keepers[pid] = fd
            group = self.groups.get(pid)
            protocol.send(conn, {"sandbox": pid, "group": "" if group is
                                 None else group.name})
        elif op == "end":
            if self.keepers.get(request.get("sandbox")) == fd:
                self.end_sandbox(int(request["sandbox"]))
        else:
            protocol.send(conn, {"error": "not understood"})

    def drop(self, fd: int) -> None:
        """Forget a client and end every sandbox it still had."""
        conn, _ = self.clients.pop(fd)
        conn.close()
        for pid, owner in list(self.keepers.items()):
            if owner == fd:
                self.end_sandbox(pid)

    def end_sandbox(self, keeper_pid: int) -> None:
        """Kill a sandbox: its keeper, and its group if it has one.

        Without namespaces, every process under the keeper goes first: a
        keeper killed first takes its init with it before the init can end
        its descendants, and they (a daemon, say) would be left to us.
        """
        if self.containment != "namespaces":
            contain.kill_descendants(keeper_pid, signal.SIGKILL)
        _kill(keeper_pid)
        self.end_group(keeper_pid)

    def reap(self) -> None:
        """Collect ended keepers; kill any orphan that was adopted here."""
        while True:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                break
            self.keepers.pop(pid, None)
            self.end_group(pid)  # what it leaves behind, if anything
        for pid in contain.children_of(os.getpid()):
            if pid not in self.keepers:
                _kill(pid)

    def close(self) -> None:
        """End every sandbox, and remove the zygote's folder.

        A measured zygote first gives the sandboxes that are ending (their
        checker closed them) time to end by themselves."""
        # Our owner's death brings both an end of our stdin and a SIGTERM:
        # once ending, that SIGTERM must not cut the clean-up short (its
        # handler raises SystemExit), or the sandboxes' groups are left.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
        if self.settings.measured:
            deadline = time.monotonic() + MEASURED_END_LIMIT
            while self.keepers and time.monotonic() < deadline:
                self.reap()
                time.sleep(0.05)
        for pid in list(self.keepers):
            self.end_sandbox(pid)
        deadline = time.monotonic() + REMOVE_LIMIT
        while (self.ending or contain.children_of(os.getpid())) and \
                time.monotonic() < deadline:
            self.reap()  # orphans adopted here are killed as they come
            self.remove_groups()
            time.sleep(REMOVE_RETRY)
        if self.tree is not None:
            self.tree.remove()
        shutil.rmtree(self.settings.root, ignore_errors=True)


def _kill(pid: int) -> None:
    """Send SIGKILL to a process that may be gone already."""
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass


def _close_other_fds(keep: List[int]) -> None:
    """Close every descriptor above stderr but those kept.

    The open ones are listed from /proc: closing every possible number, as
    os.closerange does on Python 3.7, costs tens of milliseconds.
    """
    try:
        open_fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except OSError:
        open_fds = list(range(3, 1024))
    for fd in open_fds:
        if fd > 2 and fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass


def keeper(settings: Settings, ctl: socket.socket, namespaces: bool,
           solution: str, sources: List[str], mountpoint: str,
           group: Optional[cgroups.Group]) -> int:
    """In the keeper: join the sandbox's group, have the init started,
    then wait for it.

    With namespaces, a child (the entrant) unshares them and the keeper,
    still in the host's namespaces, writes the entrant's id maps (only the
    parent namespace may map ids other than the writer's own).
    """
    contain.die_with_parent(signal.SIGKILL)
    try:
        if group is not None:
            group.join()  # before any child: they are all born inside
    except OSError as error:
        protocol.send(ctl, {"error": "cgroup: {}".format(error)})
        return 1
    os.setsid()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.set_wakeup_fd(-1)
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    _close_other_fds([ctl.fileno()])
    if not namespaces:
        return _wait_for(_fork(lambda: Init(
            settings, ctl, False, [], solution, mountpoint).run()))
    asked_r, asked_w = os.pipe()
    mapped_r, mapped_w = os.pipe()
    entrant = _fork(lambda: _enter(settings, ctl, solution, sources,
                                   mountpoint, asked_w, mapped_r))
    ctl.close()
    if os.read(asked_r, 1) == b"u":
        try:
            contain.write_maps(entrant)
            os.write(mapped_w, b"m")
        except OSError:
            os.write(mapped_w, b"x")
    return _wait_for(entrant)


def _enter(settings: Settings, ctl: socket.socket, solution: str,
           sources: List[str], mountpoint: str, asked: int,
           mapped: int) -> int:
    """In the entrant: unshare, open the sources, then start the init."""
    contain.die_with_parent(signal.SIGKILL)
    try:
        contain.unshare()
        opened = contain.open_sources(sources + [solution] +
                                      settings.writable)
    except (OSError, contain.Unavailable) as error:
        os.write(asked, b"x")
        protocol.send(ctl, {"error": str(error)})
        return 1
    os.write(asked, b"u")
    if os.read(mapped, 1) != b"m":
        protocol.send(ctl, {"error": "the id maps could not be written"})
        return 1
    contain.become_root_inside()
    init = _fork(lambda: Init(settings, ctl, True, opened, solution,
                              mountpoint).run())
    ctl.close()
    return _wait_for(init)


def _fork(child: Any) -> int:
    """Fork a child that runs child() and exits with its status."""
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            status = child()
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(status)
    return pid


def _wait_for(pid: int) -> int:
    """Wait for a child; return 0 if it exited cleanly, else 1."""
    _, status = os.waitpid(pid, 0)
    return 0 if status == 0 else 1


class Init:
    """PID 1 of a sandbox: builds its root, spawns and reaps workers."""

    def __init__(self, settings: Settings, ctl: socket.socket,
                 namespaces: bool, opened: List[Tuple[int, str]],
                 solution: str, mountpoint: str) -> None:
        """Remember how to build the sandbox."""
        self.settings = settings
        self.ctl = ctl
        self.reader = protocol.Reader(ctl)
        self.namespaces = namespaces
        self.opened = opened
        self.solution = solution
        self.mountpoint = mountpoint
        self.workers: Dict[int, Any] = {}  # pid -> worker id
        self.scratch = ""

    def run(self) -> int:
        """Build the root, report ready, then serve spawn requests."""
        contain.die_with_parent(signal.SIGKILL)
        try:
            scratch_fd, layout = self.build()
        except (OSError, contain.Unavailable) as error:
            protocol.send(self.ctl, {"error": str(error)})
            return 1
        # From here on, learner processes share this namespace: none of
        # them may trace the init or open its /proc entries.
        contain.prctl(contain.PR_SET_DUMPABLE, 0)
        protocol.send(self.ctl, {"ready": True, "layout": layout},
                      (scratch_fd,))
        os.close(scratch_fd)
        wake_r, wake_w = os.pipe()
        os.set_blocking(wake_w, False)
        # Learner code may signal the init by the thousand: a full wake-up
        # pipe loses nothing (signals merge, the loop drains it on waking),
        # so no warning per signal fills the zygote's log.
        signal.set_wakeup_fd(wake_w, warn_on_full_buffer=False)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        try:
            self.loop(wake_r)
        finally:
            self.end()
        return 0

    def build(self) -> Tuple[int, Dict[str, str]]:
        """Make the sandbox's file system; return the scratch fd, layout.
        """
        if self.namespaces:
            by_path = {path: fd for fd, path in self.opened}
            if self.solution not in by_path:
                raise OSError("the solution folder cannot be opened")
            solution = (by_path.pop(self.solution), self.solution)
            sources = [(fd, path) for path, fd in by_path.items()]
            writable = [(fd, path) for fd, path in sources
                        if path in self.settings.writable]
            sources = [each for each in sources if each not in writable]
            scratch = contain.build_root(self.mountpoint, sources, solution,
                                         self.settings.scratch_size,
                                         writable)
            for fd, _ in self.opened:
                os.close(fd)
            return scratch, self.layout()
        contain.prctl(contain.PR_SET_CHILD_SUBREAPER, 1)
        self.scratch = os.path.join(self.settings.root,
                                    "scratch-{}".format(os.getpid()))
        os.mkdir(self.scratch, 0o755)
        for name, mode in contain.SCRATCH_DIRS:
            os.mkdir(os.path.join(self.scratch, name))
            os.chmod(os.path.join(self.scratch, name), mode)
        return os.open(self.scratch, os.O_RDONLY | os.O_DIRECTORY), \
            self.layout()

    def loop(self, wake_r: int) -> None:
        """Serve the checker until it closes the control connection."""
        while True:
            ready = protocol.ready_to_read([self.ctl.fileno(), wake_r], None)
            if wake_r in ready:
                os.read(wake_r, 4096)
                self.reap()
            if self.ctl.fileno() not in ready:
                continue
            while True:
                try:
                    request = self.reader.receive(time.monotonic() + 1.0)
                except (protocol.ProtocolError, protocol.TimedOut,
                        OSError):
                    return
                self.spawn(request, self.reader.take_fds())
                if not self.reader.buffered():
                    break

    def spawn(self, request: Any, fds: List[int]) -> None:
        """Fork a worker for the connection the checker handed over."""
        if not isinstance(request, dict) or request.get("op") != "spawn" \
                or not fds:
            for fd in fds:
                os.close(fd)
            protocol.send(self.ctl, {"error": "not understood"})
            return
        pid = os.fork()
        if pid == 0:
            status = 1
            try:
                self.ctl.close()
                status = self.become_worker(request, fds)
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(status)
        for fd in fds:
            os.close(fd)
        self.workers[pid] = request.get("worker")
        protocol.send(self.ctl, {"spawned": request.get("worker")})

    def become_worker(self, request: Dict[str, Any], fds: List[int]) -> int:
        """In a new worker: shed privileges and limits, then serve."""
        contain.die_with_parent(signal.SIGKILL)
        os.setsid()
        signal.set_wakeup_fd(-1)
        for signum in (signal.SIGCHLD, signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, signal.SIG_DFL)
        _close_other_fds(fds)
        if self.namespaces:
            contain.drop_privileges()
        else:
            contain.become_nobody()
        contain.apply_limits(self.settings.limits)
        return worker.main(request, fds, self.layout())

    def layout(self) -> Dict[str, str]:
        """Return where the worker finds its folders."""
        if self.namespaces:
            base = contain.SANDBOX
            return {"solution": base + "/solution", "work": base + "/work",
                    "out": base + "/out", "tmp": base + "/tmp"}
        return {"solution": self.solution, "work": self.scratch + "/work",
                "out": self.scratch + "/out", "tmp": self.scratch + "/tmp"}

    def reap(self) -> None:
        """Collect ended processes; report the workers among them."""
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            if pid in self.workers:
                code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else \
                    -os.WTERMSIG(status)
                try:
                    protocol.send(self.ctl, {"exited": self.workers.pop(pid),
                                             "status": code})
                except OSError:
                    return

    def end(self) -> None:
        """Kill what is left; without namespaces, do it by hand."""
        if not self.namespaces:
            contain.kill_descendants(os.getpid(), signal.SIGKILL)
            shutil.rmtree(self.scratch, ignore_errors=True)


def main(listener_fd: int) -> None:
    """Run the zygote: settings in argv[1], listening on listener_fd.

    It ends when its owner closes our stdin, or dies (SIGTERM, asked for
    with PR_SET_PDEATHSIG), and then removes its root folder.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    settings = Settings(json.loads(sys.argv[1]))
    listener = socket.socket(fileno=listener_fd)
    contain.die_with_parent(signal.SIGTERM)
    # Orphans of a reduced sandbox are adopted here, and killed (reap()).
    contain.prctl(contain.PR_SET_CHILD_SUBREAPER, 1)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    warm_up()
    # Everything imported so far is frozen out of the garbage collector:
    # its passes in a forked worker would otherwise write to (and so copy)
    # every page the zygote's objects live on.
    gc.collect()
    gc.freeze()
    zygote = Zygote(settings, listener)
    try:
        zygote.prepare()
        zygote.serve()
    finally:
        zygote.close()
