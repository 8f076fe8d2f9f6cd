"""Beyond B4: login timing does not reveal which emails are registered.

A wrong password costs a bcrypt check; if an unknown email is refused
without one, it is answered one bcrypt check sooner, and anyone can time
POST /sessions to learn who has an account. The check times both refusals
through the solution's app, in turns, and compares their medians: those of
the wall-clock times an attacker sees, and those of the CPU time spent,
which other processes on a busy machine do not disturb. The refusals are
alike if either pair is within a factor of 2. For speed every hash the
solution makes uses bcrypt cost 8 (bcrypt.gensalt() is patched, as for
real hashes); a solution with no bcrypt call for unknown emails is then
about 20x faster on them, by both clocks.
"""
import statistics
import time
from typing import Dict
from typing import List
from typing import Tuple

import pytest

from checks.harness.failures import Failure
from checks.harness.learner import Client
from checks.harness.learner import Learner

pytestmark = [pytest.mark.task("B4"), pytest.mark.real_bcrypt]

EMAIL = "bob@bob.com"
PASSWORD = "mySuperPwd"
ROUNDS = 8      # bcrypt cost of every hash during the check (real: 12)
WARM_UP = 1     # tries per case not counted (first requests, lazy setup)
TRIES = 9       # counted tries per case: the median ignores 4 outliers
FACTOR = 2.0
CLOCKS = (("wall-clock", time.perf_counter), ("CPU", time.process_time))
CASES = {"unknown email": {"email": "nobody@me.com", "password": PASSWORD},
         "wrong password": {"email": EMAIL, "password": "wrongPwd"}}
TIMING_HELP = (
    "for an unknown email, still run bcrypt.checkpw once, against a dummy "
    "hash made once with bcrypt.gensalt() (e.g. _hash_password of a random "
    "string), so both refusals cost one bcrypt check; a dummy hash written "
    "as a constant keeps its own cost when gensalt()'s changes")


def use_bcrypt_cost(cost: int) -> None:
    """Make bcrypt.gensalt() give this cost, before the solution imports."""
    import bcrypt
    real_gensalt = bcrypt.gensalt

    def gensalt(rounds: int = 12, prefix: bytes = b"2b") -> bytes:
        """Return a salt of the check's cost, whatever cost is asked."""
        return real_gensalt(cost, prefix)

    bcrypt.gensalt = gensalt


def time_refusals(client: Client) -> Dict[str, Dict[str, List[float]]]:
    """Time both refusals in turns (ABBA order), by each clock, in seconds.
    """
    samples: Dict[str, Dict[str, List[float]]] = {
        clock: {case: [] for case in CASES} for clock, _ in CLOCKS}
    order = sorted(CASES)
    for turn in range(WARM_UP + TRIES):
        for case in (order if turn % 2 else order[::-1]):
            started = [read() for _, read in CLOCKS]
            reply = client.post("/sessions", form=CASES[case])
            ended = [read() for _, read in CLOCKS]
            reply.expect_status(401)
            for (clock, _), start, end in zip(CLOCKS, started, ended):
                if turn >= WARM_UP:
                    samples[clock][case].append(end - start)
    return samples


def medians(samples: Dict[str, List[float]]) -> Tuple[float, float]:
    """Return the median times of (unknown email, wrong password)."""
    return (statistics.median(samples["unknown email"]),
            statistics.median(samples["wrong password"]))


def test_unknown_email_costs_a_bcrypt_check(learner: Learner) -> None:
    """an unknown email is refused as slowly as a wrong password"""
    use_bcrypt_cost(ROUNDS)
    client = learner.client()
    client.register(EMAIL, PASSWORD)
    samples = time_refusals(client)
    pairs = [medians(samples[clock]) for clock, _ in CLOCKS]
    if any(wrong / FACTOR <= unknown <= wrong * FACTOR
           for unknown, wrong in pairs):
        return
    (unknown, wrong), (unknown_cpu, wrong_cpu) = pairs
    raise Failure(
        "POST /sessions refuses an unknown email in {:.1f} ms and a wrong "
        "password in {:.1f} ms (CPU: {:.1f} and {:.1f} ms; medians of {} "
        "tries each, bcrypt cost {}): {:.1f}x {}, beyond the {:g}x "
        "allowed, so the response time tells which emails are "
        "registered".format(
            unknown * 1000, wrong * 1000, unknown_cpu * 1000,
            wrong_cpu * 1000, TRIES, ROUNDS,
            max(unknown, wrong) / min(unknown, wrong),
            "faster" if unknown < wrong else "slower", FACTOR),
        help=TIMING_HELP)
