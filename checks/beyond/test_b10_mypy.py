"""Beyond B10: mypy finds no type errors in the solution.

The page asks for type annotations on every function, and the requirement
gates check that they are there; mypy checks that they are right: that
`create_session` returns the str it promises, that `valid_login` is
called with what it declares. The original grader never ran mypy, so this
is reported apart from the score. Each finding is given to the task whose
function holds its line. SQLAlchemy is read as untyped (see tools.py).
"""
import ast
import re
from collections import Counter
from typing import Callable
from typing import List
from typing import NamedTuple

import pytest

from checks.harness import static
from checks.harness.catalogue import first_task_of
from checks.harness.catalogue import tasks_of_file
from checks.harness.failures import CheckerError
from checks.harness.failures import Failure
from checks.harness.solution import Solution
from checks.harness.tools import Tools
from checks.harness.tools import installed

pytestmark = [pytest.mark.task("B10"), pytest.mark.static]

LINE = re.compile(r"^(?P<file>[\w.-]+\.py):(?P<line>\d+):(?:\d+:)? "
                  r"(?P<kind>error|note|warning): (?P<text>.*)$")
SHOWN = 3
NO_MYPY = ("mypy is not installed in this environment (pip install mypy), "
           "so the types were not checked")


class Finding(NamedTuple):
    """One mypy error, where it is, and the task it belongs to."""

    file: str
    line: int
    text: str
    task: str


def owner(solution: Solution, file: str, line: int) -> str:
    """Return the task whose function holds a line of a file."""
    tasks = tasks_of_file(file)
    if not tasks:
        return "?"
    try:
        tree = ast.parse(solution.source(file) or "")
    except (SyntaxError, ValueError):
        return first_task_of(file).key
    for task in tasks:
        if static.belongs_to(static.Finding(line, ""), task, tree):
            return task.key
    return first_task_of(file).key


def findings(solution: Solution, output: str) -> List[Finding]:
    """Return mypy's errors, each with its task."""
    found = []
    for line in output.splitlines():
        match = LINE.match(line.strip())
        if match and match.group("kind") == "error":
            number = int(match.group("line"))
            found.append(Finding(match.group("file"), number,
                                 match.group("text")[:200], owner(
                                     solution, match.group("file"),
                                     number)))
    return found


def test_mypy_finds_no_type_errors(solution: Solution, tools: Tools,
                                   note: Callable[[str], None]) -> None:
    """mypy finds no type errors in the solution's files"""
    if not installed("mypy"):
        pytest.skip(NO_MYPY)
    output = tools.result("mypy")
    if output is None:
        raise CheckerError("mypy did not finish")
    errors = findings(solution, output)
    if not errors:
        return
    per_task = Counter(error.task for error in errors)
    note("mypy: {} type error{} by task: {}".format(
        len(errors), "s" if len(errors) > 1 else "", ", ".join(
            "task {}: {}".format(key, count)
            for key, count in sorted(per_task.items()))))
    raise Failure("mypy finds {} type error{}: {}{}".format(
        len(errors), "s" if len(errors) > 1 else "", "; ".join(
            "{}:{} (task {}): {}".format(error.file, error.line, error.task,
                                         error.text)
            for error in errors[:SHOWN]),
        "; and {} more".format(len(errors) - SHOWN)
        if len(errors) > SHOWN else ""),
        help="each finding's task is the one whose function holds its "
             "line; run mypy on your folder to see them all")
