"""Where this process may make cgroups, and one zygote's parent group.

cgroup v2 is tried first: from this process's own group upwards, the first
group that offers the memory and pids controllers and lets us turn them on
for its children (a group holding processes cannot, unless it is the root)
is where the parent goes. Else cgroup v1: the parent goes under this
process's own group in the memory, pids, freezer and CPU hierarchies that
are mounted and writable (memory and pids are required). Either way, one
trial process must be able to join a group, as every sandbox's keeper
will, before the tree is used.
"""
import os
import time
from typing import Dict
from typing import FrozenSet
from typing import List
from typing import NamedTuple
from typing import Optional
from typing import Set
from typing import Tuple

from .cgroups import PREFIX
from .cgroups import STALE_LIMIT
from .cgroups import V1
from .cgroups import V2
from .cgroups import Applied
from .cgroups import Budget
from .cgroups import Group
from .cgroups import Unusable
from .cgroups import Version
from .cgroups import pids_in
from .cgroups import read_file
from .cgroups import sigkill
from .cgroups import try_write
from .cgroups import write_file

REQUIRED = ("memory", "pids")
V1_CONTROLLERS = REQUIRED + ("freezer", "cpu")
TRIAL_LIMIT = 2.0  # seconds for the trial group to empty


class Mount(NamedTuple):
    """A cgroup file system mounted here (from /proc/self/mountinfo)."""

    fstype: str  # cgroup (v1) or cgroup2
    root: str  # the group it shows at its mount point
    point: str
    options: FrozenSet[str]  # v1: the controllers among them


def _unescape(field: str) -> str:
    """Undo mountinfo's octal escapes (a space is \\040)."""
    return field.encode().decode("unicode_escape")


def cgroup_mounts() -> List[Mount]:
    """Return the cgroup file systems mounted in our mount namespace."""
    found = []
    for line in read_file("/proc/self/mountinfo").splitlines():
        fields = line.split()
        if "-" not in fields:
            continue
        rest = fields[fields.index("-") + 1:]
        if len(rest) >= 3 and rest[0] in ("cgroup", "cgroup2"):
            found.append(Mount(rest[0], _unescape(fields[3]),
                               _unescape(fields[4]),
                               frozenset(rest[2].split(","))))
    return found


def own_paths() -> Dict[str, str]:
    """Return our group's path per v1 controller, and on v2 under ""."""
    paths = {}
    for line in read_file("/proc/self/cgroup").splitlines():
        parts = line.split(":", 2)
        if len(parts) == 3:
            for controller in parts[1].split(",") if parts[1] else [""]:
                paths[controller] = parts[2]
    return paths


def folder_of(mount: Mount, path: Optional[str]) -> Optional[str]:
    """Return the folder of a group path in a mount (None: not in it)."""
    if path is None:
        return None
    root = mount.root.rstrip("/")
    if path != root and not path.startswith(root + "/"):
        return None
    return os.path.normpath(mount.point + "/" + path[len(root):])


def _delegated(folder: str) -> bool:
    """Tell whether a v2 group lets us make children with memory and pids
    (turning them on for its children if they are not on yet), and also
    the CPU controller when it can."""
    if not os.access(folder, os.W_OK):
        return False
    control = os.path.join(folder, "cgroup.subtree_control")
    enabled = set(read_file(control).split())
    missing = [name for name in REQUIRED if name not in enabled]
    if missing and not try_write(control, " ".join(
            "+" + name for name in missing)):
        return False
    if "cpu" not in enabled:
        try_write(control, "+cpu")
    return True


def v2_bases() -> Dict[str, str]:
    """Return the v2 group to make the parent in, for each controller."""
    mount = next((each for each in cgroup_mounts()
                  if each.fstype == "cgroup2"), None)
    if mount is None:
        raise Unusable("not mounted")
    folder = folder_of(mount, own_paths().get(""))
    if folder is None:
        raise Unusable("our group is not visible")
    offered = set(read_file(os.path.join(folder,
                                         "cgroup.controllers")).split())
    if not set(REQUIRED) <= offered:
        raise Unusable("no memory and pids controllers")
    while True:
        if _delegated(folder):
            return {name: folder for name in REQUIRED + ("cpu",)}
        if os.path.normpath(folder) == os.path.normpath(mount.point):
            raise Unusable("no group with memory and pids is delegated")
        folder = os.path.dirname(folder)


def v1_bases() -> Dict[str, str]:
    """Return our own group's folder in each writable v1 hierarchy."""
    mounts = [each for each in cgroup_mounts() if each.fstype == "cgroup"]
    own = own_paths()
    bases = {}
    for controller in V1_CONTROLLERS:
        mount = next((each for each in mounts
                      if controller in each.options), None)
        folder = folder_of(mount, own.get(controller)) if mount else None
        if folder is not None and os.access(folder, os.W_OK):
            bases[controller] = folder
        elif controller in REQUIRED:
            raise Unusable("no writable {} hierarchy".format(controller))
    return bases


def start_time(pid: int) -> str:
    """Return when a process started, in clock ticks ("" if it is gone)."""
    stat = read_file("/proc/{}/stat".format(pid))
    fields = stat.rsplit(")", 1)[-1].split()
    return fields[19] if len(fields) > 19 else ""


