"""The last statuses of each graded folder, to list regressions.

They are kept beside the checker, in .scorecard-history/ at the
repository root (ignored by git), one small JSON file per folder and
stack: not in a tox environment, which a learner deletes with .tox.
CHECKS_HISTORY_DIR names another folder, or "off" keeps no history (the
self-tests do).
"""
import hashlib
import json
import os
from typing import Dict
from typing import Optional

from checks.harness.places import REPO_ROOT

DEFAULT_FOLDER = os.path.join(REPO_ROOT, ".scorecard-history")


def history_file(solution: str, stack: str) -> Optional[str]:
    """Return the file that keeps a folder's last statuses on a stack (a
    task can pass on one stack and fail on the other), or None."""
    folder = os.environ.get("CHECKS_HISTORY_DIR") or DEFAULT_FOLDER
    if folder == "off":
        return None
    key = "{}\n{}".format(solution, stack)
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
    return os.path.join(folder, digest + ".json")


def load(solution: str, stack: str) -> Optional[Dict[str, str]]:
    """Return the statuses of the folder's previous grade, if any."""
    path = history_file(solution, stack)
    try:
        with open(path or "", encoding="utf-8") as stream:
            statuses = json.load(stream).get("statuses")
    except (OSError, ValueError, AttributeError):
        return None
    return statuses if isinstance(statuses, dict) else None


def save(solution: str, stack: str, statuses: Dict[str, str]) -> None:
    """Keep this grade's statuses; a history that cannot be written is
    no reason to fail a grade."""
    path = history_file(solution, stack)
    if path is None:
        return
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as stream:
            json.dump({"solution": solution, "stack": stack,
                       "statuses": statuses}, stream,
                      indent=1, sort_keys=True)
    except OSError:
        pass
