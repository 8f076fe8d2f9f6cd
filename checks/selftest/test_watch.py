"""Watch mode: what it regrades after an edit, what it prints, and that it
lives through a learner's day (syntax errors, deleted files, a folder
renamed under it) and ends cleanly on Ctrl-C.

The first tests are pure (the plan and the text); the last ones drive
`python -m checks.watch` on a copy of the reference, as a learner would.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from typing import Callable
from typing import Iterator
from typing import List

import pytest

from checks.harness.catalogue import EXERCISE
from checks.harness.sandbox import temp_base
from checks.selftest.folders import REFERENCE
from checks.selftest.folders import REPO_ROOT
from checks.selftest.folders import copy_reference
from checks.selftest.folders import reference_text
from checks.selftest.watching import Watch
from checks.selftest.watching import leftovers
from checks.selftest.watching import processes_naming
from checks.watch import changes
from checks.watch import updates
from checks.watch.updates import TaskResult

AUTH = reference_text("auth.py").encode()
APP = reference_text("app.py").encode()
USER = reference_text("user.py").encode()
# The watch's line for a grade that broke, and for a save it noticed.
FAILED_GRADE = "ended without a scorecard"
SAVE_NOTICED = re.compile(r"\[\d\d:\d\d:\d\d\] .* changed$")
RETRY_CHANCES = 3  # failed grades' worth of time given to a retry
MIN_RETRY_WAIT = 1.0  # seconds, at least (twice the watch's idle look)
VALID_LOGIN = b'return bcrypt.checkpw(password.encode("utf-8"), stored)'
BROKEN_LOGIN = b'return not bcrypt.checkpw(password.encode("utf-8"), stored)'


def folder_of(**files: bytes) -> changes.Snapshot:
    """Return a snapshot of files named like keyword arguments (user_py)."""
    return {name.replace("_", "."): (text, 0o100644)
            for name, text in files.items()}


def test_an_edited_method_edits_its_task_only() -> None:
    """Changing Auth.valid_login's code edits task 8, nothing else."""
    assert changes.edited_tasks("auth.py", AUTH, AUTH.replace(
        VALID_LOGIN, BROKEN_LOGIN)) == {"8"}


def test_moving_code_is_no_edit() -> None:
    """Blank lines and comments change no definition's code."""
    moved = AUTH.replace(b"\nclass Auth", b"\n# a comment\n\nclass Auth")
    assert changes.edited_tasks("auth.py", AUTH, moved) == set()


@pytest.mark.parametrize("edit, why", [
    (lambda text: text + b"\nimport os\n", "module-level code"),
    (lambda text: text + b"\n\ndef helper():\n    pass\n", "a new helper"),
    (lambda text: text + b"\ndef broken(:\n", "a syntax error"),
])
def test_code_outside_the_tasks_is_the_files_first_task(
        edit: Callable[[bytes], bytes], why: str) -> None:
    """Module code, unused helpers and syntax errors edit task 4, which
    creates auth.py (its import check and gates)."""
    assert changes.edited_tasks("auth.py", AUTH, edit(AUTH)) == {"4"}, why


def test_a_helper_edits_the_tasks_that_call_it() -> None:
    """A helper called by valid_login edits task 8."""
    before = AUTH.replace(VALID_LOGIN, b"return _check(password, stored)") \
        + b"\n\ndef _check(password, stored):\n    return True\n"
    after = before.replace(b"    return True\n", b"    return False\n")
    assert changes.edited_tasks("auth.py", before, after) == {"8"}


def test_a_file_that_comes_or_goes_edits_all_its_tasks() -> None:
    """A deleted db.py edits tasks 1-3 and B11."""
    assert changes.edited_tasks("db.py", b"", None) == {"1", "2", "3",
                                                        "B11"}


def test_a_view_is_found_by_its_route_whatever_its_name() -> None:
    """A renamed view of POST /sessions is task 11's code."""
    renamed = APP.replace(b"def login(", b"def sign_in(").replace(
        b"= login(", b"= sign_in(")
    edited = renamed.replace(b'"logged in"', b'"signed in"')
    assert changes.edited_tasks("app.py", renamed, edited) == {"11"}


def test_a_file_that_stops_importing_regrades_its_importers() -> None:
    """A syntax error in user.py: task 0 first, then every task of the
    files that import it (auth.py's task 4 included) and their users."""
    plan = changes.plan(folder_of(user_py=USER),
                        folder_of(user_py=USER + b"x = (\n"),
                        set(EXERCISE))
    assert plan is not None
    assert plan.edited == ("0",)
    assert {"1", "4", "6", "9", "19", "20"} <= set(plan.consequences)
    assert "0" not in plan.consequences


def test_the_readme_edits_task_0_and_other_notes_nothing() -> None:
    """README.md is task 0's (a requirement gate); NOTES.md no one's."""
    readme = changes.plan({}, folder_of(README_md=b"# 0x03\n"), {"0", "1"})
    assert readme is not None and readme.edited == ("0",)
    assert changes.plan({}, folder_of(NOTES_md=b"notes\n"), {"0"}) is None


