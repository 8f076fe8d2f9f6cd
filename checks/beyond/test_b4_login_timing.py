"""Beyond B4: login timing does not reveal which emails are registered.

A wrong password costs a bcrypt check; if an unknown email is refused
without one, it is answered one bcrypt check sooner, and anyone can time
POST /sessions to learn who has an account. The check times both refusals
through the solution's app, in turns, and compares their medians: those of
the wall-clock times an attacker sees (measured here, around each
request), and those of the CPU time the worker spent, which other
processes on a busy machine do not disturb. The refusals are alike if
either pair is within a factor of 2. For speed every hash the solution
makes uses bcrypt cost 8 (the worker's bcrypt.gensalt() gives it); a
solution with no bcrypt call for unknown emails is then about 20x faster
on them, by both clocks.
"""
import statistics
import time
from typing import Dict
from typing import List
from typing import Tuple

import pytest

from checks.harness.failures import Failure
from checks.harness.remote import Learner
from checks.harness.web import Client

pytestmark = [pytest.mark.task("B4"), pytest.mark.bcrypt_cost(8)]

EMAIL = "bob@bob.com"
PASSWORD = "mySuperPwd"
ROUNDS = 8      # bcrypt cost of every hash during the check (real: 12)
WARM_UP = 1     # tries per case not counted (first requests, lazy setup)
TRIES = 9       # counted tries per case: the median ignores 4 outliers
FACTOR = 2.0
CLOCKS = ("wall-clock", "CPU")
CASES = {"unknown email": {"email": "nobody@me.com", "password": PASSWORD},
         "wrong password": {"email": EMAIL, "password": "wrongPwd"}}
TIMING_HELP = (
    "for an unknown email, still run bcrypt.checkpw once, against a dummy "
    "hash made once with bcrypt.gensalt() (e.g. _hash_password of a random "
    "string), so both refusals cost one bcrypt check; a dummy hash written "
    "as a constant keeps its own cost when gensalt()'s changes")


def time_refusals(learner: Learner, client: Client
                  ) -> Dict[str, Dict[str, List[float]]]:
    """Time both refusals in turns (ABBA order), by each clock, in seconds.
    """
    samples: Dict[str, Dict[str, List[float]]] = {
        clock: {case: [] for case in CASES} for clock in CLOCKS}
    order = sorted(CASES)
    for turn in range(WARM_UP + TRIES):
        for case in (order if turn % 2 else order[::-1]):
            started = time.perf_counter()
            reply = client.post("/sessions", form=CASES[case])
            wall = time.perf_counter() - started
            reply.expect_status(401)
            if turn >= WARM_UP:
                samples["wall-clock"][case].append(wall)
                samples["CPU"][case].append(learner.cpu)
    return samples


def medians(samples: Dict[str, List[float]]) -> Tuple[float, float]:
    """Return the median times of (unknown email, wrong password)."""
    return (statistics.median(samples["unknown email"]),
            statistics.median(samples["wrong password"]))


def test_unknown_email_costs_a_bcrypt_check(learner: Learner,
                                            client: Client) -> None:
    """an unknown email is refused as slowly as a wrong password"""
    client.register(EMAIL, PASSWORD)
    samples = time_refusals(learner, client)
    pairs = [medians(samples[clock]) for clock in CLOCKS]
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
