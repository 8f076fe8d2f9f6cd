"""Start upcoming checks' children early, so every core has work.

pytest runs checks one after another, and most of a check's time is spent
in its child. The pipeline keeps up to one child per core running: when
pytest reaches a check, its child has often finished already. Verdicts are
still settled in pytest's order, so the blocking rules see exactly the
history a serial run would; a child started for a check that then turns out
blocked is simply thrown away.
"""
import os
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional

import pytest

from checks.harness.sandbox import Child
from checks.harness.sandbox import ChildResult
from checks.harness.sandbox import wait_for

LOOKAHEAD = 24  # how far past the current check to look for work


def default_width() -> int:
    """Return how many children may run at once: one per core, at most 4."""
    return max(1, min(os.cpu_count() or 1, 4))


class Pipeline:
    """Children started ahead of their checks, keyed by node id."""

    def __init__(self, launch: Callable[[pytest.Item], Optional[Child]],
                 width: int) -> None:
        """Use `launch` to start a child for an item, or None to wait."""
        self.launch = launch
        self.width = width
        self.items: List[pytest.Item] = []
        self.running: Dict[str, Child] = {}

    def schedule(self, items: List[pytest.Item]) -> None:
        """Remember the order in which pytest will run the checks."""
        self.items = list(items)

    def result(self, item: pytest.Item,
               start: Callable[[], Child]) -> ChildResult:
        """Return an item's outcome, starting later items meanwhile."""
        child = self.running.pop(item.nodeid, None) or start()
        self._fill(item)
        return wait_for(child, list(self.running.values()))

    def discard(self, item: pytest.Item) -> None:
        """Stop and forget a child started for an item that will not run."""
        child = self.running.pop(item.nodeid, None)
        if child is not None:
            child.expire_if_late(child.deadline)
            child.finish()

    def close(self) -> None:
        """Stop every child still running."""
        for item in list(self.items):
            self.discard(item)

    def _fill(self, current: pytest.Item) -> None:
        """Start children for the next items, up to the width."""
        try:
            index = self.items.index(current)
        except ValueError:
            return
        for item in self.items[index + 1:index + 1 + LOOKAHEAD]:
            if len(self.running) >= self.width - 1:
                return
            if item.nodeid not in self.running:
                child = self.launch(item)
                if child is not None:
                    self.running[item.nodeid] = child
