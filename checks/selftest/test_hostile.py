"""Hostile solutions get a complete, honest scorecard, and change nothing.

The grades start with the session (the `background` fixture), with a
per-check limit of HOSTILE_TIMEOUT seconds, as in GitHub Actions; each test
reads one result. Together they prove, for every hostile solution and every
attack of the red team: the scorecard is complete and in time, the tasks
the code breaks do not pass, the folder and the checker's tree are
unchanged, nothing was written outside the sandbox, no process is left,
the scorecard file is the checker's, and the output carries no workflow
command, no terminal escape and no heading the code did not earn.
"""
import json
import os
import re
import time
from typing import List

import pytest

from checks.selftest import folders
from checks.selftest.background import Background
from checks.selftest.background import HOSTILE_TIMEOUT
from checks.selftest.background import tree_digest
from checks.selftest.grading import EXERCISE
from checks.selftest.grading import Grade
from checks.selftest.hostile import HOSTILES
from checks.selftest.hostile import Hostile
from checks.selftest.notes import note

BY_ID = [pytest.param(hostile, id=hostile.id) for hostile in HOSTILES]
WITH_UP = [pytest.param(hostile, id=hostile.id) for hostile in HOSTILES
           if hostile.up]
WITH_WORDS = [pytest.param(hostile, id=hostile.id) for hostile in HOSTILES
              if hostile.words]
DOWN = ("failed", "blocked", "not started")
# A live-server check may spend the limit on the server and again on main.py.
CHECK_LIMIT = 3 * HOSTILE_TIMEOUT + 1.0
RUN_LIMIT = 120.0
OUR_COMMAND = "::error title="  # the only workflow command the checker prints
COMMAND = re.compile(r"^\s*(::|##\[)")
LATE_WRITE = 3.0  # seconds a detached process had to rewrite the scorecard


def grade_of(background: Background, hostile: Hostile) -> Grade:
    """Wait for a hostile grade; fail if it left no scorecard."""
    grade = background.hostile[hostile.id].result()
    assert grade.card is not None, "no scorecard (rc {}):\n{}".format(
        grade.rc, grade.log)
    return grade


@pytest.mark.parametrize("hostile", BY_ID)
def test_scorecard_is_complete(background: Background,
                               hostile: Hostile) -> None:
    """Every task graded is on the scorecard, and pytest ended normally."""
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


@pytest.mark.parametrize("hostile", WITH_UP)
def test_unaffected_tasks_pass(background: Background,
                               hostile: Hostile) -> None:
    """Tasks whose files never import the hostile code still pass: a module
    that hangs, raises or ends its process at import harms only its own."""
    grade = grade_of(background, hostile)
    statuses = grade.statuses()
    assert {key: grade.reasons(key) for key in hostile.up
            if statuses[key] != "passed"} == {}


@pytest.mark.parametrize("hostile", WITH_WORDS)
def test_reasons_name_the_cause(background: Background,
                                hostile: Hostile) -> None:
    """Each task the hostile code breaks says which file broke it, how."""
    reasons = {row["task"]: row["reason"]
               for row in grade_of(background, hostile).rows()}
    assert {key: reasons[key] for key in hostile.down
            if not all(word in reasons[key] for word in hostile.words)} == {}


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
                 for key in (hostile.down or hostile.tasks)[:4])))
    assert slowest <= CHECK_LIMIT
    assert grade.seconds <= RUN_LIMIT


@pytest.mark.parametrize("hostile", BY_ID)
def test_nothing_is_written_outside(background: Background,
                                    hostile: Hostile) -> None:
    """The folder is byte-identical; no marker or planted file exists."""
    grade_of(background, hostile)
    tokens = background.tokens[hostile.id]
    assert folders.digest(background.folders[hostile.id]) == \
        background.digests[hostile.id]
    assert not os.path.exists(tokens["MARKER"])
    strays = [os.path.join(place, name) for place in ("/tmp", "/dev/shm")
              for name in os.listdir(place) if tokens["TOKEN"] in name]
    assert strays == []


@pytest.mark.parametrize("hostile", BY_ID)
def test_no_process_is_left(background: Background,
                            hostile: Hostile) -> None:
    """No process the hostile code started outlives its grade."""
    grade_of(background, hostile)
    token = background.tokens[hostile.id]["TOKEN"]
    deadline = time.monotonic() + 1.0
    while processes_with(token) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert processes_with(token) == []


@pytest.mark.parametrize("hostile", BY_ID)
def test_scorecard_file_is_the_checkers(background: Background,
                                        hostile: Hostile) -> None:
    """The JSON scorecard still holds what the checker wrote, seconds on."""
    grade = grade_of(background, hostile)
    time.sleep(max(0.0, LATE_WRITE - (time.monotonic() - grade.ended)))
    with open(background.tokens[hostile.id]["JSON"],
              encoding="utf-8") as stream:
        assert json.load(stream) == grade.card


@pytest.mark.parametrize("hostile", BY_ID)
def test_output_carries_no_injection(background: Background,
                                     hostile: Hostile) -> None:
    """No workflow command but the checker's, no terminal escape, and one
    scorecard in the job summary."""
    grade = grade_of(background, hostile)
    assert "\x1b" not in grade.log
    commands = [line for line in grade.log.splitlines()
                if COMMAND.match(line) and not line.startswith(OUR_COMMAND)]
    assert commands == []
    with open(background.tokens[hostile.id]["SUMMARY"],
              encoding="utf-8") as stream:
        summary = stream.read()
    assert summary.count("## Scorecard") == 1
    assert [line for line in summary.splitlines() if COMMAND.match(line)
            or line.startswith("#") and line != "## Scorecard"] == []


def test_checker_tree_is_untouched(background: Background) -> None:
    """After every hostile grade, the checker's own files are unchanged."""
    for future in background.hostile.values():
        future.result()
    assert tree_digest() == background.tree


def processes_with(token: str) -> List[str]:
    """Return the command lines of running processes that hold a word."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            with open("/proc/{}/cmdline".format(pid), "rb") as stream:
                line = stream.read().replace(b"\0", b" ").decode(
                    "utf-8", "replace")
        except OSError:
            continue
        if token in line:
            found.append("{}: {}".format(pid, line[:200]))
    return found
