"""The class report: its model, CSV, inputs and page, then the command
end to end on a small class, then its page in a real browser.

A teacher reads the report to see who is stuck where, so every learner
must have a row (an error row when there is no scorecard), the counts
must add up, and nothing a learner wrote may run in the teacher's browser.
"""
import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO
from typing import Any
from typing import Callable
from typing import Dict
from typing import List

import pytest

from checks.classreport import grading
from checks.classreport.__main__ import main
from checks.classreport.csvfile import HEADER
from checks.classreport.csvfile import render_csv
from checks.classreport.htmlpage import render_html
from checks.classreport.inputs import InputError
from checks.classreport.inputs import find
from checks.classreport.inputs import folder_learner
from checks.classreport.inputs import scorecard_learner
from checks.classreport.model import ERROR
from checks.classreport.model import Graded
from checks.classreport.model import build
from checks.classreport.model import read_row
from checks.selftest.classreport_data import CLASS
from checks.selftest.classreport_data import COMMON_LABEL
from checks.selftest.classreport_data import COMMON_REASON
from checks.selftest.classreport_data import HOSTILE
from checks.selftest.classreport_data import TIMED_OUT
from checks.selftest.classreport_data import check
from checks.selftest.classreport_data import document
from checks.selftest.classreport_data import page_text
from checks.selftest.classreport_data import passing
from checks.selftest.classreport_data import statuses
from checks.selftest.folders import REFERENCE
from checks.selftest.folders import REPO_ROOT
from checks.selftest.folders import copy_reference

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
BROWSER_LIMIT = 30
CLASS_LIMIT = 300
START_LIMIT = 30.0  # seconds a grade's process may take to start
LIMIT = 2.0  # seconds a grade may run in the limit's test
# Seconds a killed process may take to go, and run() to return after the
# limit: waits that end as soon as it is done, so only a failure pays them.
KILL_GRACE = 20.0


def csv_rows(text: str) -> List[Dict[str, str]]:
    """Parse CSV text back into rows by column name."""
    return list(csv.DictReader(io.StringIO(text)))


