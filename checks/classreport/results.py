"""A roster learner's result: which commit of which repository was graded,
by which checker, and the scorecard, or why there is none.

    {"learner": "alice", "repository": "alice/0x03", "ref": "main",
     "folder": "", "commit": "3f2a...", "tasks": ["0-2"],
     "scorecard": {...the checker's JSON...} or null, "error": ""}

The local `--roster` run keeps one per learner in its cache, to skip a
learner whose commit and checker are unchanged; a shard's job writes its
learners' results into one file, the artifact the report merges. Both are
written by the class report itself, from the roster's lines and the
checker's scorecards, never by a learner's code.
"""
import json
import os
import tempfile
from typing import Any
from typing import Dict
from typing import List

from checks.classreport.model import Graded
from checks.classreport.model import UNKNOWN_VERSION
from checks.classreport.roster import Learner

Result = Dict[str, Any]


def result_of(learner: Learner, commit: str, tasks: List[str],
              graded: Graded) -> Result:
    """Return a learner's result from their roster line and grade."""
    return {"learner": learner.name, "repository": learner.repository,
            "ref": learner.ref, "folder": learner.folder, "commit": commit,
            "tasks": list(tasks), "scorecard": graded.document,
            "error": graded.error}


def graded_of(result: Result) -> Graded:
    """Return the grade a result holds, for the report."""
    return Graded(result["learner"], result.get("scorecard"),
                  result.get("error") or "", result.get("commit") or "")


def matches(result: Any, learner: Learner) -> bool:
    """Tell whether a result is of this roster line (same learner,
    repository, ref and folder)."""
    return isinstance(result, dict) and all(
        result.get(key) == value for key, value in (
            ("learner", learner.name), ("repository", learner.repository),
            ("ref", learner.ref), ("folder", learner.folder)))


def version_of(result: Result) -> str:
    """Return the checker version that graded a result's scorecard."""
    scorecard = result.get("scorecard")
    if not isinstance(scorecard, dict):
        return UNKNOWN_VERSION
    version = scorecard.get("checker_version", UNKNOWN_VERSION)
    return version if isinstance(version, str) else UNKNOWN_VERSION


def reusable(result: Any, learner: Learner, commit: str, tasks: List[str],
             checker: str, stack: str) -> bool:
    """Tell whether a stored result can stand for a grade now: the same
    line, commit and tasks, a scorecard by this very checker (a known
    version) on this stack."""
    return matches(result, learner) and result.get("commit") == commit \
        and result.get("tasks") == list(tasks) \
        and isinstance(result.get("scorecard"), dict) \
        and checker != UNKNOWN_VERSION and version_of(result) == checker \
        and result["scorecard"].get("stack") == stack


def read_json(path: str) -> Any:
    """Return a JSON file's document, or None when there is none."""
    try:
        with open(path, encoding="utf-8") as stream:
            return json.load(stream)
    except (OSError, ValueError):
        return None


def write_json(path: str, document: Any) -> None:
    """Write a JSON file whole or not at all (a new file, then renamed):
    a job stopped midway leaves the last complete one."""
    folder = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(prefix=".result-", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(document, stream, indent=1)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
