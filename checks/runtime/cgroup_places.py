"""Where this process may make cgroups: the mounts, its own groups.

cgroup v2 is tried first: from this process's own group upwards, the first
group that offers the memory and pids controllers and lets us turn them on
for its children (a group holding processes cannot, unless it is the root)
is where a zygote's parent group goes. Else cgroup v1: under this process's
own group in the memory, pids, freezer and CPU hierarchies that are
mounted and writable (memory and pids are required).
"""
import os
import re
from typing import Dict
from typing import FrozenSet
from typing import List
from typing import NamedTuple
from typing import Optional
from typing import Set

from .cgroups import PREFIX
from .cgroups import Unusable
from .cgroups import read_file
from .cgroups import try_write

REQUIRED = ("memory", "pids")
V1_CONTROLLERS = REQUIRED + ("freezer",)


class Mount(NamedTuple):
    """A cgroup file system mounted here (from /proc/self/mountinfo)."""

    fstype: str  # cgroup (v1) or cgroup2
    root: str  # the group it shows at its mount point
    point: str
    options: FrozenSet[str]  # v1: the controllers among them


def _unescape(field: str) -> str:
    """Undo mountinfo's octal escapes (a space is \\040)."""
    return re.sub(r"\\([0-7]{3})", lambda found: chr(int(found.group(1), 8)),
                  field)


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
    (turning them on for its children if they are not on yet)."""
    if not os.access(folder, os.W_OK):
        return False
    control = os.path.join(folder, "cgroup.subtree_control")
    enabled = set(read_file(control).split())
    missing = [name for name in REQUIRED if name not in enabled]
    if missing and not try_write(control, " ".join(
            "+" + name for name in missing)):
        return False
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
            return {name: folder for name in REQUIRED}
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
