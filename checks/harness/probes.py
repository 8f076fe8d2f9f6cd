"""Does each learner module import? Asked once per module, in a sandbox.

A probe imports a module (after the modules it imports) in a worker, and
reads the docstrings that the original grader's one-liners print:
`python3 -c 'print(__import__("db").DB.__doc__)'`. One worker imports every
module the solution has, at the beginning of a grade, in the order they
import each other (user, db, auth, app: each imports those before it), and
reports each module as soon as it is imported; each result is waited for
only when a check needs it. A module that hangs, raises or ends the worker
is that module's failure, and blocks only the modules after it: those
imported before it have their results already.
"""
import time
from typing import Dict
from typing import NamedTuple
from typing import Optional
from typing import Tuple

from checks.harness import diagnose
from checks.harness.catalogue import MODULE_IMPORTS
from checks.harness.failures import OVER_MEMORY
from checks.harness.failures import Failure
from checks.harness.failures import shorten
from checks.harness.pipeline import Pipeline
from checks.harness.pipeline import Prepared
from checks.harness.remote import GARBLED_RAISED
from checks.harness.remote import is_raised
from checks.harness.sandbox import Garbled
from checks.harness.sandbox import Gone
from checks.harness.sandbox import Late
from checks.harness.solution import Solution
from checks.harness.verdict import Blocked

BLOCKED_BY = "{}.py does not import"
OUTPUT_CAP = 64 * 1024  # bytes of a hang's stack dump read


class Probe(NamedTuple):
    """Whether a module imports (and why not), and its docstrings."""

    ok: bool
    reason: str
    docs: Dict[str, Optional[str]]
    hung: bool = False  # the import ran out of time


class Probes:
    """The import probe of one solution, started early, read on demand."""

    def __init__(self, pipeline: Pipeline, solution: Solution,
                 limit: float) -> None:
        """Probe with a sandbox from this pipeline, within limit seconds."""
        self.pipeline = pipeline
        self.solution = solution
        self.limit = limit
        self.started: Optional[Prepared] = None
        self.begun = False  # a probe ended early is never started again
        self.results: Dict[str, Probe] = {}

    def modules(self) -> Tuple[str, ...]:
        """Return the solution's modules, in import order."""
        return tuple(module for module in MODULE_IMPORTS
                     if self.solution.source(module + ".py") is not None)

    def start(self) -> None:
        """Start the probe's worker: it imports every module, reporting
        each with its docstrings."""
        if not self.begun and self.modules():
            self.begun = True
            sandbox = self.pipeline.zygote.sandbox(
                self.pipeline.solution_copy)
            self.started = Prepared(sandbox, sandbox.spawn({
                "preload": list(self.modules()), "docs": True}))

    def result(self, module: str) -> Probe:
        """Return a module's probe, waiting for the worker the first time.

        The modules before it are read first: the first that fails blocks
        it, without a wait of its own.
        """
        if module not in self.results:
            self.start()
            for name in self.modules():
                if name not in self.results:
                    self.results[name] = self._read(name)
                if name == module:
                    break
                if not self.results[name].ok:
                    self.results[module] = Probe(
                        False, BLOCKED_BY.format(name), {})
                    break
            else:
                self.results[module] = Probe(
                    False, "{}.py is missing".format(module), {})
        return self.results[module]

    def answered(self, module: str) -> bool:
        """Tell, without waiting, whether result(module) would return at
        once (the probe has reported it, or a module before it failed)."""
        if module in self.results:
            return True
        if not self.begun:
            return False
        for name in self.modules():
            if name in self.results and not self.results[name].ok:
                return True
            if name == module:
                break
        return self.started is None or self.started.worker.reported(module)

    def failure(self, module: str) -> str:
        """Return why a module does not import, or "" when it does."""
        probe = self.result(module)
        return "" if probe.ok else probe.reason

    def hang(self, module: str) -> str:
        """Return why a module's import ran out of time, or "" when it did
        not (it imported, failed otherwise, or was blocked)."""
        probe = self.result(module)
        return probe.reason if probe.hung else ""

    def _read(self, module: str) -> Probe:
        """Wait for the worker's report of a module's import."""
        if self.started is None:
            return Probe(False, "{}.py is missing".format(module), {})
        worker = self.started.worker
        try:
            report = worker.import_report(module, time.monotonic() +
                                          self.limit)
        except Late:
            trace = self.started.sandbox.read("out/import-{}".format(
                worker.number), OUTPUT_CAP) or b""
            over = self._over_memory(module)
            self.close()  # it would only keep a core busy
            hung = diagnose.import_hung(
                self.limit, module, trace.decode("utf-8", "replace"))
            # Killing processes for memory is slow: an import that starts
            # many may run out of time while the kernel does, and the cause
            # is the memory, which the reason names first.
            return Probe(False, "{}; and {}".format(over, hung)
                         if over else hung, {}, hung=True)
        except Gone as gone:
            over = self._over_memory(module)
            return Probe(False, over or diagnose.ended(
                gone.status, "import " + module, ""), {})
        except Garbled as error:
            return Probe(False, "import {}: the worker's answer is not "
                         "valid ({})".format(module, error), {})
        if report is None:
            return Probe(False, "import {} did not run".format(module), {})
        if report.get("raised") is not None:
            if not is_raised(report["raised"]):
                return Probe(False, "import {}: the worker's answer is not "
                             "valid ({})".format(module, GARBLED_RAISED), {})
            return Probe(False, self._raised(module, report["raised"]), {})
        docs = report.get("docs")
        if not isinstance(docs, dict):
            docs = {}
        return Probe(True, "", {str(key): value if isinstance(value, str)
                                else None for key, value in docs.items()})

    def _over_memory(self, module: str) -> str:
        """Say how many of the probe's processes the kernel killed for
        memory, or "" if none (or no cgroup counts them)."""
        assert self.started is not None
        kills = self.started.sandbox.killed_for_memory()
        applied = self.started.sandbox.zygote.containment.cgroups
        if not kills or applied is None:
            return ""
        return OVER_MEMORY.format(action="import {}: ".format(module),
                                  count=kills, mib=applied.memory // 2**20)

    @staticmethod
    def _raised(name: str, raised: object) -> str:
        """Say why an import failed, with the stack's hint."""
        if not isinstance(raised, dict):
            return "import {} failed".format(name)
        frames = raised.get("frames") or []
        where = " (at {})".format(frames[-1]) if frames else ""
        return diagnose.with_hint("import {} raised {}: {}{}".format(
            name, raised.get("type"), shorten(str(raised.get(
                "message", "")).strip(), 300), where), str(raised.get(
                    "traceback", "")))

    def close(self) -> None:
        """End the probe's sandbox."""
        if self.started is not None:
            self.started.worker.close()
            self.started.sandbox.close()
            self.started = None


def expect_imports(probes: Probes, module: str) -> None:
    """Fail, with the probe's reason, unless a module imports.

    When a module it imports is the one that fails, the check is blocked
    instead: that module's own import check names the cause.
    """
    probe = probes.result(module)
    if probe.ok:
        return
    if probe.reason.endswith(BLOCKED_BY.format("")):
        raise Blocked("blocked: {}".format(probe.reason))
    raise Failure(probe.reason)
