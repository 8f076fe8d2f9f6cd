"""Every mutant fails its tasks, blame stays there, and every check kills.

The mutants are graded once, in parallel (the `mutant_grades` fixture);
each test below reads those scorecards. A behaviour check is proven by a
mutant only when it fails on what it checks: a failure because the code it
runs does not import (the scorecard's "failure": "import") proves nothing.
"""
import json
import os
from collections import Counter
from typing import Dict

import pytest

from checks.harness.catalogue import TASKS_BY_KEY
from checks.harness.scorecard import CONTRACT
from checks.harness.scorecard import IMPORT
from checks.selftest import folders
from checks.selftest.campaign import Campaign
from checks.selftest.campaign import Run
from checks.selftest.campaign import killed
from checks.selftest.campaign import killers
from checks.selftest.grading import EXERCISE
from checks.selftest.grading import Grade
from checks.selftest.grading import canonical
from checks.selftest.mutants import MUTANTS
from checks.selftest.mutants import Mutant
from checks.selftest.notes import note

MIN_MUTANTS = 80
MIN_PER_TASK = 3
HARMLESS = ("passed", "blocked")  # a blocked dependant is the right blame
BY_ID = [pytest.param(mutant, id=mutant.id) for mutant in MUTANTS]
# The mutants whose module does not import, and the check that says so.
IMPORT_BREAKERS = [pytest.param(mutant, id=mutant.id) for mutant in MUTANTS
                   if mutant.id.endswith("-import-typo")]
IMPORT_CHECK = "_module_imports"


def collateral(mutant: Mutant, grade: Grade) -> Dict[str, str]:
    """Return the other tasks a mutant made fail, with their status."""
    return {key: status for key, status in grade.statuses().items()
            if key not in mutant.tasks and status not in HARMLESS}


def describe(mutant: Mutant, grade: Grade) -> str:
    """Say what a mutant did to the scorecard, for a failure message."""
    if grade.card is None:
        return "{}: no scorecard (rc {}):\n{}".format(
            mutant.id, grade.rc, grade.log)
    lines = ["{} ({}): rc {}".format(mutant.id, mutant.why, grade.rc)]
    for key, status in grade.statuses().items():
        lines.append("  task {}: {}".format(key, status))
        lines += ["      " + reason for reason in grade.reasons(key)[:3]]
    return "\n".join(lines)


def test_catalogue_is_large_and_spread() -> None:
    """The catalogue has 80+ mutants, unique ids, 3+ for every task."""
    ids = Counter(mutant.id for mutant in MUTANTS)
    assert [key for key, count in ids.items() if count > 1] == []
    assert len(MUTANTS) >= MIN_MUTANTS
    per_task = Counter(key for mutant in MUTANTS for key in mutant.tasks)
    assert {key: per_task[key] for key in EXERCISE
            if per_task[key] < MIN_PER_TASK} == {}
    assert {key for mutant in MUTANTS for key in mutant.tasks} <= set(
        TASKS_BY_KEY)
    assert {mutant.kind for mutant in MUTANTS} <= set(folders.KINDS)


@pytest.mark.parametrize("mutant", BY_ID)
def test_edit_applies_to_the_reference(mutant: Mutant) -> None:
    """Each edit's text occurs exactly once in the reference file."""
    for kind, file, old, new in mutant.edits():
        if kind == "add-file":
            continue
        text = folders.reference_text(file)
        if kind in ("replace", "docstring"):
            assert folders.edited(text, kind, file, old, new) != text


@pytest.mark.parametrize("mutant", BY_ID)
def test_mutant_is_killed(mutant: Mutant,
                          mutant_grades: Dict[str, Grade]) -> None:
    """The mutant fails each of its tasks."""
    grade = mutant_grades[mutant.id]
    assert killed(mutant, grade), describe(mutant, grade)


@pytest.mark.parametrize("mutant", BY_ID)
def test_blame_stays_on_its_tasks(mutant: Mutant,
                                  mutant_grades: Dict[str, Grade]) -> None:
    """Every other task graded passes, or is blocked by the mutant's tasks."""
    grade = mutant_grades[mutant.id]
    assert collateral(mutant, grade) == {}, describe(mutant, grade)
    elsewhere = {key: sorted(grade.blockers(key))
                 for key, status in grade.statuses().items()
                 if key not in mutant.tasks and status == "blocked"}
    assert {key: blockers for key, blockers in elsewhere.items()
            if not set(blockers) <= set(mutant.tasks)} == {}, \
        describe(mutant, grade)


