"""Refuse a `--solution` that cannot be a solution folder, in one line.

A mistyped path used to grade as "every task not started", exit 0: green
in CI for a folder that was never read. A path that does not exist, is not
a directory, or holds none of the exercise's files is a usage error that
says what was given, what was expected, and where the folder probably is.
"""
import difflib
import os
from typing import List
from typing import Optional

from checks.harness.catalogue import REFERENCE_FOLDER
from checks.harness.catalogue import TASKS

EXERCISE_FILES = tuple(sorted({task.file for task in TASKS
                               if task.track != "beyond"}))
# How deep below the given folder to look for the exercise's folder.
SEARCH_DEPTH = 3
SKIPPED = {".git", ".tox", ".venv", "venv", "node_modules", "__pycache__"}


def problem_with(given: str) -> Optional[str]:
    """Return why `given` is no solution folder, or None when it may be."""
    path, shown = os.path.abspath(given), given
    if not os.path.exists(path):
        return "--solution {}: no such folder{}".format(
            shown, _suggestion(_near_names(path)))
    if not os.path.isdir(path):
        return "--solution {}: a file, not a folder{}".format(
            shown, _suggestion(_near_names(path)))
    if not any(os.path.isfile(os.path.join(path, name))
               for name in EXERCISE_FILES):
        return ("--solution {}: holds none of the exercise's files ({}){}"
                .format(shown, ", ".join(EXERCISE_FILES),
                        _suggestion(_folders_below(path))))
    return None


def _suggestion(candidates: List[str]) -> str:
    """Phrase the first candidate as a question, or say what is expected."""
    if candidates:
        return "; did you mean {}?".format(_shown(candidates[0]))
    return "; expected the folder that holds user.py, db.py, auth.py, app.py"


def _shown(path: str) -> str:
    """Show a path relative to the working directory when it is below it."""
    relative = os.path.relpath(path)
    if relative.startswith(os.pardir):
        return path
    return os.path.join(os.curdir, relative)


def _holds_exercise(path: str) -> bool:
    """Tell whether a folder holds at least one of the exercise's files."""
    return any(os.path.isfile(os.path.join(path, name))
               for name in EXERCISE_FILES)


def _near_names(path: str) -> List[str]:
    """Return folders beside a wrong path whose names are close to it."""
    parent, name = os.path.split(os.path.abspath(path))
    while parent and not os.path.isdir(parent):
        parent, name = os.path.split(parent)
    try:
        siblings = [entry for entry in os.listdir(parent)
                    if os.path.isdir(os.path.join(parent, entry))]
    except OSError:
        return []
    close = difflib.get_close_matches(name, siblings, n=3, cutoff=0.6)
    found = [os.path.join(parent, entry) for entry in close]
    found += _folders_below(parent) if not found else []
    return found


def _folders_below(path: str) -> List[str]:
    """Return folders under `path` that hold the exercise, nearest first."""
    found: List[str] = []
    base = path.rstrip(os.sep).count(os.sep)
    for folder, subfolders, _ in os.walk(path):
        subfolders[:] = sorted(name for name in subfolders
                               if name not in SKIPPED)
        if folder.count(os.sep) - base >= SEARCH_DEPTH:
            subfolders[:] = []
        if folder != path and _holds_exercise(folder):
            found.append(folder)
    found.sort(key=lambda folder: (
        os.path.basename(folder) != REFERENCE_FOLDER, folder.count(os.sep)))
    return found
