"""A roster graded on this machine (`python -m checks.classreport --roster
roster.csv`): each learner's repository is fetched into a cache folder,
graded, and their result kept there, with a progress line per learner.

A second run fetches again (only what is new) and regrades only the
learners whose commit, or the checker, changed since: a result is reused
when its commit, tasks, checker version and stack are all this run's
(results.py), so that a teacher who re-runs after a deadline pays only for
new pushes. A learner who could not be fetched, or whose grade failed, is
tried again next time.

The cache is the user's (XDG_CACHE_HOME, or ~/.cache, then
kata-0x03/roster), or --cache; never inside this repository, whose tree
the checker grades from.
"""
import os
from typing import Callable
from typing import Dict
from typing import List
from typing import Tuple

from checks.classreport.clone import TOKEN_ENV
from checks.classreport.clone import Checkout
from checks.classreport.clone import checkout
from checks.classreport.clone import learner_folder
from checks.classreport.grading import Settings
from checks.classreport.grading import grade_all
from checks.classreport.inputs import InputError
from checks.classreport.inputs import Source
from checks.classreport.model import Graded
from checks.classreport.model import read_row
from checks.classreport.results import Result
from checks.classreport.results import graded_of
from checks.classreport.results import read_json
from checks.classreport.results import result_of
from checks.classreport.results import reusable
from checks.classreport.results import write_json
from checks.classreport.roster import Learner
from checks.harness.diagnose import stack_name
from checks.harness.places import REPO_ROOT
from checks.harness.version import checker_version

CACHE_NAME = os.path.join("kata-0x03", "roster")
REPOSITORIES = "repositories"
RESULTS = "results"


def default_cache() -> str:
    """Return the user's cache folder for rosters."""
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(
        os.path.expanduser("~"), ".cache")
    return os.path.join(root, CACHE_NAME)


def usable_cache(path: str) -> str:
    """Return the cache folder, made, or raise InputError when it would
    be inside this repository."""
    cache = os.path.realpath(path)
    top = os.path.realpath(REPO_ROOT)
    if cache == top or cache.startswith(top + os.sep):
        raise InputError("--cache {}: inside the checker's repository; "
                         "give a folder outside it (default: {})".format(
                             path, default_cache()))
    try:
        for name in (REPOSITORIES, RESULTS):
            os.makedirs(os.path.join(cache, name), exist_ok=True)
    except OSError as problem:
        raise InputError("--cache {}: cannot make it: {}".format(
            path, problem))
    return cache


def grade_roster(learners: List[Learner], cache: str, settings: Settings,
                 say: Callable[[str], None] = print) -> List[Graded]:
    """Fetch, reuse or grade every learner; return grades in roster order.
    """
    checker, stack = checker_version(), stack_name()
    token = os.environ.get(TOKEN_ENV, "")
    progress = Progress(len(learners), say)
    results: Dict[str, Result] = {}
    waiting: List[Tuple[Learner, Checkout]] = []
    for learner in learners:
        got = checkout(learner, os.path.join(cache, REPOSITORIES), token)
        stored = read_json(result_path(cache, learner))
        if got.error:
            results[learner.name] = result_of(learner, "", settings.tasks,
                                              Graded(learner.name, None,
                                                     got.error))
            progress.done(results[learner.name], "")
        elif reusable(stored, learner, got.commit, settings.tasks, checker,
                      stack):
            results[learner.name] = stored
            progress.done(stored, "unchanged, not regraded")
        else:
            waiting.append((learner, got))
    by_name = {learner.name: (learner, got) for learner, got in waiting}

    def finished(graded: Graded) -> None:
        learner, got = by_name[graded.learner]
        result = result_of(learner, got.commit, settings.tasks, graded)
        results[learner.name] = result
        if graded.document is not None:
            write_json(result_path(cache, learner), result)
        progress.done(result, "graded")

    grade_all([Source(learner.name, got.folder) for learner, got in waiting],
              settings, finished)
    say("roster: {} graded, {} unchanged (not regraded), {} without a "
        "scorecard".format(progress.counts["graded"],
                           progress.counts["unchanged, not regraded"],
                           progress.counts["error"]))
    return [graded_of(results[learner.name]) for learner in learners]


def result_path(cache: str, learner: Learner) -> str:
    """Return where a learner's last result is kept."""
    return os.path.join(cache, RESULTS, learner_folder(learner.name) +
                        ".json")


class Progress:
    """Prints one line per learner: the commit, what was done, the score
    or the error."""

    def __init__(self, total: int, say: Callable[[str], None]) -> None:
        """Start counting at zero of `total`."""
        self.total = total
        self.say = say
        self.counts = {"graded": 0, "unchanged, not regraded": 0,
                       "error": 0}

    def done(self, result: Result, action: str) -> None:
        """Print the line of one more learner."""
        row = read_row(graded_of(result))
        self.counts["error" if row.error else action] += 1
        done = sum(self.counts.values())
        commit = (result.get("commit") or "")[:12]
        outcome = ("error: " + row.error if row.error else
                   "{}: {:.1f}%".format(action, row.score or 0.0))
        self.say("[{}/{}] {}: {}{}".format(
            done, self.total, row.learner,
            commit + " " if commit else "", outcome))
