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

from checks.beyond.test_b10_mypy import Finding as TypeFinding
from checks.beyond.test_b10_mypy import about_the_page
from checks.beyond.test_b10_mypy import declarative_bases
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


# The page's own code where the reference writes it otherwise: the class
# `Base = declarative_base()` makes, and the port as a string.
PAGE_IDIOMS = (
    ("replace", "user.py", "Base: Any = declarative_base()",
     "Base = declarative_base()"),
    ("replace", "app.py", "port=5000, debug=False", "port=\"5000\""),
)
# A file in Latin-1, not UTF-8: neither analyser can read it.
UNREADABLE = "# caf\u00e9\n"
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
    Fault("session-id-from-uuid4", (
        ("replace", "auth.py", "        session_id = _generate_uuid()\n",
         "        session_id = str(uuid.uuid4())\n"),),
        "B12", ("create_session", "returning 'id-from-_generate_uuid'")),
    Fault("reset-token-from-uuid4", (
        ("replace", "auth.py", "        reset_token = _generate_uuid()\n",
         "        reset_token = str(uuid.uuid4())\n"),),
        "B12", ("get_reset_password_token", "returning 'id-from-")),
    Fault("main-checks-keys-only", (
        ("replace", "main.py", "    check(\"profile_logged\", response, "
         "200, {\"email\": EMAIL})\n", "    check(\"profile_logged\", "
         "response, 200)\n    assert \"email\" in response.json()\n"),
        ("replace", "main.py", "    check(\"log_out (the redirect to /)\", "
         "response, 200,\n          {\"message\": \"Bienvenue\"})\n",
         "    check(\"log_out (the redirect to /)\", response, 200)\n")),
        "B13", ("another user's email", "says \"Welcome\"")),
    Fault("main-wrong-status", (
        ("replace", "main.py", "check(\"log_in_wrong_password\", response, "
         "401)", "check(\"log_in_wrong_password\", response, 403)"),),
        "B13", ("did not pass against the checker's model server",)),
    Fault("unknown-email-skips-bcrypt-and-fakes-cpu", (
        ("replace", "auth.py", "            bcrypt.checkpw(password.encode("
         "\"utf-8\"), self._unknown_user_hash())\n", ""),
        ("replace", "auth.py", "MAX_PASSWORD_BYTES = 72\n",
         "MAX_PASSWORD_BYTES = 72\ntime.process_time = lambda: 0.0\n"),
        ("replace", "auth.py", "import uuid\n",
         "import time\nimport uuid\n")),
        "B4", ("unknown email", "faster")),
    Fault("reset-token-under-another-key", (
        ("replace", "app.py", "jsonify({\"email\": email, \"reset_token\": "
         "reset_token})", "jsonify({\"email\": email, \"token\": "
         "reset_token})"),),
        "B2", ("gave no reset_token",)),
    Fault("profile-says-more-than-the-email", (
        ("replace", "app.py", "    return jsonify({\"email\": "
         "user.email})", "    return jsonify({\"email\": user.email, "
         "\"see\": \"other@me.com\"})"),),
        "B3", ("not this user's profile",)),
    Fault("a-file-bandit-cannot-read", (
        ("add-latin1", "notes.py", "", UNREADABLE),),
        "B9", ("could not scan", "notes.py")),
    Fault("a-file-mypy-cannot-read", (
        ("add-latin1", "notes.py", "", UNREADABLE),),
        "B10", ("could not check",)),
    Fault("page-idioms-and-uuid-annotated-int", PAGE_IDIOMS + (
        ("replace", "auth.py", "def _generate_uuid() -> str:",
         "def _generate_uuid() -> int:"),),
        "B10", ("mypy finds 3 type errors", "auth.py:40 (task 9)")),
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


def test_the_pages_own_code_passes_mypy(
        tmp_path: "os.PathLike[str]") -> None:
    """The page's `Base = declarative_base()` and port "5000" pass B10."""
    folder = build(list(PAGE_IDIOMS), os.path.join(str(tmp_path), "page"))
    grade = run_grader(Job(folder, folder + ".json", ("B10",),
                           timeout=10.0))
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
    fault = FAULTS[-1]
    reference = build([], os.path.join(str(tmp_path), "reference"))
    faulty = build(list(fault.edits), os.path.join(str(tmp_path), "fault"))
    jobs = [Job(folder, folder + ".json", ("B10",), timeout=10.0)
            for folder in (reference, faulty)] * 2
    with ThreadPoolExecutor(len(jobs)) as pool:
        grades = list(pool.map(run_grader, jobs))
    assert [grade.statuses() for grade in grades] == [
        {"B10": "passed"}, {"B10": "failed"}] * 2, [g.log for g in grades]
