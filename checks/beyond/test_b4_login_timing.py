"""Beyond B4: login timing does not reveal which emails are registered.

A wrong password costs a bcrypt check; if an unknown email is refused
without one, it is answered one bcrypt check sooner, and anyone can time
POST /sessions to learn who has an account. The check times both refusals
as an attacker does, from outside: the wall-clock time around each
request, measured here (never a number the learner's process reports,
which its code could fake). It sends them in turns (ABBA order) and
compares their medians: the refusals are alike within a factor of 2. For
speed every hash the solution makes uses bcrypt cost 8 (the worker's
bcrypt.gensalt() gives it); a solution with no bcrypt call for unknown
emails is then about 20x faster on them.
"""
import statistics
import time
from typing import Dict
from typing import List
from typing import Tuple

import pytest

from checks.harness.failures import Failure
from checks.harness.web import Client

pytestmark = [pytest.mark.task("B4"), pytest.mark.bcrypt_cost(8)]

EMAIL = "bob@bob.com"
PASSWORD = "mySuperPwd"
ROUNDS = 8      # bcrypt cost of every hash during the check (real: 12)
WARM_UP = 1     # tries per case not counted (first requests, lazy setup)
TRIES = 9       # counted tries per case: the median ignores 4 outliers
FACTOR = 2.0
CASES = {"unknown email": {"email": "nobody@me.com", "password": PASSWORD},
         "wrong password": {"email": EMAIL, "password": "wrongPwd"}}
TIMING_HELP = (
    "for an unknown email, still run bcrypt.checkpw once, against a dummy "
    "hash made once with bcrypt.gensalt() (e.g. _hash_password of a random "
    "string), so both refusals cost one bcrypt check; a dummy hash written "
    "as a constant keeps its own cost when gensalt()'s changes")


def time_refusals(client: Client) -> Dict[str, List[float]]:
    """Time both refusals in turns (ABBA order), in seconds."""
    samples: Dict[str, List[float]] = {case: [] for case in CASES}
    order = sorted(CASES)
    for turn in range(WARM_UP + TRIES):
        for case in (order if turn % 2 else order[::-1]):
            started = time.perf_counter()
            reply = client.post("/sessions", form=CASES[case])
            wall = time.perf_counter() - started
            reply.expect_status(401)
            if turn >= WARM_UP:
                samples[case].append(wall)
    return samples


def medians(samples: Dict[str, List[float]]) -> Tuple[float, float]:
    """Return the median times of (unknown email, wrong password)."""
    return (statistics.median(samples["unknown email"]),
            statistics.median(samples["wrong password"]))


def test_unknown_email_costs_a_bcrypt_check(client: Client) -> None:
    """an unknown email is refused as slowly as a wrong password"""
    client.register(EMAIL, PASSWORD)
    unknown, wrong = medians(time_refusals(client))
    if wrong / FACTOR <= unknown <= wrong * FACTOR:
        return
    raise Failure(
        "POST /sessions refuses an unknown email in {:.1f} ms and a wrong "
        "password in {:.1f} ms (medians of {} tries each, timed from "
        "outside; bcrypt cost {}): {:.1f}x {}, beyond the {:g}x allowed, "
        "so the response time tells which emails are registered".format(
            unknown * 1000, wrong * 1000, TRIES, ROUNDS,
            max(unknown, wrong) / min(unknown, wrong),
            "faster" if unknown < wrong else "slower", FACTOR),
        help=TIMING_HELP)
