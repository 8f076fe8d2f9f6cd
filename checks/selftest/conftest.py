"""Fixtures and hooks of the self-tests: the grades every test reads.

A self-test run grades folders through subprocesses and never runs learner
code itself; the grader plugin (loaded by tox.ini's addopts) starts no
grade when pytest is asked for the self-tests alone.
"""
import os
import time
from typing import Any
from typing import Dict
from typing import Iterator
from typing import List

import pytest

from checks.harness import sandbox
from checks.selftest import background as started
from checks.selftest import campaign
from checks.selftest import notes
from checks.selftest.background import Background
from checks.selftest.campaign import Campaign
from checks.selftest.campaign import Run
from checks.selftest.grading import Grade
from checks.selftest.pool import Pool

WORKERS = 2  # fork servers; each grade also runs a check child per core
MUTANT_TESTS = "checks.selftest.test_mutants"


def pytest_configure(config: pytest.Config) -> None:
    """Start an empty report; measure no sandbox of any grade started here.

    The self-tests kill grades on purpose (watch mode's cancelled grades,
    the class report's limits, hostile folders), and a sandbox process
    killed while it saves its coverage data leaves a file coverage.py
    cannot read: the total would then depend on timing. The sandboxes are
    measured once, by the grade of the reference that tox runs first.
    """
    os.environ.pop(sandbox.COVER_SANDBOXES, None)
    notes.start(config)


def pytest_collection_modifyitems(items: List[pytest.Item]) -> None:
    """Run the mutant tests first: the rest overlaps their long grading."""
    items.sort(key=lambda item: getattr(getattr(
        item, "module", None), "__name__", "") != MUTANT_TESTS)


def pytest_terminal_summary(terminalreporter: Any,
                            config: pytest.Config) -> None:
    """Print the self-test report: kill rate, blame, gaps and timings."""
    notes.write(config, terminalreporter)


@pytest.fixture(scope="session")
def background(request: pytest.FixtureRequest,
               tmp_path_factory: pytest.TempPathFactory
               ) -> Iterator[Background]:
    """The golden and hostile grades, running in subprocesses (the hostile
    ones only when their tests were collected)."""
    hostile = any(item.path.name == "test_hostile.py"
                  for item in request.session.items)
    running = started.start(str(tmp_path_factory.mktemp("background")),
                            hostile)
    yield running
    running.executor.shutdown(wait=True)


@pytest.fixture(scope="session")
def golden(background: Background) -> Grade:
    """The reference graded in full by the grading command itself."""
    return background.golden.result()


@pytest.fixture(scope="session")
def pool() -> Iterator[Pool]:
    """Warm fork servers that grade folders in parallel."""
    workers = Pool(WORKERS)
    yield workers
    workers.close()


@pytest.fixture(scope="session")
def campaign_done(pool: Pool, background: Background,
                  request: pytest.FixtureRequest,
                  tmp_path_factory: pytest.TempPathFactory) -> Campaign:
    """Every mutant graded on the tasks it can affect, in parallel.

    It asks for `background` first, so that the golden and hostile grades
    run alongside.
    """
    begun = time.monotonic()
    root = str(tmp_path_factory.mktemp("mutants"))
    done = campaign.run_campaign(pool, root)
    runs = done.runs
    slowest = sorted(runs, key=lambda key: -runs[key].grade.seconds)[:3]
    notes.note(request.config, notes.TIMINGS, "{} mutants ({} on "
               "static checks only) graded in {:.0f} s by {} workers; "
               "slowest: {}; details in {}/summary.json".format(
                   len(runs), sum(run.job.static_only
                                  for run in runs.values()),
                   time.monotonic() - begun, WORKERS, ", ".join(
                       "{} {:.1f} s".format(key, runs[key].grade.seconds)
                       for key in slowest), root))
    return done


@pytest.fixture(scope="session")
def mutant_runs(campaign_done: Campaign) -> Dict[str, Run]:
    """Every mutant's run, by id."""
    return campaign_done.runs


@pytest.fixture(scope="session")
def mutant_grades(mutant_runs: Dict[str, Run]) -> Dict[str, Grade]:
    """Every mutant's grade, by id."""
    return {key: run.grade for key, run in mutant_runs.items()}
