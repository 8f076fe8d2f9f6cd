"""The same folder gets the same scorecard on every run: no flaky checks.

The reference and ten mutants chosen for the checks most exposed to timing
(HTTP sessions, live servers, timeouts, randomness) are graded REPEATS
times in all: the golden or catalogue run, and the rest here.
"""
from typing import Dict
from typing import List

import pytest

from checks.selftest import folders
from checks.selftest.campaign import Run
from checks.selftest.grading import Grade
from checks.selftest.grading import Job
from checks.selftest.pool import Pool

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
             tmp_path_factory: pytest.TempPathFactory
             ) -> Dict[str, List[Grade]]:
    """Grade the reference and the watched mutants REPEATS times each."""
    root = tmp_path_factory.mktemp("repeats")
    jobs = {"reference": Job(folders.REFERENCE, "", timeout=10.0)}
    jobs.update({key: mutant_runs[key].job for key in WATCHED})
    futures = {key: [pool.submit(job._replace(json_path=str(
        root / "{}-{}.json".format(key, index))))
        for index in range(1, REPEATS)] for key, job in jobs.items()}
    first = {"reference": golden}
    first.update({key: mutant_runs[key].grade for key in WATCHED})
    return {key: [first[key]] + [future.result() for future in runs]
            for key, runs in futures.items()}


@pytest.mark.parametrize("key", ("reference",) + WATCHED)
def test_every_run_gives_the_same_scorecard(
        key: str, repeated: Dict[str, List[Grade]]) -> None:
    """Three grades of one folder agree on every task and check status."""
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
