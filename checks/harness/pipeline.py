"""Sandboxes made ahead of the checks that will use them.

Most of a check's time is spent before its first request: making the
sandbox and importing the learner's modules in its worker. The pipeline
asks for the next few checks' sandboxes while the current check runs, so
that on two cores a check usually finds its worker warm. A worker imports
what its check would import first anyway (its output is captured from its
first moment), so the check cannot tell. A sandbox made for a check that
then does not run is thrown away. Where templates can be used
(templates.py), a check's worker is forked from one that imported its
modules already, which costs a fraction of a sandbox and an import.
"""
from typing import Any
from typing import Callable
from typing import Dict
from typing import List
from typing import NamedTuple
from typing import Optional
from typing import Tuple

from checks.harness import templates
from checks.harness.sandbox import Scratch
from checks.harness.sandbox import Worker
from checks.harness.sandbox import Zygote
from checks.harness.templates import ChildSandbox
from checks.harness.templates import Templates

AHEAD = 2  # sandboxes made ahead of the current check
# Checks of one spec a grade must have for a template to pay: it costs a
# sandbox and an import of its own, as much as a check without one.
TEMPLATE_WORTH = 8


class Spec(NamedTuple):
    """What a check's worker needs: modules to import, bcrypt's cost."""

    preload: Tuple[str, ...]
    bcrypt_rounds: Optional[int] = 4  # None: bcrypt's own (12)


class Prepared(NamedTuple):
    """A sandbox and its one worker, made for a check."""

    sandbox: Scratch
    worker: Worker


class Pipeline:
    """Prepared sandboxes, by the node id of the check they are for."""

    def __init__(self, zygote: Zygote, solution_copy: str,
                 forking: Optional[bool] = None) -> None:
        """Make sandboxes that see this copy of the solution; fork checks'
        workers from templates if `forking` (for every spec), or, if None,
        wherever they work and pay."""
        self.zygote = zygote
        self.solution_copy = solution_copy
        self.order: List[Tuple[str, Spec]] = []
        self.ready: Dict[str, Prepared] = {}
        self.every_spec = forking is True
        self.forking = forking
        self._templates: Optional[Templates] = None

    @property
    def templates(self) -> Optional[Templates]:
        """Return the templates, if checks' workers are forked here. When
        it was left to us, it is decided on first use: it depends on how
        the zygote contains sandboxes, which it says once it is warm."""
        if self.forking is None:
            self.forking = templates.wanted(self.zygote)
        if self.forking and self._templates is None:
            self._templates = Templates(self.zygote, self.solution_copy)
        return self._templates

    def prepare(self, spec: Spec) -> Prepared:
        """Fork a worker from the spec's template, or make a sandbox and
        ask for its worker (it starts by itself)."""
        config: Dict[str, Any] = {"preload": list(spec.preload),
                                  "bcrypt_rounds": spec.bcrypt_rounds}
        if self.templates is not None and self.worth_a_template(spec):
            forked = self.templates.prepare(spec, config)
            if forked is not None:
                return Prepared(*forked)
        return self.fresh(config)

    def worth_a_template(self, spec: Spec) -> bool:
        """Tell whether enough checks of the grade use this spec (all are
        assumed to, before the checks are scheduled)."""
        scheduled = [each for _, each in self.order]
        return self.every_spec or not scheduled or \
            scheduled.count(spec) >= TEMPLATE_WORTH

    def fresh(self, config: Dict[str, Any]) -> Prepared:
        """Make a sandbox and ask for its worker (it starts by itself)."""
        sandbox = self.zygote.sandbox(self.solution_copy)
        return Prepared(sandbox, sandbox.spawn(config))

    def schedule(self, order: List[Tuple[str, Spec]]) -> None:
        """Remember which checks will want a worker, in pytest's order."""
        self.order = list(order)

    def take(self, nodeid: str, spec: Spec,
             runs: Callable[[str], bool]) -> Prepared:
        """Return the check's sandbox, made now if it was not made ahead;
        then start the next checks' sandboxes (those `runs` lets run)."""
        prepared = self.ready.pop(nodeid, None) or self.prepare(spec)
        if self.templates is not None and isinstance(
                prepared.sandbox, ChildSandbox) and not \
                self.templates.settle(prepared.sandbox, prepared.worker):
            prepared = self.fresh({"preload": list(spec.preload),
                                   "bcrypt_rounds": spec.bcrypt_rounds})
        self.fill(nodeid, runs)
        return prepared

    def fill(self, current: str, runs: Callable[[str], bool]) -> None:
        """Make sandboxes for the checks after the current one."""
        ids = [nodeid for nodeid, _ in self.order]
        start = ids.index(current) + 1 if current in ids else 0
        for nodeid, spec in self.order[start:start + AHEAD * 4]:
            if len(self.ready) >= AHEAD:
                return
            if nodeid not in self.ready and runs(nodeid):
                self.ready[nodeid] = self.prepare(spec)

    def describe(self) -> List[str]:
        """Say how the checks' workers were made: forked from templates
        (and why a template was not used), or each in a new sandbox."""
        made = self._templates
        if made is None:
            return ["workers: a new sandbox and a fresh import per check"]
        lines = ["workers: {} forked from templates, {} in a new sandbox "
                 "each".format(made.forked, made.fresh)]
        for modules, reason in sorted(made.refusals().items()):
            lines.append("template: not used for {}: {}".format(
                ", ".join(modules) or "no module", reason))
        return lines

    def discard(self, nodeid: str) -> None:
        """End the sandbox made for a check that will not use it."""
        prepared = self.ready.pop(nodeid, None)
        if prepared is not None:
            prepared.worker.close()
            prepared.sandbox.close()

    def close(self) -> None:
        """End every sandbox still waiting."""
        for nodeid in list(self.ready):
            self.discard(nodeid)
        if self._templates is not None:
            self._templates.close()
