"""Beyond B13: main.py compares every value it can know, not just the keys.

Task 20 asks main.py to assert each status code and payload, and fails
it for faults any such check catches. A subtler server can answer with
the right status and the right keys but a wrong value: another user's
email on /profile, a welcome page in another language after the logout
redirect. Only asserts that compare the whole payload catch those; an
integration test that lets them through would let such a regression ship.
"""
import pytest

from checks.harness.failures import Failure
from checks.harness.fixtures import Sandboxes
from checks.runtime.model_app import EXACT_BREAKAGES
from checks.tasks.test_task_20_end_to_end import Runner

pytestmark = pytest.mark.task("B13")

EXACT_HELP = ("compare the whole payload where the page gives it: "
              "GET /profile answers {\"email\": <the email logged in>}, and "
              "GET / (where the logout redirect leads) answers "
              "{\"message\": \"Bienvenue\"}")


@pytest.fixture
def run_against(sandboxes: Sandboxes) -> Runner:
    """Run main.py against a fresh server started with given options."""
    return Runner(sandboxes)


@pytest.mark.parametrize("breakage", sorted(EXACT_BREAKAGES))
def test_fails_against_a_subtly_broken_server(run_against: Runner,
                                              breakage: str) -> None:
    """main.py fails against a server where {breakage}"""
    # A main.py that fails against every server would "catch" every
    # fault: it must first pass against the intact model (task 20's own
    # check of that says why it does not).
    intact = run_against(app="model")
    if not intact.passed:
        raise Failure("main.py did not pass against the checker's model "
                      "server, which keeps the contract, so it cannot show "
                      "that it catches a fault: {}".format(intact.reason))
    if run_against(app="model", breakage=breakage).passed:
        raise Failure("main.py passed against a server where {}: no "
                      "assert compares that value with the one expected"
                      .format(EXACT_BREAKAGES[breakage]), help=EXACT_HELP)
