"""What an edit changed, and which tasks' verdicts it can change.

A snapshot holds the folder's files as the checker reads them (top-level
.py and .md files, with their modes: the shebang gate reads the executable
bit). Two snapshots give the files that changed. For a Python file both
versions parse, the change is narrowed to the definitions whose code
changed (ast.dump ignores line numbers, so moving code is no change):
the tasks that own them (the catalogue's `functions`, or for app.py the
route a view serves) are the *edited* tasks, graded first; a helper's
edit is its callers'. Module-level code and a file that does not parse
belong to the task that creates the file (its import check speaks
first); a file added or removed edits all its tasks. Then come the
*consequences*: the other tasks of the changed files (their requirement
gates read the whole file), the tasks of the files that import them, and
every task that builds on any of these.
"""
import ast
import os
import stat
from typing import Dict
from typing import List
from typing import NamedTuple
from typing import Optional
from typing import Set
from typing import Tuple

from checks.harness.catalogue import MODULE_IMPORTS
from checks.harness.catalogue import TASKS
from checks.harness.catalogue import dependents
from checks.harness.catalogue import tasks_of_file
from checks.harness.markers import functions_by_name
from checks.harness.markers import served_routes
from checks.harness.solution import KEPT

# The beyond track's analysers (bandit, mypy) read every file of the
# folder, whichever file their task is filed under.
WHOLE_FOLDER = ("B9", "B10")
# README.md is read by one requirement gate, filed under task 0
# (checks/gates/test_requirements.py, test_project_has_a_readme).
README = "README.md"
README_TASK = "0"
READ_CAP = 1024 * 1024 + 1  # bytes read of a file: the checker reads 1 MiB

Snapshot = Dict[str, Tuple[bytes, int]]  # name -> (content, mode)


class Plan(NamedTuple):
    """The tasks to regrade after an edit: edited ones first."""

    files: Tuple[str, ...]
    edited: Tuple[str, ...]
    consequences: Tuple[str, ...]


def snapshot(folder: str) -> Snapshot:
    """Read the files the checker would read; a folder that is gone (or
    a file that vanished while being read) reads as empty."""
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return {}
    found: Snapshot = {}
    for name in names:
        if not name.endswith(KEPT) or name.startswith("."):
            continue
        try:
            found[name] = _read(os.path.join(folder, name))
        except OSError:
            continue
    return found


def _read(path: str) -> Tuple[bytes, int]:
    """Return a file's first bytes and its mode; only the mode of what is
    no regular file (a link, a FIFO: opening it could block)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        mode = os.fstat(fd).st_mode
        return (os.read(fd, READ_CAP) if stat.S_ISREG(mode) else b"", mode)
    finally:
        os.close(fd)


def changed_files(before: Snapshot, after: Snapshot) -> List[str]:
    """Return the names whose content or mode differs, or that came or
    went."""
    return sorted(name for name in set(before) | set(after)
                  if before.get(name) != after.get(name))


def _definitions(source: bytes) -> Optional[Dict[str, str]]:
    """Return each def's code (class headers apart from their methods)
    and the module's other statements under "", or None if it does not
    parse."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return None
    found = {"": ""}
    owned: Set[int] = set()
    for name, node in functions_by_name(tree).items():
        found[name] = "\n".join(ast.dump(part) for part in _own_code(node))
        owned.add(id(node))
    found[""] = "\n".join(ast.dump(node) for node in tree.body
                          if id(node) not in owned)
    return found


def _route_tasks(source: bytes) -> Dict[str, Set[str]]:
    """Return, for app.py, the task keys each view function serves."""
    try:
        routes = served_routes(ast.parse(source))
    except (SyntaxError, ValueError):
        return {}
    by_route = {task.marker.route: task.key for task in TASKS
                if task.marker.route is not None}
    found: Dict[str, Set[str]] = {}
    for served in routes:
        if served.route in by_route:
            found.setdefault(served.view, set()).add(by_route[served.route])
    return found


