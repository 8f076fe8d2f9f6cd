"""The self-test report: lines that tests add, printed after the run."""
import time
from typing import Any
from typing import Dict
from typing import List

import pytest

NOTES = pytest.StashKey[Dict[str, List[str]]]()
STARTED = pytest.StashKey[float]()
TIMINGS = "self-test timings"


def start(config: pytest.Config) -> None:
    """Begin an empty report, and the clock of the whole run."""
    config.stash[NOTES] = {}
    config.stash[STARTED] = time.monotonic()


def note(config: pytest.Config, section: str, line: str) -> None:
    """Add a line to a section of the report."""
    config.stash[NOTES].setdefault(section, []).append(line)


def write(config: pytest.Config, terminal: Any) -> None:
    """Print every section of the report, and the run's wall time."""
    if STARTED in config.stash and config.stash[NOTES]:
        note(config, TIMINGS, "whole self-test run: {:.0f} s".format(
            time.monotonic() - config.stash[STARTED]))
    for section, lines in config.stash.get(NOTES, {}).items():
        terminal.write_sep("=", section)
        for line in lines:
            terminal.write_line(line)
