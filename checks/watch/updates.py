"""What watch mode prints: status changes, the first failure, what next.

Each grade's JSON scorecard is read into a TaskResult per task; the
functions here compare two sets of results and say, in a few lines, what
a learner needs after a save: which tasks changed status, why the lowest
failing task fails, and which task to work on next. Texts from the
scorecard were made safe by the checker; they are cut to one line here.
"""
import json
import sys
from typing import Dict
from typing import Iterable
from typing import List
from typing import NamedTuple
from typing import Tuple

from checks.harness.catalogue import TASKS
from checks.harness.catalogue import TASKS_BY_KEY
from checks.harness.scorecard import one_line
from checks.harness.verdict import Status

WIDTH = 160  # characters of a reason shown on one line
PASSED = Status.PASSED.value
NOT_STARTED = Status.NOT_STARTED.value


class TaskResult(NamedTuple):
    """One task's outcome in a grade."""

    status: str
    passed: int
    total: int
    reason: str


Results = Dict[str, TaskResult]  # task key -> its last outcome


def read_results(path: str) -> Results:
    """Read a grade's JSON scorecard (written by the checker) into
    results; a task missing from it is simply not there."""
    with open(path, encoding="utf-8") as stream:
        document = json.load(stream)
    return {str(row["task"]): TaskResult(
        str(row["status"]), int(row["passed"]), int(row["total"]),
        str(row.get("reason", ""))) for row in document.get("tasks", [])}


def arrow() -> str:
    """Return an arrow the terminal can print."""
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    try:
        "\u2192".encode(encoding)
    except (UnicodeError, LookupError):
        return "->"
    return "\u2192"


def name(key: str) -> str:
    """Return "task 7 (Register user)"."""
    return "task {} ({})".format(key, TASKS_BY_KEY[key].title)


def ranges(keys: Iterable[str]) -> str:
    """Return task keys as catalogue ranges: "0-5, 7, B1-B3"."""
    order = [task.key for task in TASKS]
    positions = sorted(order.index(key) for key in keys)
    spans: List[List[int]] = []
    for position in positions:
        if spans and position == spans[-1][1] + 1 and \
                order[position][0].isdigit() == order[spans[-1][0]][0] \
                .isdigit():
            spans[-1][1] = position
        else:
            spans.append([position, position])
    return ", ".join(order[first] if first == last else
                     "{}-{}".format(order[first], order[last])
                     for first, last in spans)


def changes(before: Results, after: Results, keys: Iterable[str]
            ) -> List[str]:
    """Return a line per status change, tasks that changed alike (same
    statuses, same reason) on one line: "tasks 1-3: passed -> blocked"."""
    alike: Dict[Tuple[str, str, str], List[str]] = {}
    for key in keys:
        if key not in after:
            continue
        old = before[key].status if key in before else "not graded"
        if old != after[key].status:
            alike.setdefault((old, after[key].status, why(after[key])),
                             []).append(key)
    return ["task{} {}: {} {} {}{}".format(
        "s" if len(group) > 1 else "", ranges(group), old, arrow(), new,
        reason) for (old, new, reason), group in alike.items()]


def why(result: TaskResult) -> str:
    """Return ": reason" for a task that fails, else nothing."""
    if result.status in (PASSED, NOT_STARTED) or not result.reason:
        return ""
    return ": " + one_line(result.reason, WIDTH)


def verdicts(results: Results, keys: Iterable[str]) -> List[str]:
    """Return a line per task with its status and checks, e.g. after a
    save that left a task's status as it was."""
    return ["task {}: {} ({}/{} checks){}".format(
        key, results[key].status, results[key].passed, results[key].total,
        why(results[key])) for key in keys if key in results]


def summary(results: Results) -> List[str]:
    """Return the first failure of the lowest failing task and the next
    task to work on, in catalogue order."""
    graded = [task.key for task in TASKS if task.key in results]
    lines = []
    failing = [key for key in graded
               if results[key].status not in (PASSED, NOT_STARTED)]
    if failing:
        first = failing[0]
        lines.append("first failure: {}: {}".format(
            name(first), one_line(results[first].reason, WIDTH) or
            results[first].status))
    todo = [key for key in graded if results[key].status != PASSED]
    if todo:
        verb = "start" if results[todo[0]].status == NOT_STARTED else "fix"
        lines.append("next: {} {}".format(verb, name(todo[0])))
    else:
        lines.append("every graded task passes ({})".format(ranges(graded)))
    return lines


def overview(results: Results) -> List[str]:
    """Return each status with its tasks, e.g. "passed: 0-13"."""
    by_status: Dict[str, List[str]] = {}
    for task in TASKS:
        if task.key in results:
            by_status.setdefault(results[task.key].status,
                                 []).append(task.key)
    return ["{}: {}".format(status, ranges(keys))
            for status, keys in by_status.items()]
