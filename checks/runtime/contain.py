"""Linux containment: namespaces, a private root, limits, no privileges.

A sandbox is made of a user namespace (so that no privilege is needed, and
none of the host's applies inside), a PID namespace (its first process is
its init: when it dies, the kernel kills every process left inside), a
mount namespace whose root is a fresh tmpfs holding only read-only binds of
what Python needs plus a small writable scratch tmpfs, and a network
namespace with nothing but loopback. The calls are made with ctypes, which
Python 3.7 needs (os.unshare came in 3.12).
"""
import ctypes
import errno
import fcntl
import os
import platform
import resource
import socket
import struct
from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Sequence
from typing import Tuple

CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
NAMESPACES = (CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET |
              CLONE_NEWIPC | CLONE_NEWUTS)

MS_RDONLY = 0x1
MS_NOSUID = 0x2
MS_NODEV = 0x4
MS_NOEXEC = 0x8
MS_REMOUNT = 0x20
MS_BIND = 0x1000
MS_REC = 0x4000
MS_PRIVATE = 0x40000
MNT_DETACH = 0x2
READ_ONLY = MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_CAPBSET_DROP = 24
PR_SET_CHILD_SUBREAPER = 36
PR_SET_NO_NEW_PRIVS = 38
CAP_VERSION_3 = 0x20080522
LAST_CAP = 63

# System call numbers that libc has no wrapper for, by machine.
SYSCALLS = {"x86_64": {"pivot_root": 155, "capset": 126},
            "aarch64": {"pivot_root": 41, "capset": 91}}
NOBODY = 65534  # who a sandbox runs as when the checker runs as root
DEVICES = ("null", "zero", "full", "random", "urandom")
SIOCSIFFLAGS = 0x8914
IFF_UP_LOOPBACK_RUNNING = 0x1 | 0x8 | 0x40
SANDBOX = "/sandbox"  # the sandbox's own folders, inside it
SCRATCH_DIRS = (("work", 0o777), ("tmp", 0o1777), ("out", 0o777),
                ("solution", 0o755))


class Unavailable(Exception):
    """This system cannot contain a sandbox; the message says why."""


_LIBC: List[Any] = []


def libc() -> Any:
    """Return the C library, loaded once."""
    if not _LIBC:
        _LIBC.append(ctypes.CDLL(None, use_errno=True))
    return _LIBC[0]


def _check(result: int, what: str) -> None:
    """Raise OSError for a failed C call, naming what was attempted."""
    if result != 0:
        code = ctypes.get_errno()
        raise OSError(code, "{}: {}".format(what, os.strerror(code)))


def _syscall(name: str, *args: Any) -> int:
    """Make a raw system call by name on this machine."""
    numbers = SYSCALLS.get(platform.machine())
    if numbers is None:
        raise Unavailable("no system call table for {}".format(
            platform.machine()))
    return int(libc().syscall(numbers[name], *args))


def prctl(option: int, value: int = 0) -> None:
    """Call prctl(2) with one argument."""
    _check(libc().prctl(option, ctypes.c_ulong(value), 0, 0, 0),
           "prctl({})".format(option))


def die_with_parent(signum: int) -> None:
    """Have the kernel send a signal when the parent process ends."""
    prctl(PR_SET_PDEATHSIG, signum)


def mount(source: Optional[str], target: str, fstype: Optional[str],
          flags: int, data: Optional[str] = None) -> None:
    """Call mount(2)."""
    def raw(text: Optional[str]) -> Optional[bytes]:
        """Encode a path or option string for C."""
        return None if text is None else text.encode()
    _check(libc().mount(raw(source), raw(target), raw(fstype),
                        ctypes.c_ulong(flags), raw(data)),
           "mount {}".format(target))


def _write(path: str, text: str) -> None:
    """Write a short text to a /proc file."""
    with open(path, "w") as stream:
        stream.write(text)


def unshare() -> None:
    """Move this process into new namespaces (its children into the PID
    namespace); someone must then write its id maps (write_maps)."""
    _check(libc().unshare(NAMESPACES), "unshare")


