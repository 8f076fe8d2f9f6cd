"""Cgroups: a sandbox's budgets are the sandbox's, not each process's.

setrlimit bounds one process: twenty children of one learner process may
each take a gigabyte, and processes are counted per user, across every
sandbox of every grade. Where the machine lets the checker make cgroups,
each sandbox is a cgroup of its own, whose processes together have a
memory limit (and no swap) and a process count. CPU is not weighed: a
sandbox competes as any process does, because a weight for sandboxes as a
group made their wall-clock limits depend on the machine's load (on a
loaded CI machine, imports that take 0.1 s timed out at 2 s). Ending a
sandbox kills its whole cgroup, which is then removed.

Two kinds of tree are used, found at start (cgroup_places.py): cgroup v2
where a subtree with the memory and pids controllers is ours to divide (a
systemd user session, a root checker, a container that owns its cgroup),
else cgroup v1 where the memory and pids hierarchies are writable. A
Version says what each kind calls things; a Group reads it, whichever it
is. A zygote's groups live under one parent named after the zygote
(PREFIX, its pid and start time): a parent whose zygote is gone is stale,
and the next zygote to start removes it and what is left in it. The
checker reads a sandbox's OOM kills through Applied, never from the
sandbox.
"""
import os
import signal
from typing import Dict
from typing import List
from typing import NamedTuple
from typing import Optional
from typing import Tuple

PREFIX = "kata-checks."
MIB = 2 ** 20
STALE_LIMIT = 2.0  # seconds to empty and remove a stale group


class Version(NamedTuple):
    """What one kind of cgroup tree calls each thing."""

    name: str
    # (controller, file, value, required): the limits of one sandbox.
    limits: Tuple[Tuple[str, str, str, bool], ...]
    oom_kills: Tuple[str, str]  # (file, key) counting the OOM killer's work
    limit_hits: Tuple[str, str]  # (file, key) where no kills are counted
    kill: str  # a file that kills the whole group when 1 is written
    freeze: Tuple[str, str, str, str]  # (controller, file, frozen, thawed)
    per_sandbox: Tuple[str, ...]  # controllers each sandbox has a group in


V2 = Version(
    "v2", (("memory", "memory.max", "{memory}", True),
           ("memory", "memory.swap.max", "0", False),
           ("pids", "pids.max", "{pids}", True)),
    ("memory.events", "oom_kill"), ("memory.events", "oom"), "cgroup.kill",
    ("memory", "cgroup.freeze", "1", "0"), ("memory", "pids"))
V1 = Version(
    "v1", (("memory", "memory.limit_in_bytes", "{memory}", True),
           ("memory", "memory.memsw.limit_in_bytes", "{memory}", False),
           ("memory", "memory.swappiness", "0", False),
           ("pids", "pids.max", "{pids}", True)),
    ("memory.oom_control", "oom_kill"), ("memory.failcnt", ""), "",
    ("freezer", "freezer.state", "FROZEN", "THAWED"),
    ("memory", "pids", "freezer"))
VERSIONS = {version.name: version for version in (V2, V1)}


class Budget(NamedTuple):
    """What the processes of one sandbox may use together."""

    memory: int  # bytes
    pids: int  # processes and threads at once


class Unusable(Exception):
    """No cgroup of this kind can be made here; the message says why."""


def write_file(path: str, text: str) -> None:
    """Write a short text to a cgroup file."""
    with open(path, "w") as stream:
        stream.write(text)


def try_write(path: str, text: str) -> bool:
    """Write a short text to a cgroup file; tell whether it worked."""
    try:
        write_file(path, text)
    except OSError:
        return False
    return True


def read_file(path: str) -> str:
    """Read a cgroup file ("" when it cannot be read)."""
    try:
        with open(path) as stream:
            return stream.read()
    except OSError:
        return ""


def sigkill(pid: int) -> None:
    """Send SIGKILL to a process that may be gone already."""
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass


def pids_in(folder: str) -> List[int]:
    """Return the processes in one cgroup folder."""
    return [int(word) for word in read_file(os.path.join(
        folder, "cgroup.procs")).split() if word.isdigit()]


