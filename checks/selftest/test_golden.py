"""The reference passes every check, graded by the grading command itself.

Each stack's self-test run grades it with its own interpreter, so running
the self-tests on both stacks proves the reference on both.
"""
import sys

from checks.harness.catalogue import TASKS
from checks.selftest.background import Background
from checks.selftest.grading import Grade

JSON_VERSION = 2


def test_reference_passes_every_task(golden: Grade) -> None:
    """The reference gets every task passed, and the command exits 0."""
    assert golden.card is not None, golden.log
    failing = {key: golden.reasons(key) for key, status in
               golden.statuses().items() if status != "passed"}
    assert failing == {}
    assert list(golden.statuses()) == [task.key for task in TASKS]
    assert golden.rc == 0, golden.log


def test_scorecard_names_this_stack(golden: Grade) -> None:
    """The scorecard is JSON version 2 and names this interpreter."""
    assert golden.card is not None, golden.log
    assert golden.card["version"] == JSON_VERSION
    assert "Python {}.{}".format(*sys.version_info[:2]) in \
        golden.card["stack"]


def test_grading_needs_no_port_5000(background: Background,
                                    golden: Grade) -> None:
    """Port 5000 was unavailable while the reference passed everything."""
    assert background.port_state == "held by the self-test" or \
        background.port_state.startswith("already taken")
    assert set(golden.statuses().values()) == {"passed"}
