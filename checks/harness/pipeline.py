"""Sandboxes made ahead of the checks that will use them.

Most of a check's time is spent before its first request: making the
sandbox and importing the learner's modules in its worker. The pipeline
asks for the next few checks' sandboxes while the current check runs, so
that on two cores a check usually finds its worker warm. A worker imports
what its check would import first anyway (its output is captured from its
first moment), so the check cannot tell. A sandbox made for a check that
then does not run is thrown away.
"""
from typing import Callable
from typing import Dict
from typing import List
from typing import NamedTuple
from typing import Optional
from typing import Tuple

from checks.harness.sandbox import Sandbox
from checks.harness.sandbox import Worker
from checks.harness.sandbox import Zygote

AHEAD = 2  # sandboxes made ahead of the current check


class Spec(NamedTuple):
    """What a check's worker needs: modules to import, bcrypt's cost."""

    preload: Tuple[str, ...]
    bcrypt_rounds: Optional[int] = 4  # None: bcrypt's own (12)


class Prepared(NamedTuple):
    """A sandbox and its one worker, made for a check."""

    sandbox: Sandbox
    worker: Worker


class Pipeline:
    """Prepared sandboxes, by the node id of the check they are for."""

    def __init__(self, zygote: Zygote, solution_copy: str) -> None:
        """Make sandboxes that see this copy of the solution."""
        self.zygote = zygote
        self.solution_copy = solution_copy
        self.order: List[Tuple[str, Spec]] = []
        self.ready: Dict[str, Prepared] = {}

    def prepare(self, spec: Spec) -> Prepared:
        """Make a sandbox and ask for its worker (it starts by itself)."""
        sandbox = self.zygote.sandbox(self.solution_copy)
        worker = sandbox.spawn({"preload": list(spec.preload),
                                "bcrypt_rounds": spec.bcrypt_rounds})
        return Prepared(sandbox, worker)

    def schedule(self, order: List[Tuple[str, Spec]]) -> None:
        """Remember which checks will want a worker, in pytest's order."""
        self.order = list(order)

    def take(self, nodeid: str, spec: Spec,
             runs: Callable[[str], bool]) -> Prepared:
        """Return the check's sandbox, made now if it was not made ahead;
        then start the next checks' sandboxes (those `runs` lets run)."""
        prepared = self.ready.pop(nodeid, None) or self.prepare(spec)
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