def owner_name(pid: int) -> str:
    """Return the name of the parent group of the zygote of this pid."""
    return "{}{}.{}".format(PREFIX, pid, start_time(pid))


def is_stale(name: str) -> bool:
    """Tell whether a parent group's zygote is gone."""
    pid = name[len(PREFIX):].split(".")[0]
    return not pid.isdigit() or owner_name(int(pid)) != name


def purge(folder: str, deadline: float) -> bool:
    """Kill what is left in a group and its children, and remove them all
    (waiting until the deadline for the killed to go); tell if gone."""
    for entry in os.listdir(folder) if os.path.isdir(folder) else ():
        if os.path.isdir(os.path.join(folder, entry)):
            purge(os.path.join(folder, entry), deadline)
    while True:
        for pid in pids_in(folder):
            sigkill(pid)
        try:
            os.rmdir(folder)
            return True
        except FileNotFoundError:
            return True
        except OSError:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.01)


def parent_groups() -> List[str]:
    """Return the zygotes' parent groups beside ours or above it, in every
    cgroup hierarchy (where a zygote of ours would make its own)."""
    own = own_paths()
    found: Set[str] = set()
    for mount in cgroup_mounts():
        names = [""] if mount.fstype == "cgroup2" else sorted(mount.options)
        folder = next((folder_of(mount, own.get(name)) for name in names
                       if own.get(name) is not None), None)
        while folder and folder.startswith(mount.point):
            found.update(os.path.join(folder, name) for name in
                         (os.listdir(folder) if os.path.isdir(folder)
                          else ()) if name.startswith(PREFIX))
            if os.path.normpath(folder) == os.path.normpath(mount.point):
                break
            folder = os.path.dirname(folder)
    return sorted(found)


def remove_stale(base: str) -> None:
    """Remove the parent groups, in one folder, of zygotes that are gone."""
    for name in sorted(os.listdir(base)):
        if name.startswith(PREFIX) and is_stale(name):
            purge(os.path.join(base, name), time.monotonic() + STALE_LIMIT)


class Tree:
    """The parent group of one zygote's sandboxes, and their budget."""

    def __init__(self, version: Version, parent: Group,
                 budget: Budget) -> None:
        """Keep the parent group (already made) and the budget."""
        self.version = version
        self.parent = parent
        self.budget = budget

    def make(self, name: str) -> Group:
        """Make a sandbox's group, with its limits written."""
        dirs = {controller: os.path.join(self.parent.dirs[controller], name)
                for controller in self.version.per_sandbox
                if controller in self.parent.dirs}
        for folder in sorted(set(dirs.values())):
            os.mkdir(folder, 0o755)
        group = Group(self.version, dirs, tuple(
            self.parent.dirs[controller] for controller in
            self.version.joins_parent if controller in self.parent.dirs))
        try:
            group.limit(self.budget)
        except OSError:
            group.remove()
            raise
        return group

    def trial(self) -> None:
        """Move a child process into a trial group, as each sandbox's
        keeper will; raise Unusable if it cannot join."""
        group = self.make("trial")
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                group.join()
                code = 0
            finally:
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        deadline = time.monotonic() + TRIAL_LIMIT
        while not group.remove() and time.monotonic() < deadline:
            time.sleep(0.005)
        if status != 0:
            raise Unusable("a process cannot join a group")

    def remove(self) -> bool:
        """Remove every group left and the parent; tell if all are gone."""
        deadline = time.monotonic() + STALE_LIMIT
        return all([purge(folder, deadline)
                    for folder in self.parent.folders()])

    def applied(self) -> Applied:
        """Describe the tree for the checker."""
        return Applied(self.version.name, self.parent.dirs["memory"],
                       self.budget.memory, self.budget.pids)


def _make(version: Version, bases: Dict[str, str], budget: Budget) -> Tree:
    """Make the parent group in each base folder, and try it out."""
    name = owner_name(os.getpid())
    dirs: Dict[str, str] = {}
    try:
        for controller, base in sorted(bases.items()):
            folder = os.path.join(base, name)
            if folder not in dirs.values():
                remove_stale(base)
                os.mkdir(folder, 0o755)
            dirs[controller] = folder
        if version is V2:
            write_file(os.path.join(dirs["memory"], "cgroup.subtree_control"),
                   "+memory +pids")
        if "cpu" in dirs:
            try_write(os.path.join(dirs["cpu"], version.cpu_weight[0]),
                       version.cpu_weight[1])
        tree = Tree(version, Group(version, dirs), budget)
        tree.trial()
    except (OSError, Unusable):
        for folder in set(dirs.values()):
            purge(folder, time.monotonic() + STALE_LIMIT)
        raise
    return tree


def open_tree(budget: Budget) -> Tuple[Optional[Tree], str]:
    """Make this zygote's parent group in the first kind of tree that
    works here; else return None and why none does."""
    reasons = []
    for version, bases in ((V2, v2_bases), (V1, v1_bases)):
        try:
            return _make(version, bases(), budget), ""
        except (OSError, Unusable) as error:
            reasons.append("cgroup {}: {}".format(version.name, getattr(
                error, "strerror", None) or error))
    return None, "; ".join(reasons)