def test_a_snapshot_never_opens_a_fifo_or_follows_a_link(
        tmp_path: "os.PathLike[str]") -> None:
    """A FIFO named like a module would block a reader: only its mode is
    taken; a link is not followed (the checker does not read either)."""
    folder = str(tmp_path)
    os.mkfifo(os.path.join(folder, "app.py"))
    os.symlink("/etc/hostname", os.path.join(folder, "user.py"))
    with open(os.path.join(folder, "db.py"), "wb") as stream:
        stream.write(b"x = 1\n")
    found = changes.snapshot(folder)
    assert found["app.py"][0] == b"" and found["db.py"][0] == b"x = 1\n"
    assert "user.py" not in found


def test_an_unchanged_folder_plans_nothing() -> None:
    """Saving a file unchanged regrades nothing."""
    same = folder_of(auth_py=AUTH)
    assert changes.plan(same, dict(same), {"8"}) is None


def test_a_mode_change_edits_the_files_tasks() -> None:
    """chmod -x of app.py edits its tasks (the shebang gate reads it)."""
    after = {"app.py": (APP, 0o100755)}
    plan = changes.plan(folder_of(app_py=APP), after, {"6", "7", "20"})
    assert plan is not None and plan.edited == ("6", "7")
    assert plan.consequences == ("20",)


def test_ranges_group_consecutive_tasks() -> None:
    """Task keys print as ranges, the beyond track apart."""
    assert updates.ranges(["0", "1", "2", "4", "20", "B1", "B2"]) == \
        "0-2, 4, 20, B1-B2"


def test_changes_say_what_changed_grouped_with_the_reason() -> None:
    """Two tasks blocked alike share a line; an unchanged one is silent."""
    before = {key: TaskResult("passed", 5, 5, "") for key in "123"}
    after = dict(before, **{key: TaskResult("blocked", 1, 5, "needs 0")
                            for key in "12"})
    assert updates.changes(before, after, "123") == [
        "tasks 1-2: passed {} blocked: needs 0".format(updates.arrow())]


def test_the_summary_names_the_first_failure_and_what_to_do() -> None:
    """The lowest failing task's reason, then the next task to fix."""
    results = {"0": TaskResult("passed", 1, 1, ""),
               "1": TaskResult("not started", 0, 1, "not started"),
               "2": TaskResult("failed", 0, 1, "expected 200, got 500")}
    assert updates.summary(results) == [
        "first failure: task 2 (Find user): expected 200, got 500",
        "next: start task 1 (create user)"]


def test_the_summary_says_when_everything_passes() -> None:
    """With every graded task passed there is nothing next."""
    results = {"0": TaskResult("passed", 1, 1, "")}
    assert updates.summary(results) == ["every graded task passes (0)"]


@pytest.fixture
def watched(tmp_path: "os.PathLike[str]") -> Iterator[Watch]:
    """Watch tasks 0-9 of a copy of the reference; end it afterwards."""
    folder = copy_reference(os.path.join(str(tmp_path), "solution"))
    # Where the watch's grades keep their files: a folder the sandboxes'
    # unprivileged workers can reach (tmp_path's parents are private).
    temp = tempfile.mkdtemp(prefix="watch-test-", dir=temp_base())
    os.chmod(temp, 0o755)
    watch = Watch(folder, temp, "--task", "0-9")
    try:
        watch.wait_for("] watching ")
        yield watch
    finally:
        watch.close()
        shutil.rmtree(temp, ignore_errors=True)


def save(watch: Watch, file: str, old: bytes, new: bytes) -> None:
    """Replace text in a file of the watched folder, as an editor saves."""
    path = os.path.join(watch.folder, file)
    with open(path, "rb") as stream:
        text = stream.read()
    assert old in text
    with open(path, "wb") as stream:
        stream.write(text.replace(old, new))


def test_a_save_regrades_the_edited_task_first(watched: Watch) -> None:
    """Breaking valid_login fails task 8 in the first update; fixing it
    passes it again."""
    save(watched, "auth.py", VALID_LOGIN, BROKEN_LOGIN)
    first = watched.wait_for("the edited task(s) 8 (")
    assert first[0].endswith("auth.py changed"), first
    assert watched.wait_for("task 8: passed")[-1].strip().startswith(
        "task 8: passed {} failed: ".format(updates.arrow()))
    watched.wait_for("next: fix task 8 (Credentials validation)")
    save(watched, "auth.py", BROKEN_LOGIN, VALID_LOGIN)
    watched.wait_for("task 8: failed {} passed".format(updates.arrow()))


