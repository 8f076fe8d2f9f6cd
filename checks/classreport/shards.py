"""Split a roster into shards: one GitHub Actions job grades each.

A matrix makes at most 256 jobs per workflow run (GitHub's limit), so a
roster too long for the size asked is cut into 256 shards instead, each a
little larger. Shards are runs of consecutive roster lines whose sizes
differ by one at most, so that no job waits long for a larger one. The
planning job, every shard's job and the report compute the same split
from the same roster and the same size asked.
"""
import math
from typing import List
from typing import NamedTuple
from typing import TypeVar

MAX_JOBS = 256  # GitHub Actions: jobs one matrix may generate
DEFAULT_SIZE = 10  # learners per shard unless the teacher says otherwise
# A grade's own limit (the class report's --folder-timeout default) and
# the time a shard's job spends before grading (checkouts, installs).
FOLDER_MINUTES = 10
SETUP_MINUTES = 15
HOSTED_JOB_MINUTES = 360  # GitHub-hosted runners stop a job at 6 hours

Item = TypeVar("Item")


class Plan(NamedTuple):
    """How many shards, and which roster positions each one holds."""

    bounds: List[range]  # each shard's positions in the roster

    @property
    def shards(self) -> List[int]:
        """Return the shards' numbers, for the workflow's matrix."""
        return list(range(len(self.bounds)))

    def largest(self) -> int:
        """Return how many learners the largest shard holds."""
        return max((len(bound) for bound in self.bounds), default=0)

    def job_minutes(self, parallel: int) -> int:
        """Return a shard job's time limit: every grade of its largest
        shard at its own limit, `parallel` at a time, and the setup."""
        waves = math.ceil(self.largest() / max(parallel, 1))
        return min(HOSTED_JOB_MINUTES, SETUP_MINUTES + waves * FOLDER_MINUTES)


def plan(learners: int, size: int = DEFAULT_SIZE) -> Plan:
    """Plan shards of about `size` learners, at most MAX_JOBS of them."""
    if size < 1:
        raise ValueError("a shard holds at least one learner, not {}".format(
            size))
    count = min(MAX_JOBS, math.ceil(learners / size))
    return Plan([range(index * learners // count,
                       (index + 1) * learners // count)
                 for index in range(count)])


def shard_of(items: List[Item], plan_made: Plan, shard: int) -> List[Item]:
    """Return one shard's items, or raise IndexError naming the shards."""
    if not 0 <= shard < len(plan_made.bounds):
        raise IndexError("shard {} is not planned: the plan has shards "
                         "0-{}".format(shard, len(plan_made.bounds) - 1))
    bound = plan_made.bounds[shard]
    return items[bound.start:bound.stop]
