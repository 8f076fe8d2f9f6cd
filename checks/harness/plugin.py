"""The checker's pytest plugin: options and wiring, nothing else.

Checks are test functions marked with their task. Before a check runs, the
policy may stop it (not started, blocked, near miss); when it has run, its
verdict is decided once (verdict.py), blamed if need be (policy.py, which
may have the check replayed on a counterfactual folder), put on the
scorecard (report.py) and on pytest's own report. Learner code runs only
in sandboxed workers; this process judges.
"""
import os
import time
from typing import Any
from typing import Iterator
from typing import List
from typing import Optional
from typing import Set

import pytest

from checks.harness import fixtures
from checks.harness.catalogue import REFERENCE_FOLDER
from checks.harness.catalogue import TASKS
from checks.harness.diagnose import stack_name
from checks.harness.fixtures import GRADE
from checks.harness.fixtures import NOTE
from checks.harness.fixtures import is_behaviour
from checks.harness.fixtures import runs_learner_code
from checks.harness.fixtures import spec_of
from checks.harness.fixtures import task_of
from checks.harness.folder import problem_with
from checks.harness.grade import Grade
from checks.harness.grade import Settings
from checks.harness.places import REPO_ROOT
from checks.harness.places import check_id
from checks.harness.replay import RAW
from checks.harness.replay import Replayer
from checks.harness.report import Reporter
from checks.harness.report import label_of
from checks.harness.sandbox import Containment
from checks.harness.scorecard import CONTRACT
from checks.harness.scorecard import IMPORT
from checks.harness.scorecard import Scorecard
from checks.harness.verdict import Status
from checks.harness.verdict import Verdict
from checks.harness.verdict import decide

SOLUTION_HELP = "Solution folder to grade (default: the reference, {})".format(
    REFERENCE_FOLDER)
TASK_HELP = ("Grade only these tasks, e.g. 7, 7,11, 0-20 or B1-B3; keys "
             "0-20 and B1-{} (repeatable)".format(TASKS[-1].key))
JSON_HELP = "Also write the scorecard as JSON to this path"
CHECK_TIMEOUT = 10.0  # seconds one check may run, unless told otherwise
TIMEOUT_HELP = "Seconds one check may run before it fails (default: {:g})" \
    .format(CHECK_TIMEOUT)
ZYGOTE_HELP = "Share a running zygote (its socket) instead of starting one"
CONTAIN_HELP = "Run learner code without namespaces (for testing)"
REPLAY_HELP = ("Internal: serve the grading process's counterfactual "
               "replays over this socket descriptor")
VERDICT = pytest.StashKey[Verdict]()
STARTED = pytest.StashKey[float]()
MARKERS = ("task(key): the catalogue task a check belongs to",
           "static: a requirement check that reads files, never blocked",
           "bare: the check's worker imports nothing before the check",
           "bcrypt_cost(rounds): bcrypt's cost in the check's worker (None:"
           " bcrypt's own; else 4)")


def parse_tasks(value: str) -> List[str]:
    """Parse "7", "7,11" or a range "0-20" into task keys, refusing others."""
    order = [task.key for task in TASKS]
    keys: List[str] = []
    unknown: List[str] = []
    for part in (part.strip() for part in value.split(",")):
        first, _, last = part.partition("-")
        if not part:
            continue
        if first in order and (not last or last in order):
            keys += order[order.index(first):order.index(last or first) + 1]
        else:
            unknown.append(part)
    if not keys or unknown:
        raise pytest.UsageError(
            "--task takes task keys or ranges, like 7, 7,11, 0-20 or B1-B3 "
            "(keys: {}-{}, {}-{}); not understood: {}".format(
                order[0], order[20], order[21], order[-1],
                ", ".join(unknown) or repr(value)))
    return keys


