"""Grade solution folders in parallel, each by the checker in a subprocess.

Each folder is graded as a learner grades it (`python -m pytest checks
--solution FOLDER --scorecard-json FILE`), from the repository root, with
no grade history kept and nothing sent to GitHub's summary or annotations.
Its output goes to a log file. A grade that writes no scorecard (a usage
error, a crash) is an error whose reason is the log's last line; one that
overruns its time limit is killed with its whole process group. One
folder's failure never stops the others.
"""
import os
import signal
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import as_completed
from typing import IO
from typing import Callable
from typing import Dict
from typing import List
from typing import NamedTuple
from typing import Set

from checks.classreport.clone import TOKEN_ENV
from checks.classreport.inputs import Source
from checks.classreport.model import Graded
from checks.classreport.results import read_json
from checks.harness.plugin import REPO_ROOT

REASON_WIDTH = 200
# Forty grades must not append forty summaries to a CI job's page, and
# no grade may see the token that fetched the learners' repositories.
QUIET_ENV = ("GITHUB_STEP_SUMMARY", "GITHUB_ACTIONS", "PYTEST_ADDOPTS",
             TOKEN_ENV)


class Settings(NamedTuple):
    """How to grade: in parallel, within a time limit, which tasks."""

    jobs: int
    timeout: float
    tasks: List[str]  # --task values for the checker; empty: every task
    workdir: str  # where the scorecards and logs go


class Running:
    """The grades' process groups alive now: Ctrl-C must end them all
    (each runs in a session of its own, out of the terminal's reach)."""

    def __init__(self) -> None:
        """Start with none, and refuse new ones once stopping."""
        self.lock = threading.Lock()
        self.groups: Set[int] = set()
        self.stopping = False

    def start(self, command: List[str], log: IO[bytes]
              ) -> "subprocess.Popen[bytes]":
        """Start a grade in a session of its own, unless stopping."""
        with self.lock:
            if self.stopping:
                raise OSError("the class report was interrupted")
            process = subprocess.Popen(
                command, cwd=REPO_ROOT, env=quiet_env(),
                stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True)
            self.groups.add(process.pid)
            return process

    def end(self, pid: int) -> None:
        """Kill a grade's process group (what it left behind too)."""
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass  # the group is gone already: the usual case
        with self.lock:
            self.groups.discard(pid)

    def stop(self) -> None:
        """Kill every grade still running; start no more."""
        with self.lock:
            self.stopping = True
            groups = list(self.groups)
        for pid in groups:
            self.end(pid)


def grade_all(sources: List[Source], settings: Settings,
              on_done: Callable[[Graded], None]) -> List[Graded]:
    """Grade every folder, `jobs` at a time; return grades in order."""
    done: Dict[int, Graded] = {}
    running = Running()
    pool = ThreadPoolExecutor(max_workers=settings.jobs)
    try:
        futures = {pool.submit(grade_one, source, str(index), settings,
                               running): index
                   for index, source in enumerate(sources)}
        for future in as_completed(futures):
            done[futures[future]] = future.result()
            on_done(done[futures[future]])
    finally:
        running.stop()  # nothing, unless interrupted
        pool.shutdown(wait=True)
    return [done[index] for index in range(len(sources))]


def grade_one(source: Source, stem: str, settings: Settings,
              running: Running) -> Graded:
    """Grade one folder; files are named by `stem`, never by the learner.
    """
    json_path = os.path.join(settings.workdir, stem + ".json")
    log_path = os.path.join(settings.workdir, stem + ".log")
    command = [sys.executable, "-m", "pytest", "checks", "--solution",
               os.path.abspath(source.path), "--scorecard-json", json_path,
               "-q", "-p", "no:cacheprovider"]
    for tasks in settings.tasks:
        command += ["--task", tasks]
    try:
        with open(log_path, "wb") as log:
            finished = run(command, log, settings.timeout, running)
    except OSError as problem:
        return Graded(source.learner, None,
                      "could not run the checker: {}".format(problem))
    if not finished:
        return Graded(source.learner, None, "grading did not finish in "
                      "{:g} s".format(settings.timeout))
    document = read_json(json_path)
    if document is None:
        return Graded(source.learner, None, last_line(log_path))
    return Graded(source.learner, document)


def run(command: List[str], log: IO[bytes], timeout: float,
        running: Running) -> bool:
    """Run a grade; tell whether it finished in time. Its process group
    is killed either way, so that nothing it left behind outlives it."""
    process = running.start(command, log)
    try:
        process.wait(timeout=timeout)
        finished = True
    except subprocess.TimeoutExpired:
        finished = False
    running.end(process.pid)
    process.wait()
    return finished


def quiet_env() -> Dict[str, str]:
    """Return this environment for a grade that keeps no history."""
    env = {key: value for key, value in os.environ.items()
           if key not in QUIET_ENV}
    env["CHECKS_HISTORY_DIR"] = "off"
    return env


def last_line(path: str) -> str:
    """Return a log's last non-empty line, cut to REASON_WIDTH."""
    try:
        with open(path, "rb") as stream:
            text = stream.read().decode("utf-8", "replace")
    except OSError:
        text = ""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        return "the checker wrote no scorecard and no output"
    return lines[-1][:REASON_WIDTH]
