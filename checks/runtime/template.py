"""A template: a worker that imported the learner's modules once, and from
which each check's worker is forked into a scratch of its own.

A fresh import per check costs tens of milliseconds (Werkzeug compiling
app.py's rules, SQLAlchemy mapping User, DB() making its table); a fork of
the template costs a few. The template runs in a sandbox made as any other
(its own cgroup, namespaces and root) and serves one request only, `fork`;
it never runs a check, so its memory stays as the import left it.

Each forked child (the "unsharer") makes nested namespaces of its own: a
user namespace, in which it holds every capability, and in it mount, PID,
network, IPC and UTS namespaces. No id map is written (since Linux 5.12
only a process with CAP_SETFCAP may map uid 0 of its parent namespace):
the child's ids are unmapped inside, which no file operation needs, since
every file it creates lives on the sandbox's scratch tmpfs, where its ids
are mapped. Its own folders are made there beforehand, under
/sandbox/checks/N, and bound over /sandbox/work, /sandbox/out, /sandbox/tmp,
/tmp and /dev/shm; an empty read-only tmpfs then hides the other checks'
folders. The child's first child is PID 1 of the new PID namespace, a
waiter; the worker proper is PID 2. The waiter ends when the worker ends
(it sends its exit status first) or when the checker closes the status
connection at the end of the check; the kernel then kills whatever the
check's code left running.

What the template refuses, so that the check gets a fresh import instead
(the reason goes to the checker): a preload that failed, another thread
alive, a descriptor the import left open, a file the import left in /tmp,
an SQLAlchemy engine on an in-memory database or holding a connection.
"""
import ctypes
import gc
import os
import shutil
import signal
import socket
import sys
import threading
import time
from typing import Any
from typing import Dict
from typing import List
from typing import Optional

from . import contain
from . import protocol

CHECKS = "checks"  # the children's folders, in the sandbox's scratch
NESTED = (contain.CLONE_NEWUSER | contain.CLONE_NEWNS | contain.CLONE_NEWPID |
          contain.CLONE_NEWNET | contain.CLONE_NEWIPC | contain.CLONE_NEWUTS)
STANDARD_FDS = (0, 1, 2)
# faulthandler's watchdog thread (the worker's hang dump) takes a moment to
# end once cancelled: it is waited for, THREAD_END_TRIES times.
THREAD_END_TRIES = 40
THREAD_END_WAIT = 0.0025


class Refused(Exception):
    """The template cannot be forked safely; the message says why."""


def engines() -> List[Any]:
    """Return the SQLAlchemy engines that the learner's modules made.

    Objects imported before the zygote froze its heap are not listed by
    gc.get_objects(), so this walks the learner's objects only.
    """
    module = sys.modules.get("sqlalchemy.engine")
    kind = getattr(module, "Engine", None)
    if kind is None:
        return []
    return [each for each in gc.get_objects() if isinstance(each, kind)]


def settle_engines() -> None:
    """Close the pooled connections of every engine, or refuse.

    A pooled connection is an open descriptor of the template's a.db: a
    child writing through it would write where the template and the next
    checks read. Closed here, each child opens its own, on its own copy.
    """
    for engine in engines():
        url = getattr(engine, "url", None)
        database = getattr(url, "database", None)
        if str(getattr(url, "drivername", "")).startswith("sqlite") and \
                database in (None, "", ":memory:"):
            raise Refused("the import made an in-memory SQLite database")
        pool = getattr(engine, "pool", None)
        checked_out = getattr(pool, "checkedout", None)
        if callable(checked_out) and checked_out():
            raise Refused("the import left a database connection in use")
        engine.dispose()


def freeze_heap() -> None:
    """Move what the import made out of the garbage collector's reach, as
    the zygote does for the libraries: a child's collections would
    otherwise write to (and so copy) every page the import's objects live
    on."""
    gc.collect()
    gc.freeze()


def open_fds() -> List[int]:
    """Return the descriptors open in this process now (not the one that
    listed them, closed by then: an import may reuse its number)."""
    found = []
    for name in os.listdir("/proc/self/fd"):
        try:
            os.readlink("/proc/self/fd/" + name)
        except OSError:
            continue
        found.append(int(name))
    return found


def check_alone(kept: List[int]) -> None:
    """Refuse if another thread runs, or a descriptor is open that the
    worker did not open itself (a socket, a log file, a pipe)."""
    for _ in range(THREAD_END_TRIES):  # a cancelled watchdog is ending
        if threading.active_count() == 1 and len(os.listdir(
                "/proc/self/task")) == 1:
            break
        time.sleep(THREAD_END_WAIT)
    else:
        raise Refused("the import started a thread")
    for fd in open_fds():
        if fd in STANDARD_FDS or fd in kept:
            continue
        try:
            target = os.readlink("/proc/self/fd/{}".format(fd))
        except OSError:
            continue
        raise Refused("the import left a descriptor open ({})".format(
            target[:80]))


def check_tmp(layout: Dict[str, str]) -> None:
    """Refuse if the import left files in /tmp: each check starts with an
    empty one, where a fresh import would find them."""
    if os.listdir(layout["tmp"]):
        raise Refused("the import wrote to /tmp")


