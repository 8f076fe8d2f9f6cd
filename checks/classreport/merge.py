"""Merge grades from many places into one class: the shards of a roster
workflow, and scorecards of possibly different checkers.

Shards: every learner of the roster gets exactly one row. The report reads
only the file each planned shard's job uploads (ARTIFACT/SHARD_FILE, both
named by the workflow, never by a learner), and takes from it only that
shard's own learners' results: a shard that uploaded nothing turns its
learners into error rows, a learner reported twice gets an error row (no
result is picked at random), and a result of another roster line or of a
learner of another shard is left out with a warning.

Versions: grades by different checkers (commits) are not comparable, so
they are merged only when asked (--mixed-versions), and the report then
says which checker graded how many.
"""
import os
from typing import Any
from typing import Dict
from typing import List
from typing import NamedTuple
from typing import Tuple

from checks.classreport.model import UNKNOWN_VERSION
from checks.classreport.model import Graded
from checks.classreport.results import graded_of
from checks.classreport.results import matches
from checks.classreport.results import read_json
from checks.classreport.roster import Learner
from checks.classreport.shards import Plan
from checks.classreport.shards import shard_of

ARTIFACT = "roster-shard-{}"  # the workflow uploads each shard's folder so
SHARD_FILE = "shard.json"
MIXED_FLAG = "--mixed-versions"


class Merged(NamedTuple):
    """Every roster learner's grade, in roster order, and warnings."""

    graded: List[Graded]
    warnings: List[str]


class MixedVersions(Exception):
    """Scorecards of several checker versions, and no leave to mix them."""


def shard_path(folder: str, shard: int) -> str:
    """Return where a shard's results are, below the downloads' folder."""
    return os.path.join(folder, ARTIFACT.format(shard), SHARD_FILE)


def merge_shards(learners: List[Learner], plan: Plan, folder: str
                 ) -> Merged:
    """Read every planned shard's results; one grade per learner."""
    graded: List[Graded] = []
    warnings: List[str] = []
    for shard in plan.shards:
        mine = shard_of(learners, plan, shard)
        document = read_json(shard_path(folder, shard))
        if not (isinstance(document, dict) and document.get("shard") == shard
                and isinstance(document.get("results"), list)):
            warnings.append("shard {} uploaded no results ({}): its {} "
                            "learners are errors".format(
                                shard, shard_path(folder, shard), len(mine)))
            graded += [Graded(learner.name, None, "shard {} uploaded no "
                              "results: its job failed, was cancelled or "
                              "timed out; re-run it".format(shard))
                       for learner in mine]
            continue
        found = by_learner(document["results"])
        names = {learner.name for learner in mine}
        warnings += ["shard {} reported {!r}, not one of its learners: left "
                     "out".format(shard, name)
                     for name in found if name not in names]
        graded += [one_grade(learner, found.get(learner.name, []), shard,
                             warnings) for learner in mine]
    return Merged(graded, warnings)


def by_learner(results: List[Any]) -> Dict[str, List[Any]]:
    """Group a shard's results by learner name (ignoring malformed ones).
    """
    found: Dict[str, List[Any]] = {}
    for result in results:
        if isinstance(result, dict) and isinstance(result.get("learner"),
                                                   str):
            found.setdefault(result["learner"], []).append(result)
    return found


def one_grade(learner: Learner, results: List[Any], shard: int,
              warnings: List[str]) -> Graded:
    """Return a learner's grade from their shard's results for them."""
    if len(results) > 1:
        warnings.append("shard {} reported {!r} {} times".format(
            shard, learner.name, len(results)))
        return Graded(learner.name, None, "shard {} reported this learner "
                      "{} times: none is used; re-run it".format(
                          shard, len(results)))
    if not results:
        return Graded(learner.name, None, "shard {} has no result for this "
                      "learner: its job ended before grading them".format(
                          shard))
    if not matches(results[0], learner):
        warnings.append("shard {}'s result for {!r} is of another roster "
                        "line".format(shard, learner.name))
        return Graded(learner.name, None, "shard {}'s result is of another "
                      "roster line (repository, ref or folder differ): "
                      "re-run it".format(shard))
    return graded_of(results[0])


def versions(documents: List[Any]) -> Dict[str, int]:
    """Return how many scorecards each checker version graded."""
    found: Dict[str, int] = {}
    for document in documents:
        if isinstance(document, dict):
            version = document.get("checker_version", UNKNOWN_VERSION)
            if not isinstance(version, str):
                version = UNKNOWN_VERSION
            found[version] = found.get(version, 0) + 1
    return found


def check_versions(found: Dict[str, int], mixed_allowed: bool) -> None:
    """Raise MixedVersions when scorecards of several checker versions
    (`found`: versions() of them) are to be merged, unless allowed."""
    if len(found) > 1 and not mixed_allowed:
        listed: List[Tuple[str, int]] = sorted(found.items(),
                                               key=lambda item: -item[1])
        raise MixedVersions(
            "the scorecards were graded by {} checker versions ({}): their "
            "grades are not comparable; regrade with one version, or pass "
            "{} to merge them anyway".format(len(found), ", ".join(
                "{} ({} scorecards)".format(version, count)
                for version, count in listed), MIXED_FLAG))
