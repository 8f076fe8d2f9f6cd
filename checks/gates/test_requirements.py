"""The exercise's requirements, graded per task on that task's file.

File-wide rules (shebang, final newline, executable bit, module docstring)
count for every task of the file; rules about code (style, docstrings,
annotations, architecture) count for the task whose function breaks them,
and code outside every task's functions counts for the task that creates
the file. The page's own code passes every rule when copied verbatim: its
two-word docstrings ("DB module"), its unannotated `**kwargs` and the Auth
skeleton's bare `def __init__(self):`.
"""
import ast
from typing import Dict
from typing import List
from typing import Optional

import pytest

from checks.harness import markers
from checks.harness import static
from checks.harness import style
from checks.harness.catalogue import REFERENCE_FOLDER
from checks.harness.catalogue import TASKS
from checks.harness.catalogue import Task
from checks.harness.catalogue import first_task_of
from checks.harness.catalogue import tasks_of_file
from checks.harness.failures import Failure
from checks.harness.failures import shorten
from checks.harness.probes import Probes
from checks.harness.solution import FILE_CAP
from checks.harness.solution import Solution
from checks.harness.verdict import Blocked

pytestmark = pytest.mark.static
GRADED = [pytest.param(task, marks=pytest.mark.task(task.key),
                       id="task-{:0>2}".format(task.key))
          for task in TASKS if task.track in ("mandatory", "advanced")]
DOC_HELP = ("write a sentence saying what it is for; the page: \"a real "
            "sentence explaining the purpose\", not a single word")


