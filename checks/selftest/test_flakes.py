"""The same folder gets the same scorecard on every run: no flaky checks.

The reference and ten mutants chosen for the checks most exposed to timing
(HTTP sessions, live servers, timeouts, randomness) are graded REPEATS
times in all: the golden or catalogue run, and the rest here.
"""
import time
from typing import Dict
from typing import List

import pytest

from checks.harness.plugin import CHECK_TIMEOUT
from checks.selftest import folders
from checks.selftest.campaign import Run
from checks.selftest.grading import Grade
from checks.selftest.grading import Job
from checks.selftest.notes import TIMINGS
from checks.selftest.notes import note
from checks.selftest.pool import Pool

# Three grades in all, as tox.ini says. Each grade more costs a full grade
# of the reference and of the ten mutants on their tasks, about 48 s on two
# busy cores (the report's timings give it): five grades would add 95 s to
# the 450 s that this file and test_mutants.py take together. A check that
# flips once in ten runs shows, per folder it is graded in, with a chance
# of 19% with three grades (1 - 0.9 ** 2) and 34% with five; in all eleven
# folders, 90% and 99%. Three is what the budget allows; the checks'
# wall-clock margins, not repetition, keep flakes out.
REPEATS = 3
WATCHED = ("db-find-returns-none", "auth-valid-unknown-raises",
           "auth-session-reused", "auth-update-keeps-token",
           "app-login-cookie-named-session",
           "app-logout-301", "app-profile-no-cookie-200",
           "app-reset-caches-tokens", "main-asserts-cannot-fail",
           "main-prints")


def verdicts(grade: Grade) -> Dict[str, Dict[str, str]]:
    """Return what must not change between runs: task and check statuses."""
    return {"tasks": grade.statuses(), "checks": grade.checks()}


@pytest.fixture(scope="module")
def repeated(pool: Pool, golden: Grade, mutant_runs: Dict[str, Run],
             tmp_path_factory: pytest.TempPathFactory,
             request: pytest.FixtureRequest) -> Dict[str, List[Grade]]:
    """Grade the reference and the watched mutants REPEATS times each."""
    begun = time.monotonic()
    root = tmp_path_factory.mktemp("repeats")
    jobs = {"reference": Job(folders.REFERENCE, "", timeout=CHECK_TIMEOUT)}
    jobs.update({key: mutant_runs[key].job for key in WATCHED})
    futures = {key: [pool.submit(job._replace(json_path=str(
        root / "{}-{}.json".format(key, index))))
        for index in range(1, REPEATS)] for key, job in jobs.items()}
    first = {"reference": golden}
    first.update({key: mutant_runs[key].grade for key in WATCHED})
    grades = {key: [first[key]] + [future.result() for future in runs]
              for key, runs in futures.items()}
    note(request.config, TIMINGS, "flakes: {} folders graded {} times more "
         "in {:.0f} s".format(len(jobs), REPEATS - 1,
                              time.monotonic() - begun))
    return grades


@pytest.mark.parametrize("key", ("reference",) + WATCHED)
def test_every_run_gives_the_same_scorecard(
        key: str, repeated: Dict[str, List[Grade]]) -> None:
    """All REPEATS grades of one folder agree on every task and check
    status."""
    runs = [verdicts(grade) for grade in repeated[key]]
    assert len(runs) == REPEATS
    assert runs[0]["tasks"], repeated[key][0].log
    different = [index for index, run in enumerate(runs) if run != runs[0]]
    assert different == [], [
        {check: (runs[0]["checks"].get(check), runs[index]["checks"].get(
            check)) for check in set(runs[0]["checks"]) | set(
                runs[index]["checks"])
         if runs[0]["checks"].get(check) != runs[index]["checks"].get(
             check)} for index in different]
