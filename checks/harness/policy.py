"""Which checks may run, and whom a failure is blamed on.

Before a behaviour check runs: a task that is not started is skipped as
such; a near miss fails with what was found; a prerequisite that is not
started or hung, or a needed file that does not import, blocks the check up
front (running it could only fail, or hang again). A prerequisite that
merely failed does not: the check runs, and only if it then fails is the
failure blamed on that task ("blocked"). Requirement checks (the static
gates) are never blocked or blamed: they judge the task's own file.
"""
from typing import Callable
from typing import Dict
from typing import NamedTuple
from typing import Optional
from typing import Set

from checks.harness.catalogue import TASKS
from checks.harness.catalogue import Task
from checks.harness.catalogue import modules_needed
from checks.harness.catalogue import prerequisites
from checks.harness.failures import BLOCKED_BY_IMPORT
from checks.harness.failures import BLOCKED_BY_TASK
from checks.harness.failures import NOT_STARTED
from checks.harness.failures import Failure
from checks.harness.solution import Solution
from checks.harness.verdict import Blocked
from checks.harness.verdict import NotStarted
from checks.harness.verdict import Status
from checks.harness.verdict import Verdict

ImportReason = Callable[[str], str]  # module -> why it does not import, or ""


class Cause(NamedTuple):
    """Why a task cannot be relied on by the tasks that build on it."""

    reason: str
    hung: bool
    key: str = ""  # the task at the root of it


class Policy:
    """The blocking rules, and what the grade has learnt so far."""

    def __init__(self, solution: Solution, import_failure: ImportReason,
                 graded: Optional[Set[str]] = None) -> None:
        """Judge this solution; import_failure(module) runs its probe;
        `graded` holds the keys of the tasks in this run (None: all)."""
        self.solution = solution
        self.import_failure = import_failure
        self.graded = graded
        self.unusable: Dict[str, Cause] = {}

    def before(self, task: Task, behaviour: bool) -> None:
        """Raise NotStarted, Blocked or Failure if a check cannot run."""
        found = self.solution.presence(task)
        if found.state == "absent":
            raise NotStarted(NOT_STARTED.format(
                marker=task.marker.describe()) +
                self.solution.why_absent(task.file))
        if not behaviour:
            return
        if found.state == "near":
            raise Failure(found.message)
        reason = self.blocking_reason(task)
        if reason is not None:
            raise Blocked(reason.reason, reason.hung)

    def blocking_reason(self, task: Task) -> Optional[Cause]:
        """Return why a task's behaviour cannot be checked at all, or None.
        """
        for needed in prerequisites(task):
            if self.solution.presence(needed).state == "absent":
                return Cause(BLOCKED_BY_TASK.format(
                    key=needed.key, title=needed.title,
                    state="is not started yet"), False, needed.key)
            cause = self.unusable.get(needed.key)
            if cause is not None and cause.hung:
                return cause
        for module in modules_needed(task):
            if self.solution.source(module + ".py") is None:
                continue
            why = self.import_failure(module)
            owner = self.owner_of(module, task)
            if why and owner is not task:
                return Cause(BLOCKED_BY_IMPORT.format(
                    file=module + ".py", reason=why.splitlines()[0]), False,
                    owner.key)
        return None

    def owner_of(self, module: str, asking: Task) -> Task:
        """Return the task that reports a module's import error as its own
        failure: the first graded task on its file (the others, and every
        task importing it, are blocked by it)."""
        on_file = [task for task in TASKS if task.module == module]
        graded = [task for task in on_file
                  if self.graded is None or task.key in self.graded]
        return (graded or on_file or [asking])[0]

    def runs(self, task: Task, behaviour: bool) -> bool:
        """Tell whether a check would run if it started now."""
        try:
            self.before(task, behaviour)
        except (NotStarted, Blocked, Failure):
            return False
        return True

    def after(self, task: Task, verdict: Verdict, label: str,
              behaviour: bool) -> Verdict:
        """Blame a failure on a failed prerequisite; remember broken tasks.
        """
        if not behaviour:
            return verdict
        blame = next((self.unusable[needed.key]
                      for needed in prerequisites(task)
                      if needed.key in self.unusable), None)
        if verdict.status is Status.FAILED and blame is not None:
            verdict = verdict.blamed(blame.key, blame.reason)
        if task.key in self.unusable:
            return verdict
        if verdict.status is Status.FAILED:
            self.unusable[task.key] = Cause(BLOCKED_BY_TASK.format(
                key=task.key, title=task.title,
                state="failed: {}".format(label)), verdict.hung, task.key)
        elif verdict.status is Status.BLOCKED:
            self.unusable[task.key] = blame or Cause(
                verdict.reason, verdict.hung, verdict.blamed_on or task.key)
        return verdict
