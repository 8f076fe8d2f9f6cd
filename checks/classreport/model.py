"""A class's grades as one model: each learner's status per task, each
task's pass rate, and the checks that fail most across the class.

A task's checks are of two kinds (the scorecard's "kind"): behaviour (the
code does what the page says) and requirements (the file's shebang,
style, documentation, mode). A task whose behaviour passed and whose
requirements failed is shown apart ("requirements failed"), with a
behaviour pass rate beside each task's: a teacher sees who can build the
service, and who forgot an executable bit.

Scorecard documents may come from anywhere (a CI artifact, an older
checker, a hand-edited file), so they are read defensively: a missing
field or one of the wrong type makes the learner's row an error naming
the field, never a crash. Every text kept from a document is cut to
TEXT_LIMIT characters; the renderers escape it.
"""
from typing import Any
from typing import Dict
from typing import List
from typing import NamedTuple
from typing import Optional
from typing import Set
from typing import Tuple

from dataclasses import dataclass
from dataclasses import field

from checks.harness.catalogue import TASKS
from checks.harness.verdict import Status

TASK_KEYS: Tuple[str, ...] = tuple(task.key for task in TASKS)
ERROR = "error"  # a learner's status when no scorecard could be read
PASSED = Status.PASSED.value
FAILED = Status.FAILED.value
# A failed task whose behaviour checks all passed: only requirements failed.
REQUIREMENTS_FAILED = "requirements failed"
BEHAVIOUR = "behaviour"
REQUIREMENT = "requirement"
UNKNOWN_VERSION = "unknown"  # a scorecard that does not name its checker
TEXT_LIMIT = 300
STATUS_LIMIT = 40


class Graded(NamedTuple):
    """A learner and their scorecard document, or why there is none."""

    learner: str
    document: Any  # the JSON document as parsed; None when there is none
    error: str = ""
    commit: str = ""  # the learner's commit graded, when known (roster)


class Cell(NamedTuple):
    """One task of one learner: its status and first failure's reason,
    whether its behaviour passed, and its failed requirements."""

    status: str
    reason: str = ""
    behaviour_passed: bool = False
    requirements: Tuple[str, ...] = ()

    @property
    def shown(self) -> str:
        """Return the status to show: "requirements failed" for a failed
        task whose behaviour passed."""
        if self.status == FAILED and self.behaviour_passed and \
                self.requirements:
            return REQUIREMENTS_FAILED
        return self.status


class FailedCheck(NamedTuple):
    """One failed check of one learner."""

    task: str
    label: str
    reason: str
    kind: str = BEHAVIOUR


@dataclass
class LearnerRow:
    """One learner's statuses per task and score, or why there are none."""

    learner: str
    cells: Dict[str, Cell] = field(default_factory=dict)
    score: Optional[float] = None
    mandatory: Optional[float] = None
    error: str = ""
    failed: List[FailedCheck] = field(default_factory=list)
    commit: str = ""
    checker_version: str = ""
    stack: str = ""

    def status(self, key: str) -> str:
        """Return a task's status; "" when it was not graded."""
        if self.error:
            return ERROR
        return self.cells[key].status if key in self.cells else ""

    def shown(self, key: str) -> str:
        """Return a task's status as the reports show it: the status, or
        "requirements failed" when only requirements failed."""
        if self.error or key not in self.cells:
            return self.status(key)
        return self.cells[key].shown

    def behaviour_passed(self, key: str) -> bool:
        """Tell whether a task's behaviour passed (an error row's never)."""
        return not self.error and key in self.cells and \
            self.cells[key].behaviour_passed


@dataclass
class CommonFailure:
    """A check that failed for several learners, with one example."""

    task: str
    label: str
    example: str
    learners: int = 0
    kind: str = BEHAVIOUR


@dataclass
class ClassReport:
    """Every learner's row, in the order they were given."""

    rows: List[LearnerRow]

    def graded_tasks(self) -> List[str]:
        """Return the tasks graded for at least one learner, in order."""
        graded = {key for row in self.rows for key in row.cells}
        return [key for key in TASK_KEYS if key in graded]

    def pass_rate(self, key: str) -> Tuple[int, int]:
        """Return (learners who passed a task, learners counted): an error
        row counts as not passed, a row that skipped the task not at all."""
        counted = [row for row in self.rows if row.error or key in row.cells]
        return (sum(row.status(key) == PASSED for row in counted),
                len(counted))

    def behaviour_rate(self, key: str) -> Tuple[int, int]:
        """Return (learners whose behaviour passed a task, learners
        counted), counted as pass_rate counts."""
        counted = [row for row in self.rows if row.error or key in row.cells]
        return (sum(row.behaviour_passed(key) for row in counted),
                len(counted))

    def versions(self) -> Dict[Tuple[str, str], int]:
        """Return how many scorecards each (checker version, stack) graded.
        """
        found: Dict[Tuple[str, str], int] = {}
        for row in self.rows:
            if not row.error:
                pair = (row.checker_version, row.stack)
                found[pair] = found.get(pair, 0) + 1
        return found

    def most_failed(self, limit: int, kind: Optional[str] = None
                    ) -> List[CommonFailure]:
        """Return the checks most learners failed, most first: of one
        kind (behaviour or requirement), or of both."""
        found: Dict[Tuple[str, str], CommonFailure] = {}
        for row in self.rows:
            seen: Set[Tuple[str, str]] = set()
            for check in row.failed:
                key = (check.task, check.label)
                if key not in seen and kind in (None, check.kind):
                    seen.add(key)
                    found.setdefault(key, CommonFailure(
                        check.task, check.label, check.reason,
                        kind=check.kind)).learners += 1
        return sorted(found.values(), key=lambda common: (
            -common.learners, TASK_KEYS.index(common.task),
            common.label))[:limit]


