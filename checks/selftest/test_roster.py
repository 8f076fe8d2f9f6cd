"""A course graded from a roster: the roster's parser, the shard planner,
the merge of shards and of checker versions, behaviour told from
requirements, the checker's version on every scorecard, a roster graded
end to end on this machine from three git repositories (and a re-run that
grades nothing new), and the roster workflow's jobs dry-run step by step.

A teacher trusts these grades because no learner can reach them: every
learner gets exactly one row, a bad roster stops before anything runs,
and grades of different checkers are never silently mixed.
"""
import csv
import importlib
import io
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from typing import Dict
from typing import List
from typing import NamedTuple

import pytest

from checks.classreport import rosterrun
from checks.classreport.__main__ import main
from checks.classreport.clone import TOKEN_ENV
from checks.classreport.clone import checkout
from checks.classreport.clone import git_env
from checks.classreport.csvfile import render_csv
from checks.classreport.grading import grade_all
from checks.classreport.grading import quiet_env
from checks.classreport.htmlpage import render_html
from checks.classreport.merge import ARTIFACT
from checks.classreport.merge import merge_shards
from checks.classreport.merge import shard_path
from checks.classreport.model import ERROR
from checks.classreport.model import REQUIREMENTS_FAILED
from checks.classreport.model import Graded
from checks.classreport.model import build
from checks.classreport.plan import main as plan_main
from checks.classreport.results import result_of
from checks.classreport.roster import Learner
from checks.classreport.roster import RosterError
from checks.classreport.roster import parse_roster
from checks.classreport.shards import MAX_JOBS
from checks.classreport.shards import plan
from checks.classreport.shards import shard_of
from checks.classreport.summary import render_markdown
from checks.harness import version
from checks.harness.scorecard import CheckResult
from checks.harness.scorecard import Scorecard
from checks.harness.scorecard import render_json
from checks.harness.verdict import Status
from checks.selftest import dryrun
from checks.selftest.classreport_data import check
from checks.selftest.classreport_data import document
from checks.selftest.classreport_data import page_text
from checks.selftest.classreport_data import passing
from checks.selftest.classreport_data import statuses
from checks.selftest.folders import REFERENCE
from checks.selftest.folders import REPO_ROOT
from checks.selftest.folders import copy_reference

ROSTER_LIMIT = 300  # seconds for a roster of three, tasks 0-2
WORKFLOW = os.path.join(REPO_ROOT, ".github", "workflows", "roster.yml")
GIT = ["git", "-c", "user.name=roster test", "-c", "user.email=t@t.invalid",
       "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"]
HEADER = "learner,repository,ref,folder\n"


def git(folder: str, *arguments: str) -> str:
    """Run git in a folder; return its output."""
    return subprocess.run(
        GIT + list(arguments), cwd=folder, check=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        universal_newlines=True).stdout.strip()


def commit_all(folder: str, message: str) -> str:
    """Commit everything in a repository; return the commit."""
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", message)
    return git(folder, "rev-parse", "HEAD")


def new_repository(folder: str) -> str:
    """Make an empty git repository."""
    os.makedirs(folder, exist_ok=True)
    git(folder, "init", "-q")
    return folder


class Class(NamedTuple):
    """Three learners' repositories, their roster and their commits."""

    root: str
    roster: str
    commits: Dict[str, str]


@pytest.fixture(scope="module")
def learners(tmp_path_factory: pytest.TempPathFactory) -> Class:
    """alice: the reference in 0x03-user_authentication_service/ (no
    folder given: found); bob: user.py only, in work/0x03/, without its
    executable bit (task 0's behaviour passes, a requirement fails);
    carol: her roster line asks for a ref that does not exist."""
    root = str(tmp_path_factory.mktemp("learners"))
    alice = new_repository(os.path.join(root, "alice"))
    copy_reference(os.path.join(alice, "0x03-user_authentication_service"))
    bob = new_repository(os.path.join(root, "bob"))
    os.makedirs(os.path.join(bob, "work", "0x03"))
    for name in ("user.py", "README.md"):
        shutil.copy(os.path.join(REFERENCE, name),
                    os.path.join(bob, "work", "0x03", name))
    os.chmod(os.path.join(bob, "work", "0x03", "user.py"), 0o644)
    carol = new_repository(os.path.join(root, "carol"))
    Path(carol, "README.md").write_text("nothing yet\n")
    commits = {name: commit_all(os.path.join(root, name), "hand in")
               for name in ("alice", "bob", "carol")}
    roster = os.path.join(root, "roster.csv")
    Path(roster).write_text(
        HEADER + "alice,./alice,,\n"
        "bob,{},main,work/0x03\n"
        "carol,./carol,v9,\n".format(Path(bob).as_uri()))
    return Class(root, roster, commits)


