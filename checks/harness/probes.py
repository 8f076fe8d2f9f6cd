"""Does each learner module import? Asked once per module, in a sandbox.

A probe imports a module (after the modules it imports) in a fresh worker,
and reads the docstrings that the original grader's one-liners print:
`python3 -c 'print(__import__("db").DB.__doc__)'`. The probes of every
module present start together at the beginning of a grade; each result is
waited for only when a check needs it.
"""
import time
from typing import Any
from typing import Dict
from typing import NamedTuple
from typing import Optional
from typing import Tuple

from checks.harness import diagnose
from checks.harness.catalogue import MODULE_IMPORTS
from checks.harness.failures import Failure
from checks.harness.failures import shorten
from checks.harness.pipeline import Pipeline
from checks.harness.pipeline import Prepared
from checks.harness.pipeline import Spec
from checks.harness.sandbox import Garbled
from checks.harness.sandbox import Gone
from checks.harness.sandbox import Late
from checks.harness.solution import Solution
from checks.harness.verdict import Blocked
from checks.runtime import protocol


class Probe(NamedTuple):
    """Whether a module imports (and why not), and its docstrings."""

    ok: bool
    reason: str
    docs: Dict[str, Optional[str]]


class Probes:
    """The import probe of one solution, started early, read on demand.

    One worker imports every module the solution has, in the order they
    import each other (user, db, auth, app), as app.py's own import would;
    each module's outcome and docstrings are read from it.
    """

    def __init__(self, pipeline: Pipeline, solution: Solution,
                 limit: float) -> None:
        """Probe with a sandbox from this pipeline, within limit seconds."""
        self.pipeline = pipeline
        self.solution = solution
        self.limit = limit
        self.started: Optional[Prepared] = None
        self.preloaded: Optional[Dict[str, Any]] = None
        self.results: Dict[str, Probe] = {}

    def modules(self) -> Tuple[str, ...]:
        """Return the solution's modules, in import order."""
        return tuple(module for module in MODULE_IMPORTS
                     if self.solution.source(module + ".py") is not None)

    def start(self) -> None:
        """Start the probe's worker."""
        if self.started is None and self.modules():
            self.started = self.pipeline.prepare(Spec(self.modules()))

    def result(self, module: str) -> Probe:
        """Return a module's probe, waiting for the worker the first time."""
        if module not in self.results:
            self.start()
            self.results[module] = self._read(module)
        return self.results[module]

    def failure(self, module: str) -> str:
        """Return why a module does not import, or "" when it does."""
        probe = self.result(module)
        return "" if probe.ok else probe.reason

    def _read(self, module: str) -> Probe:
        """Read a module's import outcome and docs from the worker."""
        if self.started is None:
            return Probe(False, "{}.py is missing".format(module), {})
        deadline = time.monotonic() + self.limit
        worker = self.started.worker
        try:
            if self.preloaded is None:
                self.preloaded = worker.hello(deadline)
            for name in self.modules():
                raised = self.preloaded.get(name)
                if raised is not None and name != module:
                    return Probe(False, "{}.py does not import".format(
                        name), {})
                if raised is not None or name not in self.preloaded:
                    return Probe(False, self._raised(name, raised), {})
                if name == module:
                    break
            reply = worker.request("docs", deadline, module=module)
        except Late:
            return Probe(False, diagnose.timed_out(
                self.limit, "import " + module, ""), {})
        except Gone as gone:
            return Probe(False, diagnose.ended(gone.status, "import " +
                                               module, ""), {})
        except Garbled as error:
            return Probe(False, "import {}: the worker's answer is not "
                         "valid ({})".format(module, error), {})
        try:
            decoded = protocol.decode(reply.get("value"), lambda tagged: None)
        except protocol.ProtocolError:
            decoded = {}
        if not isinstance(decoded, dict):
            decoded = {}
        return Probe(True, "", {str(key): value if isinstance(value, str)
                                else None for key, value in decoded.items()})

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
    if probe.reason.endswith(".py does not import"):
        raise Blocked("blocked: {}".format(probe.reason))
    raise Failure(probe.reason)
