"""Beyond B10: mypy finds no type errors in the solution.

The page asks for type annotations on every function, and the requirement
gates check that they are there; mypy checks that they are right: that
`create_session` returns the str it promises, that `valid_login` is
called with what it declares. The original grader never ran mypy, so this
is reported apart from the score. Each finding is given to the task whose
function holds its line. SQLAlchemy is read as untyped (see tools.py).

Only what a learner can act on is reported: mypy's findings about the
page's own code are not. The page writes `Base = declarative_base()` and
`class User(Base)`, and mypy, not knowing that the call makes a class,
says the variable "is not valid as a type" and is an "Invalid base
class"; it also writes `app.run(host="0.0.0.0", port="5000")`, which
Flask accepts (it converts the port) but types as `port: int`.
"""
import ast
import re
from collections import Counter
from typing import Callable
from typing import Dict
from typing import List
from typing import NamedTuple
from typing import Set

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
NOT_A_TYPE = re.compile(r'^Variable "(?P<name>[\w.]+)" is not valid as a '
                        r'type\b')
INVALID_BASE = re.compile(r'^Invalid base class "[\w.]+"')
PAGE_PORT = re.compile(r'^Argument "port" to "run" of "Flask" has '
                       r'incompatible type "str";')
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


def imported_names(tree: ast.Module) -> Dict[str, str]:
    """Return each name a module's imports bind, with what it stands for
    ("declarative_base" -> "sqlalchemy.orm.declarative_base")."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                head = alias.name.split(".")[0]
                names[alias.asname or head] = alias.name if alias.asname \
                    else head
        elif isinstance(node, ast.ImportFrom) and node.module and \
                not node.level:
            for alias in node.names:
                names[alias.asname or alias.name] = "{}.{}".format(
                    node.module, alias.name)
    return names


def dotted(node: ast.AST) -> str:
    """Return a callee's dotted name ("orm.declarative_base"), or ""."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = dotted(node.value)
        return head + "." + node.attr if head else ""
    return ""


def declarative_bases(module: str, source: str) -> Set[str]:
    """Return "module.Name" for each name a module binds to SQLAlchemy's
    declarative_base(), whichever sqlalchemy module it came from."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return set()
    imported = imported_names(tree)
    bases = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            head, _, rest = dotted(node.value.func).partition(".")
            callee = ".".join(part for part in (imported.get(head, ""),
                                                rest) if part)
            if callee.startswith("sqlalchemy.") and \
                    callee.endswith(".declarative_base"):
                bases |= {"{}.{}".format(module, target.id)
                          for target in node.targets
                          if isinstance(target, ast.Name)}
    return bases


def about_the_page(errors: List[Finding], bases: Set[str]
                   ) -> List[Finding]:
    """Return the errors about the page's own code (see the docstring):
    a declarative base taken for a variable, at the line where it is one,
    and the page's string port."""
    not_a_type = [error for error in errors
                  for match in [NOT_A_TYPE.match(error.text)]
                  if match and match.group("name") in bases]
    where = {(error.file, error.line) for error in not_a_type}
    return not_a_type + [error for error in errors if PAGE_PORT.match(
        error.text) or (INVALID_BASE.match(error.text) and (
            error.file, error.line) in where)]


def findings(solution: Solution, output: str) -> List[Finding]:
    """Return mypy's errors that a learner can act on, each with its task.
    """
    found = []
    for line in output.splitlines():
        match = LINE.match(line.strip())
        if match and match.group("kind") == "error":
            number = int(match.group("line"))
            found.append(Finding(match.group("file"), number,
                                 match.group("text")[:200], owner(
                                     solution, match.group("file"),
                                     number)))
    bases = set().union(*(declarative_bases(name[:-len(".py")],
                                            solution.source(name) or "")
                          for name in solution.names()
                          if name.endswith(".py")))
    excused = about_the_page(found, bases)
    return [error for error in found if error not in excused]


def _any_error(output: str) -> bool:
    """Tell whether mypy printed an error line, excused or not."""
    return any(_is_error(line) for line in output.splitlines())


def _is_error(line: str) -> bool:
    """Tell whether one line of mypy's output is an error finding."""
    match = LINE.match(line.strip())
    return match is not None and match.group("kind") == "error"


def test_mypy_finds_no_type_errors(solution: Solution, tools: Tools,
                                   note: Callable[[str], None]) -> None:
    """mypy finds no type errors in the solution's files"""
    if not installed("mypy"):
        pytest.skip(NO_MYPY)
    output = tools.result("mypy")
    if output is None:
        raise CheckerError("mypy did not finish")
    errors = findings(solution, output)
    status = tools.status("mypy")
    if status not in (0, 1) or (status == 1 and not errors and not
                                _any_error(output)):
        # 2: mypy stopped before checking (a file it cannot read or
        # parse); 1 with no error line: it failed in a way it did not say.
        raise Failure("mypy could not check your files (exit status {}): "
                      "{}".format(status, "; ".join(
                          line.strip() for line in output.splitlines()
                          if line.strip())[:400] or "no output"),
                      help="a file mypy cannot read (not UTF-8, or not "
                           "Python) is not checked at all: fix it first")
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
