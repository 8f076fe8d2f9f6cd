"""A class's grades as one model: each learner's status per task, each
task's pass rate, and the checks that fail most across the class.

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
TEXT_LIMIT = 300
STATUS_LIMIT = 40


class Graded(NamedTuple):
    """A learner and their scorecard document, or why there is none."""

    learner: str
    document: Any  # the JSON document as parsed; None when there is none
    error: str = ""


class Cell(NamedTuple):
    """One task of one learner: its status and first failure's reason."""

    status: str
    reason: str = ""


class FailedCheck(NamedTuple):
    """One failed check of one learner."""

    task: str
    label: str
    reason: str


@dataclass
class LearnerRow:
    """One learner's statuses per task and score, or why there are none."""

    learner: str
    cells: Dict[str, Cell] = field(default_factory=dict)
    score: Optional[float] = None
    mandatory: Optional[float] = None
    error: str = ""
    failed: List[FailedCheck] = field(default_factory=list)

    def status(self, key: str) -> str:
        """Return a task's status; "" when it was not graded."""
        if self.error:
            return ERROR
        return self.cells[key].status if key in self.cells else ""


@dataclass
class CommonFailure:
    """A check that failed for several learners, with one example."""

    task: str
    label: str
    example: str
    learners: int = 0


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

    def most_failed(self, limit: int) -> List[CommonFailure]:
        """Return the checks most learners failed, most first."""
        found: Dict[Tuple[str, str], CommonFailure] = {}
        for row in self.rows:
            seen: Set[Tuple[str, str]] = set()
            for check in row.failed:
                key = (check.task, check.label)
                if key not in seen:
                    seen.add(key)
                    found.setdefault(key, CommonFailure(
                        check.task, check.label, check.reason)).learners += 1
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
        return LearnerRow(graded.learner,
                          error=cut_text(graded.error) or "no scorecard")
    try:
        return _row_of(graded.learner, graded.document)
    except Unreadable as problem:
        return LearnerRow(graded.learner, error=cut_text(
            "not a readable scorecard: {}".format(problem)))


def _row_of(learner: str, document: Any) -> LearnerRow:
    """Read a scorecard document, raising Unreadable at the first flaw."""
    if not isinstance(document, dict):
        raise Unreadable("not a JSON object")
    score = _field(document, "score", dict, "")
    row = LearnerRow(learner,
                     score=_field(score, "score", float, "score."),
                     mandatory=_field(score, "mandatory_percent", float,
                                      "score."))
    for index, task in enumerate(_field(document, "tasks", list, "")):
        where = "tasks[{}].".format(index)
        if not isinstance(task, dict):
            raise Unreadable("tasks[{}] is not an object".format(index))
        key = _field(task, "task", str, where)
        if key not in TASK_KEYS:
            continue  # a task of another checker's version
        status = _field(task, "status", str, where)[:STATUS_LIMIT]
        reason = cut_text(_field(task, "reason", str, where, ""))
        row.cells[key] = Cell(status, reason)
        row.failed += _failed_checks(key, _field(task, "checks", list,
                                                 where, []), where)
    return row


def _failed_checks(key: str, checks: List[Any], where: str
                   ) -> List[FailedCheck]:
    """Return a task's failed checks from its "checks" list."""
    failed = []
    for index, check in enumerate(checks):
        place = "{}checks[{}].".format(where, index)
        if not isinstance(check, dict):
            raise Unreadable(place[:-1] + " is not an object")
        if _field(check, "status", str, place) == FAILED:
            failed.append(FailedCheck(
                key, cut_text(_field(check, "label", str, place)),
                cut_text(_field(check, "reason", str, place, ""))))
    return failed


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
