"""One zygote's parent group: made, tried, removed; and the stale ones.

The parent is made where cgroup_places.py says, cgroup v2 first, then v1;
one trial process must be able to join a group in it, as every sandbox's
keeper will, before it is used. It is named after its zygote (pid and
start time), so that a parent whose zygote is gone can be told, and
removed with what is left in it by the next zygote to start there.
"""
import os
import time
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

from .cgroup_places import v1_bases
from .cgroup_places import v2_bases
from .cgroups import PREFIX
from .cgroups import STALE_LIMIT
from .cgroups import V1
from .cgroups import V2
from .cgroups import Applied
from .cgroups import Budget
from .cgroups import Group
from .cgroups import Unusable
from .cgroups import Version
from .cgroups import kill_all
from .cgroups import read_file
from .cgroups import write_file

TRIAL_LIMIT = 2.0  # seconds for the trial group to empty


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


def _with_children(folder: str) -> List[str]:
    """Return a group's folder after those of its children, recursively."""
    children = sorted(os.path.join(folder, entry) for entry in (
        os.listdir(folder) if os.path.isdir(folder) else ())
        if os.path.isdir(os.path.join(folder, entry)))
    return [each for child in children for each in _with_children(child)] \
        + [folder]


def _removed(folder: str) -> bool:
    """Remove an empty group's folder; tell whether it is gone."""
    try:
        os.rmdir(folder)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return True


def purge(folders: List[str]) -> bool:
    """Kill what is left in these groups and their children, and remove
    them all, waiting a moment for the killed to go; tell if all are gone.

    Every hierarchy's groups go together: on v1 a process lives in one
    group of each, and dies only once its freezer group is thawed.
    """
    deadline = time.monotonic() + STALE_LIMIT
    left = [each for folder in folders for each in _with_children(folder)]
    while True:
        for folder in left:
            kill_all(folder)
        left = [folder for folder in left if not _removed(folder)]
        if not left or time.monotonic() > deadline:
            return not left
        time.sleep(0.01)


def remove_stale(bases: List[str]) -> None:
    """Remove the parent groups, in these folders, of zygotes gone."""
    purge([os.path.join(base, name) for base in sorted(set(bases))
           for name in sorted(os.listdir(base))
           if name.startswith(PREFIX) and is_stale(name)])


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
        group = Group(self.version, dirs)
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
        return purge(self.parent.folders())

    def applied(self) -> Applied:
        """Describe the tree for the checker."""
        return Applied(self.version.name, self.parent.dirs["memory"],
                       self.budget.memory, self.budget.pids)


def _make(version: Version, bases: Dict[str, str], budget: Budget) -> Tree:
    """Make the parent group in each base folder, and try it out."""
    name = owner_name(os.getpid())
    dirs: Dict[str, str] = {}
    remove_stale(list(bases.values()))
    try:
        for controller, base in sorted(bases.items()):
            folder = os.path.join(base, name)
            if folder not in dirs.values():
                os.mkdir(folder, 0o755)
            dirs[controller] = folder
        if version is V2:
            write_file(os.path.join(dirs["memory"], "cgroup.subtree_control"),
                       "+memory +pids")
        tree = Tree(version, Group(version, dirs), budget)
        tree.trial()
    except (OSError, Unusable):
        purge(sorted(set(dirs.values())))
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
