"""The grading command as a newcomer types it: wrong paths, wrong keys,
the history of regressions.

A mistyped `--solution` must not grade as "nothing started, exit 0": it is
a usage error in one line that says what was given and what was expected.
"""
import os
import subprocess
import sys
from typing import List
from xml.etree import ElementTree

import pytest

from checks.selftest.folders import REPO_ROOT
from checks.selftest.folders import build
from checks.selftest.folders import copy_reference
from checks.selftest.grading import Job
from checks.selftest.grading import quiet_env
from checks.selftest.grading import run_grader
from checks.selftest.mutants import MUTANTS

USAGE_ERROR = 4  # pytest's exit status for a usage error


def grade_command(args: List[str], cwd: str = REPO_ROOT
                  ) -> "subprocess.CompletedProcess[str]":
    """Run the grading command with these checker arguments."""
    return subprocess.run(
        [sys.executable, "-m", "pytest", "checks", "-p", "no:cacheprovider",
         "-q"] + args, cwd=cwd, env=quiet_env(), stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, universal_newlines=True, timeout=120)


def error_lines(output: str) -> List[str]:
    """Return the lines pytest printed as errors."""
    return [line for line in output.splitlines() if "ERROR" in line]


@pytest.mark.parametrize("given, expected", [
    ("0x03-user_authentication_servic",
     "no such folder; did you mean ./0x03-user_authentication_service?"),
    (".", "holds none of the exercise's files (app.py, auth.py, db.py, "
          "main.py, user.py); did you mean "
          "./0x03-user_authentication_service?"),
    ("README.md", "a file, not a folder"),
])
def test_a_wrong_solution_path_is_a_usage_error(given: str,
                                                expected: str) -> None:
    """A typo, the repository root or a file: non-zero, one clear line."""
    result = grade_command(["--solution", given])
    assert result.returncode == USAGE_ERROR, result.stdout
    errors = error_lines(result.stdout)
    assert len(errors) == 1, result.stdout
    assert "--solution {}: ".format(given) in errors[0]
    assert expected in errors[0], errors[0]
    assert "Traceback" not in result.stdout
    assert "congratulations" not in result.stdout


def test_help_lists_the_checkers_options() -> None:
    """--help answers at once: the checker's options, no grade started."""
    result = grade_command(["--help"])
    assert result.returncode == 0, result.stdout
    assert "Traceback (most recent call last)" not in result.stdout
    for option in ("--solution", "--task", "--check-timeout"):
        assert option in result.stdout, result.stdout
    assert "(default: 10)" in result.stdout
    assert "containment:" not in result.stdout


def test_an_empty_folder_is_a_usage_error(tmp_path: "os.PathLike[str]"
                                          ) -> None:
    """A folder with none of the files says which files were expected."""
    result = grade_command(["--solution", str(tmp_path)])
    assert result.returncode == USAGE_ERROR, result.stdout
    assert "holds none of the exercise's files" in result.stdout


def test_an_unknown_task_key_names_the_valid_keys() -> None:
    """`--task 99` lists what --task takes."""
    result = grade_command(["--task", "99"])
    assert result.returncode == USAGE_ERROR, result.stdout
    errors = error_lines(result.stdout)
    assert len(errors) == 1, result.stdout
    assert "keys: 0-20, B1-B" in errors[0] and "99" in errors[0], errors[0]


def test_a_regression_is_named_on_the_next_run(tmp_path: "os.PathLike[str]"
                                               ) -> None:
    """Task 5 passed, then an edit broke it: the second scorecard says so,
    and the history lives where CHECKS_HISTORY_DIR (default:
    .scorecard-history/) says."""
    folder = copy_reference(os.path.join(str(tmp_path), "solution"))
    history = os.path.join(str(tmp_path), "history")
    job = Job(folder, os.path.join(str(tmp_path), "first.json"), ("5",),
              env=(("CHECKS_HISTORY_DIR", history),))
    first = run_grader(job)
    assert first.statuses() == {"5": "passed"}, first.log
    assert os.listdir(history), "no history was written"
    build([("replace", "auth.py", "already exists", "already exist")],
          os.path.join(str(tmp_path), "edited"))
    os.rename(folder, folder + ".old")
    os.rename(os.path.join(str(tmp_path), "edited"), folder)
    second = run_grader(job._replace(json_path=os.path.join(
        str(tmp_path), "second.json")))
    assert second.statuses() == {"5": "failed"}, second.log
    assert second.card is not None and second.card["regressed"] == ["5"]
    assert "regressed since the last run: 5" in second.log


