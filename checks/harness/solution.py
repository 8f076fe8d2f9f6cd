"""A learner's solution folder, read once into the checker's memory.

Only the folder's own regular files are read: Python files and Markdown,
each opened without following a link or blocking on a FIFO, each capped in
size. What the static checks read is this in-memory copy, taken before any
learner code runs; sandboxes see a copy written to a private folder and
bound read-only. The learner's folder itself is never written to.
"""
import compileall
import os
import stat
from typing import Dict
from typing import List
from typing import Optional

from checks.harness import markers
from checks.harness.catalogue import Task

FILE_CAP = 1024 * 1024  # bytes: a larger file is reported, not read
ENTRY_CAP = 1000  # folder entries looked at
KEPT = (".py", ".md")  # what a solution is made of; a.db and the like are not


class Solution:
    """A solution folder: its files, their modes, and task markers."""

    def __init__(self, folder: str) -> None:
        """Read the folder's files (not yet written anywhere)."""
        self.folder = os.path.abspath(folder)
        self.files: Dict[str, bytes] = {}
        self.modes: Dict[str, int] = {}
        self.oversized: Dict[str, int] = {}
        self.skipped: Dict[str, str] = {}  # name -> why it was not read
        self.copy = ""
        self.found: Dict[str, markers.Found] = {}  # task key -> presence
        names = sorted(os.listdir(self.folder))[:ENTRY_CAP] if \
            os.path.isdir(self.folder) else []
        for name in names:
            if name.endswith(KEPT) and not name.startswith("."):
                self._read(name)

    def _read(self, name: str) -> None:
        """Read one file, if it is a regular file under the cap."""
        path = os.path.join(self.folder, name)
        if os.path.islink(path):
            self.skipped[name] = "a symbolic link"
            return
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError as error:
            self.skipped[name] = "unreadable ({})".format(error.strerror)
            return
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                self.skipped[name] = "not a regular file"
                return
            if info.st_size > FILE_CAP:
                self.oversized[name] = info.st_size
                return
            data = os.read(fd, FILE_CAP + 1)
            if len(data) > FILE_CAP:
                self.oversized[name] = len(data)
                return
            self.files[name] = data
            self.modes[name] = info.st_mode
        finally:
            os.close(fd)

    def write_copy(self, target: str) -> str:
        """Write the files to a new folder the sandboxes may read.

        Their bytecode is compiled here, once (compiling runs no code), so
        that each of the grade's hundreds of workers imports it ready.
        """
        os.mkdir(target, 0o755)
        os.chmod(target, 0o755)
        for name, data in self.files.items():
            path = os.path.join(target, name)
            with open(path, "wb") as stream:
                stream.write(data)
            os.chmod(path, 0o644)
        compileall.compile_dir(target, maxlevels=0, quiet=2)
        for root, dirs, names in os.walk(target):
            for name in dirs + names:
                os.chmod(os.path.join(root, name), 0o755 if name in dirs
                         else 0o644)
        self.copy = target
        return target

    def names(self) -> List[str]:
        """Return the names of the files read, sorted."""
        return sorted(self.files)

    def source(self, file: str) -> Optional[str]:
        """Return a file's text, or None if the folder has no such file."""
        data = self.files.get(file)
        return None if data is None else data.decode("utf-8", "replace")

    def raw(self, file: str) -> Optional[bytes]:
        """Return a file's bytes, or None."""
        return self.files.get(file)

    def executable(self, file: str) -> bool:
        """Tell whether the owner may execute the file (chmod +x)."""
        return bool(self.modes.get(file, 0) & stat.S_IXUSR)

    def presence(self, task: Task) -> markers.Found:
        """Tell whether a task is started, a near miss, or absent (parsed
        once per task: the files never change after they are read)."""
        if task.key not in self.found:
            self.found[task.key] = markers.presence(task,
                                                    self.source(task.file))
        return self.found[task.key]

    def why_absent(self, file: str) -> str:
        """Say why a file of the folder was not read, or "" if it is absent.
        """
        if file in self.oversized:
            return " ({} is {} bytes: files over {} KiB are not read)".format(
                file, self.oversized[file], FILE_CAP // 1024)
        if file in self.skipped:
            return " ({} is {}: the checker reads regular files only)".format(
                file, self.skipped[file])
        return ""