def write_json(path: str, content: Any) -> None:
    """Write a JSON document, making its folder."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as stream:
        json.dump(content, stream)


def test_rows_hold_each_learners_statuses_and_score() -> None:
    """A row has a status per graded task and the score; an error row
    has "error" on every task and its reason."""
    report = build(CLASS)
    ben, eve = report.rows[1], report.rows[4]
    assert [ben.status(key) for key in "0123"] == [
        "passed", "passed", "failed", "not started"]
    assert ben.status("B1") == "" and ben.score == 50.0
    assert ben.cells["2"].reason == COMMON_REASON
    assert eve.error == TIMED_OUT and eve.status("7") == ERROR
    assert report.graded_tasks() == ["0", "1", "2", "3"]


def test_pass_rates_count_an_error_row_as_not_passed() -> None:
    """Task 2: ada and fay passed, of six learners (eve's grade failed)."""
    report = build(CLASS)
    assert report.pass_rate("2") == (2, 6)
    assert report.pass_rate("3") == (4, 6)
    assert report.pass_rate("B1") == (0, 1)  # only eve's error counts


def test_the_most_failed_check_comes_first_with_an_example() -> None:
    """Three learners failed task 2's check: it leads, counted once each."""
    twice = document(*common_failure_twice())
    report = build(CLASS + [Graded("gus", twice)])
    first = report.most_failed(5)[0]
    assert (first.task, first.label, first.learners) == (
        "2", COMMON_LABEL, 4)
    assert first.example == COMMON_REASON
    assert [common.learners for common in report.most_failed(5)] == [
        4, 1, 1]
    assert len(report.most_failed(1)) == 1


def common_failure_twice() -> List[Any]:
    """Return the common failing check twice, as a parametrized check."""
    return [check("2", "failed", COMMON_LABEL, "first"),
            check("2", "failed", COMMON_LABEL, "second")]


@pytest.mark.parametrize("broken, named", [
    ([1, 2], "not a JSON object"),
    ({"version": 2, "tasks": "0-20"}, "score is missing"),
    ({"score": {"score": "high"}}, "score.score is not a number"),
    ({"score": {"score": True}}, "score.score is not a number"),
    ({"tasks": "0-20"}, "tasks is not a list"),
    ({"tasks": [7]}, "tasks[0] is not an object"),
    ({"tasks": [{"task": "0", "status": 1}]}, "tasks[0].status is not a"),
    ({"tasks": [{"task": "0"}]}, "tasks[0].status is missing"),
    ({"tasks": [{"task": "0", "status": "failed", "checks": [
        {"status": "failed", "label": None}]}]},
     "tasks[0].checks[0].label is not a string"),
], ids=["list", "no-score", "text-score", "bool-score", "tasks-text",
        "task-number", "status-number", "no-status", "label-null"])
def test_an_unreadable_scorecard_is_an_error_row(broken: Any,
                                                 named: str) -> None:
    """Missing fields or wrong types name the field; nothing raises."""
    if isinstance(broken, dict) and "score" not in broken and \
            "version" not in broken:
        broken = dict(document(*passing("0")), **broken)
    row = read_row(Graded("zed", broken))
    assert row.error.startswith("not a readable scorecard: "), row.error
    assert named in row.error


def test_the_csv_has_a_row_per_learner_and_a_column_per_task() -> None:
    """Parsed back, the CSV says what the model says, task by task."""
    rows = csv_rows(render_csv(build(CLASS)))
    assert list(rows[0]) == HEADER
    assert HEADER[3:35] == [str(key) for key in range(21)] + [
        "B{}".format(key) for key in range(1, 12)]
    assert [row["learner"] for row in rows] == [
        "ada", "ben", "cy", "dee", "eve", "fay"]
    assert statuses(rows, "ben", ("0", "2", "3", "B1")) == (
        "passed", "failed", "not started", "")
    assert rows[1]["score"] == "50.0" and rows[1]["mandatory percent"] \
        == "50.0"
    assert statuses(rows, "eve", ("0", "B11")) == (ERROR, ERROR)
    assert rows[4]["error"] == TIMED_OUT and rows[4]["score"] == ""


def test_a_csv_cell_never_becomes_a_spreadsheet_formula() -> None:
    """A learner named =HYPERLINK(...) is written with a leading quote."""
    rows = csv_rows(render_csv(build([Graded("=HYPERLINK(1)", None,
                                             "@SUM(1)")])))
    assert rows[0]["learner"] == "'=HYPERLINK(1)"
    assert rows[0]["error"] == "'@SUM(1)"


def test_scorecards_are_found_and_other_json_is_skipped(
        tmp_path: Path) -> None:
    """Scorecards at any depth are read; other JSON files are warned of;
    a broken scorecard becomes an error row, not a crash."""
    root = str(tmp_path)
    card = document(*passing("0"))
    write_json(os.path.join(root, "alice.json"), card)
    write_json(os.path.join(root, "bob", "scorecard.json"), card)
    write_json(os.path.join(root, "scorecard-grade-cy-current-py3.11",
                            "scorecard.json"), card)
    write_json(os.path.join(root, "dee", "scorecard.json"),
               {"version": 2, "tasks": "garbled"})
    write_json(os.path.join(root, "package.json"), {"name": "x"})
    write_json(os.path.join(root, "old.json"), dict(card, version=1))
    with open(os.path.join(root, "torn.json"), "w") as stream:
        stream.write('{"version": 2, "tas')
    sources, warnings = find([], [root])
    assert [source.learner for source in sources] == [
        "alice", "bob", "dee", "scorecard-grade-cy-current-py3.11"]
    assert len(warnings) == 3, warnings
    assert all(path in " ".join(warnings) for path in (
        "package.json", "old.json", "torn.json"))
    rows = build([Graded(source.learner, source.document)
                  for source in sources]).rows
    assert [bool(row.error) for row in rows] == [False, False, True, False]


@pytest.mark.parametrize("relative, learner", [
    ("alice.json", "alice"),
    ("alice/scorecard.json", "alice"),
    ("scorecard/alice.json", "alice"),
    ("group-1/alice.json", "group-1/alice"),
    ("scorecard-grade-alice-current-py3.11/scorecard.json",
     "scorecard-grade-alice-current-py3.11"),
    ("alice/scorecard-grade-0x03-current-py3.11/scorecard.json", "alice"),
    ("scorecard.json", "artifacts"),
])
def test_a_scorecards_learner_is_its_path_without_scorecard(
        relative: str, learner: str) -> None:
    """The path below the folder given, without .json or "scorecard"."""
    root = os.path.join("downloads", "artifacts")
    assert scorecard_learner(os.path.join(root, relative), root) == learner


@pytest.mark.parametrize("folder, learner", [
    ("class/alice", "alice"),
    ("class/alice/0x03-user_authentication_service", "alice"),
    ("class/bob/", "bob"),
])
def test_a_graded_folders_learner_is_its_name(folder: str,
                                              learner: str) -> None:
    """The folder's name, or its parent's for the exercise's folder."""
    assert folder_learner(folder) == learner


def test_folders_are_graded_by_the_documented_rules(tmp_path: Path) -> None:
    """A solution, a repository holding one, a class of them; twice the
    same name gets " (2)"; a folder with nothing is a warning."""
    root = str(tmp_path)
    exercise = "0x03-user_authentication_service"
    for path in ("class/alice/" + exercise, "class/bob", "class/carol",
                 "class/.git", "solo", "empty"):
        os.makedirs(os.path.join(root, path))
    for path in ("class/alice/" + exercise, "class/bob", "solo"):
        open(os.path.join(root, path, "user.py"), "w").close()
    sources, warnings = find([os.path.join(root, path) for path in (
        "class", "solo", "class/bob", "empty")], [])
    assert [(source.learner, os.path.relpath(source.path, root))
            for source in sources] == [
        ("alice", "class/alice/" + exercise), ("bob", "class/bob"),
        ("carol", "class/carol"), ("solo", "solo"),
        ("bob (2)", "class/bob")]
    assert warnings == ["{}: no solution folder and no scorecard JSON "
                        "found".format(os.path.join(root, "empty"))]
    with pytest.raises(InputError):
        find([os.path.join(root, "nowhere")], [])


def test_learner_text_is_escaped_and_the_page_needs_nothing_else() -> None:
    """A script in a reason or a name stays text; no script, link or
    external address is in the page."""
    hostile = Graded('<img src=x onerror="alert(2)">', None, HOSTILE)
    page = render_html(build(CLASS + [hostile]))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in page
    for forbidden in ("<script", "<img", "<link", "http:", "https:",
                      "url(", "@import"):
        assert forbidden not in page.lower(), forbidden
    assert "User has a table" in page_text(page)


def test_the_command_refuses_no_inputs_and_reads_json(
        tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """No paths, a path that does not exist, a wrong task or output
    folder: 2 and one line each; scorecards: both reports written, 0."""
    assert main([]) == 2
    assert main([str(tmp_path / "nowhere")]) == 2
    assert main(["--task", "99", str(tmp_path)]) == 2
    assert main(["--csv", str(tmp_path / "no" / "x.csv"), "."]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 4
    for graded in CLASS[:2]:
        write_json(str(tmp_path / "cards" / (graded.learner + ".json")),
                   graded.document)
    out = str(tmp_path / "out")
    assert main(["--from-json", str(tmp_path / "cards"), "--csv",
                 out + ".csv", "--html", out + ".html"]) == 0
    with open(out + ".csv", newline="", encoding="utf-8") as stream:
        assert [row["learner"] for row in csv.DictReader(stream)] == [
            "ada", "ben"]
    assert "ada" in page_text(open(out + ".html", encoding="utf-8").read())


class Observed(grading.Running):
    """Grades a test can follow: `started` is set once a grade's process
    runs (or could not start). Given a file, start() returns only once the
    grade has made it, so that run()'s time limit counts from there, not
    from an interpreter that a loaded machine took seconds to start."""

    def __init__(self, ready: str = "") -> None:
        """Follow grades; wait for `ready` to exist after each start."""
        super().__init__()
        self.ready = ready
        self.ready_at = 0.0  # when it existed (0: never, within the limit)
        self.started = threading.Event()

    def start(self, command: List[str], log: IO[bytes]
              ) -> "subprocess.Popen[bytes]":
        """Start a grade; tell the test; wait for its file, if any."""
        try:
            process = super().start(command, log)
        finally:
            self.started.set()
        if self.ready and appears(self.ready, START_LIMIT):
            self.ready_at = time.monotonic()
        return process


def appears(path: str, seconds: float) -> bool:
    """Tell whether a file exists within some seconds."""
    deadline = time.monotonic() + seconds
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_a_grade_over_its_limit_is_killed_with_its_group(
        tmp_path: Path) -> None:
    """The grade and what it started die at the limit, counted from when
    the grade had started its child."""
    pid_file = str(tmp_path / "child.pid")
    script = ("import os, subprocess, sys, time; child = subprocess.Popen("
              "[sys.executable, '-c', 'import time; time.sleep(60)']); "
              "open({0!r}, 'w').write(str(child.pid)); "
              "os.rename({0!r}, {1!r}); time.sleep(60)").format(
                  pid_file + ".new", pid_file)
    running = Observed(pid_file)
    with open(str(tmp_path / "log"), "wb") as log:
        finished = grading.run([sys.executable, "-c", script], log, LIMIT,
                               running)
    assert running.ready_at, "the grade never started its child"
    assert not finished
    assert time.monotonic() - running.ready_at < LIMIT + KILL_GRACE
    with open(pid_file) as stream:
        child = int(stream.read())
    try:
        assert dies_within(child, KILL_GRACE)
    finally:  # a limit that failed leaves no process behind
        kill_quietly(os.kill, child)


def test_an_interrupted_report_kills_every_running_grade(
        tmp_path: Path) -> None:
    """Ctrl-C (stop) kills the grades running and starts no more."""
    running = Observed()
    outcome: List[bool] = []
    with open(str(tmp_path / "log"), "wb") as log:
        worker = threading.Thread(target=lambda: outcome.append(grading.run(
            [sys.executable, "-c", "import time; time.sleep(60)"], log,
            60.0, running)))
        worker.start()
        if not running.started.wait(START_LIMIT) or not running.groups:
            running.stop()
            pytest.fail("the grade never started (outcome: {})".format(
                outcome))
        pid = next(iter(running.groups))
        try:
            running.stop()
            worker.join(KILL_GRACE)
            assert outcome == [True] and dies_within(pid, KILL_GRACE)
        finally:  # a stop() that failed leaves no grade behind
            kill_quietly(os.killpg, pid)
    with pytest.raises(OSError):
        running.start([sys.executable, "-c", "pass"], log)


def kill_quietly(kill: Callable[[int, int], None], pid: int) -> None:
    """SIGKILL a process or a group (os.kill, os.killpg) that may be gone.
    """
    try:
        kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def dies_within(pid: int, seconds: float) -> bool:
    """Tell whether a process is gone (or a zombie) within some seconds:
    a SIGKILL is delivered, not awaited."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with open("/proc/{}/stat".format(pid)) as stream:
                if stream.read().split(")")[-1].split()[0] == "Z":
                    return True
        except OSError:
            return True
        time.sleep(0.05)
    return False


def test_a_log_gives_its_last_line_as_the_reason(tmp_path: Path) -> None:
    """The last non-empty line, cut to 200 characters."""
    log = str(tmp_path / "log")
    with open(log, "w") as stream:
        stream.write("first\nERROR: " + "x" * 300 + "\n\n  \n")
    assert grading.last_line(log) == ("ERROR: " + "x" * 300)[:200]
    assert "no output" in grading.last_line(str(tmp_path / "missing"))


def test_a_class_is_graded_end_to_end(tmp_path: Path) -> None:
    """alice (the reference), bob (user.py only) and carol (no solution):
    one command, three rows, exit 0."""
    classroom = tmp_path / "class"
    copy_reference(str(classroom / "alice" /
                       "0x03-user_authentication_service"))
    os.makedirs(str(classroom / "bob"))
    os.makedirs(str(classroom / "carol"))
    for name in ("user.py", "README.md"):
        shutil.copy(os.path.join(REFERENCE, name), str(classroom / "bob"))
    (classroom / "carol" / "README.md").write_text("nothing yet\n")
    out = str(tmp_path / "report")
    result = subprocess.run(
        [sys.executable, "-m", "checks.classreport", str(classroom),
         "--task", "0-2", "--csv", out + ".csv", "--html", out + ".html"],
        cwd=REPO_ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        universal_newlines=True, timeout=CLASS_LIMIT)
    assert result.returncode == 0, result.stdout
    assert "[3/3] " in result.stdout and "alice: 100.0%" in result.stdout
    with open(out + ".csv", newline="", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert statuses(rows, "alice", ("0", "1", "2")) == ("passed",) * 3
    assert statuses(rows, "bob", ("0", "1")) == ("passed", "not started")
    assert statuses(rows, "carol", ("0",)) in ((ERROR,), ("not started",))
    assert os.path.getsize(out + ".html") > 1000


def browser() -> str:
    """Return the first Chromium on PATH, or skip the test."""
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("no chromium on PATH: install Debian's chromium to run "
                "the browser test")
    raise AssertionError("unreachable")  # pytest.skip raises


def headless(command: List[str], profile: str) -> str:
    """Run headless Chromium on a page; kill its group past the limit."""
    options = ["--headless", "--no-sandbox", "--disable-gpu",
               "--disable-quic", "--no-first-run",
               "--disable-background-networking",
               "--disable-component-update", "--disable-sync",
               "--user-data-dir=" + profile, "--window-size=1400,900"]
    process = subprocess.Popen(
        command[:1] + options + command[1:], stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL, start_new_session=True,
        universal_newlines=True)
    try:
        output, _ = process.communicate(timeout=BROWSER_LIMIT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise AssertionError("chromium took over {} s".format(BROWSER_LIMIT))
    return output


def test_the_page_renders_in_chromium(tmp_path: Path) -> None:
    """A screenshot of a class of six, and the page's text as the browser
    built it: names, pass rates, the most failed check and its count."""
    chromium = browser()
    page = tmp_path / "class-report.html"
    page.write_text(render_html(build(CLASS)), encoding="utf-8")
    folder = os.environ.get("CHECKS_ARTIFACTS") or str(tmp_path)
    os.makedirs(folder, exist_ok=True)
    shot = os.path.join(os.path.abspath(folder), "class-report.png")
    if os.path.exists(shot):
        os.remove(shot)
    profile = str(tmp_path / "profile")
    headless([chromium, "--screenshot=" + shot, page.as_uri()], profile)
    with open(shot, "rb") as stream:
        png = stream.read()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 8000
    text = page_text(headless([chromium, "--dump-dom", page.as_uri()],
                              profile))
    for learner in ("ada", "ben", "cy", "dee", "eve", "fay"):
        assert learner in text
    assert "pass rate 67% 67% 33% 67%" in text, text
    assert "{} 2 Find user 3 of 6".format(COMMON_LABEL) in text, text