def problems_of(text: str) -> List[str]:
    """Return the problems a roster's text has (none: an empty list)."""
    try:
        parse_roster(text, "/school/roster.csv")
    except RosterError as error:
        return error.problems
    return []


# The roster ------------------------------------------------------------

def test_a_roster_reads_every_form_of_repository() -> None:
    """owner/name is GitHub; URLs are kept; paths are the roster's
    folder's; columns in any order, a BOM, comments and blank lines."""
    learners = parse_roster(
        "\ufefffolder , Learner,repository,ref\n"
        "# a comment line\n"
        "\n"
        "0x03,alice,alice/alx-backend-user-data,main\n"
        ",bob,bob/auth.git,\n"
        ",carol,https://git.school.example/carol.git,v1\n"
        ",dee,git@git.school.example:dee/auth.git,3f2a9c1\n"
        ",eve,file:///srv/git/eve.git,\n"
        "sub/dir/,fay,../git/fay,\n"
        ",gus,/srv/git/gus.git,\n", "/school/rosters/roster.csv")
    assert [(learner.name, learner.url, learner.ref, learner.folder)
            for learner in learners] == [
        ("alice", "https://github.com/alice/alx-backend-user-data.git",
         "main", "0x03"),
        ("bob", "https://github.com/bob/auth.git", "", ""),
        ("carol", "https://git.school.example/carol.git", "v1", ""),
        ("dee", "git@git.school.example:dee/auth.git", "3f2a9c1", ""),
        ("eve", "file:///srv/git/eve.git", "", ""),
        ("fay", "/school/git/fay", "", "sub/dir"),
        ("gus", "/srv/git/gus.git", "", "")]
    assert [learner.line for learner in learners] == [4, 5, 6, 7, 8, 9, 10]


@pytest.mark.parametrize("text, expected", [
    ("learner,repository,branch\nann,a/b,main\n",
     ["line 1: unknown column 'branch': the columns are learner, "
      "repository, ref, folder"]),
    ("learner,ref\nann,main\n",
     ["line 1: no 'repository' column: the header needs at least "
      "learner,repository"]),
    ("learner,repository,repository\nann,a/b,c/d\n",
     ["line 1: column 'repository' is there twice"]),
    (HEADER + "ann,a/b,,\nbob,b/c,,\nann,c/d,,\n",
     ["line 4: learner 'ann' is on line 2 already: give each learner a "
      "name of their own"]),
    (HEADER + "ann,,main,\n",
     ["line 2: no repository for 'ann': give owner/name, a git URL or a "
      "path"]),
    (HEADER + "ann,a/b,,../bob\n",
     ["line 2: folder '../bob' climbs out with '..': give a folder inside "
      "the repository"]),
    (HEADER + "ann,a/b,,src/../../x\n",
     ["line 2: folder 'src/../../x' climbs out with '..': give a folder "
      "inside the repository"]),
    (HEADER + "ann,a/b,,/etc\n",
     ["line 2: folder '/etc' is absolute: give it relative to the "
      "repository's root"]),
    (HEADER + "ann,a/b,,C:\\work\n",
     ["line 2: folder 'C:\\\\work' is absolute: give it relative to the "
      "repository's root"]),
    (HEADER + "ann,a/b,,src\\x\n",
     ["line 2: folder 'src\\\\x' holds a backslash or a control character:"
      " separate folders with /"]),
    (HEADER + "ann,alice,,\n",
     ["line 2: repository 'alice' is not owner/name, a git URL (https://, "
      "ssh://, git://, file://, user@host:path) or a path starting with /,"
      " ./, ../ or ~/"]),
    (HEADER + "ann,--upload-pack=x,,\n",
     ["line 2: repository '--upload-pack=x' is not owner/name, a git URL "
      "(https://, ssh://, git://, file://, user@host:path) or a path "
      "starting with /, ./, ../ or ~/"]),
    (HEADER + "ann,a/b,--upload-pack=x,\n",
     ["line 2: ref '--upload-pack=x' is not a branch, tag or commit "
      "name"]),
    (HEADER + "ann,a/b,main..dev,\n",
     ["line 2: ref 'main..dev' is not a branch, tag or commit name"]),
    (HEADER + ",a/b,,\n", ["line 2: no learner name"]),
    (HEADER + "\"ann\nbob\",a/b,,\n",
     ["line 3: the learner's name holds a control character"]),
    (HEADER + "ann,a/b,main,src,extra\n",
     ["line 2: 5 cells, but the header has 4 columns: quote a cell that "
      "holds a comma"]),
    ("", ["line 1: no header line: start with learner,repository,ref,"
          "folder"]),
    (HEADER + "# nobody yet\n",
     ["no learners: add one line per learner below the header"]),
], ids=["unknown-column", "no-repository-column", "column-twice",
        "duplicate-name", "empty-repository", "dot-dot", "dot-dot-inside",
        "absolute-folder", "drive-folder", "backslash-folder",
        "not-a-repository", "option-repository", "option-ref",
        "dot-dot-ref", "no-name", "newline-in-name", "extra-cell",
        "empty-file", "no-learners"])