def parse_timeout(value: str) -> float:
    """Parse a positive number of seconds."""
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if seconds <= 0:
        raise pytest.UsageError(
            "--check-timeout takes a positive number of seconds, not {!r}"
            .format(value))
    return seconds


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add the checker's options in their own group."""
    group = parser.getgroup("checks", "kata checker")
    group.addoption("--solution", default=os.path.join(REPO_ROOT,
                                                       REFERENCE_FOLDER),
                    help=SOLUTION_HELP)
    group.addoption("--task", action="append", type=parse_tasks,
                    dest="tasks", help=TASK_HELP)
    group.addoption("--scorecard-json", dest="scorecard_json",
                    help=JSON_HELP)
    group.addoption("--check-timeout", dest="check_timeout",
                    default=CHECK_TIMEOUT, type=parse_timeout,
                    help=TIMEOUT_HELP)
    group.addoption("--zygote", dest="zygote", help=ZYGOTE_HELP)
    group.addoption("--no-namespaces", dest="contain", action="store_false",
                    help=CONTAIN_HELP)
    group.addoption("--replay-socket", dest="replay", type=int,
                    help=REPLAY_HELP)


def pytest_configure(config: pytest.Config) -> None:
    """Register the markers, and the grader unless this is an xdist worker
    or only the help was asked for."""
    for line in MARKERS:
        config.addinivalue_line("markers", line)
    if hasattr(config, "workerinput") or GRADE in config.stash or \
            runs_selftests_only(config) or config.getoption("help"):
        return
    problem = problem_with(config.getoption("solution"))
    if problem:
        raise pytest.UsageError(problem)
    tasks = config.getoption("tasks")
    settings = Settings(
        os.path.abspath(config.getoption("solution")),
        {key for group in tasks for key in group} if tasks else None,
        config.getoption("scorecard_json"), config.getoption("check_timeout"),
        config.getoption("contain"), config.getoption("zygote"),
        config.getoption("replay"))
    try:
        grade = Grade(settings)
    except OSError as error:  # e.g. --zygote names no running zygote
        raise pytest.UsageError("cannot start grading: {}".format(
            error.strerror or error))
    config.stash[GRADE] = grade
    config.pluginmanager.register(fixtures, "checks-fixtures")
    config.pluginmanager.register(Grader(config, grade), "checks-grader")
    if settings.replay is not None:
        config.pluginmanager.register(Replayer(grade, settings.replay),
                                      "checks-replayer")


def _asked_paths(config: pytest.Config) -> List[str]:
    """Return the absolute paths pytest was asked to collect."""
    return [os.path.abspath(str(arg).split("::")[0]) for arg in config.args]


def runs_selftests_only(config: pytest.Config) -> bool:
    """Tell whether pytest was asked for the self-tests alone (no grade)."""
    selftest = os.path.join(REPO_ROOT, "checks", "selftest")
    asked = _asked_paths(config)
    return bool(asked) and all(path.startswith(selftest) for path in asked)


def pytest_ignore_collect(collection_path: Any, config: pytest.Config
                          ) -> Optional[bool]:
    """Keep the self-tests out of grading unless asked for by path."""
    if collection_path.name != "selftest":
        return None
    inside = any(path.startswith(str(collection_path))
                 for path in _asked_paths(config))
    return None if inside else True


