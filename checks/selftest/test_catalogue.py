"""The task catalogue and the checks agree, and every label reads well.

Each task of the exercise has its check module, every collected check is
on the scorecard under exactly one task, the requirement gates cover every
task's file, and titles and labels are short contract sentences.
"""
import glob
import importlib
import os
import subprocess
import sys
from collections import Counter
from typing import List

import pytest

from checks.harness.catalogue import SOLUTION_FILES
from checks.harness.catalogue import TASKS
from checks.selftest.folders import REPO_ROOT
from checks.selftest.grading import EXERCISE
from checks.selftest.grading import Grade
from checks.selftest.grading import canonical
from checks.selftest.grading import quiet_env

LABEL_LIMIT = 70
BANNED_WORDS = ("should", "test that")
GATES_MODULE = "checks.gates.test_requirements"


def task_module(key: str) -> List[str]:
    """Return the check modules named for one task of the exercise."""
    return glob.glob(os.path.join(REPO_ROOT, "checks", "tasks",
                                  "test_task_{:0>2}_*.py".format(key)))


def marked_task(module: object) -> str:
    """Return the task key a module's pytestmark names."""
    marks = getattr(module, "pytestmark", [])
    marks = marks if isinstance(marks, list) else [marks]
    keys = [str(mark.args[0]) for mark in marks if mark.name == "task"]
    return keys[0] if len(keys) == 1 else ""


@pytest.mark.parametrize("key", EXERCISE)
def test_task_has_its_check_module(key: str) -> None:
    """Task N has one module checks/tasks/test_task_NN_*.py marked task N."""
    found = task_module(key)
    assert len(found) == 1, found
    name = "checks.tasks." + os.path.basename(found[0])[:-len(".py")]
    assert marked_task(importlib.import_module(name)) == key


def test_keys_are_unique_and_titles_short() -> None:
    """Task keys are unique and titles are 70 characters at most."""
    keys = Counter(task.key for task in TASKS)
    assert [key for key, count in keys.items() if count > 1] == []
    assert [task.title for task in TASKS if len(task.title) > 70] == []


def test_every_check_is_on_the_scorecard_once(golden: Grade) -> None:
    """Each collected check appears under exactly one task, and no other."""
    assert golden.card is not None, golden.log
    listed = [canonical(check["id"]) for row in golden.card["tasks"]
              for check in row["checks"]]
    assert [check for check, count in Counter(listed).items()
            if count > 1] == []
    collected = subprocess.run(
        [sys.executable, "-m", "pytest", "checks", "--collect-only", "-q",
         "-p", "no:cacheprovider"], cwd=REPO_ROOT, env=quiet_env(),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        universal_newlines=True).stdout.splitlines()
    ids = {canonical(line) for line in collected if "::" in line}
    assert ids, "\n".join(collected)
    assert ids ^ set(listed) == set()


def gate_names() -> List[str]:
    """Return the gates checked once per task (parametrized over task)."""
    module = importlib.import_module(GATES_MODULE)
    return [name for name, value in vars(module).items()
            if name.startswith("test_") and any(
                mark.name == "parametrize" and mark.args[0] == "task"
                for mark in getattr(value, "pytestmark", []))]


def test_gates_cover_every_task_and_file(golden: Grade) -> None:
    """Every gate runs for every task of 0-20, so for every file."""
    assert golden.card is not None, golden.log
    names = gate_names()
    assert names
    path = GATES_MODULE.replace(".", "/") + ".py"
    by_task = {row["task"]: {canonical(check["id"])
                             for check in row["checks"]}
               for row in golden.card["tasks"]}
    missing = ["{}::{}[task-{:0>2}]".format(path, name, key)
               for key in EXERCISE for name in names
               if "{}::{}[task-{:0>2}]".format(path, name, key)
               not in by_task.get(key, ())]
    assert missing == []
    files = {task.file for task in TASKS if task.key in EXERCISE}
    assert files == set(SOLUTION_FILES)


def test_labels_are_short_contract_sentences(golden: Grade) -> None:
    """Every check label has at most 70 characters and no "should"."""
    assert golden.card is not None, golden.log
    bad = [check["label"] for row in golden.card["tasks"]
           for check in row["checks"] if len(check["label"]) > LABEL_LIMIT
           or any(word in check["label"].lower() for word in BANNED_WORDS)]
    assert bad == []
