"""The beyond track's checks fail too: realistic faults, every check killed.

The mutant campaign proves the exercise's checks (tasks 0-20); the faults
of beyond_faults.py prove the beyond checks, each graded on its own task
only: every check of the reference's beyond scorecard fails on at least one
of them, by behaviour (code that imports fine, wrong as the check says).
Also: mypy excuses only the page's own idioms, and concurrent grades
sharing mypy's cache keep their own verdicts.
"""
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Dict
from typing import List
from typing import Tuple

import pytest

from checks.beyond.test_b10_mypy import Finding as TypeFinding
from checks.beyond.test_b10_mypy import about_the_page
from checks.beyond.test_b10_mypy import declarative_bases
from checks.harness import scorecard
from checks.harness.catalogue import TASKS
from checks.harness.plugin import CHECK_TIMEOUT
from checks.selftest.beyond_faults import FAULTS
from checks.selftest.beyond_faults import PAGE_IDIOMS
from checks.selftest.beyond_faults import Fault
from checks.selftest.folders import build
from checks.selftest.grading import Grade
from checks.selftest.grading import Job
from checks.selftest.grading import canonical
from checks.selftest.grading import run_grader
from checks.selftest.notes import note
from checks.selftest.pool import Pool

FAULTS_BY_ID = {fault.id: fault for fault in FAULTS}
REFERENCE = "reference"
PAGE = "page-idioms"
# app.py raising as it is imported: the beyond checks that use the app must
# be blocked by it (its own task says why), not fail as if they were wrong.
NO_APP = "app-does-not-import"
APP_ANCHOR = "from auth import Auth\n"
NO_APP_EDIT = ("replace", "app.py", APP_ANCHOR, APP_ANCHOR +
               "raise RuntimeError(\"app.py is broken on purpose\")\n")
BEYOND = tuple(task.key for task in TASKS if task.track == "beyond")


@pytest.fixture(scope="module")
def grades(pool: Pool, tmp_path_factory: pytest.TempPathFactory
           ) -> Dict[str, Grade]:
    """The reference graded on the beyond track, each fault on its task
    and the page's idioms on B10, all at once on the warm fork servers."""
    root = str(tmp_path_factory.mktemp("beyond"))
    jobs = {REFERENCE: ([], BEYOND), PAGE: (list(PAGE_IDIOMS), ("B10",)),
            NO_APP: ([NO_APP_EDIT], ("6",) + BEYOND)}
    jobs.update((fault.id, (list(fault.edits), (fault.task,)))
                for fault in FAULTS)
    futures = {}
    for key, (edits, tasks) in jobs.items():
        folder = build(edits, os.path.join(root, key))
        futures[key] = pool.submit(Job(folder, folder + ".json", tasks,
                                       timeout=CHECK_TIMEOUT))
    return {key: future.result() for key, future in futures.items()}


def failed_by_behaviour(grade: Grade) -> Dict[str, str]:
    """Return the checks a grade failed on what they check, by id, with
    their reasons: not those that failed because a module of the
    learner's did not import (the scorecard's "failure" says which)."""
    return {canonical(check["id"]): check["reason"]
            for row in grade.rows() for check in row["checks"]
            if check["status"] == "failed" and
            check.get("failure") == scorecard.CONTRACT}


def test_faults_are_many_and_named_once() -> None:
    """Every beyond task has a fault; no two faults share an id."""
    assert sorted({fault.task for fault in FAULTS}) == sorted(BEYOND)
    assert len({fault.id for fault in FAULTS}) == len(FAULTS)


@pytest.mark.parametrize("fault", FAULTS, ids=[f.id for f in FAULTS])
def test_a_beyond_fault_fails_its_checks(fault: Fault,
                                         grades: Dict[str, Grade]) -> None:
    """The fault fails its beyond task: exactly the checks it names, each
    by behaviour, saying what is wrong."""
    grade = grades[fault.id]
    assert grade.statuses() == {fault.task: "failed"}, grade.log
    failed = sorted(check.split("::")[-1] for check, status in
                    grade.checks().items() if status != "passed")
    assert failed == sorted(fault.kills), grade.reasons(fault.task)
    by_behaviour = failed_by_behaviour(grade)
    assert sorted(check.split("::")[-1] for check in by_behaviour) == \
        sorted(fault.kills), by_behaviour
    messages = " ".join(grade.reasons(fault.task))
    assert [word for word in fault.words if word not in messages] == [], \
        messages


def test_an_app_that_does_not_import_fails_no_beyond_check(
        grades: Dict[str, Grade]) -> None:
    """With app.py raising at import (task 6 fails, saying so), every
    beyond check is blocked (the checks that use the app, whatever file
    their fix is in) or passes: none fails, as one would if its task did
    not declare that it uses the app."""
    grade = grades[NO_APP]
    assert grade.card is not None, grade.log
    assert grade.statuses()["6"] == "failed", grade.log
    beyond = [row for row in grade.rows() if row["task"] in BEYOND]
    failed = {check: reason for row in beyond
              for check, reason in ((each["id"], each["reason"])
                                    for each in row["checks"]
                                    if each["status"] == "failed")}
    assert failed == {}
    blocked = [row["task"] for row in beyond if row["status"] == "blocked"]
    assert "B4" in blocked and all(
        "app.py does not import" in reason for task in blocked
        for reason in grade.reasons(task)), grade.log