def outside_ids() -> Tuple[int, int]:
    """Return who a sandbox is on the host: ourselves, or nobody for root.

    A root checker could map any id; mapping nobody means that nothing in
    the sandbox has the host's root behind it, and that the kernel counts
    its processes against RLIMIT_NPROC (it never does for root).
    """
    if os.geteuid() == 0:
        return NOBODY, NOBODY
    return os.geteuid(), os.getegid()


def write_maps(pid: int) -> None:
    """Map uid and gid 0 inside a process's new user namespace to ours.

    Written from the parent namespace, as the kernel asks when the outside
    ids are not the writer's own (root mapping nobody).
    """
    uid, gid = outside_ids()
    if os.geteuid() != 0:
        _write("/proc/{}/setgroups".format(pid), "deny")
    _write("/proc/{}/uid_map".format(pid), "0 {} 1".format(uid))
    _write("/proc/{}/gid_map".format(pid), "0 {} 1".format(gid))


def become_root_inside() -> None:
    """Take uid and gid 0 of the new user namespace (its full privileges
    there, none outside), and stay readable through /proc/self."""
    os.setresgid(0, 0, 0)
    os.setresuid(0, 0, 0)
    prctl(PR_SET_DUMPABLE, 1)


def open_sources(paths: Sequence[str]) -> List[Tuple[int, str]]:
    """Open each path to bind (O_PATH), after unshare() but before the
    process takes its new ids: it can still reach every path then, and a
    bind's source must be a mount of the new mount namespace."""
    opened = []
    for path in paths:
        try:
            opened.append((os.open(path, os.O_PATH | os.O_CLOEXEC), path))
        except OSError:
            continue
    return opened


def _make_target(path: str, is_dir: bool) -> None:
    """Create an empty directory or file to mount onto."""
    if is_dir:
        os.makedirs(path, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o644))


def _bind(fd: int, target: str, writable: bool = False) -> None:
    """Bind an opened source onto a target, read-only unless writable."""
    source = "/proc/self/fd/{}".format(fd)
    _make_target(target, os.path.isdir(source))
    mount(source, target, None, MS_BIND)
    if not writable:
        mount(None, target, None, READ_ONLY)


