"""The checker's pytest plugin: options, selection, sandboxing, scorecard.

Checks are ordinary test functions marked with their task. Unless marked
`static`, a check's body runs in a forked child (see sandbox.py); before it
runs, a check of a task the learner has not started is skipped as "not
started", and one whose files do not import, or whose prerequisite task
failed, as "blocked". Every outcome lands on the scorecard.
"""
import hashlib
import inspect
import os
from typing import Any
from typing import Dict
from typing import Iterator
from typing import List
from typing import NamedTuple
from typing import Optional
from typing import Set

import pytest

from checks.harness import sandbox
from checks.harness.catalogue import MODULE_IMPORTS
from checks.harness.catalogue import REFERENCE_FOLDER
from checks.harness.catalogue import TASKS
from checks.harness.catalogue import TASKS_BY_KEY
from checks.harness.catalogue import Task
from checks.harness.diagnose import explain
from checks.harness.diagnose import stack_name
from checks.harness.failures import BLOCKED_BY_IMPORT
from checks.harness.failures import BLOCKED_BY_TASK
from checks.harness.failures import NOT_STARTED
from checks.harness.failures import CheckerError
from checks.harness.learner import Learner
from checks.harness.learner import use_fast_bcrypt
from checks.harness.pipeline import Pipeline
from checks.harness.pipeline import default_width
from checks.harness.report import Reporter
from checks.harness.report import skip_reason
from checks.harness.solution import Solution

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
SOLUTION_HELP = "Solution folder to grade (default: the reference, {})".format(
    REFERENCE_FOLDER)
TASK_HELP = ("Grade only these tasks, e.g. 7, 7,11, 0-20 or B1-B9 "
             "(repeatable)")
JSON_HELP = "Also write the scorecard as JSON to this path"
TIMEOUT_HELP = "Seconds one check may run before it fails (default: 10)"
FAST_FAIL_TIMEOUT = 3.0  # after a first timeout, hung code fails sooner
WARM_MODULES = ("sqlalchemy", "sqlalchemy.orm", "sqlalchemy.ext.declarative",
                "sqlalchemy.dialects.sqlite", "sqlite3", "flask",
                "flask.json", "werkzeug", "werkzeug.test", "bcrypt",
                "requests", "uuid", "json")


class Settings(NamedTuple):
    """The options of one run, resolved once."""

    solution: str
    tasks: Optional[Set[str]]
    json_path: Optional[str]
    timeout: float


SETTINGS = pytest.StashKey[Settings]()


