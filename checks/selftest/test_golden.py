"""The reference passes every check, graded by the grading command itself.

Each stack's self-test run grades it with its own interpreter, so running
the self-tests on both stacks proves the reference on both; and grades it
twice, with namespaces (where the machine allows them) and without.
"""
import sys

import pytest

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


@pytest.fixture(scope="module")
def reduced(background: Background) -> Grade:
    """The reference graded in full with --no-namespaces, beside the
    golden grade (background.py)."""
    return background.reduced.result()


def test_reference_passes_every_task_without_namespaces(
        reduced: Grade) -> None:
    """With --no-namespaces (the fallback of macOS and of containers that
    forbid namespaces) the reference still gets every task passed and the
    command exits 0, though port 5000 of this machine, whose network
    learner code now shares, is taken all along: task 20's server and
    main.py are pointed at another port."""
    assert reduced.card is not None, reduced.log
    failing = {key: reduced.reasons(key) for key, status in
               reduced.statuses().items() if status != "passed"}
    assert failing == {}
    assert list(reduced.statuses()) == [task.key for task in TASKS]
    assert reduced.rc == 0, reduced.log


def test_the_scorecard_says_containment_was_reduced(golden: Grade,
                                                    reduced: Grade) -> None:
    """Without namespaces, the scorecard says so and why, in one line of
    the text and in the JSON; the usual grade says no such thing unless
    this machine refused it namespaces (and then for another reason)."""
    assert reduced.card is not None and golden.card is not None
    line = reduced.card["containment"]
    assert line.startswith("containment: reduced (switched off): "), line
    assert "without namespaces" in line
    assert reduced.log.splitlines().count(line) == 1, reduced.log
    usual = golden.card["containment"]
    assert usual.startswith(("containment: namespaces;",
                             "containment: reduced (")), usual
    assert "reduced (switched off)" not in usual, usual
