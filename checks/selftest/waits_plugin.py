"""A pytest plugin for graded runs: which check each import probe read
happened in.

Loaded with `-p checks.selftest.waits_plugin --waits-log PATH` on a grade
(hostile grades load it). It appends one JSON line per module the import
probe reports: the module, the node id of the check that was running when
the checker read the report (its own setup, or the pipeline's look-ahead
during another check), and whether the import ran out of time. A probe
that hangs is waited for in that read, so that a self-test can tell which
check's time the wait was charged to, without measuring it.
"""
import json
from typing import Any
from typing import Iterator
from typing import List

import pytest

from checks.harness import probes

LOG_OPTION = "waits_log"
RUNNING: List[str] = [""]  # the node id of the check running now


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add the log's path."""
    parser.addoption("--waits-log", dest=LOG_OPTION)


def pytest_configure(config: pytest.Config) -> None:
    """Log every read of the probe's reports, if a log was asked for."""
    path = config.getoption(LOG_OPTION, None)
    if not path:
        return
    read = probes.Probes._read

    def logged(self: probes.Probes, module: str) -> probes.Probe:
        """Read a module's report, and log in which check it was read."""
        probe = read(self, module)
        with open(path, "a") as stream:
            stream.write(json.dumps({"module": module, "check": RUNNING[0],
                                     "hung": probe.hung}) + "\n")
        return probe

    probes.Probes._read = logged  # type: ignore[method-assign]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[Any]:
    """Remember which check runs, from its setup to its teardown."""
    RUNNING[0] = item.nodeid
    yield
    RUNNING[0] = ""
