"""A pytest plugin for graded runs: the checker's own descriptors and memory.

Loaded with `-p checks.selftest.resources_plugin --resources-log PATH` on
a grade (hostile grades load it). It appends one JSON line per moment to
the log: before the grade is made (pytest_configure, first), at the end of
each check (its sandboxes ended), and after the grade has ended every
sandbox and the zygote (pytest_unconfigure, last). Each line holds the
process's open descriptors and its resident memory, so that a self-test
can tell whether learner code left anything in the checker's process.
"""
import json
import os
from typing import Any
from typing import Dict
from typing import Iterator

import pytest

LOG_OPTION = "resources_log"


def open_descriptors() -> int:
    """Count this process's open descriptors."""
    return len(os.listdir("/proc/self/fd"))


def resident_bytes() -> int:
    """Return this process's resident memory (RSS), in bytes."""
    with open("/proc/self/statm") as stream:
        return int(stream.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def record(config: pytest.Config, moment: str, check: str = "") -> None:
    """Append what the process holds now to the log, if one was asked for.
    """
    path = config.getoption(LOG_OPTION, None)
    if not path:
        return
    line: Dict[str, Any] = {"moment": moment, "check": check,
                            "fds": open_descriptors(),
                            "rss": resident_bytes()}
    with open(path, "a") as stream:
        stream.write(json.dumps(line) + "\n")


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add the log's path."""
    parser.addoption("--resources-log", dest=LOG_OPTION)


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Note the process before the grade (its zygote) is made."""
    record(config, "before")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[Any]:
    """Note the process once a check's fixtures (its sandboxes) ended."""
    yield
    record(item.config, "check", item.nodeid)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """Note the process after the grade ended everything it started."""
    record(config, "after")
