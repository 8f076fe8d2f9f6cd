"""Hostile solutions get a complete, honest scorecard, and change nothing.

The grades start with the session (the `background` fixture), with a
per-check limit of HOSTILE_TIMEOUT seconds where the code hangs some task
(the checker's own limit elsewhere), as in GitHub Actions; each test
reads one result. Together they prove, for every hostile solution and every
attack of the red team (some of it graded again with --no-namespaces): the
scorecard is complete and in time, the tasks the code breaks do not pass
and those it cannot reach do, the folder and the checker's tree are
unchanged, nothing was written outside the sandbox, no process is left, the
checker's process holds no more descriptors or memory than before, the
scorecard file is the checker's, and the output carries no workflow
command, no terminal escape and no heading the code did not earn.
"""
import json
import os
import re
import time
from typing import Any
from typing import Callable
from typing import Dict
from typing import List

import pytest

from checks.harness.catalogue import TASKS_BY_KEY
from checks.harness.catalogue import modules_needed
from checks.selftest import folders
from checks.selftest.background import Background
from checks.selftest.background import HOSTILE_TIMEOUT
from checks.selftest.background import tree_digest
from checks.selftest.grading import EXERCISE
from checks.selftest.grading import Grade
from checks.selftest.hostile import CASES
from checks.selftest.hostile import RED_TEAM
from checks.selftest.hostile import REDUCED
from checks.selftest.hostile import Case
from checks.selftest.notes import note
from checks.selftest.processes import processes_with


def cases(keep: Callable[[Case], Any] = bool) -> List[Any]:
    """Return the cases a test is about, named by their keys."""
    return [pytest.param(case, id=case.key) for case in CASES if keep(case)]


BY_ID = cases()
WITH_DOWN = cases(lambda case: case.hostile.down)
WITHOUT_DOWN = cases(lambda case: not case.hostile.down)
WITH_UP = cases(lambda case: case.hostile.up)
WITH_WORDS = cases(lambda case: case.hostile.words)
REDUCED_CASES = cases(lambda case: case.reduced)
IMPORT_HANGS = cases(lambda case: case.hostile.import_hangs)
DOWN = ("failed", "blocked", "not started")
# A live-server check may wait its limit for the server, again for main.py
# and once more for the server's end; the rest of its time is work that an
# honest solution's same checks measure, beside the same load (the golden
# grade runs with the hostile ones): twice the slowest of them. Harmless code
# is held to the same bound, whatever its grade's limit: it waits for none.
WAITS_PER_CHECK = 3
LOAD_FACTOR = 2.0
OUR_COMMAND = "::error title="  # the only workflow command the checker prints
COMMAND = re.compile(r"^\s*(::|##\[)")
# Seconds the kernel may take to finish off a grade's killed processes (a
# clean run finds none at once; 5 s flaked beside the mutant campaign).
PROCESS_WAIT = 20.0
# What an honest grade's checker holds between checks beyond what it held
# before the grade: the pipeline's sandboxes made ahead (a control socket,
# a worker's socket and a scratch folder each), the replay servers of
# causal blame, and the templates (three each, one per spec: up to seven
# in a full grade) with their children made ahead (two sockets each): 30
# over the reference's full grade (9 to 11 without templates).
# Learner code that could push descriptors into the checker sends thousands
# (12,000 held at once when unclaimed ones were kept).
DESCRIPTOR_ROOM = 48
# How much the checker's memory may grow from its first check to its last:
# modules imported on first use (sqlite3, bcrypt): at most 4.3 MiB over
# every hostile grade, 2 MiB over the reference's full grade.
# The attacks are larger: a 30 MiB a.db, 64 MiB messages, 1 MiB frames.
MEMORY_ROOM = 16 * 2**20


def grade_of(background: Background, case: Case) -> Grade:
    """Wait for a hostile grade; fail if it left no scorecard."""
    grade = background.hostile[case.key].result()
    assert grade.card is not None, "no scorecard (rc {}):\n{}".format(
        grade.rc, grade.log)
    return grade


def test_the_reduced_cases_are_of_the_red_team() -> None:
    """Each case graded without namespaces names an attack of the red team.
    """
    assert sorted(REDUCED) == sorted(
        case.hostile.id for case in CASES if case.reduced)
    assert set(REDUCED) <= {hostile.id for hostile in RED_TEAM}


@pytest.mark.parametrize("case", BY_ID)
def test_scorecard_is_complete(background: Background, case: Case) -> None:
    """Every task graded is on the scorecard, and pytest ended normally."""
    grade = grade_of(background, case)
    assert list(grade.statuses()) == (list(case.hostile.tasks) or EXERCISE)
    assert grade.rc in (0, 1), grade.log


