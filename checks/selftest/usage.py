"""Which tasks' checks run each function of the reference, measured once.

A mutant inside one function can change only the checks that run that
function, so it need only be graded on their tasks (mutation testing's
usual test selection). An instrumented copy of the reference notes each
call in a file of its sandbox (out/usage, beside its captured output);
after each check, usage_plugin.py reads that file from the check's
sandboxes and logs the calls under the check's task. `touched` says which
functions an edit changes, or None when it changes module-level code.
"""
import ast
import difflib
import os
import re
from typing import Dict
from typing import List
from typing import Optional
from typing import Set
from typing import Tuple
from typing import Union

from checks.harness.catalogue import MODULE_IMPORTS
from checks.selftest import folders

PROBE = "selftest_probe"
IMPORT = re.compile(r"(import|from) \w")
DEF = re.compile(r"\s*(async\s+)?def\s")
USAGE_FILE = "out/usage"  # in the sandbox's own folder
PROBE_SOURCE = '''"""Note each call of an instrumented function."""


def hit(name):
    """Append the function's name to ../out/usage (cwd is work/)."""
    try:
        with open("../out/usage", "a") as stream:
            stream.write(name + "\\n")
    except OSError:
        pass
'''
Usage = Dict[str, Set[str]]
Definition = Union[ast.FunctionDef, ast.AsyncFunctionDef]


def definitions(tree: ast.Module, lines: List[str]
                ) -> List[Tuple[str, Definition, int, int, int]]:
    """Return (name, node, head, first, last) of functions and methods.

    `head` is the first decorator's line, `first` the def's own line, and
    `last` the line before the next statement of its scope, which works
    without 3.7's missing end lines (and its decorated defs starting at the
    decorator).
    """
    found: List[Tuple[str, Definition, int, int, int]] = []

    def head(node: ast.stmt) -> int:
        """Return the first line of a statement, decorators included."""
        return min([node.lineno] + [decorator.lineno for decorator in
                                    getattr(node, "decorator_list", [])])

    def walk(body: List[ast.stmt], prefix: str, end: int) -> None:
        """Collect the definitions of one scope."""
        for index, node in enumerate(body):
            stop = head(body[index + 1]) - 1 if index + 1 < len(body) \
                else end
            if isinstance(node, ast.ClassDef):
                walk(node.body, prefix + node.name + ".", stop)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                first = next(number for number in range(head(node), stop + 1)
                             if DEF.match(lines[number - 1]))
                found.append((prefix + node.name, node, head(node), first,
                              stop))
    walk(tree.body, "", len(lines))
    return found


def instrument(source: str, module: str) -> str:
    """Make every function of a module report its calls to the probe."""
    lines = source.splitlines(True)
    for name, node, _, _, _ in sorted(
            definitions(ast.parse(source), source.splitlines()),
            key=lambda each: -each[1].lineno):
        body = node.body
        has_doc = ast.get_docstring(node, clean=False) is not None
        if len(body) <= int(has_doc):
            continue
        first = body[int(has_doc)]
        lines.insert(first.lineno - 1, "{}__import__({!r}).hit({!r})\n"
                     .format(" " * first.col_offset, PROBE,
                             module + ":" + name))
    return "".join(lines)


def instrumented_copy(folder: str) -> str:
    """Copy the reference with every learner module instrumented."""
    folders.copy_reference(folder)
    for module in MODULE_IMPORTS:
        path = os.path.join(folder, module + ".py")
        folders.write(path, instrument(folders.read(path), module))
    folders.write(os.path.join(folder, PROBE + ".py"), PROBE_SOURCE)
    return folder


def read_usage(log: str) -> Usage:
    """Return, for each "module:function", the tasks whose checks ran it."""
    found: Usage = {}
    if os.path.exists(log):
        with open(log) as stream:
            for line in stream:
                task, _, name = line.strip().partition(" ")
                found.setdefault(name, set()).add(task)
    return found


def changed_lines(before: str, after: str) -> Dict[int, str]:
    """Return the lines of `before` an edit deleted, replaced or bordered.

    Each maps to "delete" when the edit only removed it. Inserted import
    statements are left out: they bind a name, and every module they could
    import with side effects is imported anyway.
    """
    changed: Dict[int, str] = {}
    old, new = before.splitlines(), after.splitlines()
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, start, end, first, last in matcher.get_opcodes():
        if tag == "equal" or tag == "insert" and all(
                IMPORT.match(line) for line in new[first:last]):
            continue
        for line in range(start + 1, max(end, start + 1) + 1):
            changed[line] = tag
        if start == end:
            changed[start] = tag
    return {line: tag for line, tag in changed.items()
            if 1 <= line <= len(old)}


def touched(edits: List[Tuple[str, str, str, str]]) -> Optional[Set[str]]:
    """Return "module:function" for each function the edits change.

    None means some change lies outside every function body (imports,
    class bodies, module code, whole files), where it may affect any
    importer. A decorator counts as its function's only when the edit just
    deletes it: a new or changed route may catch requests that reached no
    view before, while a removed one changes only the view's own callers.
    """
    names: Set[str] = set()
    for kind, file, old, new in edits:
        module = file[:-len(".py")]
        if kind not in ("replace", "docstring") or module not in \
                MODULE_IMPORTS:
            return None
        before = folders.reference_text(file)
        after = folders.edited(before, kind, file, old, new)
        spans = definitions(ast.parse(before), before.splitlines())
        for line, tag in changed_lines(before, after).items():
            owners = [name for name, _, head, first, last in spans
                      if first <= line <= last or tag == "delete"
                      and head <= line < first]
            if not owners:
                return None
            names.add(module + ":" + owners[-1])
    return names
