"""A learner's solution folder, as the checker's own process sees it.

The folder is copied once to a private snapshot, so nothing a check does can
touch the learner's files. Markers are found by parsing the source, which
runs no learner code; imports are tried once per module in a sandboxed
child (the import probe), which also reads the docstrings the original
grader's one-liners print.
"""
import ast
import importlib
import inspect
import os
import shutil
import tempfile
import warnings
from typing import Any
from typing import Dict
from typing import List
from typing import NamedTuple
from typing import Optional
from typing import Set

import pytest

from checks.harness import sandbox
from checks.harness.catalogue import MODULE_IMPORTS
from checks.harness.catalogue import Marker
from checks.harness.diagnose import explain
from checks.harness.failures import BLOCKED_BY_IMPORT
from checks.harness.failures import Failure


class Probe(NamedTuple):
    """The outcome of importing one learner module in a fresh child."""

    ok: bool
    reason: str
    docs: Dict[str, Optional[str]]
    warnings: List[str]


def snapshot(folder: str) -> str:
    """Copy the solution's top-level files to a private temporary folder."""
    target = tempfile.mkdtemp(prefix="checks-solution-", suffix="-copy",
                              dir=sandbox.temp_base())
    for name in sorted(os.listdir(folder)):
        source = os.path.join(folder, name)
        if os.path.isfile(source) and not os.path.islink(source):
            shutil.copy2(source, os.path.join(target, name))
    return target


def defined_names(source: str) -> Set[str]:
    """Return "name" and "Class.name" for every def and class in a module."""
    names = set()
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef,
                             ast.ClassDef)):
            names.add(node.name)
        if isinstance(node, ast.ClassDef):
            names.update("{}.{}".format(node.name, child.name)
                         for child in node.body
                         if isinstance(child, (ast.FunctionDef,
                                               ast.AsyncFunctionDef)))
    return names


def collect_docs(module: Any) -> Dict[str, Optional[str]]:
    """Return the __doc__ of a module and of its own classes and functions.

    Keys are "" for the module, "Name" and "Class.name", as the original
    grader's `__import__(m).Name.__doc__` one-liners would reach them.
    """
    docs: Dict[str, Optional[str]] = {"": module.__doc__}
    for name, value in vars(module).items():
        if getattr(value, "__module__", None) != module.__name__:
            continue
        if inspect.isfunction(value) or inspect.isclass(value):
            docs[name] = value.__doc__
        if inspect.isclass(value):
            for attr, member in vars(value).items():
                if isinstance(member, (staticmethod, classmethod)):
                    member = member.__func__
                if inspect.isfunction(member) or isinstance(member, property):
                    docs["{}.{}".format(name, attr)] = member.__doc__
    return docs


def _import_and_read_docs(name: str) -> Dict[str, Any]:
    """In the child: import a module, noting its docs and warnings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        module = importlib.import_module(name)
    learner_warnings = sorted({
        "{}: {}".format(item.category.__name__, item.message)
        for item in caught if "checks" not in item.filename})
    return {"docs": collect_docs(module), "warnings": learner_warnings}


class Solution:
    """A solution folder: its files, markers and import probes."""

    def __init__(self, folder: str, timeout: float) -> None:
        """Remember the folder; copy and parse it lazily, on first need."""
        self.folder = os.path.abspath(folder)
        self.timeout = timeout
        self._snapshot = ""
        self._probes: Dict[str, Probe] = {}

    @property
    def snapshot(self) -> str:
        """Return the private copy of the folder, making it on first use."""
        if not self._snapshot:
            self._snapshot = snapshot(self.folder)
        return self._snapshot

    def path(self, file: str) -> str:
        """Return the path of a file in the learner's own folder."""
        return os.path.join(self.folder, file)

    def source(self, file: str) -> Optional[str]:
        """Return a file's text from the snapshot, or None if absent."""
        try:
            with open(os.path.join(self.snapshot, file), "rb") as stream:
                return stream.read().decode("utf-8", "replace")
        except OSError:
            return None

    def has(self, marker: Marker) -> bool:
        """Tell whether the learner has started the task with this marker.

        A file that does not parse counts as started: its tasks then fail
        with the syntax error instead of hiding as "not started".
        """
        source = self.source(marker.file)
        if source is None:
            return False
        if marker.name is None:
            return True
        try:
            names = defined_names(source)
        except (SyntaxError, ValueError):
            return True
        wanted = marker.name if marker.cls is None else "{}.{}".format(
            marker.cls, marker.name)
        return wanted in names

    def probe(self, module: str) -> Probe:
        """Return the import probe of a module, running it once."""
        if module not in self._probes:
            self._probes[module] = self._run_probe(module)
        return self._probes[module]

    def _run_probe(self, module: str) -> Probe:
        """Import a module in a child, after the modules it imports."""
        for needed in MODULE_IMPORTS.get(module, ()):
            if self.source(needed + ".py") is None:
                continue
            if not self.probe(needed).ok:
                return Probe(False, "{}.py does not import".format(needed),
                             {}, [])
        result = sandbox.run_in_child(
            lambda: _import_and_read_docs(module), self.snapshot,
            self.timeout)
        if result.status == "returned":
            return Probe(True, "", result.value["docs"],
                         result.value["warnings"])
        return Probe(False, explain(result, "import " + module), {}, [])

    def expect_imports(self, module: str) -> None:
        """Fail, with the probe's reason, unless a module imports.

        When a module it imports is the one that fails, the check is
        blocked instead: that module's own import check names the cause.
        """
        probe = self.probe(module)
        if probe.ok:
            return
        for needed in MODULE_IMPORTS.get(module, ()):
            if self.source(needed + ".py") is not None and \
                    not self.probe(needed).ok:
                pytest.skip(BLOCKED_BY_IMPORT.format(
                    file=needed + ".py",
                    reason=self.probe(needed).reason.splitlines()[0]))
        raise Failure(probe.reason)

    def cleanup(self) -> None:
        """Remove the private snapshot."""
        if self._snapshot:
            shutil.rmtree(self._snapshot, ignore_errors=True)