class Grader:
    """The hooks of one grade; each hands its work to the grade's parts."""

    def __init__(self, config: pytest.Config, grade: Grade) -> None:
        """Start an empty scorecard for the grade."""
        self.grade = grade
        card = Scorecard(grade.settings.solution, stack_name())
        self.reporter = Reporter(config, grade.settings.json_path, card)

    def pytest_collection_modifyitems(self, config: pytest.Config,
                                      items: List[pytest.Item]) -> None:
        """Keep the selected tasks' checks, in catalogue order. The zygote
        we started imported the stack meanwhile: its answer is read now."""
        self.reporter.card.containment = containment_line(
            self.grade.zygote.containment)
        order = {task.key: index for index, task in enumerate(TASKS)}
        wanted: Optional[Set[str]] = self.grade.settings.tasks
        kept = [item for item in items if not wanted or
                task_of(item).key in wanted]
        dropped = [item for item in items if item not in kept]
        if dropped:
            config.hook.pytest_deselected(items=dropped)
        kept.sort(key=lambda item: order[task_of(item).key])
        items[:] = kept
        prefetched = [item for item in kept
                      if "learner" in getattr(item, "fixturenames", ())]
        self.grade.behaviour_tasks = {item.nodeid: task_of(item)
                                      for item in prefetched}
        self.grade.order = [(check_id(str(item.path), item.nodeid),
                             task_of(item)) for item in prefetched]
        self.grade.pipeline.schedule([(item.nodeid, spec_of(item,
                                                             self.grade))
                                      for item in prefetched])
        self.grade.probes.start()
        self.grade.start_tools({task_of(item).key for item in kept})

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        """Stop a check its task's state forbids, before its fixtures."""
        item.stash[STARTED] = time.monotonic()
        item.stash[fixtures.SANDBOXES] = []  # a replay runs a check again
        try:
            self.grade.policy.before(task_of(item), is_behaviour(item),
                                     runs_learner_code(item))
        except BaseException:
            self.grade.pipeline.discard(item.nodeid)
            raise

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item,
                                  call: pytest.CallInfo) -> Iterator[None]:
        """Decide the check's verdict once, and report it everywhere."""
        outcome = yield
        report = outcome.get_result()  # type: ignore[attr-defined]
        if VERDICT in item.stash or call.when == "teardown" or (
                call.when == "setup" and call.excinfo is None):
            return
        item.stash[VERDICT] = self.judge(item, call)
        show(report, item.stash[VERDICT], item)

    def judge(self, item: pytest.Item, call: pytest.CallInfo) -> Verdict:
        """Decide a check's verdict, blamed if need be, and put it on the
        scorecard; its time is the check's own, without any replay."""
        task, check = task_of(item), check_id(str(item.path), item.nodeid)
        behaviour = is_behaviour(item)
        seconds = time.monotonic() - item.stash.get(STARTED,
                                                    time.monotonic())
        item.stash[RAW] = fixtures.over_memory(item, decide(call.excinfo))
        verdict = self.grade.policy.after(task, item.stash[RAW],
                                          label_of(item), behaviour, check)
        self.reporter.record(item, task, verdict, seconds,
                             item.stash.get(NOTE, ""),
                             "behaviour" if behaviour else "requirement",
                             self.failure_of(item, verdict))
        if behaviour and verdict.status is Status.FAILED:
            self.grade.foresee(check)
        return verdict

    def failure_of(self, item: pytest.Item, verdict: Verdict) -> str:
        """Say what a failed check failed on: IMPORT when it ran learner
        code that needs a module the import probe found broken (whatever
        it checks, it could not get there), else CONTRACT ("" if it did not
        fail). A check that judges the probe itself fails on its contract.
        """
        if verdict.status is not Status.FAILED:
            return ""
        if is_behaviour(item) and runs_learner_code(item) and \
                self.grade.policy.culprit(task_of(item)):
            return IMPORT
        return CONTRACT

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        """Print the scorecard and write its JSON and Markdown forms; in
        verbose mode, say how the checks' workers were made."""
        self.reporter.finish(terminalreporter)
        if terminalreporter.config.option.verbose > 0:
            for line in self.grade.pipeline.describe():
                terminalreporter.write_line(line)

    def pytest_unconfigure(self) -> None:
        """End every sandbox and the zygote; remove temporary files."""
        self.grade.close()


def show(report: pytest.TestReport, verdict: Verdict,
         item: pytest.Item) -> None:
    """Make pytest's report say what the verdict says.

    A failure is a failure wherever it happened (a fixture doing the
    learner's work fails in setup); one blamed on an earlier task stays a
    failure for pytest, JUnit and the annotations, its message saying
    whom it is blamed on; a stopped check is a skip with its reason.
    """
    if verdict.status is Status.PASSED or verdict.status is Status.ERROR:
        return
    if verdict.status is Status.FAILED or verdict.blamed_on:
        report.outcome = "failed"
        report.when = "call"
        report.longrepr = verdict.message
        return
    report.outcome = "skipped"
    report.when = "call"
    report.longrepr = (str(item.path), item.location[1] or 0,
                       verdict.reason)


def containment_line(containment: Containment) -> str:
    """Say in one line how learner code was contained: in namespaces or
    not, and whether each sandbox's budget was its own (cgroups) or each
    process's."""
    budget = containment.cgroups.describe() if containment.cgroups else \
        "per-process limits only: no cgroup delegated ({})".format(
            containment.cgroups_reason or "unknown")
    if containment.mode == "namespaces":
        return "containment: namespaces; " + budget
    return ("containment: reduced ({}): learner code ran in separate "
            "processes with resource limits, but without namespaces; {}"
            .format(containment.reason or "namespaces are unavailable here",
                    budget))