def kill_all(folder: str) -> None:
    """Kill every process in one cgroup folder, and thaw it: a zygote
    killed while it ended a sandbox may have left it frozen, and a frozen
    process dies only once thawed."""
    try_write(os.path.join(folder, V2.kill), "1")
    for pid in pids_in(folder):
        sigkill(pid)
    for version in VERSIONS.values():
        _, file, _, thawed = version.freeze
        try_write(os.path.join(folder, file), thawed)


def counter(folder: str, file_and_key: Tuple[str, str]) -> Optional[int]:
    """Read a count from a cgroup file: the value of a "key value" line,
    or the whole file when the key is ""; None if the kernel has none."""
    file, key = file_and_key
    text = read_file(os.path.join(folder, file))
    for line in text.splitlines():
        words = line.split()
        if not key and len(words) == 1 and words[0].isdigit():
            return int(words[0])
        if len(words) == 2 and words[0] == key and words[1].isdigit():
            return int(words[1])
    return None


class Group:
    """One cgroup: its folder in each hierarchy (the same folder on v2)."""

    def __init__(self, version: Version, dirs: Dict[str, str]) -> None:
        """Remember the folders."""
        self.version = version
        self.dirs = dirs
        self.name = os.path.basename(next(iter(dirs.values())))

    def folders(self) -> List[str]:
        """Return each of its folders once."""
        return sorted(set(self.dirs.values()))

    def limit(self, budget: Budget) -> None:
        """Write the budget into the group's limit files."""
        for controller, file, value, required in self.version.limits:
            path = os.path.join(self.dirs.get(controller, "/nonexistent"),
                                file)
            if required or os.path.exists(path):
                write_file(path, value.format(memory=budget.memory,
                                          pids=budget.pids))

    def join(self) -> None:
        """Move the calling process in; its children are born inside."""
        for folder in self.folders():
            write_file(os.path.join(folder, "cgroup.procs"), "0")

    def members(self) -> List[int]:
        """Return the processes in the group."""
        return sorted({pid for folder in self.folders()
                       for pid in pids_in(folder)})

    def kill(self) -> None:
        """Kill every process of the group: at once where the kernel can,
        else frozen first, so that none forks between listing and killing.
        """
        main = self.dirs[self.version.per_sandbox[0]]
        if self.version.kill and try_write(os.path.join(
                main, self.version.kill), "1"):
            return
        controller, file, frozen, thawed = self.version.freeze
        freezer = os.path.join(self.dirs.get(controller, "/nonexistent"),
                               file)
        try:  # a frozen process dies only once thawed, whatever happens
            try_write(freezer, frozen)
            for pid in self.members():
                sigkill(pid)
        finally:
            try_write(freezer, thawed)

    def remove(self) -> bool:
        """Remove the group once it is empty (killing what is left);
        return whether it is gone."""
        if self.members():
            self.kill()
            return False
        gone = True
        for folder in self.folders():
            try:
                os.rmdir(folder)
            except FileNotFoundError:
                continue
            except OSError:
                gone = False
        return gone


class Applied(NamedTuple):
    """The sandboxes' cgroups as the checker is told of them (as JSON):
    where to read what the kernel did to a sandbox, and its budget."""

    version: str  # "v1" or "v2"
    memory_folder: str  # the sandboxes' parent group, memory hierarchy
    memory: int  # bytes per sandbox
    pids: int  # processes per sandbox

    def describe(self) -> str:
        """Say in a few words which budgets apply, for the scorecard."""
        return "cgroup {}: {} MiB, {} processes per sandbox".format(
            self.version, self.memory // MIB, self.pids)

    def oom_kills(self, group: str) -> Optional[int]:
        """Return how many processes of a sandbox the kernel killed for
        its memory (None: this kernel does not count them)."""
        return counter(os.path.join(self.memory_folder, group),
                       VERSIONS[self.version].oom_kills)

    def limit_hits(self, group: str) -> int:
        """Return how often a sandbox reached its memory limit."""
        return counter(os.path.join(self.memory_folder, group),
                       VERSIONS[self.version].limit_hits) or 0


def applied_from(value: object) -> Optional[Applied]:
    """Read the zygote's account of its cgroups (None: there are none)."""
    if not isinstance(value, dict):
        return None
    try:
        applied = Applied(str(value["version"]),
                          str(value["memory_folder"]), int(value["memory"]),
                          int(value["pids"]))
    except (KeyError, TypeError, ValueError):
        return None
    return applied if applied.version in VERSIONS else None