def test_each_bad_roster_line_says_where_and_what_to_fix(
        text: str, expected: List[str]) -> None:
    """One problem, its line number and the fix."""
    assert problems_of(text) == expected


def test_every_bad_line_is_reported_at_once() -> None:
    """A teacher fixes the whole roster in one go, not line by line."""
    found = problems_of(HEADER + "ann,a/b,,\nann,a/c,,\nbob,,,\n"
                        "cy,c/d,,../x\ndee,d/e,,\n")
    assert [problem.split(":")[0] for problem in found] == [
        "line 3", "line 4", "line 5"]


def test_a_bad_roster_stops_before_anything_is_fetched(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture) -> None:
    """Exit 2, one line per problem; no repository fetched, no grade."""
    def never(*args: Any) -> Any:
        raise AssertionError("fetched or graded from a bad roster")

    monkeypatch.setattr(rosterrun, "checkout", never)
    monkeypatch.setattr(rosterrun, "grade_all", never)
    roster = tmp_path / "roster.csv"
    roster.write_text(HEADER + "ann,a/b,,\nann,a/c,,\nbob,,,\n")
    assert main(["--roster", str(roster), "--cache",
                 str(tmp_path / "cache")]) == 2
    err = capsys.readouterr().err
    assert "2 problems" in err and "line 3: learner 'ann'" in err
    assert "line 4: no repository for 'bob'" in err


# The shards ------------------------------------------------------------

@pytest.mark.parametrize("learners, size, shards, largest", [
    (3, 2, 2, 2), (40, 10, 4, 10), (41, 10, 5, 9), (400, 10, 40, 10),
    (4000, 10, MAX_JOBS, 16), (4000, 20, 200, 20), (1, 10, 1, 1),
    (0, 10, 0, 0)])
def test_shards_cover_the_roster_once_in_at_most_256_jobs(
        learners: int, size: int, shards: int, largest: int) -> None:
    """Consecutive, disjoint, sizes within one of each other."""
    made = plan(learners, size)
    assert len(made.bounds) == shards and made.largest() == largest
    covered = [index for bound in made.bounds for index in bound]
    assert covered == list(range(learners))
    sizes = {len(bound) for bound in made.bounds}
    assert not sizes or max(sizes) - min(sizes) <= 1
    assert made.shards == list(range(shards))


def test_a_shards_learners_and_its_job_time_limit() -> None:
    """shard_of picks a shard's lines; a shard that is not planned is an
    error; a job's limit covers its grades and stays under 6 hours."""
    made = plan(5, 2)
    assert shard_of(list("abcde"), made, 0) == ["a"]
    assert shard_of(list("abcde"), made, 2) == ["d", "e"]
    with pytest.raises(IndexError):
        shard_of(list("abcde"), made, 3)
    with pytest.raises(ValueError):
        plan(5, 0)
    assert made.job_minutes(2) == 15 + 10
    assert plan(4000, 4000).job_minutes(1) == 360