class Unreadable(ValueError):
    """A scorecard document lacks a field or has one of the wrong type."""


def build(graded: List[Graded]) -> ClassReport:
    """Build the class report from each learner's grade."""
    return ClassReport([read_row(each) for each in graded])


def read_row(graded: Graded) -> LearnerRow:
    """Read one learner's scorecard into a row; an unreadable one is an
    error row that says what is wrong with it."""
    if graded.document is None:
        return LearnerRow(graded.learner, commit=graded.commit,
                          error=cut_text(graded.error) or "no scorecard")
    try:
        row = _row_of(graded.learner, graded.document)
    except Unreadable as problem:
        return LearnerRow(graded.learner, commit=graded.commit,
                          error=cut_text("not a readable scorecard: {}"
                                         .format(problem)))
    row.commit = graded.commit
    return row


def _row_of(learner: str, document: Any) -> LearnerRow:
    """Read a scorecard document, raising Unreadable at the first flaw."""
    if not isinstance(document, dict):
        raise Unreadable("not a JSON object")
    score = _field(document, "score", dict, "")
    row = LearnerRow(learner,
                     score=_field(score, "score", float, "score."),
                     mandatory=_field(score, "mandatory_percent", float,
                                      "score."),
                     checker_version=cut_text(_field(
                         document, "checker_version", str, "",
                         UNKNOWN_VERSION)),
                     stack=cut_text(_field(document, "stack", str, "", "")))
    for index, task in enumerate(_field(document, "tasks", list, "")):
        where = "tasks[{}].".format(index)
        if not isinstance(task, dict):
            raise Unreadable("tasks[{}] is not an object".format(index))
        key = _field(task, "task", str, where)
        if key not in TASK_KEYS:
            continue  # a task of another checker's version
        status = _field(task, "status", str, where)[:STATUS_LIMIT]
        reason = cut_text(_field(task, "reason", str, where, ""))
        checks = _checks(_field(task, "checks", list, where, []), where)
        failed = [check for check in checks if check.status == FAILED]
        behaviour = [check for check in checks if check.kind == BEHAVIOUR]
        row.cells[key] = Cell(
            status, reason,
            status == PASSED or (bool(behaviour) and all(
                check.status == PASSED for check in behaviour)),
            tuple(check.reason or check.label for check in failed
                  if check.kind == REQUIREMENT))
        row.failed += [FailedCheck(key, check.label, check.reason,
                                   check.kind) for check in failed]
    return row


class Check(NamedTuple):
    """The fields of one check the report reads."""

    label: str
    status: str
    reason: str
    kind: str


def _checks(checks: List[Any], where: str) -> List[Check]:
    """Return a task's checks from its "checks" list; a check without a
    kind (an older scorecard) is behaviour, as the checker's default."""
    found = []
    for index, check in enumerate(checks):
        place = "{}checks[{}].".format(where, index)
        if not isinstance(check, dict):
            raise Unreadable(place[:-1] + " is not an object")
        status = _field(check, "status", str, place)[:STATUS_LIMIT]
        label = _field(check, "label", str, place) if status == FAILED \
            else _field(check, "label", str, place, "")
        kind = _field(check, "kind", str, place, BEHAVIOUR)
        found.append(Check(
            cut_text(label), status,
            cut_text(_field(check, "reason", str, place, "")),
            REQUIREMENT if kind == REQUIREMENT else BEHAVIOUR))
    return found


def _field(mapping: Dict[str, Any], key: str, kind: type, where: str,
           default: Any = None) -> Any:
    """Return a field of the expected kind (float takes int too), or its
    default when it is absent and has one."""
    value = mapping.get(key, default)
    if kind is float and isinstance(value, (int, float)) \
            and not isinstance(value, bool):
        return float(value)
    if kind is not float and isinstance(value, kind):
        return value
    if key not in mapping:
        raise Unreadable("{}{} is missing".format(where, key))
    raise Unreadable("{}{} is not {}".format(
        where, key, {dict: "an object", list: "a list", str: "a string",
                     float: "a number"}[kind]))


def cut_text(value: str) -> str:
    """Return a text from a document, cut to TEXT_LIMIT characters."""
    if len(value) <= TEXT_LIMIT:
        return value
    return value[:TEXT_LIMIT - 3] + "..."
