"""Static reading of learner files: style, annotations, architecture.

Nothing here runs learner code. Findings carry a line number, and
`belongs_to` gives each one to the task whose function holds that line;
lines outside every task's functions (imports, helpers) go to the task that
creates the file.
"""
import ast
import re
from typing import Dict
from typing import List
from typing import NamedTuple
from typing import Optional
from typing import Tuple

import pycodestyle

from checks.harness import markers
from checks.harness.catalogue import Task
from checks.harness.catalogue import first_task_of
from checks.harness.catalogue import tasks_of_file

SHEBANG = "#!/usr/bin/env python3"
# Names app.py must never reach for: the app talks to AUTH only.
APP_FORBIDDEN = ("DB", "_db", "_session", "_generate_uuid")
# Parameters the page's own code leaves unannotated, by file and function:
# the DB skeleton's `**kwargs` (a learner copying it verbatim passes).
PAGE_UNANNOTATED = {("db.py", "DB.find_user_by"): "**",
                    ("db.py", "DB.update_user"): "**"}


class Finding(NamedTuple):
    """One problem found in a file, at a line."""

    line: int
    text: str


def _span(node: ast.AST) -> Tuple[int, int]:
    """Return the first and last line of a def, decorators included."""
    first = min([getattr(node, "lineno", 1)] + [d.lineno for d in getattr(
        node, "decorator_list", [])])
    last = max(getattr(child, "lineno", first) for child in ast.walk(node))
    return first, last


def task_functions(task: Task, tree: ast.Module) -> Tuple[str, ...]:
    """Return the defs a task answers for: its functions, and for a route
    task the view that serves its route, whatever its name."""
    names = task.functions
    if task.marker.route is not None:
        views = markers.views_of(task.marker.route,
                                 markers.served_routes(tree))
        names = tuple(dict.fromkeys(names + tuple(views)))
    return names


def claimed_lines(tree: ast.Module, file: str) -> Dict[str, List[Tuple[
        int, int]]]:
    """Return, per task key, the line spans of that task's own functions."""
    defs = markers.functions_by_name(tree)
    claims: Dict[str, List[Tuple[int, int]]] = {}
    for task in tasks_of_file(file):
        for name in task_functions(task, tree):
            node = defs.get(name)
            if node is not None and not isinstance(node, ast.ClassDef):
                claims.setdefault(task.key, []).append(_span(node))
    return claims


def belongs_to(finding: Finding, task: Task, tree: Optional[ast.Module]
               ) -> bool:
    """Tell whether a finding in a task's file is that task's to fix."""
    if tree is None:
        return True
    claims = claimed_lines(tree, task.file)
    for key, spans in claims.items():
        if any(first <= finding.line <= last for first, last in spans):
            return key == task.key
    return task.key == first_task_of(task.file).key


def style_findings(name: str, text: str) -> List[Finding]:
    """Return pycodestyle's complaints about a file's text."""
    style = pycodestyle.StyleGuide(quiet=True, config_file=False)
    report = _Collector(style.options)
    checker = pycodestyle.Checker(name, lines=text.splitlines(True),
                                  options=style.options, report=report)
    checker.check_all()
    return report.findings


class _Collector(pycodestyle.StandardReport):
    """A pycodestyle report that keeps findings instead of printing."""

    def __init__(self, options: object) -> None:
        """Start with no findings."""
        super().__init__(options)
        self.findings: List[Finding] = []

    def error(self, line_number: int, offset: int, text: str,
              check: object) -> Optional[str]:
        """Keep one complaint."""
        code = super().error(line_number, offset, text, check)
        if code:
            self.findings.append(Finding(line_number, "line {}: {}".format(
                line_number, text)))
        return code

    def get_file_results(self) -> int:
        """Print nothing."""
        return self.file_errors


def missing_annotations(node: ast.AST, page_leaves: str = "") -> List[str]:
    """Return the parameters and return of a def that lack annotations.

    page_leaves "**" excuses an unannotated **kwargs, as the page's own
    code has it.
    """
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return []
    args = node.args
    every = list(args.args) + list(args.kwonlyargs) + [
        arg for arg in (args.vararg,) if arg is not None]
    every += list(getattr(args, "posonlyargs", []))
    if args.kwarg is not None and page_leaves != "**":
        every.append(args.kwarg)
    missing = [arg.arg for arg in every
               if arg.annotation is None and arg.arg not in ("self", "cls")]
    if node.returns is None:
        missing.append("the return value")
    return missing


def architecture_findings(source: str, file: str) -> List[Finding]:
    """Return uses of private members or lower layers a file must not make.

    app.py talks to AUTH only: no DB, no _db, no _session, no
    _generate_uuid. No file but db.py reaches into `_session`, and no file
    but auth.py into `_db`.
    """
    findings = []
    for number, line in enumerate(source.splitlines(), 1):
        code = line.split("#", 1)[0]
        if file == "app.py":
            for name in APP_FORBIDDEN:
                if re.search(r"\b{}\b".format(re.escape(name)), code):
                    findings.append(Finding(number, "line {}: app.py uses "
                                            "{}".format(number, name)))
        elif file != "db.py" and re.search(r"\._session\b", code):
            findings.append(Finding(number, "line {}: {} uses _session "
                                    "outside DB".format(number, file)))
        if file not in ("auth.py", "app.py") and re.search(r"\._db\b", code):
            findings.append(Finding(number, "line {}: {} uses _db outside "
                                    "Auth".format(number, file)))
    return findings


def parse(source: Optional[str]) -> Optional[ast.Module]:
    """Parse a source, or return None when it is absent or invalid."""
    if source is None:
        return None
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError):
        return None
