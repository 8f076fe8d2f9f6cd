"""Static reading of learner files: annotations, architecture, ownership.

Nothing here runs learner code. Findings carry a line number, and
`belongs_to` gives each one to the task whose function holds that line;
lines outside every task's functions (imports, helpers) go to the task that
creates the file.
"""
import ast
from typing import Dict
from typing import List
from typing import NamedTuple
from typing import Optional
from typing import Tuple

from checks.harness import markers
from checks.harness.catalogue import Task
from checks.harness.catalogue import first_task_of
from checks.harness.catalogue import tasks_of_file

SHEBANG = "#!/usr/bin/env python3"
# Names app.py must never reach for: the app talks to AUTH only.
APP_FORBIDDEN = ("DB", "_db", "_session", "_generate_uuid")
# Builtins that reach an attribute by its name as a string.
BY_NAME = ("getattr", "setattr", "hasattr", "delattr")
# Parameters the page's own code leaves unannotated, by file and function:
# the DB skeleton's `**kwargs` (a learner copying it verbatim passes).
PAGE_UNANNOTATED = {("db.py", "DB.find_user_by"): "**",
                    ("db.py", "DB.update_user"): "**"}
# Defs the page gives with neither docstring nor annotation, by file and
# name: the Auth skeleton's `def __init__(self):`.
PAGE_BARE = (("auth.py", "Auth.__init__"),)


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


def page_gives_bare(file: str, name: str, node: Optional[ast.AST]) -> bool:
    """Tell whether a def is one the page gives bare, as the page gives it.

    The page's `Auth.__init__` has no docstring and no annotation, and
    copying it passes. The exemption follows the page's signature, `self`
    alone, whatever the body holds: an `__init__` the learner gives
    parameters is the learner's own def, documented and annotated like any
    other, its `-> None` included.
    """
    if (file, name) not in PAGE_BARE or not isinstance(node, (
            ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    args = node.args
    return [arg.arg for arg in args.args] == ["self"] and not (
        args.vararg or args.kwarg or args.kwonlyargs or
        getattr(args, "posonlyargs", []))


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


def unannotated(file: str, name: str, node: ast.AST) -> List[str]:
    """Return what a def leaves unannotated, less what the page's own code
    leaves so."""
    if page_gives_bare(file, name, node):
        return []
    return missing_annotations(node, PAGE_UNANNOTATED.get((file, name), ""))


def _literal(node: ast.AST) -> Optional[str]:
    """Return a string literal's text, or None (3.7 parses it as ast.Str)."""
    for field in ("value", "s"):
        value = getattr(node, field, None)
        if isinstance(value, str):
            return value
    return None


def _reached(node: ast.AST) -> List[Tuple[str, str]]:
    """Return what a node of the tree reaches for, as ("name", X) for a
    name or an imported one, and ("attribute", X) for `.X` or
    getattr(obj, "X")."""
    if isinstance(node, ast.Name):
        return [("name", node.id)]
    if isinstance(node, ast.Attribute):
        return [("attribute", node.attr)]
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return [("name", part) for alias in node.names
                for part in alias.name.split(".") + [alias.asname or ""]
                if part]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
            node.func.id in BY_NAME and len(node.args) >= 2:
        text = _literal(node.args[1])
        return [("attribute", text)] if text is not None else []
    return []


def _breach(file: str, kind: str, name: str) -> Optional[str]:
    """Return what a file breaks by reaching for a name, if anything."""
    if file == "app.py":
        return "app.py uses {}".format(name) \
            if name in APP_FORBIDDEN else None
    # `_DB__session` is the page's `self.__session` by its mangled name.
    if kind == "attribute" and name in ("_session", "_DB__session") and \
            file != "db.py":
        return "{} uses {} outside DB".format(file, name)
    if kind == "attribute" and name == "_db" and file != "auth.py":
        return "{} uses _db outside Auth".format(file)
    return None


def architecture_findings(tree: ast.Module, file: str) -> List[Finding]:
    """Return uses of private members or lower layers a file must not make.

    app.py talks to AUTH only: it names, imports or reaches no DB, _db,
    _session or _generate_uuid. No file but db.py reaches into `._session`
    (or the page's `__session` by its mangled name, `._DB__session`), and
    no file but auth.py into `._db`. Judged on the syntax tree, so a
    docstring or a comment may speak of "the DB".
    """
    found = set()
    for node in ast.walk(tree):
        for kind, name in _reached(node):
            breach = _breach(file, kind, name)
            if breach is not None:
                line = getattr(node, "lineno", 1)
                found.add(Finding(line, "line {}: {}".format(line, breach)))
    return sorted(found)


def parse(source: Optional[str]) -> Optional[ast.Module]:
    """Parse a source, or return None when it is absent or invalid."""
    if source is None:
        return None
    try:
        return ast.parse(source)
    except (SyntaxError, ValueError):
        return None