def test_it_lives_through_a_syntax_error_and_a_deleted_file(
        watched: Watch) -> None:
    """A syntax error blocks what imports the file; a deleted file's
    tasks are not started; both recover."""
    save(watched, "user.py", b'__tablename__ = "users"',
         b'__tablename__ = ("users"')
    watched.wait_for("task 0: passed {} failed: import user raised "
                     "SyntaxError".format(updates.arrow()))
    watched.wait_for("blocked: user.py does not import")
    save(watched, "user.py", b'__tablename__ = ("users"',
         b'__tablename__ = "users"')
    watched.wait_for("task 0: failed {} passed".format(updates.arrow()))
    watched.wait_for("tasks 1-9: blocked {} passed".format(updates.arrow()))
    os.remove(os.path.join(watched.folder, "db.py"))
    watched.wait_for("tasks 1-3: passed {} not started".format(
        updates.arrow()))


def retries(lines: List[str]) -> List[str]:
    """Return the grades that ended without a scorecard with no save
    noticed since the grade before: each must follow its own save."""
    found, saved = [], False
    for line in lines:
        if SAVE_NOTICED.match(line):
            saved = True
        elif FAILED_GRADE in line:
            if not saved:
                found.append(line)
            saved = False
    return found


def test_a_folder_emptied_waits_for_the_next_save(watched: Watch) -> None:
    """With every file deleted the grade cannot run: it says so once,
    then waits; a file saved again resumes grading.

    "No retry" is judged on every line from the deletion to the grade of
    the next save (the event that ends the wait), so a late line is never
    missed; before that save the watch is given time for a retry to show:
    a few times what the failed grade took, as a retry is the same
    grade."""
    for name in ("user.py", "db.py", "auth.py", "app.py", "main.py"):
        os.remove(os.path.join(watched.folder, name))
    window = watched.wait_for(FAILED_GRADE)
    assert window[-1].endswith("waiting for the next save"), window
    took = watched.seconds_between(" changed", FAILED_GRADE)
    time.sleep(max(RETRY_CHANCES * took, MIN_RETRY_WAIT))
    shutil.copy2(os.path.join(REFERENCE, "user.py"), watched.folder)
    window += watched.wait_for("] user.py changed")
    assert retries(window) == [], window
    update = watched.wait_for("tasks 1-9: passed {} not started".format(
        updates.arrow()))
    assert not any(line.strip().startswith("task 0:") for line in update)


def test_it_waits_for_a_folder_renamed_away(watched: Watch) -> None:
    """A folder renamed away and back is graded again, not a crash."""
    folder = watched.folder
    shutil.move(folder, folder + "-moved")
    watched.wait_for("is gone (renamed or deleted)")
    shutil.move(folder + "-moved", folder)
    watched.wait_for("is back")
    watched.wait_for("] watching ")
    assert watched.process.poll() is None


def test_ctrl_c_ends_it_with_nothing_left(watched: Watch) -> None:
    """Ctrl-C during a grade: exit 0, no process, no temporary file."""
    save(watched, "db.py", b"class DB", b"class DB(object)")
    watched.wait_for("db.py changed")
    assert watched.interrupt() == 0
    watched.wait_for("stopped watching")
    assert leftovers(watched.temp) == []


def test_a_killed_watch_leaves_nothing_running(watched: Watch) -> None:
    """kill -9 of the watch during a grade: the grade (it dies with its
    parent), the sandboxes and the zygote (its owner is gone) end too."""
    save(watched, "auth.py", VALID_LOGIN, BROKEN_LOGIN)
    watched.wait_for("auth.py changed")
    os.kill(watched.process.pid, signal.SIGKILL)
    watched.process.wait()
    assert leftovers(watched.temp) == []
    assert processes_naming(watched.folder) == []


CANCELLING = """
import json, sys, time
from checks.harness.warm import WarmGrader
grader = WarmGrader()
args = ["checks", "-q", "-p", "no:cacheprovider", "--solution", sys.argv[1],
        "--scorecard-json", sys.argv[2]]
for delay in (0.2, 0.4, 0.6, 0.8, 1.0):
    started = time.monotonic()
    grader.run(args + ["--task", "0-9"], sys.argv[3], 60,
               lambda: time.monotonic() - started > delay)
status = grader.run(args + ["--task", "0-2"], sys.argv[3], 120)
print(json.dumps({"status": status, "zygote": grader.zygote.process.poll()}))
grader.close()
"""


def test_cancelled_grades_leave_the_warm_grader_working(
        tmp_path: "os.PathLike[str]") -> None:
    """Grades killed at any moment (a save during a grade) leave the
    shared zygote serving: the next grade passes the reference."""
    folder = copy_reference(os.path.join(str(tmp_path), "solution"))
    scorecard = os.path.join(str(tmp_path), "scorecard.json")
    done = subprocess.run(
        [sys.executable, "-c", CANCELLING, folder, scorecard,
         os.path.join(str(tmp_path), "log")], cwd=REPO_ROOT,
        env=dict(os.environ, CHECKS_HISTORY_DIR="off"),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        universal_newlines=True, timeout=300)
    assert json.loads(done.stdout.splitlines()[-1]) == {
        "status": 0, "zygote": None}, done.stdout
    statuses = updates.read_results(scorecard)
    assert [statuses[key].status for key in "012"] == ["passed"] * 3
