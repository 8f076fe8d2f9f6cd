"""The beyond track's checks fail too: one realistic fault each.

The mutant campaign proves the exercise's checks (tasks 0-20); these
faults prove the beyond checks that a plain copy of the page's code would
not exercise, each graded on its own task only; and concurrent grades
sharing mypy's cache keep their own verdicts.
"""
import os
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple
from typing import Tuple

import pytest

from checks.selftest.folders import build
from checks.selftest.grading import Job
from checks.selftest.grading import run_grader


class Fault(NamedTuple):
    """An edit of the reference, the beyond task it fails, and the words
    its failure messages must hold."""

    id: str
    edits: Tuple[Tuple[str, str, str, str], ...]
    task: str
    words: Tuple[str, ...]


FAULTS = (
    Fault("cookie-without-flags", (
        ("replace", "app.py", "session_id, httponly=True,\n"
         "                        samesite=\"Lax\",\n", "session_id,\n"),),
        "B5", ("HttpOnly", "SameSite=Lax")),
    Fault("logout-keeps-the-cookie", (
        ("replace", "app.py", "    response.delete_cookie(SESSION_COOKIE, "
         "httponly=True, samesite=\"Lax\")\n", ""),),
        "B5", ("no session_id cookie", "Expires in the past")),
    Fault("users-without-field-checks", (
        ("replace", "app.py", "    if email is None or password is None:\n"
         "        return jsonify({\"message\": \"email and password are "
         "required\"}), 400\n", ""),),
        "B1", ("POST /users",)),
    Fault("uuid-annotated-int", (
        ("replace", "auth.py", "def _generate_uuid() -> str:",
         "def _generate_uuid() -> int:"),),
        "B10", ("mypy finds", "auth.py:", "(task 9)")),
)


@pytest.mark.parametrize("fault", FAULTS, ids=[f.id for f in FAULTS])
def test_a_beyond_fault_fails_its_task(fault: Fault,
                                       tmp_path: "os.PathLike[str]") -> None:
    """The fault fails its beyond task, saying what is wrong."""
    folder = build(list(fault.edits), os.path.join(str(tmp_path), fault.id))
    grade = run_grader(Job(folder, folder + ".json", (fault.task,),
                           timeout=10.0))
    assert grade.statuses() == {fault.task: "failed"}, grade.log
    messages = " ".join(grade.reasons(fault.task))
    assert [word for word in fault.words if word not in messages] == [], \
        messages


def test_concurrent_grades_get_their_own_mypy_verdicts(
        tmp_path: "os.PathLike[str]") -> None:
    """The reference and the mypy fault, graded at once on the shared
    mypy cache (same file names, sizes and seconds), keep their verdicts.
    """
    fault = FAULTS[-1]
    reference = build([], os.path.join(str(tmp_path), "reference"))
    faulty = build(list(fault.edits), os.path.join(str(tmp_path), "fault"))
    jobs = [Job(folder, folder + ".json", ("B10",), timeout=10.0)
            for folder in (reference, faulty)] * 2
    with ThreadPoolExecutor(len(jobs)) as pool:
        grades = list(pool.map(run_grader, jobs))
    assert [grade.statuses() for grade in grades] == [
        {"B10": "passed"}, {"B10": "failed"}] * 2, [g.log for g in grades]
