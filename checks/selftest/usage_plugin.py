"""A pytest plugin for the usage run: log each check's calls by task.

Loaded with `-p checks.selftest.usage_plugin --usage-log PATH` on a grade
of the instrumented reference (usage.py). Before a check's sandboxes end,
it reads the calls the instrumented code noted in each, and appends
"task module:function" lines to the log.
"""
from typing import Any
from typing import Iterator
from typing import List
from typing import Set

import pytest

from checks.harness.fixtures import task_of
from checks.harness.sandbox import Sandbox
from checks.selftest.usage import USAGE_FILE


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add the log's path."""
    parser.addoption("--usage-log", dest="usage_log")


def sandboxes_of(item: pytest.Item) -> List[Sandbox]:
    """Return the sandboxes a check's fixtures made."""
    values = getattr(item, "funcargs", {})
    found: List[Sandbox] = []
    if "learner" in values:
        found.append(values["learner"].worker.sandbox)
    if "sandboxes" in values:
        found.extend(values["sandboxes"].made)
    return found


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[Any]:
    """Log the calls of the check's sandboxes, while they still exist."""
    log = item.config.getoption("usage_log")
    if log:
        names: Set[str] = set()
        for sandbox in sandboxes_of(item):
            text = (sandbox.read(USAGE_FILE, 1 << 20) or b"").decode()
            names.update(line for line in text.splitlines() if line)
        with open(log, "a") as stream:
            stream.write("".join("{} {}\n".format(task_of(item).key, name)
                                 for name in sorted(names)))
    yield
