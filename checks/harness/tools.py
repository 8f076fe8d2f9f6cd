"""Static analysers of the solution: mypy and bandit, run in the background.

They read the solution's copy (Python files only: no configuration file of
the learner's can reach them) and never run its code. Each starts when the
grade does, as a subprocess at low priority, so its seconds overlap the
sandboxed checks; the check that needs its findings waits for them.
mypy keeps its cache beside the environment's packages, so a second grade
on the same environment takes about a second; concurrent grades take turns
with it.
"""
import importlib.util
import os
import subprocess
import sys
import tempfile
from typing import Dict
from typing import List
from typing import Optional

MYPY_CONFIG = """[mypy]
ignore_missing_imports = True
# The page's models are SQLAlchemy Columns: on SQLAlchemy 2.x their typed
# stubs would make every `user.id` a Column[int], so SQLAlchemy is Any.
[mypy-sqlalchemy.*]
follow_imports = skip
ignore_missing_imports = True
# main.py's requests has its types in a stub package that the stacks do
# not install; only a per-module setting silences mypy's "stubs not
# installed" for a package that typeshed knows.
[mypy-requests.*]
ignore_missing_imports = True
"""
LIMIT = 120.0  # seconds a tool may take before its check says so
# The grades of one environment share mypy's cache, so mypy must tell
# their files apart: it trusts a cached module whose path, size and mtime
# (in whole seconds) match, and two grades' copies of auth.py written in
# the same second with one size differ by path only, if mypy is given
# absolute paths (it still prints them relative to the folder). Two runs
# writing the cache at once could also read each other's half-written
# entries: each takes the cache's lock first, for its whole life.
UNDER_LOCK = ("import fcntl, runpy, sys; lock = open(sys.argv.pop(1), 'a'); "
              "fcntl.flock(lock, fcntl.LOCK_EX); sys.argv[0] = 'mypy'; "
              "runpy.run_module('mypy', run_name='__main__', "
              "alter_sys=True)")


class Tool:
    """One analyser's run: started at once, its output read on demand."""

    def __init__(self, command: List[str], cwd: str, name: str) -> None:
        """Start the command, quietly, at low priority."""
        self.name = name
        self.output = tempfile.TemporaryFile()
        self.process: Optional["subprocess.Popen[bytes]"] = None
        try:
            self.process = subprocess.Popen(
                command, cwd=cwd, stdout=self.output,
                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                preexec_fn=lambda: os.nice(10), env=dict(
                    os.environ, MYPY_FORCE_COLOR="0", NO_COLOR="1"))
        except OSError:
            self.process = None

    def result(self) -> Optional[str]:
        """Wait for the tool; return its output, or None if it failed."""
        if self.process is None:
            return None
        try:
            self.process.wait(LIMIT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return None
        self.output.seek(0)
        return self.output.read(1024 * 1024).decode("utf-8", "replace")

    @property
    def status(self) -> Optional[int]:
        """Return the tool's exit status once it ended (None before)."""
        return None if self.process is None else self.process.poll()

    def close(self) -> None:
        """Stop the tool if it still runs."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.output.close()


def installed(module: str) -> bool:
    """Tell whether a tool's module is installed here."""
    return importlib.util.find_spec(module) is not None


def start_mypy(folder: str, files: List[str], root: str) -> Tool:
    """Start mypy on the solution's Python files."""
    config = os.path.join(root, "mypy.ini")
    with open(config, "w") as stream:
        stream.write(MYPY_CONFIG)
    cache = os.path.join(sys.prefix, ".checks-mypy-cache")
    if not os.access(sys.prefix, os.W_OK):
        cache = os.path.join(root, "mypy-cache")
    return Tool([sys.executable, "-c", UNDER_LOCK, cache + ".lock",
                 "--config-file", config,
                 "--cache-dir", cache, "--no-error-summary",
                 "--show-column-numbers", "--hide-error-context",
                 "--no-pretty"] + [os.path.join(folder, name)
                                   for name in files], folder, "mypy")


def start_bandit(folder: str) -> Tool:
    """Start bandit on the solution's folder, with a JSON report."""
    return Tool([sys.executable, "-m", "bandit", "-r", "-q", "-f", "json",
                 folder], folder, "bandit")


class Tools:
    """The analysers of one grade, by name."""

    def __init__(self) -> None:
        """Start with none."""
        self.running: Dict[str, Tool] = {}

    def start(self, folder: str, files: List[str], root: str,
              wanted: List[str]) -> None:
        """Start the wanted analysers that are installed."""
        if "mypy" in wanted and installed("mypy") and files:
            self.running["mypy"] = start_mypy(folder, files, root)
        if "bandit" in wanted and installed("bandit"):
            self.running["bandit"] = start_bandit(folder)

    def result(self, name: str) -> Optional[str]:
        """Return an analyser's output, None if it did not run or failed."""
        tool = self.running.get(name)
        return None if tool is None else tool.result()

    def status(self, name: str) -> Optional[int]:
        """Return an analyser's exit status, once result() returned."""
        tool = self.running.get(name)
        return None if tool is None else tool.status

    def close(self) -> None:
        """Stop every analyser still running."""
        for tool in self.running.values():
            tool.close()