def source_of(solution: Solution, task: Task) -> str:
    """Return the task's file, failing when it cannot be read."""
    if task.file in solution.oversized:
        raise Failure("{} is {} bytes: files over {} KiB are not graded"
                      .format(task.file, solution.oversized[task.file],
                              FILE_CAP // 1024))
    source = solution.source(task.file)
    if source is None:
        raise Failure("{} is missing".format(task.file))
    return source


def graded_names(task: Task, tree: ast.Module) -> List[str]:
    """Return the defs a task answers for: its own, plus strays if first.

    Only defs the file has: a view under another name than the page's is
    graded under its own name (the view's name is a check of its own).
    """
    defined = markers.functions_by_name(tree)
    names = [name for name in static.task_functions(task, tree)
             if name in defined]
    if task.key == first_task_of(task.file).key:
        claimed = {name for each in tasks_of_file(task.file)
                   for name in static.task_functions(each, tree) +
                   (each.marker.name or "",)}
        names += [name for name in defined
                  if name not in claimed and name not in names]
    return names


def docs_of(solution: Solution, probes: Probes, task: Task
            ) -> Dict[str, Optional[str]]:
    """Return the docstrings the original one-liners would print."""
    if task.module == "main":
        tree = static.parse(source_of(solution, task))
        if tree is None:
            raise Failure("main.py does not parse")
        docs = {"": ast.get_docstring(tree, clean=False)}
        for name, node in markers.functions_by_name(tree).items():
            docs[name] = ast.get_docstring(node,  # type: ignore[arg-type]
                                           clean=False)
        return docs
    probe = probes.result(task.module)
    if not probe.ok:
        raise Blocked("blocked: {} does not import ({})".format(
            task.file, probe.reason.splitlines()[0]))
    return probe.docs


def is_sentence(doc: object) -> bool:
    """Tell whether a docstring says something: not missing, empty or one
    word (the page asks for "a real sentence", not "a simple word")."""
    return isinstance(doc, str) and len(doc.split()) >= 2


@pytest.mark.parametrize("task", GRADED)
def test_first_line_is_the_shebang(solution: Solution, task: Task) -> None:
    """{task.file} starts with #!/usr/bin/env python3"""
    first = source_of(solution, task).split("\n", 1)[0].rstrip("\r")
    if first != static.SHEBANG:
        raise Failure("line 1 of {} is {}, not {!r}".format(
            task.file, shorten(repr(first), 80), static.SHEBANG))


@pytest.mark.parametrize("task", GRADED)
def test_file_ends_with_a_newline(solution: Solution, task: Task) -> None:
    """{task.file} ends with a newline"""
    if not source_of(solution, task).endswith("\n"):
        raise Failure("{} does not end with a newline".format(task.file))


@pytest.mark.parametrize("task", GRADED)
def test_line_endings_are_unix(solution: Solution, task: Task) -> None:
    """{task.file} uses Unix line endings"""
    if "\r" in source_of(solution, task):
        raise Failure("{} has Windows (CRLF) line endings: python3 on "
                      "Ubuntu reads the shebang as 'python3\\r'".format(
                          task.file))


@pytest.mark.parametrize("task", GRADED)
def test_file_is_executable(solution: Solution, task: Task) -> None:
    """{task.file} is executable"""
    source_of(solution, task)
    if not solution.executable(task.file):
        raise Failure("{} is not executable: run chmod +x {}".format(
            task.file, task.file))


@pytest.mark.parametrize("task", GRADED)
def test_code_passes_pycodestyle(solution: Solution, task: Task) -> None:
    """{task.file}: the task's code passes pycodestyle"""
    source = source_of(solution, task)
    tree = static.parse(source)
    findings = [finding for finding in style.style_findings(task.file,
                                                             source)
                if static.belongs_to(finding, task, tree)]
    if findings:
        raise Failure("pycodestyle {}: {}".format(
            style.PAGE_PYCODESTYLE, "; ".join(
                finding.text for finding in findings[:5])))


@pytest.mark.parametrize("task", GRADED)
def test_module_is_documented(solution: Solution, probes: Probes,
                              task: Task) -> None:
    """{task.module} has a module docstring that is a real sentence"""
    doc = docs_of(solution, probes, task).get("")
    if not is_sentence(doc):
        raise Failure("{}.__doc__ is {}: say what the module is for".format(
            task.module, shorten(doc, 80)), DOC_HELP)


@pytest.mark.parametrize("task", GRADED)
def test_definitions_are_documented(solution: Solution, probes: Probes,
                                    task: Task) -> None:
    """{task.file}: the task's classes and functions have real docstrings"""
    tree = static.parse(source_of(solution, task))
    if tree is None:
        raise Blocked("blocked: {} does not parse".format(task.file))
    docs = docs_of(solution, probes, task)
    defs = markers.functions_by_name(tree)
    bad = ["{}.{} is {}".format(task.module, name, shorten(docs.get(name),
                                                           80))
           for name in graded_names(task, tree) if not is_sentence(
               docs.get(name)) and not static.page_gives_bare(
                   task.file, name, defs.get(name))]
    if bad:
        raise Failure("; ".join(bad), DOC_HELP)


@pytest.mark.parametrize("task", GRADED)
def test_functions_are_annotated(solution: Solution, task: Task) -> None:
    """{task.file}: the task's functions annotate parameters and return"""
    tree = static.parse(source_of(solution, task))
    if tree is None:
        raise Failure("{} does not parse".format(task.file))
    defs = markers.functions_by_name(tree)
    bad = ["{} lacks annotations for {}".format(name, ", ".join(missing))
           for name in graded_names(task, tree) if name in defs
           for missing in [static.unannotated(task.file, name, defs[name])]
           if missing]
    if bad:
        raise Failure("; ".join(bad))


@pytest.mark.parametrize("task", GRADED)
def test_layers_are_respected(solution: Solution, task: Task) -> None:
    """{task.file}: no private member or lower layer used where forbidden"""
    tree = static.parse(source_of(solution, task))
    if tree is None:
        raise Failure("{} does not parse".format(task.file))
    findings = [finding for finding in static.architecture_findings(
        tree, task.file) if static.belongs_to(finding, task, tree)]
    if findings:
        raise Failure("; ".join(finding.text for finding in findings[:5]),
                      help="the app talks to AUTH's public methods only; "
                           "_db and _session stay inside their class")


@pytest.mark.task("0")
def test_project_has_a_readme(solution: Solution) -> None:
    """README.md exists at the root of the project folder"""
    if "README.md" in solution.oversized:
        raise Failure("README.md is {} bytes: over the {} KiB read".format(
            solution.oversized["README.md"], FILE_CAP // 1024))
    data = solution.raw("README.md")
    if data is None:
        raise Failure("README.md is missing from {} (the folder {} needs "
                      "one)".format(solution.folder, REFERENCE_FOLDER))
    if not data.strip():
        raise Failure("README.md is empty")
