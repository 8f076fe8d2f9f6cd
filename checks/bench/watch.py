#!/usr/bin/env python3
"""Benchmark watch mode: from a save to the edited task's printed verdict.

For each task (default 0-19) it saves EDITS one-task changes to a copy of
the reference under a running watch (a harmless statement added to the
task's function, or to its class or file when it has none), each as soon
as the previous verdict is printed, and times each from the write to the
line that reports the edited task. A save that lands during the second
wave cancels it, as a learner's next save does. Beside each median it
prints the wall time of a fresh `pytest checks --task N` (the command a
learner would run instead), measured in the same run. Not a test: run it
by hand, e.g. `.tox/watch/bin/python checks/bench/watch.py`.
"""
import argparse
import ast
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from typing import List
from typing import Tuple

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
sys.path.insert(0, REPO)

from checks.harness.catalogue import TASKS_BY_KEY  # noqa: E402
from checks.harness.sandbox import temp_base  # noqa: E402
from checks.selftest.folders import copy_reference  # noqa: E402
from checks.selftest.watching import Watch  # noqa: E402


def place_of(source: str, key: str) -> Tuple[int, str]:
    """Return the line before which an edit of a task goes, and its indent:
    the first statement after the docstring of the task's first function,
    method or class; the end of the file for a task without one."""
    task = TASKS_BY_KEY[key]
    wanted = task.functions[-1] if task.functions else ""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        for child in getattr(node, "body", []):
            name = getattr(child, "name", None)
            owner = getattr(node, "name", "")
            qualified = "{}.{}".format(owner, name) if isinstance(
                node, ast.ClassDef) else name
            if name is not None and qualified == wanted:
                body = child.body
                first = body[1] if len(body) > 1 and isinstance(
                    body[0], ast.Expr) else body[0]
                return first.lineno, " " * first.col_offset
    return len(source.splitlines()) + 1, ""


def edit(path: str, key: str, number: int) -> None:
    """Save the file with the task's code changed (a new constant)."""
    with open(path) as stream:
        lines = stream.read().splitlines()
    lines = [line for line in lines if "_bench_edit =" not in line]
    line, indent = place_of("\n".join(lines) + "\n", key)
    lines.insert(line - 1, "{}_bench_edit = {}".format(indent, number))
    with open(path, "w") as stream:
        stream.write("\n".join(lines) + "\n")


def fresh(solution: str, key: str) -> float:
    """Return the wall time of a fresh one-task grade."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pytest", "checks", "-q", "-p",
                    "no:cacheprovider", "--solution", solution, "--task",
                    key], cwd=REPO, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False,
                   env=dict(os.environ, CHECKS_HISTORY_DIR="off"))
    return time.perf_counter() - started


def main() -> None:
    """Time the edits of each task, then print a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", default="0-19")
    parser.add_argument("--edits", type=int, default=10)
    options = parser.parse_args()
    first, _, last = options.tasks.partition("-")
    keys = [str(key) for key in range(int(first), int(last or first) + 1)]
    work = tempfile.mkdtemp(prefix="watch-bench-", dir=temp_base())
    os.chmod(work, 0o755)
    solution = copy_reference(os.path.join(work, "solution"))
    os.makedirs(os.path.join(work, "temp"))
    watch = Watch(solution, os.path.join(work, "temp"))
    rows: List[Tuple[str, float, float, float]] = []
    try:
        watch.wait_for("] watching ", 120)
        for key in keys:
            path = os.path.join(solution, TASKS_BY_KEY[key].file)
            times = []
            for number in range(options.edits):
                edit(path, key, number)
                saved = time.perf_counter()
                header = watch.wait_for("the edited task(s) ", 120)[-1]
                times.append(time.perf_counter() - saved)
            edited = header.split("the edited task(s) ")[1].split(" (")[0]
            rows.append((key, statistics.median(times), max(times),
                         fresh(solution, key)))
            print("task {:>2}: median {:.2f} s, slowest {:.2f} s; fresh "
                  "--task {}: {:.2f} s; first wave: {}".format(
                      key, rows[-1][1], rows[-1][2], key, rows[-1][3],
                      edited), flush=True)
    finally:
        watch.interrupt()
        shutil.rmtree(work, ignore_errors=True)
    medians = [row[1] for row in rows]
    print("\nall {} edits of tasks {}: median {:.2f} s, slowest task "
          "median {:.2f} s; every task faster than its fresh run: {}".format(
              options.edits * len(keys), options.tasks,
              statistics.median(medians), max(medians),
              all(row[1] < row[3] for row in rows)))
    print("cores: {}; python {}".format(os.cpu_count(),
                                        sys.version.split()[0]))


if __name__ == "__main__":
    main()
