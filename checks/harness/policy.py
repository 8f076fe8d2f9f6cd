"""Which checks may run, and whom a failure is blamed on.

Before a behaviour check runs: a task that is not started is skipped as
such; a near miss fails with what was found; a prerequisite that is not
started or hung, or a needed file that does not import, blocks the check up
front (running it could only fail, or hang again); a task whose own file
hung while the import probe imported it fails up front with the probe's
reason (its checks would import it again, each waiting its whole limit).
A prerequisite that merely failed does not block: the check runs, and if
it then fails, blame.py decides whether that task's failure explains it
("blocked") or not (the check's own failure). Requirement checks (the
static gates) are never blamed: they judge the task's own file; one that
cannot read it (the file does not import) is blocked, and says by which
task.
"""
from typing import Callable
from typing import Dict
from typing import List
from typing import NamedTuple
from typing import Optional
from typing import Set
from typing import Tuple

from checks.harness.blame import Outcome
from checks.harness.blame import Rerun
from checks.harness.blame import Suspect
from checks.harness.blame import judge
from checks.harness.catalogue import MODULE_IMPORTS
from checks.harness.catalogue import TASKS
from checks.harness.catalogue import Task
from checks.harness.catalogue import modules_needed
from checks.harness.catalogue import prerequisites
from checks.harness.failures import BLOCKED_BY_IMPORT
from checks.harness.failures import BLOCKED_BY_TASK
from checks.harness.failures import NOT_STARTED
from checks.harness.failures import Failure
from checks.harness.failures import Timeout
from checks.harness.solution import Solution
from checks.harness.verdict import UP_FRONT
from checks.harness.verdict import Blame
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
                 graded: Optional[Set[str]] = None,
                 rerun: Optional[Rerun] = None,
                 import_hang: ImportReason = lambda module: "") -> None:
        """Judge this solution; import_failure(module) runs its probe, and
        import_hang(module) says whether that import ran out of time;
        `graded` holds the keys of the tasks in this run (None: all);
        `rerun` runs a check on a counterfactual folder (None: never)."""
        self.solution = solution
        self.import_failure = import_failure
        self.import_hang = import_hang
        self.graded = graded
        self.rerun = rerun
        self.unusable: Dict[str, Cause] = {}
        self.failed: Dict[str, Cause] = {}  # tasks that failed on their own
        # (task, files) whose code timed out with those files from the
        # reference: a later timeout of that task is not waited for again
        self.hung_there: Set[Tuple[str, Tuple[str, ...]]] = set()

    def before(self, task: Task, behaviour: bool,
               runs_code: bool = True) -> None:
        """Raise NotStarted, Blocked or Failure if a check cannot run;
        `runs_code` is False for a check that only judges what the import
        probe found (it runs nothing that could hang)."""
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
            raise Blocked(reason.reason, reason.hung, reason.key)
        hang = self.own_import_hang(task) if runs_code else ""
        if hang:
            raise Timeout(hang)

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
        for module in self.present_modules(task):
            why = self.import_failure(module)
            owner = self.owner_of(module, task)
            if why and owner is not task:
                return Cause(BLOCKED_BY_IMPORT.format(
                    file=module + ".py", reason=why.splitlines()[0]), False,
                    owner.key)
        return None

    def own_import_hang(self, task: Task) -> str:
        """Return why the import of a file this task owns ran out of time
        in the import probe, or "": the task's checks would import it
        again, in the same kind of sandbox, and time out the same way."""
        for module in self.present_modules(task):
            hang = self.import_hang(module) \
                if self.owner_of(module, task) is task else ""
            if hang:
                return hang
        return ""

    def present_modules(self, task: Task) -> List[str]:
        """Return the modules a task's checks import that the solution
        has, in import order."""
        return [module for module in modules_needed(task)
                if self.solution.source(module + ".py") is not None]

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

    def culprit(self, task: Task) -> str:
        """Return the task whose file does not import, for a check stopped
        by it without saying whose (the first module, in import order,
        that fails of itself: the others fail because they import it)."""
        wanted = set(modules_needed(task)) | {task.module}
        for module in MODULE_IMPORTS:
            if module not in wanted or \
                    self.solution.source(module + ".py") is None:
                continue
            if self.import_failure(module):
                return self.owner_of(module, task).key
        return ""

    def suspects(self, task: Task) -> List[Suspect]:
        """Return the tasks this one builds on that failed on their own,
        nearest first."""
        return [Suspect(needed, self.failed[needed.key].reason)
                for needed in prerequisites(task)
                if needed.key in self.failed]

    def after(self, task: Task, verdict: Verdict, label: str,
              behaviour: bool, check: str = "") -> Verdict:
        """Blame a failure on the failed prerequisite that explains it, if
        one does; name the cause of a stop; remember broken tasks."""
        if verdict.status is Status.BLOCKED and verdict.blame is None:
            key = self.culprit(task)
            verdict = verdict._replace(blame=Blame(key, UP_FRONT) if key
                                       else None)
        if not behaviour:
            return verdict
        suspects = self.suspects(task)
        own = self.solution.presence(task).state != "near"
        if verdict.status is Status.FAILED and suspects and own:
            verdict = judge(task, verdict, suspects, self.replayer(
                verdict.hung), check)
        self.remember(task, verdict, label)
        return verdict

    def replayer(self, hung: bool) -> Optional[Rerun]:
        """Return how a failed check is run again: a check that timed out
        in a task whose code already timed out on the same counterfactual
        folder is taken to time out again (a hang is the task's own: each
        wait would cost the whole limit once more)."""
        rerun = self.rerun
        if rerun is None:
            return None

        def replay(check: str, task: Task, files: Tuple[str, ...]
                   ) -> Outcome:
            """Run the check again, or say how it would end."""
            if hung and (task.key, files) in self.hung_there:
                return Outcome(Status.FAILED, "another of its checks timed "
                               "out there: not waited for again", True)
            outcome = rerun(check, task, files)
            if outcome.hung:
                self.hung_there.add((task.key, files))
            return outcome
        return replay

    def remember(self, task: Task, verdict: Verdict, label: str) -> None:
        """Keep what a check's verdict says about its task, for the checks
        of the tasks that build on it."""
        if verdict.status is Status.FAILED:
            cause = Cause(BLOCKED_BY_TASK.format(
                key=task.key, title=task.title,
                state="failed: {}".format(label)), verdict.hung, task.key)
            self.failed.setdefault(task.key, cause)
            self.unusable.setdefault(task.key, cause)
        elif verdict.status is Status.BLOCKED and \
                task.key not in self.unusable:
            key = verdict.blame.by if verdict.blame else ""
            self.unusable[task.key] = self.failed.get(key) or Cause(
                verdict.reason, verdict.hung, key or task.key)
