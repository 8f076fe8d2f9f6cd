"""What the command line names: folders to grade and scorecards to read.

Each path given is read by the first rule that fits it:

1. a folder holding any of a solution's files (user.py, db.py, auth.py,
   app.py, main.py) is graded as it is;
2. a folder holding a `0x03-user_authentication_service` folder is graded
   at that folder;
3. a folder one of whose children fits rule 1 or 2 is a class: every child
   folder is graded by rule 1 or 2, or as it is, so that a learner who
   handed in nothing still gets a row (an error that says why);
4. any other folder, and every `--from-json` folder, holds scorecards: its
   `*.json` files at any depth whose object has "version": 2 and "tasks";
   other JSON files are skipped with a warning. A JSON file given by itself
   is read the same way.

A graded folder's learner is its name, or its parent's name when it is
called `0x03-user_authentication_service`. A scorecard's learner is its
path below the folder given, without `.json` and without a leading or
trailing `scorecard` component (`alice/scorecard.json` is alice), and
without the action's artifact folders when a name is left (the folder
`gh run download -D alice` writes, alice/scorecard-grade-...-py3.11/
scorecard.json, is alice). Names that collide get " (2)", " (3)"...
"""
import json
import os
from typing import Any
from typing import Dict
from typing import List
from typing import NamedTuple
from typing import Optional
from typing import Tuple

from checks.harness.catalogue import REFERENCE_FOLDER
from checks.harness.catalogue import SOLUTION_FILES

SCORECARD_VERSION = 2  # the version model.py reads (checks/README.md)
SCORECARD_NAME = "scorecard"


class Source(NamedTuple):
    """One learner's input: a folder to grade, or a scorecard already read.
    """

    learner: str
    path: str
    document: Optional[Dict[str, Any]] = None  # None: grade the folder


class InputError(Exception):
    """The command line names nothing usable, e.g. a path that does not
    exist."""


def find(paths: List[str], json_folders: List[str]
         ) -> Tuple[List[Source], List[str]]:
    """Return the sources the paths name, in order, and warning lines."""
    sources: List[Source] = []
    warnings: List[str] = []
    given = [(path, False) for path in paths]
    for path, only_json in given + [(path, True) for path in json_folders]:
        if not os.path.exists(path):
            raise InputError("no such file or folder: {}".format(path))
        if only_json or not os.path.isdir(path):
            found = scorecards(path, warnings)
        else:
            found = folders_to_grade(path) or scorecards(path, warnings)
        if not found:
            warnings.append("{}: no solution folder and no scorecard JSON "
                            "found".format(path))
        sources += found
    return with_unique_names(sources), warnings


def solution_at(folder: str) -> Optional[str]:
    """Return where a folder's solution is (rules 1 and 2), or None."""
    if any(os.path.isfile(os.path.join(folder, name))
           for name in SOLUTION_FILES):
        return folder
    inner = os.path.join(folder, REFERENCE_FOLDER)
    return inner if os.path.isdir(inner) else None


def folders_to_grade(folder: str) -> List[Source]:
    """Return the folder's solution, or its class's (rule 3), to grade."""
    solution = solution_at(folder)
    if solution is not None:
        return [Source(folder_learner(solution), solution)]
    children = [os.path.join(folder, name)
                for name in sorted(os.listdir(folder))
                if not name.startswith(".")
                and os.path.isdir(os.path.join(folder, name))]
    if not any(solution_at(child) for child in children):
        return []
    return [Source(folder_learner(path), path) for path in
            (solution_at(child) or child for child in children)]


def folder_learner(folder: str) -> str:
    """Name the learner of a graded folder."""
    path = os.path.abspath(folder)
    if os.path.basename(path) == REFERENCE_FOLDER:
        path = os.path.dirname(path)
    return os.path.basename(path)


def scorecards(path: str, warnings: List[str]) -> List[Source]:
    """Return the scorecards in a folder at any depth, or in one file."""
    if not os.path.isdir(path):
        return _read_scorecard(path, os.path.dirname(path), warnings)
    found: List[Source] = []
    for folder, subfolders, files in os.walk(path):
        subfolders[:] = sorted(name for name in subfolders
                               if not name.startswith("."))
        for name in sorted(files):
            if name.endswith(".json"):
                found += _read_scorecard(os.path.join(folder, name), path,
                                         warnings)
    return found


def _read_scorecard(path: str, root: str, warnings: List[str]
                    ) -> List[Source]:
    """Return a JSON file as a source if it is a scorecard, else warn."""
    try:
        with open(path, encoding="utf-8") as stream:
            document = json.load(stream)
    except (OSError, ValueError) as problem:
        warnings.append("skipped {}: not readable JSON ({})".format(
            path, type(problem).__name__))
        return []
    if not (isinstance(document, dict) and "tasks" in document
            and document.get("version") == SCORECARD_VERSION):
        warnings.append("skipped {}: not a version-{} scorecard".format(
            path, SCORECARD_VERSION))
        return []
    return [Source(scorecard_learner(path, root), path, document)]


def scorecard_learner(path: str, root: str) -> str:
    """Name the learner of a scorecard file found below a folder."""
    parts = os.path.relpath(path, root or os.curdir)[:-len(".json")].split(
        os.sep)
    if parts[-1] == SCORECARD_NAME:
        parts.pop()
    if parts and parts[0] == SCORECARD_NAME:
        parts.pop(0)
    # The action's artifact folder (scorecard-JOB-FOLDER-STACK-pyVER) below
    # a learner's folder names the run, not the learner.
    named = [part for part in parts
             if not part.startswith(SCORECARD_NAME + "-")]
    if named:
        parts = named
    return "/".join(parts) or os.path.basename(os.path.abspath(root))


def with_unique_names(sources: List[Source]) -> List[Source]:
    """Suffix " (2)", " (3)"... to learners whose names are taken."""
    taken = set()
    unique = []
    for source in sources:
        name, number = source.learner, 2
        while name in taken:
            name = "{} ({})".format(source.learner, number)
            number += 1
        taken.add(name)
        unique.append(source._replace(learner=name))
    return unique