@pytest.mark.parametrize("case", WITH_DOWN)
def test_affected_tasks_do_not_pass(background: Background,
                                    case: Case) -> None:
    """The tasks the hostile code breaks are failed or blocked."""
    statuses = grade_of(background, case).statuses()
    assert {key: statuses[key] for key in case.hostile.down
            if statuses[key] not in DOWN} == {}


@pytest.mark.parametrize("case", WITHOUT_DOWN)
def test_harmless_code_fails_no_behaviour(background: Background,
                                          case: Case) -> None:
    """Code that breaks no task (it attacks the checker, or litters) fails
    no behaviour check of any task graded; only requirements (its own
    style) may fail."""
    grade = grade_of(background, case)
    behaviour = {row["task"]: row["behaviour"] for row in grade.rows()}
    assert {key: counts for key, counts in behaviour.items()
            if counts["total"] == 0} == {}
    assert {key: grade.reasons(key) for key, counts in behaviour.items()
            if counts["passed"] != counts["total"]} == {}


@pytest.mark.parametrize("case", WITH_UP)
def test_unaffected_tasks_pass(background: Background, case: Case) -> None:
    """Tasks whose files never import the hostile code still pass: a module
    that hangs, raises or ends its process at import harms only its own."""
    grade = grade_of(background, case)
    statuses = grade.statuses()
    assert {key: grade.reasons(key) for key in case.hostile.up
            if statuses[key] != "passed"} == {}


@pytest.mark.parametrize("case", WITH_WORDS)
def test_reasons_name_the_cause(background: Background, case: Case) -> None:
    """Each task the hostile code breaks says which file broke it, how."""
    reasons = {row["task"]: row["reason"]
               for row in grade_of(background, case).rows()}
    assert {key: reasons[key] for key in case.hostile.down
            if not all(word in reasons[key]
                       for word in case.hostile.words)} == {}


@pytest.mark.parametrize("case", BY_ID)
def test_no_checker_error(background: Background, case: Case) -> None:
    """Hostile code is blamed on the learner, never as a checker error."""
    grade = grade_of(background, case)
    assert [check for check, status in grade.checks().items()
            if status == "checker error"] == []


@pytest.mark.parametrize("case", REDUCED_CASES)
def test_reduced_containment_says_so(background: Background,
                                     case: Case) -> None:
    """Without namespaces, the scorecard's containment line says that
    containment was reduced, and why."""
    card = grade_of(background, case).card or {}
    assert card["containment"].startswith(
        "containment: reduced (switched off)"), card["containment"]


def slowest_check(grade: Grade, tasks: List[str]) -> float:
    """Return the seconds of a grade's slowest check among some tasks."""
    return max(check["seconds"] for row in grade.rows()
               if row["task"] in tasks for check in row["checks"])


def check_seconds(grade: Grade) -> float:
    """Return the seconds a grade's checks took, all together."""
    return sum(check["seconds"] for row in grade.rows()
               for check in row["checks"])


@pytest.mark.parametrize("case", BY_ID)
def test_time_limits_hold(background: Background, case: Case,
                          request: pytest.FixtureRequest) -> None:
    """No check overruns its limit, and the whole grade ends in time, by
    limits measured beside the same load: the same checks of the honest
    golden grade, and its whole grade."""
    grade = grade_of(background, case)
    golden = background.golden.result()
    assert golden.card is not None, golden.log
    tasks = list(case.hostile.tasks) or EXERCISE
    limit = WAITS_PER_CHECK * HOSTILE_TIMEOUT + LOAD_FACTOR * slowest_check(
        golden, tasks)
    slowest = slowest_check(grade, tasks)
    note(request.config, "hostile solutions", "{}: graded in {:.1f} s, "
         "slowest check {:.1f} s (limit {:.1f} s); {}".format(
             case.key, grade.seconds, slowest, limit, ", ".join(
                 "{} {}".format(key, grade.statuses()[key])
                 for key in (case.hostile.down or tasks)[:4])))
    assert slowest <= limit
    # Outside its checks, a grade starts, collects, replays and ends; the
    # honest full grade of the same moment bounds that, whatever it took.
    assert grade.seconds <= check_seconds(grade) + LOAD_FACTOR * \
        golden.seconds


@pytest.mark.parametrize("case", IMPORT_HANGS)
def test_an_import_that_hangs_is_waited_for_once(background: Background,
                                                 case: Case) -> None:
    """A file whose import never ends costs one wait of the limit, the
    import probe's: its task's other checks fail at once with the probe's
    reason instead of importing it again, each for its whole limit."""
    grade = grade_of(background, case)
    words = "{} did not finish importing".format(case.hostile.import_hangs)
    hung = [check for row in grade.rows() for check in row["checks"]
            if words in check["reason"]]
    waited = [check["id"] for check in hung
              if check["seconds"] >= HOSTILE_TIMEOUT]
    assert len(hung) > 1, "no check says: " + words
    assert len(waited) <= 1, waited