def test_the_plan_command_writes_the_matrix(
        learners: Class, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture) -> None:
    """Outputs for the workflow; a bad roster: an annotation a line."""
    outputs = tmp_path / "outputs"
    monkeypatch.setenv("GITHUB_OUTPUT", str(outputs))
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert plan_main(["--roster", learners.roster, "--shard-size", "2"]) == 0
    assert outputs.read_text().splitlines() == [
        "shards=[0,1]", "largest=2", "learners=3", "minutes=25"]
    bad = tmp_path / "roster.csv"
    bad.write_text(HEADER + "ann,a/b,,/abs\n")
    assert plan_main(["--roster", str(bad)]) == 2
    assert "::error title=roster roster.csv::line 2: folder '/abs' is " \
        "absolute" in capsys.readouterr().err


# Merging shards and versions ------------------------------------------

THREE = parse_roster(HEADER + "alice,a/a,,\nbob,b/b,,\ncarol,c/c,,\n",
                     "/school/roster.csv")


def result(learner: Learner, card: Any, **changes: Any) -> Dict[str, Any]:
    """Return a learner's result with a scorecard, changed as asked."""
    made = result_of(learner, "c0ffee", [], Graded(learner.name, card))
    made.update(changes)
    return made


def write_shard(folder: Path, shard: int, results: List[Any]) -> None:
    """Write a shard's file where its artifact is downloaded."""
    path = shard_path(str(folder), shard)
    os.makedirs(os.path.dirname(path))
    with open(path, "w") as stream:
        json.dump({"shard": shard, "results": results}, stream)


def test_a_missing_shard_makes_error_rows_and_spares_the_others(
        tmp_path: Path) -> None:
    """Shard 1 (bob, carol) uploaded nothing: two error rows that say so;
    alice's row is her scorecard."""
    alice = THREE[0]
    write_shard(tmp_path, 0, [result(alice, document(*passing("0")))])
    merged = merge_shards(THREE, plan(3, 2), str(tmp_path))
    assert [graded.learner for graded in merged.graded] == [
        "alice", "bob", "carol"]
    assert merged.graded[0].document is not None
    assert merged.graded[0].commit == "c0ffee"
    for graded in merged.graded[1:]:
        assert graded.error.startswith("shard 1 uploaded no results")
    assert len(merged.warnings) == 1 and "shard 1" in merged.warnings[0]


def test_a_learner_reported_twice_or_elsewhere_is_never_guessed(
        tmp_path: Path) -> None:
    """bob twice in his shard: an error row, not a pick; carol reported by
    alice's shard too: left out there; a result of another roster line
    (another repository): an error row."""
    alice, bob, carol = THREE
    card = document(*passing("0"))
    write_shard(tmp_path, 0, [result(alice, card), result(carol, card)])
    write_shard(tmp_path, 1, [result(bob, card), result(bob, card),
                              result(carol, card)])
    merged = merge_shards(THREE, plan(3, 2), str(tmp_path))
    rows = build(merged.graded).rows
    assert [row.learner for row in rows] == ["alice", "bob", "carol"]
    assert [bool(row.error) for row in rows] == [False, True, False]
    assert "reported this learner 2 times" in rows[1].error
    assert any("'carol', not one of its learners" in warning
               for warning in merged.warnings)
    write_shard(tmp_path / "other", 0, [result(alice, card)])
    write_shard(tmp_path / "other", 1, [
        result(bob, card), result(carol, card, repository="mallory/x")])
    rows = build(merge_shards(THREE, plan(3, 2),
                              str(tmp_path / "other")).graded).rows
    assert "of another roster line" in rows[2].error