def test_report_kill_rate_and_blame(mutant_runs: Dict[str, Run],
                                    request: pytest.FixtureRequest) -> None:
    """Every mutant is killed and blames only its tasks (100% each); the
    rates go to the report, and each mutant that escapes or blames others
    is named with where it surfaces."""
    alive = [mutant for mutant in MUTANTS
             if not killed(mutant, mutant_runs[mutant.id].grade)]
    blaming = [mutant for mutant in MUTANTS
               if collateral(mutant, mutant_runs[mutant.id].grade)]
    section = "mutants"
    note(request.config, section, "killed: {}/{} ({:.1f}%)".format(
        len(MUTANTS) - len(alive), len(MUTANTS),
        100.0 * (len(MUTANTS) - len(alive)) / len(MUTANTS)))
    note(request.config, section, "blame precision: {}/{} leave every other "
         "task passing or blocked".format(len(MUTANTS) - len(blaming),
                                          len(MUTANTS)))
    problems = []
    for mutant in alive:
        run = mutant_runs[mutant.id]
        surfaced = {key: status for key, status in (
            run.escape.statuses() if run.escape else {}).items()
            if status not in HARMLESS and key not in mutant.tasks}
        problems.append("not killed: {} -> {}; surfaces in {}".format(
            mutant.id, {key: run.grade.statuses().get(key)
                        for key in mutant.tasks},
            surfaced or "no other task"))
    for mutant in blaming:
        problems.append("blames others: {} -> {}".format(
            mutant.id, collateral(mutant, mutant_runs[mutant.id].grade)))
    for line in problems:
        note(request.config, section, line)
    assert problems == []


def test_usage_is_measured_on_a_passing_reference(
        campaign_done: Campaign) -> None:
    """The instrumented reference passes, so its usage map is complete."""
    grade = campaign_done.usage_grade
    assert set(grade.statuses().values()) == {"passed"}, grade.log
    assert campaign_done.used


def test_no_mutant_causes_a_checker_error(
        mutant_grades: Dict[str, Grade]) -> None:
    """No mutant makes the checker report an error of its own."""
    errors = ["{} {}: {}".format(mutant_id, check, status)
              for mutant_id, grade in mutant_grades.items()
              for check, status in grade.checks().items()
              if status == "checker error"]
    assert errors == []


@pytest.mark.parametrize("mutant", IMPORT_BREAKERS)
def test_an_import_failure_proves_only_the_import_check(
        mutant: Mutant, mutant_grades: Dict[str, Grade]) -> None:
    """A module that does not import fails its task's import check on its
    contract, and the task's other behaviour checks by the import only."""
    rows = [row for row in mutant_grades[mutant.id].rows()
            if row["task"] in mutant.tasks]
    failed = {canonical(check["id"]): check.get("failure") for row in rows
              for check in row["checks"] if check["kind"] == "behaviour"
              and check["status"] == "failed"}
    assert {check for check, failure in failed.items()
            if failure == CONTRACT} == {
        check for check in failed if check.endswith(IMPORT_CHECK)}, failed
    assert len([check for check in failed if check.endswith(IMPORT_CHECK)]
               ) == 1, failed
    assert IMPORT in failed.values(), failed


def test_every_check_is_killed(golden: Grade, campaign_done: Campaign,
                               request: pytest.FixtureRequest) -> None:
    """Every check of tasks 0-20 fails on what it checks on some mutant.

    A behaviour check counts a mutant only when it failed on its contract
    (not because the code it runs does not import). Each check's killers
    are written to killers.json beside the campaign's summary.
    """
    found = killers(campaign_done.runs)
    scope = [canonical(check["id"])
             for row in (golden.card or {}).get("tasks", [])
             if row["task"] in EXERCISE for check in row["checks"]]
    assert scope, "the golden run produced no scorecard"
    report = {check: sorted(found.get(check, [])) for check in scope}
    path = os.path.join(campaign_done.root, "killers.json")
    with open(path, "w", encoding="utf-8") as stream:
        json.dump(report, stream, indent=1)
    survivors = [check for check, mutants in report.items() if not mutants]
    note(request.config, "mutants", "checks failed on their contract by "
         "some mutant: {}/{} (fewest killers: {}); each check's killers in "
         "{}".format(len(scope) - len(survivors), len(scope), min(
             len(mutants) for mutants in report.values()), path))
    for check in survivors:
        note(request.config, "checks no mutant kills", check)
    assert survivors == []