@pytest.mark.parametrize("case", IMPORT_HANGS)
def test_an_import_hang_is_charged_to_a_check_that_imports_the_file(
        background: Background, case: Case) -> None:
    """The one wait for a file whose import never ends is charged to a
    check that imports the file, never to a check of a task before it that
    does not: the pipeline, asking ahead whether the next checks will run,
    does not wait for the probe (waits_plugin.py logs where it is read)."""
    grade = grade_of(background, case)
    module = case.hostile.import_hangs[:-len(".py")]
    with open(background.tokens[case.key]["WAITS"]) as stream:
        reads = [json.loads(line) for line in stream]
    hung = [read["check"] for read in reads if read["hung"]]
    task_of = {check["id"]: TASKS_BY_KEY[row["task"]]
               for row in grade.rows() for check in row["checks"]}
    assert len(hung) == 1 and hung[0] in task_of, reads
    assert module in modules_needed(task_of[hung[0]]), hung[0]


@pytest.mark.parametrize("case", BY_ID)
def test_nothing_is_written_outside(background: Background,
                                    case: Case) -> None:
    """The folder is byte-identical; no marker or planted file exists."""
    grade_of(background, case)
    tokens = background.tokens[case.key]
    assert folders.digest(background.folders[case.key]) == \
        background.digests[case.key]
    assert not os.path.exists(tokens["MARKER"])
    strays = [os.path.join(place, name) for place in ("/tmp", "/dev/shm")
              for name in os.listdir(place) if tokens["TOKEN"] in name]
    assert strays == []


@pytest.mark.parametrize("case", BY_ID)
def test_no_process_is_left(background: Background, case: Case) -> None:
    """No process the hostile code started outlives its grade."""
    grade_of(background, case)
    assert left_running(background.tokens[case.key]["TOKEN"]) == []


def resources(background: Background, case: Case) -> List[Dict[str, Any]]:
    """Return the lines resources_plugin.py logged in a case's grade."""
    with open(background.tokens[case.key]["RESOURCES"]) as stream:
        return [json.loads(line) for line in stream]


@pytest.mark.parametrize("case", BY_ID)
def test_checker_keeps_no_descriptor_or_memory(background: Background,
                                               case: Case) -> None:
    """The checker's process ends the grade with exactly the descriptors it
    had before, never holds more than an honest grade between checks, and
    its memory after each check stays near that after its first."""
    grade_of(background, case)
    logged = resources(background, case)
    checks = [line for line in logged if line["moment"] == "check"]
    assert [line["moment"] for line in logged[:1] + logged[-1:]] == [
        "before", "after"] and checks
    before, after = logged[0], logged[-1]
    assert after["fds"] == before["fds"]
    assert {line["check"]: line["fds"] for line in checks
            if line["fds"] > before["fds"] + DESCRIPTOR_ROOM} == {}
    assert {line["check"] or line["moment"]: line["rss"] >> 20
            for line in checks + [after]
            if line["rss"] > checks[0]["rss"] + MEMORY_ROOM} == {}


@pytest.mark.parametrize("case", BY_ID)
def test_scorecard_file_is_the_checkers(background: Background,
                                        case: Case) -> None:
    """The JSON scorecard still holds what the checker wrote once no
    process of the case is left that could write it."""
    grade = grade_of(background, case)
    assert left_running(background.tokens[case.key]["TOKEN"]) == []
    with open(background.tokens[case.key]["JSON"],
              encoding="utf-8") as stream:
        assert json.load(stream) == grade.card


@pytest.mark.parametrize("case", BY_ID)
def test_output_carries_no_injection(background: Background,
                                     case: Case) -> None:
    """No workflow command but the checker's, no terminal escape, and one
    scorecard in the job summary."""
    grade = grade_of(background, case)
    assert "\x1b" not in grade.log
    commands = [line for line in grade.log.splitlines()
                if COMMAND.match(line) and not line.startswith(OUR_COMMAND)]
    assert commands == []
    with open(background.tokens[case.key]["SUMMARY"],
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


def left_running(token: str) -> List[str]:
    """Return the processes holding a word once they had PROCESS_WAIT
    seconds to go (at once when there are none)."""
    deadline = time.monotonic() + PROCESS_WAIT
    while processes_with(token) and time.monotonic() < deadline:
        time.sleep(0.05)
    return processes_with(token)

