"""Correct solutions in every style pass; near misses fail, saying why.

The gallery (gallery.py) is graded on this stack, in parallel with the
rest of the self-tests. A correct solution must pass every behaviour check
of tasks 0-20 and fail no requirement but those it breaks on purpose; a
near miss must fail its task with a message that holds its words, and the
other tasks graded with it must be failed or blocked as it says: blocked
only by the task whose failure explains them.
"""
import os
import shutil
from typing import Any
from typing import Dict
from typing import List

import pytest

from checks.harness.diagnose import dist_version
from checks.selftest import folders
from checks.selftest.gallery import GALLERY
from checks.selftest.gallery import GALLERY_ROOT
from checks.selftest.gallery import NEAR_MISSES
from checks.selftest.gallery import Also
from checks.selftest.gallery import Correct
from checks.selftest.gallery import NearMiss
from checks.selftest.grading import EXERCISE
from checks.selftest.grading import Grade
from checks.selftest.grading import Job
from checks.selftest.grading import canonical
from checks.selftest.pool import Pool

STACK = "graded" if dist_version("SQLAlchemy").startswith("1.3") else \
    "current"
CORRECT = [pytest.param(correct, id=correct.name) for correct in GALLERY]
NEAR = [pytest.param(near, id=near.id) for near in NEAR_MISSES]
ALSO = [pytest.param(near, also, id="{}-task-{}".format(near.id, also.task))
        for near in NEAR_MISSES for also in near.also]


def near_miss_folder(near: NearMiss, root: str) -> str:
    """Copy a gallery folder and make the near miss's edits."""
    target = os.path.join(root, near.id)
    shutil.copytree(os.path.join(GALLERY_ROOT, near.base), target)
    for file, old, new in near.edits:
        path = os.path.join(target, file)
        folders.write(path, folders.edit_text(folders.read(path), old, new,
                                              near.id + ":" + file))
    return target


@pytest.fixture(scope="session")
def gallery_grades(pool: Pool, tmp_path_factory: pytest.TempPathFactory
                   ) -> Dict[str, Grade]:
    """Every correct solution graded in full, every near miss on its task.
    """
    root = str(tmp_path_factory.mktemp("gallery"))
    futures = {correct.name: pool.submit(Job(
        correct.folder, os.path.join(root, correct.name + ".json"),
        EXERCISE)) for correct in GALLERY}
    futures.update({near.id: pool.submit(Job(
        near_miss_folder(near, root), os.path.join(root, near.id + ".json"),
        near.tasks)) for near in NEAR_MISSES})
    return {key: future.result() for key, future in futures.items()}


def failed_checks(grade: Grade, kind: str) -> Dict[str, str]:
    """Return the checks of a kind that did not pass, with their reasons."""
    return {canonical(check["id"]): check["reason"]
            for row in grade.rows() for check in row["checks"]
            if check["kind"] == kind and check["status"] != "passed"}


@pytest.mark.parametrize("correct", CORRECT)
def test_passes_every_behaviour_check(correct: Correct,
                                      gallery_grades: Dict[str, Grade]
                                      ) -> None:
    """A correct solution passes every behaviour check of its stacks."""
    grade = gallery_grades[correct.name]
    assert grade.card is not None, grade.log
    if STACK not in correct.stacks:
        pytest.skip("{} is written for the {} stack only".format(
            correct.name, " and ".join(correct.stacks)))
    assert failed_checks(grade, "behaviour") == {}


@pytest.mark.parametrize("correct", CORRECT)
def test_fails_only_the_requirements_it_breaks(
        correct: Correct, gallery_grades: Dict[str, Grade]) -> None:
    """No requirement fails but those the solution breaks on purpose."""
    grade = gallery_grades[correct.name]
    assert grade.card is not None, grade.log
    if STACK not in correct.stacks:
        pytest.skip("{} is written for the {} stack only".format(
            correct.name, " and ".join(correct.stacks)))
    assert sorted(failed_checks(grade, "requirement")) == \
        sorted(correct.failing)


@pytest.mark.parametrize("correct", [
    pytest.param(correct, id=correct.name) for correct in GALLERY
    if STACK not in correct.stacks])
def test_other_stack_is_named(correct: Correct,
                              gallery_grades: Dict[str, Grade]) -> None:
    """A solution for the other stack fails with a hint that names it."""
    grade = gallery_grades[correct.name]
    assert grade.card is not None, grade.log
    assert grade.statuses()["0"] == "failed"
    reasons = " ".join(check["reason"] for row in grade.rows()
                       for check in row["checks"])
    assert "{} stack".format(STACK) in grade.log, reasons


@pytest.mark.parametrize("near", NEAR)
def test_near_miss_fails_its_task_saying_why(
        near: NearMiss, gallery_grades: Dict[str, Grade]) -> None:
    """A near miss fails its task, and the message says what is wrong."""
    grade = gallery_grades[near.id]
    assert grade.card is not None, grade.log
    assert grade.statuses() == near.statuses(), grade.log
    messages = " ".join(grade.reasons(near.task))
    assert [word for word in near.words if word not in messages] == [], \
        messages


def unpassed(grade: Grade, task: str) -> List[Dict[str, Any]]:
    """Return the checks of a task that did not pass."""
    return [check for row in grade.rows() if row["task"] == task
            for check in row["checks"] if check["status"] != "passed"]


@pytest.mark.parametrize("near, also", ALSO)
def test_blame_is_causal(near: NearMiss, also: Also,
                         gallery_grades: Dict[str, Grade]) -> None:
    """A task graded with a near miss is blocked only by the task that
    explains its failure, by the rule expected; one failing of itself is
    failed, with its own message."""
    grade = gallery_grades[near.id]
    assert grade.card is not None, grade.log
    checks = unpassed(grade, also.task)
    assert {check["status"] for check in checks} == {also.status}, checks
    messages = " ".join(grade.reasons(also.task))
    assert [word for word in also.words if word not in messages] == [], \
        messages
    blames = {(check["blame"] or {}).get("by") for check in checks}
    assert blames == {also.by or None}, checks
    rules = {(check["blame"] or {}).get("rule") for check in checks}
    assert not also.rule or rules == {also.rule}, checks