def test_grades_of_different_checkers_are_merged_only_when_asked(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """Two versions: refused (exit 2, both named); with --mixed-versions
    the page says which checker graded how many."""
    alice, bob, carol = THREE
    old = dict(document(*passing("0")), checker_version="a" * 40)
    new = dict(document(*passing("0")), checker_version="b" * 40)
    write_shard(tmp_path, 0, [result(alice, old)])
    write_shard(tmp_path, 1, [result(bob, new), result(carol, new)])
    roster = tmp_path / "roster.csv"
    roster.write_text(HEADER + "alice,a/a,,\nbob,b/b,,\ncarol,c/c,,\n")
    out = str(tmp_path / "report")
    args = ["--roster", str(roster), "--from-shards", str(tmp_path),
            "--shard-size", "2", "--csv", out + ".csv", "--html",
            out + ".html"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "2 checker versions" in err and "b" * 40 + " (2 scorecards)" \
        in err and "--mixed-versions" in err
    assert not os.path.exists(out + ".csv")
    assert main(args + ["--mixed-versions"]) == 0
    text = page_text(Path(out + ".html").read_text())
    assert "Graded by 2 checker versions or stacks: " in text
    assert "bbbbbbbbbbbb on the current stack (for the tests) (2 learners)"\
        in text


def test_scorecards_of_two_versions_are_refused_from_json(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """--from-json too: a learner's own CI may run another checker."""
    for name, commit in (("ann", "a" * 40), ("bob", "b" * 40)):
        path = tmp_path / "cards" / (name + ".json")
        os.makedirs(str(path.parent), exist_ok=True)
        path.write_text(json.dumps(dict(document(*passing("0")),
                                        checker_version=commit)))
    out = str(tmp_path / "r")
    assert main(["--from-json", str(tmp_path / "cards"), "--csv",
                 out + ".csv", "--html", out + ".html"]) == 2
    assert "2 checker versions" in capsys.readouterr().err
    assert main(["--from-json", str(tmp_path / "cards"), "--csv",
                 out + ".csv", "--html", out + ".html",
                 "--mixed-versions"]) == 0


# Behaviour and requirements -------------------------------------------

def requirement(task: str, label: str, status: str = "failed") -> Any:
    """Return a requirement check's result."""
    return CheckResult("checks/gates/test_x.py::{}".format(label), task,
                       label, Status(status), label + ": fix it",
                       kind="requirement")


def test_behaviour_that_passed_is_told_from_requirements_that_failed(
        ) -> None:
    """ann's task 0 works but user.py is not executable: "requirements
    failed", its own colour, the requirement on hover; the behaviour pass
    rate counts her, the pass rate does not; the most failed checks are
    split by kind."""
    ann = document(check("0"), requirement("0", "user.py is executable"),
                   check("1", "failed", "add_user works", "returned None"),
                   requirement("1", "db.py has a docstring", "passed"))
    bob = document(check("0"), requirement("0", "user.py is executable",
                                           "passed"), check("1"))
    report = build([Graded("ann", ann), Graded("bob", bob)])
    ann_row = report.rows[0]
    assert ann_row.status("0") == "failed"
    assert ann_row.shown("0") == REQUIREMENTS_FAILED
    assert ann_row.shown("1") == "failed"
    assert report.pass_rate("0") == (1, 2)
    assert report.behaviour_rate("0") == (2, 2)
    assert report.behaviour_rate("1") == (1, 2)
    assert [failure.label for failure in report.most_failed(5, "behaviour")
            ] == ["add_user works"]
    assert [failure.label for failure in report.most_failed(
        5, "requirement")] == ["user.py is executable"]
    rows = list(csv.DictReader(io.StringIO(render_csv(report))))
    assert statuses(rows, "ann", ("0", "1")) == (REQUIREMENTS_FAILED,
                                                 "failed")
    page = render_html(report)
    assert '<td class="requirements" title="0 User model: behaviour ' \
        'passed; requirements failed: user.py is executable: fix it">' \
        in page
    text = page_text(page)
    assert "pass rate 50% 50% behaviour pass rate 100% 50%" in text
    assert "Requirements: shebang, style, documentation, file mode check " \
        "task learners example message user.py is executable" in text
    summary = render_markdown(report)
    assert "| 0 | User model | 50% (1/2) | 100% (2/2) |" in summary
    assert "| ann | 50.0% | 0 |  |" in summary


# The checker's version ------------------------------------------------

def test_every_scorecard_names_the_checkers_commit_and_stack() -> None:
    """This checkout's commit (and a digest of its edits, if any)."""
    card = json.loads(render_json(Scorecard("/x", "current stack (test)")))
    commit = subprocess.run(["git", "-C", REPO_ROOT, "rev-parse", "HEAD"],
                            stdout=subprocess.PIPE,
                            universal_newlines=True).stdout.strip()
    assert card["checker_version"].split("+")[0] == commit
    assert card["checker_version"] == version.checker_version()
    assert card["stack"] == "current stack (test)"


def test_a_checker_outside_git_is_unknown_and_edits_are_told_apart(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No repository, or another repository's subfolder: "unknown"; a
    repository of its own: its commit; edited: "+modified." and a digest
    that differs with the edit."""
    measure = version.measure
    monkeypatch.setattr(version, "REPO_ROOT", str(tmp_path))
    assert measure() == "unknown"
    outer = new_repository(str(tmp_path / "outer"))
    os.makedirs(os.path.join(outer, "checker", "checks"))
    Path(outer, "checker", "checks", "a.py").write_text("A = 1\n")
    commit = commit_all(outer, "checker inside a teacher's repository")
    monkeypatch.setattr(version, "REPO_ROOT", os.path.join(outer,
                                                           "checker"))
    assert measure() == "unknown"
    os.rename(os.path.join(outer, "checker", "checks"),
              os.path.join(outer, "checks"))
    commit = commit_all(outer, "checker at the root")
    monkeypatch.setattr(version, "REPO_ROOT", outer)
    assert measure() == commit
    Path(outer, "checks", "a.py").write_text("A = 2\n")
    first = measure()
    Path(outer, "checks", "a.py").write_text("A = 3\n")
    second = measure()
    assert first.startswith(commit + "+modified.") and second != first
    Path(outer, "checks", "a.py").write_text("A = 1\n")
    assert measure() == commit
    Path(outer, "checks", "new.py").write_text("B = 1\n")
    assert measure().startswith(commit + "+modified.")


# Fetching --------------------------------------------------------------

def test_the_token_goes_to_github_only_and_never_to_a_grade(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A header in git's environment for github.com, nothing elsewhere;
    the grades' environment has no token; GIT_DIR cannot redirect git."""
    monkeypatch.setenv("GIT_DIR", "/elsewhere")
    monkeypatch.setenv(TOKEN_ENV, "s3cret")
    env = git_env("https://github.com/ann/x.git", "s3cret")
    assert env["GIT_CONFIG_KEY_0"] == "http.https://github.com/.extraheader"
    assert env["GIT_CONFIG_VALUE_0"].startswith("AUTHORIZATION: basic ")
    assert "GIT_DIR" not in env and TOKEN_ENV not in env
    assert env["GIT_TERMINAL_PROMPT"] == "0"
    assert "GIT_CONFIG_COUNT" not in git_env(
        "https://git.school.example/ann.git", "s3cret")
    assert TOKEN_ENV not in quiet_env()


def test_a_checkout_by_short_commit_and_the_folders_it_refuses(
        learners: Class, tmp_path: Path) -> None:
    """An abbreviated commit is found; a folder that is missing, or a
    link out of the repository, is an error; so is a repository that is
    not there."""
    alice = learners.commits["alice"]
    line = Learner("alice", "./alice", os.path.join(learners.root, "alice"),
                   alice[:9], "", 2)
    got = checkout(line, str(tmp_path))
    assert got.commit == alice and got.error == ""
    assert got.folder.endswith("0x03-user_authentication_service")
    repo = new_repository(str(tmp_path / "linked"))
    os.symlink("/etc", os.path.join(repo, "sub"))
    commit_all(repo, "a link out")
    for folder in ("sub", "nowhere"):
        got = checkout(line._replace(url=repo, ref="", folder=folder),
                       str(tmp_path / "cache"))
        assert got.error.startswith("folder {!r} is not in commit".format(
            folder)), got
    got = checkout(line._replace(url=str(tmp_path / "gone"), ref=""),
                   str(tmp_path / "cache"))
    assert got.error.startswith("could not fetch ./alice: ")


# The roster on this machine, end to end --------------------------------

def read_csv(path: str) -> List[Dict[str, str]]:
    """Read a report's CSV rows."""
    with open(path, newline="", encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def test_a_roster_is_graded_here_and_a_rerun_grades_nothing_new(
        learners: Class, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture) -> None:
    """The command as a teacher runs it: a progress line per learner; the
    CSV says alice passed, bob's task 0 failed only on requirements,
    carol's ref is missing; the page says so too. A second run grades
    nobody (every grade would fail it) and writes the same CSV; after a
    push by bob, a third run grades bob alone."""
    cache, out = str(tmp_path / "cache"), str(tmp_path / "report")
    command = ["--roster", learners.roster, "--cache", cache, "--task",
               "0-2", "--csv", out + ".csv", "--html", out + ".html"]
    started = time.monotonic()
    first = subprocess.run(
        [sys.executable, "-m", "checks.classreport"] + command,
        cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        universal_newlines=True, timeout=ROSTER_LIMIT)
    seconds = time.monotonic() - started
    assert first.returncode == 0, first.stdout
    commits = learners.commits
    for line in ("alice: {} graded: 100.0%".format(commits["alice"][:12]),
                 "bob: {} graded: ".format(commits["bob"][:12]),
                 "carol: error: ref 'v9' not found in ./carol",
                 "roster: 2 graded, 0 unchanged (not regraded), 1 without"):
        assert line in first.stdout, first.stdout
    rows = read_csv(out + ".csv")
    assert [row["learner"] for row in rows] == ["alice", "bob", "carol"]
    assert statuses(rows, "alice", ("0", "1", "2")) == ("passed",) * 3
    assert statuses(rows, "bob", ("0", "1", "2")) == (
        REQUIREMENTS_FAILED, "not started", "not started")
    assert statuses(rows, "carol", ("0", "2")) == (ERROR, ERROR)
    assert rows[2]["error"] == "ref 'v9' not found in ./carol"
    assert [row["commit"] for row in rows] == [commits["alice"],
                                               commits["bob"], ""]
    assert rows[0]["checker version"] == version.checker_version()
    assert rows[0]["stack"].startswith(("current stack", "graded stack"))
    page = Path(out + ".html").read_text()
    text = page_text(page)
    assert "3 learners; 1 without a scorecard (error)" in text
    assert "Graded by checker {}".format(
        version.checker_version()[:12]) in text
    assert "error: ref 'v9' not found in ./carol" in text
    assert 'class="requirements" title="0 User model: behaviour passed; ' \
        'requirements failed: ' in page
    assert "user.py is executable" in text  # the requirements' table

    graded: List[List[str]] = []

    def recorded(sources: List[Any], settings: Any, on_done: Any) -> Any:
        graded.append([source.learner for source in sources])
        return grade_all(sources, settings, on_done)

    monkeypatch.setattr(rosterrun, "grade_all", recorded)
    capsys.readouterr()
    assert main(command[:-4] + ["--csv", out + "2.csv", "--html",
                                out + "2.html"]) == 0
    again = capsys.readouterr().out
    assert graded == [[]], again
    assert "alice: {} unchanged, not regraded: 100.0%".format(
        commits["alice"][:12]) in again
    assert "roster: 0 graded, 2 unchanged (not regraded), 1 without" in again
    assert read_csv(out + "2.csv") == rows

    bob = os.path.join(learners.root, "bob")
    os.chmod(os.path.join(bob, "work", "0x03", "user.py"), 0o755)
    pushed = commit_all(bob, "the executable bit")
    try:
        assert main(command) == 0
    finally:  # the module's other tests see bob as he was
        git(bob, "reset", "-q", "--hard", commits["bob"])
    assert graded[-1] == ["bob"]
    rows = read_csv(out + ".csv")
    assert statuses(rows, "bob", ("0",)) == ("passed",)
    assert rows[1]["commit"] == pushed
    print("local roster of 3, tasks 0-2: {:.1f} s".format(seconds))


# The workflow, job by job ---------------------------------------------

def load_workflow() -> Dict[Any, Any]:
    """Parse the roster workflow (PyYAML comes with bandit, on both
    stacks)."""
    yaml = importlib.import_module("yaml")
    with open(WORKFLOW, encoding="utf-8") as stream:
        parsed: Dict[Any, Any] = yaml.safe_load(stream)
    return parsed


def test_the_workflow_keeps_the_token_and_the_names_to_itself() -> None:
    """Dispatched or called; reads contents only; the token is in the
    fetch step's environment alone; artifacts are named by the workflow
    as the merge reads them; every checkout drops its credentials."""
    workflow = load_workflow()
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert set(triggers) == {"workflow_call", "workflow_dispatch"}
    assert workflow["permissions"] == {"contents": "read"}
    with_secrets = [(name, step.get("name"))
                    for name, job in workflow["jobs"].items()
                    for step in job["steps"]
                    if "secrets." in json.dumps(step)]
    assert with_secrets == [("grade", "Fetch the shard's repositories")]
    uploads = [step["with"]["name"] for step in workflow["jobs"]["grade"][
        "steps"] if step.get("uses", "").startswith(
            "actions/upload-artifact")]
    assert uploads == [ARTIFACT.format("${{ matrix.shard }}")]
    checkouts = [step for job in workflow["jobs"].values()
                 for step in job["steps"]
                 if step.get("uses", "").startswith("actions/checkout")]
    assert len(checkouts) == 6 and all(
        step["with"]["persist-credentials"] is False for step in checkouts)


def test_the_workflows_jobs_dry_run_here(learners: Class,
                                         tmp_path: Path) -> None:
    """plan, then each shard's job, then the report, with the commands
    and environment the workflow gives them: two shards, tasks 0 only;
    the report's CSV, page and job summary come out of the artifacts."""
    workflow = load_workflow()
    jobs = workflow["jobs"]
    artifacts = str(tmp_path / "artifacts")
    roster = tmp_path / "roster.csv"  # the teacher's checkout gets it
    roster.write_text(HEADER + "".join(
        "{},{},{},{}\n".format(name, Path(learners.root, name).as_uri(),
                               ref, folder) for name, ref, folder in (
            ("alice", "", ""), ("bob", "main", "work/0x03"),
            ("carol", "v9", ""))))
    values = {"inputs.roster": "roster.csv", "inputs.shard-size": "2",
              "inputs.task": "0", "inputs.stack": "current",
              "inputs.checker-repository || github.repository":
              "OWNER/REPO", "inputs.checker-ref || github.sha": "main",
              "env.CHECKER_REPOSITORY": "OWNER/REPO",
              "env.CHECKER_REF": "main",
              "secrets.LEARNERS_TOKEN": "not-for-local-repositories"}
    conditions = {"inputs.stack != 'graded'": True, "always()": True}
    workflow_env = {name: dryrun.substitute(value, values)
                    for name, value in workflow["env"].items()}

    def machine(name: str) -> dryrun.Machine:
        return dryrun.Machine(str(tmp_path / name), artifacts, REPO_ROOT,
                              str(roster))

    steps = dryrun.run_job(jobs["plan"], machine("plan"), values,
                           conditions, workflow_env)
    assert [step.returncode for step in steps] == [0, 0], steps
    for name, value in dryrun.job_outputs(jobs["plan"], values).items():
        values["needs.plan.outputs." + name] = value
    assert values["needs.plan.outputs.shards"] == "[0,1]"
    assert len(values["needs.plan.outputs.checker"]) == 40
    for shard in dryrun.matrix_values(values["needs.plan.outputs.shards"]):
        values["matrix.shard"] = str(shard)
        steps = dryrun.run_job(jobs["grade"], machine("shard-{}".format(
            shard)), values, conditions, workflow_env)
        assert [step.returncode for step in steps] == [0] * 4, steps
    assert sorted(os.listdir(artifacts)) == ["roster-shard-0",
                                             "roster-shard-1"]
    report = machine("report")
    steps = dryrun.run_job(jobs["report"], report, values, conditions,
                           workflow_env)
    assert [step.returncode for step in steps] == [0, 0], steps
    rows = read_csv(os.path.join(artifacts, "class-report",
                                 "class-report.csv"))
    assert statuses(rows, "alice", ("0", "1")) == ("passed", "")
    assert statuses(rows, "bob", ("0",)) == (REQUIREMENTS_FAILED,)
    assert statuses(rows, "carol", ("0",)) == (ERROR,)
    assert rows[0]["commit"] == learners.commits["alice"]
    summary = Path(report.summary).read_text()
    assert "3 learners; 1 without a scorecard (error)" in summary
    assert "| 0 | User model | 33% (1/3) | 67% (2/3) |" in summary
    assert "| carol |  |  | ref 'v9' not found in file:" in summary