def test_a_blamed_failure_stays_visible_in_junit(tmp_path: "os.PathLike[str]"
                                                 ) -> None:
    """add_user returns nothing: task 5's checks that fail because of it
    are *blocked by task 1* on the scorecard, yet each is a failure with
    its own message in JUnit and its own line in pytest's summary.

    Every result is keyed by its full id: task 1's test_example_output
    fails while task 5's passes, so a name alone would mix them up."""
    mutant = next(mutant for mutant in MUTANTS
                  if mutant.id == "db-add-user-returns-nothing")
    folder = build(mutant.edits(), os.path.join(str(tmp_path), "solution"))
    junit = os.path.join(str(tmp_path), "junit.xml")
    grade = run_grader(Job(folder, os.path.join(str(tmp_path), "card.json"),
                           ("1", "5"), extra=("--junitxml", junit)))
    checks = {check["id"]: check for row in grade.rows()
              for check in row["checks"]}
    blamed = {check["id"] for row in grade.rows() if row["task"] == "5"
              for check in row["checks"] if check["blamed_on"] == "1"}
    assert len(blamed) >= 2, grade.log  # one line per module would show
    assert all(checks[key]["status"] == "blocked" for key in blamed)
    assert {key for key, check in checks.items() if check["blamed_on"]} \
        == blamed
    not_passed = {key for key, check in checks.items()
                  if check["status"] == "failed" or check["blamed_on"]}
    cases = list(ElementTree.parse(junit).iter("testcase"))
    assert sorted(junit_id(case) for case in cases) == sorted(checks)
    example = {junit_id(case): case.find("failure") is None
               for case in cases if case.get("name") == "test_example_output"}
    assert sorted(example.values()) == [False, True], example
    failures = {junit_id(case): str(failure.get("message", ""))
                for case in cases for failure in case.findall("failure")}
    assert set(failures) == not_passed
    for key in blamed:
        assert "task 1" in failures[key], failures[key]
    assert sorted(summary_failures(grade.log)) == sorted(not_passed), \
        grade.log


def summary_failures(log: str) -> List[str]:
    """Return the id of each FAILED line of pytest's short summary, once
    per line (`FAILED id` or `FAILED id - message`)."""
    return [line[len("FAILED "):].split(" - ")[0] for line in
            log.splitlines() if line.startswith("FAILED ")]


def junit_id(case: ElementTree.Element) -> str:
    """Return a JUnit test case's pytest id (path::name): names alone are
    not unique (every task has a test_example_output)."""
    module = str(case.get("classname", "")).replace(".", "/") + ".py"
    return "{}::{}".format(module, case.get("name"))


def test_a_grade_that_cannot_start_leaves_no_folder(
        tmp_path: "os.PathLike[str]") -> None:
    """A zygote that cannot be joined (its warm grader is gone) fails the
    grade, and the folder it had made is removed."""
    temp = os.path.join(str(tmp_path), "temp")
    os.makedirs(temp)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "checks", "-p", "no:cacheprovider",
         "-q", "--task", "0", "--zygote",
         os.path.join(str(tmp_path), "gone.sock")], cwd=REPO_ROOT,
        env=dict(quiet_env(), CHECKS_TEMP_DIR=temp), stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, universal_newlines=True, timeout=120)
    assert done.returncode == USAGE_ERROR, done.stdout
    assert error_lines(done.stdout) == [
        "ERROR: cannot start grading: no zygote answers at {}: No such file "
        "or directory".format(os.path.join(str(tmp_path), "gone.sock"))]
    assert os.listdir(temp) == []