def survivors(checks: List[str], fault_grades: Dict[str, Grade]
              ) -> List[str]:
    """Return the checks that no fault's grade fails by behaviour."""
    killed = {check for grade in fault_grades.values()
              for check in failed_by_behaviour(grade)}
    return [check for check in checks if check not in killed]


def test_every_beyond_check_is_killed(grades: Dict[str, Grade],
                                      request: pytest.FixtureRequest
                                      ) -> None:
    """Every check of the reference's beyond scorecard fails, by
    behaviour and not for an import error, on at least one fault."""
    reference = grades[REFERENCE]
    assert {row["task"] for row in reference.rows()} == set(BEYOND), \
        reference.log
    left = survivors(sorted(reference.checks()), {
        fault.id: grades[fault.id] for fault in FAULTS})
    for check in left:
        note(request.config, "beyond checks no fault kills", check)
    assert left == [], "beyond checks no fault fails by behaviour: " \
        "{}".format(", ".join(left))


def card(*checks: Tuple[str, str, str]) -> Grade:
    """Return a grade of B5 whose checks have these ids, statuses and
    failures."""
    return Grade(1, {"tasks": [{"task": "B5", "status": "failed", "checks": [
        {"id": check, "status": status, "failure": failure, "reason": ""}
        for check, status, failure in checks]}]}, 0.0, "")


def test_an_import_failure_kills_no_check() -> None:
    """A check that fails because a module did not import, or that is
    blocked, is not killed; one that fails on what it tests is."""
    httponly, samesite, logout = [
        "checks/beyond/test_b5_cookie_flags.py::test_" + name for name in (
            "session_cookie_is_httponly", "session_cookie_is_samesite",
            "logout_clears_the_cookie")]
    grades = {"typo": card(
        (httponly, "failed", scorecard.IMPORT),
        (samesite, "failed", scorecard.IMPORT),
        (logout, "blocked", scorecard.CONTRACT))}
    checks = [httponly, samesite, logout]
    assert survivors(checks, grades) == checks
    grades["flag"] = card((samesite, "failed", scorecard.CONTRACT))
    assert survivors(checks, grades) == [httponly, logout]


def test_the_pages_own_code_passes_mypy(grades: Dict[str, Grade]) -> None:
    """The page's `Base = declarative_base()` and port "5000" pass B10."""
    grade = grades[PAGE]
    assert grade.statuses() == {"B10": "passed"}, grade.reasons("B10")


@pytest.mark.parametrize("source", [
    "from sqlalchemy.ext.declarative import declarative_base\n"
    "Base = declarative_base()\n",
    "from sqlalchemy.orm import declarative_base as make\nBase = make()\n",
    "import sqlalchemy.ext.declarative\n"
    "Base = sqlalchemy.ext.declarative.declarative_base()\n",
    "from sqlalchemy.ext import declarative\n"
    "Base = declarative.declarative_base()\n",
], ids=["page", "alias", "module", "submodule"])
def test_a_declarative_base_is_found_however_imported(source: str) -> None:
    """Each way of importing declarative_base binds user.Base to it."""
    assert declarative_bases("user", source) == {"user.Base"}


def test_mypy_excuses_only_the_pages_idioms() -> None:
    """A base class of the learner's own making stays a finding."""
    bases = declarative_bases("user", "def declarative_base() -> type:\n"
                              "    return object\n\n\n"
                              "Base = declarative_base()\n")
    assert bases == set()
    errors = [TypeFinding("user.py", 9, 'Variable "user.Base" is not valid '
                          'as a type  [valid-type]', "0"),
              TypeFinding("user.py", 9, 'Invalid base class "Base"  [misc]',
                          "0"),
              TypeFinding("app.py", 97, 'Argument "port" to "run" of '
                          '"Flask" has incompatible type "str | None"; '
                          'expected "int | None"  [arg-type]', "6")]
    assert about_the_page(errors, bases) == []
    assert about_the_page(errors, {"user.Base"}) == errors[:2]


def test_concurrent_grades_get_their_own_mypy_verdicts(
        tmp_path: "os.PathLike[str]") -> None:
    """The reference and the mypy fault, graded at once on the shared
    mypy cache (same file names, sizes and seconds), keep their verdicts.
    """
    fault = FAULTS_BY_ID["uuid-annotated-int"]
    reference = build([], os.path.join(str(tmp_path), "reference"))
    faulty = build(list(fault.edits), os.path.join(str(tmp_path), "fault"))
    jobs = [Job(folder, folder + ".json", ("B10",), timeout=CHECK_TIMEOUT)
            for folder in (reference, faulty)] * 2
    with ThreadPoolExecutor(len(jobs)) as pool:
        grades = list(pool.map(run_grader, jobs))
    assert [grade.statuses() for grade in grades] == [
        {"B10": "passed"}, {"B10": "failed"}] * 2, [g.log for g in grades]