class Cause(NamedTuple):
    """Why a task cannot be relied on by the tasks that build on it."""

    reason: str
    hung: bool


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
            "--task takes catalogue keys or ranges, like 7, 7,11, 0-20 or "
            "B1-B9; not understood: {}".format(
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
    group.addoption("--check-timeout", dest="check_timeout", default="10",
                    type=parse_timeout, help=TIMEOUT_HELP)


def pytest_configure(config: pytest.Config) -> None:
    """Register the markers, and the grader unless this is an xdist worker."""
    for line in ("task(key): the catalogue task a check belongs to",
                 "static: a check that reads files and runs no learner code",
                 "in_parent: a check that starts its own children",
                 "real_bcrypt: a check that needs bcrypt's real cost"):
        config.addinivalue_line("markers", line)
    tasks = config.getoption("tasks")
    solution = config.getoption("solution")
    config.stash[SETTINGS] = Settings(
        os.path.abspath(solution),
        {key for group in tasks for key in group} if tasks else None,
        config.getoption("scorecard_json"),
        config.getoption("check_timeout"))
    if not hasattr(config, "workerinput"):
        config.pluginmanager.register(Grader(config), "checks-grader")


def pytest_ignore_collect(collection_path: Any, config: pytest.Config
                          ) -> Optional[bool]:
    """Keep the self-tests out of grading unless asked for by path."""
    if collection_path.name != "selftest":
        return None
    asked = [os.path.abspath(str(arg)) for arg in config.args]
    inside = any(path.startswith(str(collection_path)) for path in asked)
    return None if inside else True


def runs_in_parent(item: pytest.Item) -> bool:
    """Tell whether a check runs in this process (it sandboxes itself)."""
    return any(item.get_closest_marker(name)
               for name in ("static", "in_parent"))


def task_of(item: pytest.Item) -> Optional[Task]:
    """Return the catalogue task a check is marked with, if any."""
    marker = item.get_closest_marker("task")
    return TASKS_BY_KEY[str(marker.args[0])] if marker else None


def prerequisites(task: Task) -> List[Task]:
    """Return every task a task builds on, nearest first, without repeats."""
    seen: List[Task] = []
    pending = list(task.depends_on)
    while pending:
        key = pending.pop(0)
        if all(key != known.key for known in seen):
            seen.append(TASKS_BY_KEY[key])
            pending.extend(TASKS_BY_KEY[key].depends_on)
    return seen


class Grader:
    """The per-run state: the solution, blocked tasks, and the reporter."""

    def __init__(self, config: pytest.Config) -> None:
        """Warm the parent process so that every forked check starts fast."""
        self.settings = config.stash[SETTINGS]
        warm_up()
        self.solution = Solution(self.settings.solution,
                                 self.settings.timeout)
        self.unusable: Dict[str, Cause] = {}
        self.timeouts = 0
        self.hung: Set[str] = set()
        self.reporter = Reporter(config, self.settings, stack_name(),
                                 history_key(self.settings.solution))
        self.pipeline = Pipeline(self.prefetch, default_width())

    @pytest.fixture(name="solution")
    def solution_fixture(self) -> Solution:
        """The solution folder being graded (read it; never write to it)."""
        return self.solution

    @pytest.fixture(name="learner")
    def learner_fixture(self) -> Learner:
        """The learner's modules, imported inside the check's child."""
        return Learner()

    def pytest_collection_modifyitems(self, config: pytest.Config,
                                      items: List[pytest.Item]) -> None:
        """Keep the selected tasks' checks, in catalogue order."""
        order = {task.key: index for index, task in enumerate(TASKS)}
        wanted = self.settings.tasks
        kept, dropped = [], []
        for item in items:
            task = task_of(item)
            if task is not None and wanted and task.key not in wanted:
                dropped.append(item)
            else:
                kept.append(item)
        if dropped:
            config.hook.pytest_deselected(items=dropped)
        kept.sort(key=lambda item: order.get(getattr(task_of(item), "key",
                                                     ""), -1))
        items[:] = kept
        self.pipeline.schedule(kept)

    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        """Skip a check whose task is not started or cannot run yet."""
        task = task_of(item)
        if task is None:
            return
        if not self.solution.has(task.marker):
            self.pipeline.discard(item)
            pytest.skip(NOT_STARTED.format(marker=task.marker.describe()))
        if item.get_closest_marker("static"):
            return
        reason = self.blocking_reason(task)
        if reason:
            self.pipeline.discard(item)
            pytest.skip(reason)

    def blocking_reason(self, task: Task) -> str:
        """Say why a task's behaviour cannot be checked at all, or "".

        A prerequisite that is not started, hung, or whose files do not
        import blocks up front. One that merely failed does not: the
        task's checks still run, and only a check that then fails is
        reported as blocked (see `blame`).
        """
        for needed in prerequisites(task):
            if not self.solution.has(needed.marker):
                return BLOCKED_BY_TASK.format(
                    key=needed.key, title=needed.title,
                    state="is not started yet")
            cause = self.unusable.get(needed.key)
            if cause is not None and cause.hung:
                return cause.reason
        for module in needed_modules(task):
            if self.solution.source(module + ".py") is None:
                continue
            probe = self.solution.probe(module)
            if not probe.ok:
                return BLOCKED_BY_IMPORT.format(
                    file=module + ".py", reason=probe.reason.splitlines()[0])
        return ""

    def blame(self, task: Task) -> Optional[Cause]:
        """Return the failed prerequisite a failing check is blamed on."""
        for needed in prerequisites(task):
            if needed.key in self.unusable:
                return self.unusable[needed.key]
        return None

    @pytest.hookimpl(tryfirst=True)
    def pytest_pyfunc_call(self, pyfuncitem: pytest.Function
                           ) -> Optional[bool]:
        """Run a check's body in a sandboxed child, unless it runs here."""
        if runs_in_parent(pyfuncitem):
            return None
        kwargs = {name: pyfuncitem.funcargs[name]
                  for name in inspect.signature(pyfuncitem.obj).parameters}
        result = self.pipeline.result(
            pyfuncitem, lambda: self.start(pyfuncitem, kwargs))
        self.settle(result, pyfuncitem)
        return True

    def start(self, item: pytest.Item, kwargs: Dict[str, Any]
              ) -> sandbox.Child:
        """Fork the child that runs one check's body."""
        function = getattr(item, "obj")
        fast = item.get_closest_marker("real_bcrypt") is None

        def body() -> Any:
            """Run the check, with cheap bcrypt unless it needs the real."""
            if fast:
                use_fast_bcrypt()
            return function(**kwargs)

        return sandbox.Child(body, self.solution.snapshot, self.timeout())

    def prefetch(self, item: pytest.Item) -> Optional[sandbox.Child]:
        """Start a later check early, if it will surely run as it is now."""
        task = task_of(item)
        if task is None or runs_in_parent(item) or not \
                self.solution.has(task.marker) or self.blocking_reason(task):
            return None
        params = getattr(getattr(item, "callspec", None), "params", {})
        known = {"solution": self.solution, "learner": Learner()}
        kwargs = {}
        for name in inspect.signature(getattr(item, "obj")).parameters:
            if name not in params and name not in known:
                return None
            kwargs[name] = params[name] if name in params else known[name]
        return self.start(item, kwargs)

    def timeout(self) -> float:
        """Return the time limit of the next check."""
        if self.timeouts:
            return min(self.settings.timeout, FAST_FAIL_TIMEOUT)
        return self.settings.timeout

    def settle(self, result: sandbox.ChildResult, item: pytest.Item) -> None:
        """Turn a child's outcome into pass, fail, skip or checker error."""
        if result.status == "returned":
            return
        raised = result.raised
        if result.status == "timeout":
            self.timeouts += 1
            self.hung.add(item.nodeid)
        elif raised is not None and raised.is_skip:
            pytest.skip(raised.message)
        elif raised is not None and raised.is_assertion:
            pytest.fail(raised.message, pytrace=False)
        elif raised is not None and raised.from_checker:
            raise CheckerError(raised.traceback)
        pytest.fail(explain(result, "the check"), pytrace=False)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item,
                                  call: pytest.CallInfo) -> Iterator[None]:
        """Record each check's outcome, and remember tasks that broke."""
        outcome = yield
        report = outcome.get_result()  # type: ignore[attr-defined]
        task = task_of(item)
        if task is None or not self.reporter.wants(report):
            return
        static = runs_in_parent(item) and item.get_closest_marker("static")
        cause = None if static else self.blame(task)
        blamed = report.failed and report.when == "call" and \
            cause is not None
        if blamed and cause is not None:
            report.outcome = "skipped"
            report.longrepr = (str(item.path), item.location[1],
                               "Skipped: " + cause.reason)
        status = self.reporter.record(item, task, report, call, blamed)
        if static or task.key in self.unusable:
            return
        if status == "failed":
            self.unusable[task.key] = Cause(BLOCKED_BY_TASK.format(
                key=task.key, title=task.title, state="failed: {}".format(
                    self.reporter.label(item))), item.nodeid in self.hung)
        elif status == "blocked":
            self.unusable[task.key] = cause or Cause(skip_reason(report), True)

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        """Print the scorecard and write its JSON and Markdown forms."""
        self.reporter.finish(terminalreporter)

    def pytest_unconfigure(self) -> None:
        """Stop children still running; remove the solution's snapshot."""
        self.pipeline.close()
        self.solution.cleanup()


def warm_up() -> None:
    """Import and exercise the libraries every check uses, once, here.

    Forked children inherit all of it, so a check pays only for the
    learner's own modules.
    """
    for name in WARM_MODULES:
        __import__(name)
    import sqlalchemy
    engine = sqlalchemy.create_engine("sqlite://")
    with engine.connect() as connection:
        connection.execute(sqlalchemy.text("SELECT 1"))
    engine.dispose()


def needed_modules(task: Task) -> List[str]:
    """Return the learner modules a task's behaviour checks import."""
    modules: List[str] = []
    for each in [task] + prerequisites(task):
        for module in (each.module,) + MODULE_IMPORTS.get(each.module, ()):
            if module in MODULE_IMPORTS and module not in modules:
                modules.append(module)
    return modules


def history_key(folder: str) -> str:
    """Return the cache key under which a folder's last statuses are kept."""
    digest = hashlib.sha1(folder.encode("utf-8")).hexdigest()[:16]
    return "checks/scorecard/{}".format(digest)