def build_root(mountpoint: str, sources: List[Tuple[int, str]],
               solution: Tuple[int, str], scratch_size: str,
               writable: Sequence[Tuple[int, str]] = ()) -> int:
    """Make a fresh read-only root with the binds, and pivot into it.

    `sources` are kept at their own paths. The sandbox's own folders live
    under /sandbox, a tmpfs of scratch_size: work (the working directory),
    out (captured output), tmp, and solution (the solution, bound
    read-only). /tmp and /dev/shm are bound to /sandbox/tmp unless a
    source lives there. Returns a descriptor of /sandbox, through which
    the checker reads what the sandbox wrote.
    """
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    mount("tmpfs", mountpoint, "tmpfs", MS_NOSUID | MS_NODEV,
          "size=1m,mode=755")
    new = mountpoint.rstrip("/")
    for fd, path in sources:
        _bind(fd, new + path)
    for fd, path in writable:
        _bind(fd, new + path, writable=True)
    for name in ("bin", "lib", "lib32", "lib64", "libx32", "sbin"):
        if os.path.islink("/" + name) and not os.path.lexists(new + "/" +
                                                               name):
            os.symlink(os.readlink("/" + name), new + "/" + name)
    _make_devices(new)
    sandbox = new + SANDBOX
    os.makedirs(sandbox)
    mount("tmpfs", sandbox, "tmpfs", MS_NOSUID | MS_NODEV,
          "size={},mode=755".format(scratch_size))
    for name, mode in SCRATCH_DIRS:
        os.mkdir(sandbox + "/" + name)
        os.chmod(sandbox + "/" + name, mode)
    _bind(solution[0], sandbox + "/solution")
    for shared in ("/tmp", "/dev/shm"):
        if not any((path + "/").startswith(shared + "/")
                   for _, path in sources):
            os.makedirs(new + shared, exist_ok=True)
            mount(sandbox + "/tmp", new + shared, None, MS_BIND)
    os.makedirs(new + "/proc")
    try:
        mount("proc", new + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    except OSError:
        pass  # a container that masks parts of /proc refuses a new one
    os.makedirs(new + "/.old")
    os.chdir(new)
    _check(_syscall("pivot_root", b".", b".old"), "pivot_root")
    os.chdir("/")
    _check(libc().umount2(b"/.old", MNT_DETACH), "umount /.old")
    os.rmdir("/.old")
    mount(None, "/", None, READ_ONLY)
    loopback_up()
    return os.open(SANDBOX, os.O_RDONLY | os.O_DIRECTORY)


def _make_devices(root: str) -> None:
    """Give the new root a /dev with the harmless devices only."""
    os.makedirs(root + "/dev", exist_ok=True)
    for name in DEVICES:
        if os.path.exists("/dev/" + name):
            fd = os.open("/dev/" + name, os.O_PATH | os.O_CLOEXEC)
            try:
                source = "/proc/self/fd/{}".format(fd)
                _make_target(root + "/dev/" + name, False)
                mount(source, root + "/dev/" + name, None, MS_BIND)
            finally:
                os.close(fd)
    for name, target in (("fd", "/proc/self/fd"),
                         ("stdin", "/proc/self/fd/0"),
                         ("stdout", "/proc/self/fd/1"),
                         ("stderr", "/proc/self/fd/2")):
        os.symlink(target, root + "/dev/" + name)


def loopback_up() -> None:
    """Bring up the loopback interface of a new network namespace."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        fcntl.ioctl(sock, SIOCSIFFLAGS, struct.pack(
            "16sH14x", b"lo", IFF_UP_LOOPBACK_RUNNING))
    finally:
        sock.close()


def drop_privileges() -> None:
    """Give up every capability for good, and never gain one by exec."""
    for cap in range(LAST_CAP + 1):
        try:
            prctl(PR_CAPBSET_DROP, cap)
        except OSError as error:
            if error.errno != errno.EINVAL:
                raise
            break
    header = struct.pack("Ii", CAP_VERSION_3, 0)
    data = ctypes.create_string_buffer(24)
    _check(_syscall("capset", ctypes.c_char_p(header), data), "capset")
    prctl(PR_SET_NO_NEW_PRIVS, 1)


def become_nobody() -> None:
    """Without namespaces, a checker running as root still runs learner
    code as nobody: no host file of root's is writable, no process of
    root's can be signalled."""
    if os.geteuid() == 0:
        os.setgroups([])
        os.setresgid(NOBODY, NOBODY, NOBODY)
        os.setresuid(NOBODY, NOBODY, NOBODY)
        prctl(PR_SET_NO_NEW_PRIVS, 1)


def apply_limits(limits: Dict[str, int]) -> None:
    """Set resource limits given by name, e.g. {"DATA": 2**30}."""
    for name, value in limits.items():
        kind = getattr(resource, "RLIMIT_" + name, None)
        if kind is None:
            continue
        try:
            resource.setrlimit(kind, (value, value))
        except (ValueError, OSError):
            soft, hard = resource.getrlimit(kind)
            if hard == resource.RLIM_INFINITY or value < hard:
                resource.setrlimit(kind, (value, hard))


def children_of(pid: int) -> List[int]:
    """Return the child processes of a process (Linux /proc)."""
    found: List[int] = []
    try:
        tasks = os.listdir("/proc/{}/task".format(pid))
    except OSError:
        return found
    for task in tasks:
        try:
            with open("/proc/{}/task/{}/children".format(pid, task)) as text:
                found.extend(int(each) for each in text.read().split())
        except (OSError, ValueError):
            continue
    return found


def kill_descendants(pid: int, signum: int) -> None:
    """Signal every descendant of a process, deepest first."""
    for child in children_of(pid):
        kill_descendants(child, signum)
        try:
            os.kill(child, signum)
        except OSError:
            pass
