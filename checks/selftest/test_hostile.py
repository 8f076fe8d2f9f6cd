"""Hostile solutions get a complete scorecard, in time, folder untouched.

The grades start with the session (the `background` fixture), with a
per-check limit of HOSTILE_TIMEOUT seconds; each test reads one result.
"""
import os

import pytest

from checks.selftest import folders
from checks.selftest.background import Background
from checks.selftest.background import HOSTILE_TIMEOUT
from checks.selftest.grading import EXERCISE
from checks.selftest.grading import Grade
from checks.selftest.hostile import HOSTILES
from checks.selftest.hostile import Hostile
from checks.selftest.notes import note

BY_ID = [pytest.param(hostile, id=hostile.id) for hostile in HOSTILES]
DOWN = ("failed", "blocked", "not started")
# A live-server check may spend the limit on the server and again on main.py.
CHECK_LIMIT = 3 * HOSTILE_TIMEOUT + 1.0
RUN_LIMIT = 120.0


def grade_of(background: Background, hostile: Hostile) -> Grade:
    """Wait for a hostile grade; fail if it left no scorecard."""
    grade = background.hostile[hostile.id].result()
    assert grade.card is not None, "no scorecard (rc {}):\n{}".format(
        grade.rc, grade.log)
    return grade


@pytest.mark.parametrize("hostile", BY_ID)
def test_scorecard_is_complete(background: Background,
                               hostile: Hostile) -> None:
    """Every task of 0-20 is on the scorecard, and pytest ended normally."""
    grade = grade_of(background, hostile)
    assert list(grade.statuses()) == (list(hostile.tasks) or EXERCISE)
    assert grade.rc in (0, 1), grade.log


@pytest.mark.parametrize("hostile", BY_ID)
def test_affected_tasks_do_not_pass(background: Background,
                                    hostile: Hostile) -> None:
    """The tasks the hostile code breaks are failed or blocked."""
    statuses = grade_of(background, hostile).statuses()
    assert {key: statuses[key] for key in hostile.down
            if statuses[key] not in DOWN} == {}


@pytest.mark.parametrize("hostile", BY_ID)
def test_no_checker_error(background: Background, hostile: Hostile) -> None:
    """Hostile code is blamed on the learner, never as a checker error."""
    grade = grade_of(background, hostile)
    assert [check for check, status in grade.checks().items()
            if status == "checker error"] == []


@pytest.mark.parametrize("hostile", BY_ID)
def test_time_limits_hold(background: Background, hostile: Hostile,
                          request: pytest.FixtureRequest) -> None:
    """No check overruns its limit, and the whole grade ends in time."""
    grade = grade_of(background, hostile)
    slowest = max(check["seconds"] for row in grade.rows()
                  for check in row["checks"])
    note(request.config, "hostile solutions", "{}: graded in {:.1f} s, "
         "slowest check {:.1f} s; {}".format(
             hostile.id, grade.seconds, slowest, ", ".join(
                 "{} {}".format(key, grade.statuses()[key])
                 for key in hostile.down[:4])))
    assert slowest <= CHECK_LIMIT
    assert grade.seconds <= RUN_LIMIT


@pytest.mark.parametrize("hostile", BY_ID)
def test_folder_is_untouched(background: Background,
                             hostile: Hostile) -> None:
    """The folder is byte-identical afterwards, and nothing ran its tests."""
    grade_of(background, hostile)
    folder = background.folders[hostile.id]
    assert folders.digest(folder) == background.digests[hostile.id]
    assert not os.path.exists(background.markers[hostile.id])