def fork_child(number: int, own: int, conn: int, status: int,
               layout: Dict[str, str], leave: Any, serve: Any) -> int:
    """Fork the unsharer of check `number`; return its pid (here).

    In the child this never returns: it lets go of the template's own
    descriptors (leave()), copies what the template's import printed (the
    template is worker number `own`) as the start of the check's output,
    makes the check's scratch and namespaces, starts
    the waiter, and the waiter the worker, which runs serve(conn) and exits.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        leave()
        code = _unsharer(number, own, conn, status, layout, serve)
    except BaseException as error:  # reported on the status connection
        _say(status, {"error": "the check's sandbox could not be made: "
                      "{}".format(error)[:300]})
    finally:
        os._exit(code)


def reap_children() -> None:
    """Collect the unsharers that have ended (each ends at once)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _say(fd: int, message: Dict[str, Any]) -> None:
    """Send a message on a descriptor we do not own as a socket object."""
    sock = socket.socket(fileno=os.dup(fd))
    try:
        protocol.send(sock, message)
    except OSError:
        pass
    finally:
        sock.close()


def _unsharer(number: int, own_number: int, conn: int, status: int,
              layout: Dict[str, str], serve: Any) -> int:
    """Make the check's folders and namespaces, then fork the waiter."""
    base = os.path.join(os.path.dirname(layout["work"]), CHECKS,
                        str(number))
    own = {name: os.path.join(base, name) for name in ("work", "tmp", "out")}
    for name, path in own.items():
        os.makedirs(path)
        os.chmod(path, 0o1777 if name == "tmp" else 0o777)
    _copy_folder(layout["work"], own["work"])
    for stream in ("stdout", "stderr"):  # what a fresh import would print
        shutil.copyfile(
            os.path.join(layout["out"], "{}-{}".format(stream, own_number)),
            os.path.join(own["out"], "{}-{}".format(stream, number)))
    shared_tmp = [path for path in ("/tmp", "/dev/shm")
                  if _same_folder(path, layout["tmp"])]
    result = contain.libc().unshare(NESTED)
    if result != 0:
        error = ctypes.get_errno()
        raise OSError(error, "unshare: " + os.strerror(error))
    contain.mount(None, "/", None, contain.MS_REC | contain.MS_PRIVATE)
    contain.mount(own["work"], layout["work"], None, contain.MS_BIND)
    contain.mount(own["out"], layout["out"], None, contain.MS_BIND)
    for path in [layout["tmp"]] + shared_tmp:
        contain.mount(own["tmp"], path, None, contain.MS_BIND)
    contain.mount("tmpfs", os.path.dirname(base), "tmpfs",
                  contain.MS_RDONLY | contain.MS_NOSUID | contain.MS_NODEV,
                  "size=4k,mode=555")
    waiter = os.fork()
    if waiter == 0:
        code = 1
        try:
            code = _waiter(conn, status, layout, serve)
        except BaseException as error:
            _say(status, {"error": "the check's init failed: {}".format(
                error)[:300]})
        finally:
            os._exit(code)
    return 0  # the waiter, PID 1 of the check, is on its own now


def _copy_folder(source: str, target: str) -> None:
    """Copy what the import left in the working folder (a.db, a journal)."""
    for name in os.listdir(source):
        path = os.path.join(source, name)
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.copytree(path, os.path.join(target, name), symlinks=True)
        else:
            shutil.copy2(path, os.path.join(target, name),
                         follow_symlinks=False)


def _same_folder(path: str, other: str) -> bool:
    """Tell whether two paths are the same folder (a bind of it)."""
    try:
        first, second = os.stat(path), os.stat(other)
    except OSError:
        return False
    return (first.st_dev, first.st_ino) == (second.st_dev, second.st_ino)


def _waiter(conn: int, status: int, layout: Dict[str, str],
            serve: Any) -> int:
    """PID 1 of the check: start the worker, then wait for its end or for
    the checker's; report how the worker ended."""
    # No PDEATHSIG: the unsharer ends at once. The waiter ends with the
    # check, or with the template's sandbox (its PID namespace is nested).
    contain.prctl(contain.PR_SET_DUMPABLE, 0)
    try:
        contain.mount("proc", "/proc", "proc", contain.MS_NOSUID |
                      contain.MS_NODEV | contain.MS_NOEXEC)
    except OSError:
        pass  # a container that masks parts of /proc refuses a new one
    contain.loopback_up()
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    signal.set_wakeup_fd(wake_w, warn_on_full_buffer=False)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    worker = os.fork()
    if worker == 0:
        os.close(wake_r)
        os.close(wake_w)
        os.close(status)
        code = 1
        try:
            code = _worker(conn, layout, serve)
        finally:
            os._exit(code)
    os.close(conn)
    while True:
        ready = protocol.ready_to_read([status, wake_r], None)
        if wake_r in ready:
            os.read(wake_r, 4096)
            ended = _reap(worker)
            if ended is not None:
                _say(status, {"exited": True, "status": ended})
                return 0
        if status in ready:
            return 0  # the checker ended the check (or sent garbage)


def _reap(worker: int) -> Optional[int]:
    """Collect ended processes; return the worker's status if it ended."""
    found = None
    while True:
        try:
            pid, code = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return found
        if pid == 0:
            return found
        if pid == worker:
            found = os.WEXITSTATUS(code) if os.WIFEXITED(code) else \
                -os.WTERMSIG(code)


def _worker(conn: int, layout: Dict[str, str], serve: Any) -> int:
    """PID 2 of the check: shed the nested namespace's privileges, take
    the check's own output files and working folder, then serve."""
    os.setsid()
    signal.set_wakeup_fd(-1)
    for signum in (signal.SIGCHLD, signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_DFL)
    contain.drop_privileges()
    os.chdir(layout["work"])  # the bind is seen by a new lookup only
    return int(serve(conn))
