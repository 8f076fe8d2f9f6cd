#!/usr/bin/env python3
"""Benchmark where one grade's time goes: worker requests by kind, the
making of workers, the zygote, and the checker's own CPU.

It grades once, in this process (`pytest.main`), with the harness's
requests and pipeline timed from the checker's side: a request's time is
its whole round trip (the worker's work, its scheduling, the messages), as
the check waits for it. Requests overlap with the making of the next
checks' workers (pipeline.py), so the rows do not add up to the wall
time; the checker's own CPU time says how much of that wall time it
spent working rather than waiting. Not a test: run it by hand from a tox
environment, e.g. `.tox/grade/bin/python checks/bench/breakdown.py
--task 20`; arguments are pytest's, after the checker's defaults.
"""
import collections
import functools
import os
import resource
import sys
import time
from typing import Any
from typing import Callable
from typing import Counter
from typing import DefaultDict
from typing import List

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
sys.path.insert(0, REPO)

from checks.harness import pipeline  # noqa: E402
from checks.harness import sandbox  # noqa: E402

SECONDS: DefaultDict[str, float] = collections.defaultdict(float)
COUNTS: Counter[str] = collections.Counter()


def timed(owner: Any, name: str, label: Callable[..., str]) -> None:
    """Replace owner.name by a wrapper adding its wall time under label."""
    original = getattr(owner, name)

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        key = label(*args, **kwargs)  # "": not counted
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            if key:
                SECONDS[key] += time.perf_counter() - started
                COUNTS[key] += 1
    setattr(owner, name, wrapper)


def instrument() -> None:
    """Time every worker request by its op, and the pipeline's steps."""
    timed(sandbox.Worker, "request",
          lambda self, op, *rest, **fields: "request: " + op)
    timed(sandbox.Zygote, "greeted", lambda self: "" if self._containment
          else "zygote: wait for its hello")  # only the first call waits
    timed(sandbox.Zygote, "close", lambda self: "zygote: ended")
    timed(pipeline.Pipeline, "take",
          lambda self, *rest: "pipeline: take a check's worker")
    timed(pipeline.Pipeline, "prepare",
          lambda self, *rest: "pipeline: ask for a worker")


class Phases:
    """A pytest plugin adding up the checks' setup, call and teardown."""

    def __init__(self) -> None:
        """Start at zero."""
        self.seconds: DefaultDict[str, float] = collections.defaultdict(
            float)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        """Add one phase of one check."""
        self.seconds[report.when] += report.duration


def table(wall: float, phases: Phases) -> List[str]:
    """Format the measurements, slowest first."""
    lines = ["{:<36} {:>6} {:>9} {:>9}".format("what", "count", "total s",
                                               "mean ms")]
    for key in sorted(SECONDS, key=SECONDS.__getitem__, reverse=True):
        lines.append("{:<36} {:>6} {:>9.3f} {:>9.1f}".format(
            key, COUNTS[key], SECONDS[key], 1000 * SECONDS[key] / COUNTS[key]))
    for when in ("setup", "call", "teardown"):
        lines.append("{:<36} {:>6} {:>9.3f}".format(
            "checks' " + when, "", phases.seconds[when]))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    lines.append("{:<36} {:>6} {:>9.3f}".format(
        "checker's own CPU (user + system)", "",
        usage.ru_utime + usage.ru_stime))
    lines.append("{:<36} {:>6} {:>9.3f}".format("wall", "", wall))
    return lines


def main() -> None:
    """Grade with the given pytest arguments, then print the table."""
    os.chdir(REPO)
    os.environ.setdefault("CHECKS_HISTORY_DIR", "off")
    instrument()
    phases = Phases()
    started = time.perf_counter()
    pytest.main(["checks", "-q", "-p", "no:cacheprovider"] + sys.argv[1:],
                plugins=[phases])
    wall = time.perf_counter() - started
    print("\n".join(table(wall, phases)))


if __name__ == "__main__":
    main()
