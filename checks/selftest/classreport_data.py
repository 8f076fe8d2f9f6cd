"""Scorecards for the class report's self-tests, made by the checker's own
scorecard model and JSON renderer, so that they follow its schema.

CLASS is six learners: two pass tasks 0-3, three fail the same check of
task 2 (the most failed), one's reason is a script, one has no scorecard.
"""
import json
from html.parser import HTMLParser
from typing import Any
from typing import Dict
from typing import List
from typing import Tuple

from checks.classreport.model import Graded
from checks.harness.catalogue import TASKS_BY_KEY
from checks.harness.scorecard import CheckResult
from checks.harness.scorecard import Scorecard
from checks.harness.scorecard import render_json
from checks.harness.verdict import Status

HOSTILE = "<script>alert(1)</script>"
COMMON_LABEL = "find_user_by raises NoResultFound when nothing matches"
COMMON_REASON = "DB.find_user_by(email='nobody@x.io') returned None"
TIMED_OUT = "grading did not finish in 600 s"


def check(task: str, status: str = "passed", label: str = "",
          reason: str = "") -> CheckResult:
    """Return one check's result; its label defaults to one per task."""
    label = label or "task {} does what the page says".format(task)
    return CheckResult("checks/tasks/test_{}.py::{}".format(task, label),
                       task, label, Status(status), reason)


def document(*checks: CheckResult) -> Dict[str, Any]:
    """Return the JSON scorecard the checker writes for these results."""
    card = Scorecard("/class/learner", "current stack (for the tests)")
    for result in checks:
        card.add(result, TASKS_BY_KEY[result.task])
    parsed: Dict[str, Any] = json.loads(render_json(card))
    return parsed


def passing(*tasks: str) -> List[CheckResult]:
    """Return a passed check for each task."""
    return [check(task) for task in tasks]


def common_failure() -> CheckResult:
    """Return the check of task 2 that three learners fail."""
    return check("2", "failed", COMMON_LABEL, COMMON_REASON)


CLASS: List[Graded] = [
    Graded("ada", document(*passing("0", "1", "2", "3"))),
    Graded("ben", document(*passing("0", "1"), common_failure(), check(
        "3", "not started", reason="not started: DB.update_user not found"))),
    Graded("cy", document(*passing("0", "3"), check(
        "1", "failed", "add_user returns a User", "returned None"),
        common_failure())),
    Graded("dee", document(check("0", "failed", "User has a table", HOSTILE),
                           *passing("1", "3"), common_failure())),
    Graded("eve", None, TIMED_OUT),
    Graded("fay", document(*passing("0", "1", "2", "3"))),
]


class TextOf(HTMLParser):
    """Collects the text of an HTML page, without its tags."""

    def __init__(self) -> None:
        """Start with no text."""
        super().__init__()
        self.parts: List[str] = []

    def handle_data(self, data: str) -> None:
        """Keep a piece of text."""
        self.parts.append(data)


def page_text(page: str) -> str:
    """Return an HTML page's text, its pieces joined by spaces."""
    parser = TextOf()
    parser.feed(page)
    return " ".join(" ".join(parser.parts).split())


def statuses(rows: List[Dict[str, str]], learner: str,
             keys: Tuple[str, ...]) -> Tuple[str, ...]:
    """Return a learner's statuses for some tasks, from CSV rows."""
    row = next(row for row in rows if row["learner"] == learner)
    return tuple(row[key] for key in keys)
