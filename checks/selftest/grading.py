"""Run the grader on a folder and read back its JSON scorecard.

`run_grader` runs the grading command itself in a subprocess, as a learner
would (pool.py runs many grades through warm fork servers instead).
`affected_tasks` says which tasks an edit of some files can change.
"""
import json
import os
import signal
import subprocess
import sys
import time
from functools import lru_cache
from typing import Any
from typing import Dict
from typing import Iterable
from typing import List
from typing import NamedTuple
from typing import Optional
from typing import Sequence
from typing import Set
from typing import Tuple

from checks.harness.catalogue import MODULE_IMPORTS
from checks.harness.catalogue import TASKS
from checks.harness.catalogue import dependents as catalogue_dependents
from checks.selftest.folders import REPO_ROOT

RUN_LIMIT = 600.0  # seconds one grade may take before it is killed (a
# hang guard: a full grade under coverage, beside the mutant campaign on two
# cores, has taken over 180 s)
QUIET_ENV = ("GITHUB_STEP_SUMMARY", "GITHUB_ACTIONS", "PYTEST_ADDOPTS",
             "CHECKS_COVER_SANDBOXES")
# The tasks of the exercise itself (0-20), which the mutants are about.
EXERCISE = [task.key for task in TASKS if task.track != "beyond"]


class Grade(NamedTuple):
    """One grading run: exit status, scorecard, wall time, output tail."""

    rc: int
    card: Optional[Dict[str, Any]]
    seconds: float
    log: str
    ended: float = 0.0  # time.monotonic() when the grade was read

    def rows(self) -> List[Dict[str, Any]]:
        """Return the scorecard's task rows (none if there is no card)."""
        return list((self.card or {}).get("tasks", []))

    def statuses(self) -> Dict[str, str]:
        """Return each graded task's status."""
        return {row["task"]: row["status"] for row in self.rows()}

    def checks(self) -> Dict[str, str]:
        """Return each check's status, by its id in the repository."""
        return {canonical(check["id"]): check["status"]
                for row in self.rows() for check in row["checks"]}

    def blockers(self, task: str) -> Set[str]:
        """Return the tasks a task's blocked checks are blocked by ("" for
        a blocked check that names none)."""
        return {(check.get("blame") or {}).get("by") or ""
                for row in self.rows() if row["task"] == task
                for check in row["checks"] if check["status"] == "blocked"}

    def reasons(self, task: str) -> List[str]:
        """Return the reasons of a task's checks that did not pass."""
        return ["{}: {}".format(check["label"], check["reason"])
                for row in self.rows() if row["task"] == task
                for check in row["checks"]
                if check["status"] != "passed"]


@lru_cache(maxsize=None)
def _repository_path(path: str) -> str:
    """Return the shortest tail of a path that names a repository file."""
    parts = path.split("/")
    for index in range(len(parts)):
        tail = "/".join(parts[index:])
        if os.path.exists(os.path.join(REPO_ROOT, tail)):
            return tail
    return path


def canonical(nodeid: str) -> str:
    """Return a check's node id relative to the repository.

    pytest makes node ids relative to its rootdir, which depends on where
    the graded folder lives (a folder under /tmp makes it /).
    """
    path, separator, name = nodeid.partition("::")
    return _repository_path(path) + separator + name


class Job(NamedTuple):
    """One folder to grade, and how."""

    folder: str
    json_path: str
    tasks: Optional[Sequence[str]] = None
    marks: str = ""
    timeout: float = 5.0
    extra: Tuple[str, ...] = ()  # more pytest arguments
    env: Tuple[Tuple[str, str], ...] = ()  # more environment (run_grader)

    @property
    def static_only(self) -> bool:
        """Tell whether only the static checks are graded."""
        return self.marks == "static"


def grader_args(job: Job) -> List[str]:
    """Return the pytest arguments of the grading command for a job."""
    args = ["checks", "-p", "no:cacheprovider", "-q", "--solution",
            job.folder, "--scorecard-json", job.json_path,
            "--check-timeout", "{:g}".format(job.timeout)]
    if job.tasks is not None:
        args += ["--task", ",".join(job.tasks)]
    if job.marks:
        args += ["-m", job.marks]
    return args + list(job.extra)


def quiet_env() -> Dict[str, str]:
    """Return this environment without what would make a grade report out."""
    env = {key: value for key, value in os.environ.items()
           if key not in QUIET_ENV}
    env["CHECKS_HISTORY_DIR"] = "off"  # the checker's tree stays as it is
    return env


def read_grade(job: Job, rc: int, seconds: float, log: str) -> Grade:
    """Load a job's JSON scorecard, if the grader wrote one."""
    try:
        with open(job.json_path, encoding="utf-8") as stream:
            card: Optional[Dict[str, Any]] = json.load(stream)
    except (OSError, ValueError):
        card = None
    return Grade(rc, card, seconds, log[-200000:], time.monotonic())


def run_grader(job: Job, python: str = sys.executable,
               limit: float = RUN_LIMIT) -> Grade:
    """Run the grading command in a subprocess, as a learner does.

    Its output goes to a file, not a pipe: a grader that overruns the limit
    is killed with its process group, and no stray descendant holding the
    output open can keep us waiting.
    """
    started = time.monotonic()
    log = job.json_path + ".log"
    with open(log, "wb") as output:
        process = subprocess.Popen(
            [python, "-m", "pytest"] + grader_args(job), cwd=REPO_ROOT,
            env=dict(quiet_env(), **dict(job.env)), stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            process.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    with open(log, encoding="utf-8", errors="replace") as stream:
        text = stream.read()
    return read_grade(job, process.returncode, time.monotonic() - started,
                      text)


def importers(module: str) -> Set[str]:
    """Return a module and every learner module importing it, transitively."""
    found = {module}
    grew = True
    while grew:
        more = {name for name, imports in MODULE_IMPORTS.items()
                if found & set(imports)}
        grew = not more <= found
        found |= more
    return found


def dependents(keys: Iterable[str]) -> Set[str]:
    """Return the keys of the tasks that build on these (the catalogue's
    `dependents`, as a set of keys)."""
    return {task.key for task in catalogue_dependents(tuple(keys))}


def affected_tasks(files: Iterable[str]) -> List[str]:
    """Return the tasks an edit of these files can change, in task order.

    That is the tasks graded on the files or on modules importing them,
    plus every task that builds on those.
    """
    modules: Set[str] = set()
    for file in files:
        if file.endswith(".py"):
            modules |= importers(file[:-len(".py")])
    keys = {task.key for task in TASKS if task.module in modules}
    keys |= dependents(keys)
    return [task.key for task in TASKS if task.key in keys]