def _own_code(node: ast.AST) -> List[ast.AST]:
    """Return a definition's own code: a class's without its methods
    (each belongs to its own task)."""
    if not isinstance(node, ast.ClassDef):
        return [node]
    own: List[ast.AST] = [child for child in node.body if not isinstance(
        child, (ast.FunctionDef, ast.AsyncFunctionDef))]
    return own + list(node.bases) + list(node.decorator_list)


def _users(names: Set[str], source: bytes, file: str) -> Set[str]:
    """Return the tasks of a file whose code (functions, methods, views)
    names one of these helpers."""
    tree = ast.parse(source)
    defined = functions_by_name(tree)
    views = _route_tasks(source)
    found = set()
    for task in tasks_of_file(file):
        code = [part for name in task.functions if name in defined
                for part in _own_code(defined[name])]
        code += [defined[view] for view, keys in views.items()
                 if task.key in keys and view in defined]
        for node in (node for each in code for node in ast.walk(each)):
            if getattr(node, "id", None) in names or \
                    getattr(node, "attr", None) in names:
                found.add(task.key)
    return found


def edited_tasks(file: str, before: Optional[bytes],
                 after: Optional[bytes]) -> Set[str]:
    """Return the keys of the tasks whose code an edit of one file
    changed. Code outside any task's definitions (module code, a file
    that does not parse) is the code of the task that creates the file;
    a helper's is that of the tasks that call it."""
    tasks = tasks_of_file(file)
    if not tasks:
        return set()
    if before is None or after is None:  # the file came or went
        return {task.key for task in tasks}
    creator = {tasks[0].key}
    old, new = _definitions(before), _definitions(after)
    if old is None or new is None or old[""] != new[""]:
        return creator
    names = {name for name in set(old) | set(new)
             if old.get(name) != new.get(name)}
    owners = {name: {task.key for task in tasks if name in task.functions}
              for name in names}
    for source in (before, after):
        for view, keys in _route_tasks(source).items():
            if view in owners:
                owners[view] |= keys
    edited: Set[str] = set().union(*owners.values()) if owners else set()
    helpers = {name.split(".")[-1] for name, keys in owners.items()
               if not keys}
    if helpers:
        edited |= _users(helpers, after, file) or creator
    return edited


def importers_tasks(file: str) -> Set[str]:
    """Return the tasks of the files that import this one (a module that
    stops importing blocks them)."""
    module = file[:-len(".py")] if file.endswith(".py") else ""
    return {task.key for task in TASKS
            if module in MODULE_IMPORTS.get(task.module, ())}


def plan(before: Snapshot, after: Snapshot,
         watched: Set[str]) -> Optional[Plan]:
    """Return what to regrade after an edit, or None if nothing a check
    reads changed."""
    files = changed_files(before, after)
    if not files:
        return None
    edited: Set[str] = set()
    consequences: Set[str] = set()
    for file in files:
        own = {task.key for task in tasks_of_file(file)}
        if file == README:
            own = {README_TASK}
            edited |= own
        elif not own and file.endswith(".md"):
            continue  # no check reads it
        elif not own:  # a module of the learner's own: any task may
            own = {task.key for task in TASKS}  # import it
            edited |= own
        old, new = before.get(file), after.get(file)
        if old is not None and new is not None and old[1] == new[1]:
            edited |= edited_tasks(file, old[0], new[0])
        else:
            edited |= own  # added, removed, or its mode changed
        consequences |= own | importers_tasks(file) | set(WHOLE_FOLDER)
    if not edited and not consequences:
        return None  # only files no check reads
    affected = edited | consequences
    consequences |= {task.key for task in dependents(tuple(affected))}
    order = [task.key for task in TASKS]
    return Plan(tuple(files),
                tuple(key for key in order if key in edited & watched),
                tuple(key for key in order
                      if key in (consequences - edited) & watched))
