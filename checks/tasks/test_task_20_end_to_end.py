"""Task 20 "End-to-end integration test": main.py tests a live server.

main.py runs against the learner's own freshly started server (it must
pass silently), against the checker's model of the contract (it must pass
too), and against the model broken in known ways (it must fail each time).
Those faults are the ones any honest check of the status codes and payloads
catches; faults that only an exact comparison of every value catches are
beyond B13's. Each server and its main.py share a sandbox of their own.
"""
import ast
import time
from typing import Any
from typing import Callable
from typing import List
from typing import Optional

import pytest

from checks.harness import server
from checks.harness import tracing
from checks.harness.catalogue import MAIN_SIGNATURES
from checks.harness.failures import Failure
from checks.harness.failures import expect_equal
from checks.harness.fixtures import Sandboxes
from checks.harness.markers import functions_by_name
from checks.harness.server import Live
from checks.harness.server import Run
from checks.harness.solution import Solution
from checks.runtime.model_app import BREAKAGES

pytestmark = pytest.mark.task("20")

CONSTANTS = {"EMAIL": "guillaume@holberton.io", "PASSWD": "b4l0u",
             "NEW_PASSWD": "t4rt1fl3tt3"}
FLOW = ["register_user", "log_in_wrong_password", "profile_unlogged",
        "log_in", "profile_logged", "log_out", "reset_password_token",
        "update_password", "log_in"]


def main_tree(solution: Solution) -> ast.Module:
    """Parse main.py, failing with the syntax error."""
    try:
        return ast.parse(solution.source("main.py") or "")
    except SyntaxError as error:
        raise Failure("main.py does not parse: {}".format(error))


def annotation(node: Any) -> str:
    """Return an annotation's text for plain names and None."""
    if node is None:
        return "(none)"
    if isinstance(node, ast.Name):
        return node.id
    try:
        return str(ast.literal_eval(node))
    except ValueError:
        return ast.dump(node)


def signature(node: Any) -> Any:
    """Return ("name: type", ...), return type of a def."""
    return (tuple("{}: {}".format(arg.arg, annotation(arg.annotation))
                  for arg in node.args.args), annotation(node.returns))


class Runner:
    """Runs main.py against a fresh server, and keeps the last server."""

    def __init__(self, sandboxes: Sandboxes) -> None:
        """Make sandboxes with this maker."""
        self.sandboxes = sandboxes
        self.limit = sandboxes.grade.limit()
        self.own_port = sandboxes.grade.zygote.containment.mode == \
            "namespaces"
        self.live: Optional[Live] = None

    def __call__(self, **options: Any) -> Run:
        """Start a server with these options, then run main.py beside it."""
        deadline = time.monotonic() + 2 * self.limit
        try:
            self.live = server.start(self.sandboxes, deadline,
                                     self.own_port, client=True, **options)
        except server.ServerFailed as error:
            raise Failure("the server did not start: {}".format(error))
        return server.run_main(self.live, deadline, self.limit)


@pytest.fixture
def run_against(sandboxes: Sandboxes) -> Runner:
    """Run main.py against a fresh server started with given options."""
    return Runner(sandboxes)


def expect_silent_success(result: Run, against: str) -> None:
    """Fail unless main.py exited normally and printed nothing."""
    if not result.passed:
        raise Failure("main.py against {} did not pass: {}".format(
            against, result.reason))
    if result.stdout:
        raise Failure("main.py against {} printed {!r}; it should print "
                      "nothing".format(against, result.stdout[:200]))


@pytest.mark.static
def test_defines_the_eight_functions(solution: Solution) -> None:
    """main.py defines the eight functions with their signatures"""
    defs = functions_by_name(main_tree(solution))
    problems: List[str] = []
    for name, expected in MAIN_SIGNATURES.items():
        if name not in defs:
            problems.append("{} is missing".format(name))
        elif signature(defs[name]) != expected:
            problems.append("{}{} -> {} should be ({}) -> {}".format(
                name, signature(defs[name])[0], signature(defs[name])[1],
                ", ".join(expected[0]), expected[1]))
    if problems:
        raise Failure("; ".join(problems))


@pytest.mark.static
def test_defines_the_constants(solution: Solution) -> None:
    """main.py sets EMAIL, PASSWD and NEW_PASSWD as given"""
    found = {}
    for node in main_tree(solution).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and \
                isinstance(node.targets[0], ast.Name):
            try:
                found[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                continue
    expect_equal({key: found.get(key) for key in CONSTANTS}, CONSTANTS,
                 "main.py's constants")


@pytest.mark.static
def test_main_block_runs_the_flow_in_order(solution: Solution) -> None:
    """under __main__, main.py calls the nine steps in order"""
    guarded = [node for node in main_tree(solution).body
               if isinstance(node, ast.If) and "__main__" in ast.dump(
                   node.test)]
    calls = [call.func.id for node in guarded for call in ast.walk(node)
             if isinstance(call, ast.Call) and isinstance(call.func,
                                                          ast.Name)]
    expect_equal(calls, FLOW, "the calls under `if __name__ == "
                 "\"__main__\":`")


def test_passes_against_its_own_server(solution: Solution,
                                       run_against: Runner,
                                       note: Callable[[str], None]) -> None:
    """main.py passes silently against the solution's own fresh server"""
    result = run_against(app="learner", trace=True)
    if run_against.live is not None:
        note(coverage_note(solution, run_against.live))
    expect_silent_success(result, "your app")


def coverage_note(solution: Solution, live: Live) -> str:
    """Say how much of app.py main.py exercised: routes, then lines."""
    missed = server.routes_missed(live.hits())
    note = "main.py reached {}/{} routes{}".format(
        len(server.ROUTES) - len(missed), len(server.ROUTES),
        " (missed: {})".format(", ".join(missed)) if missed else "")
    try:
        lines = tracing.executable_lines(solution.source("app.py") or "")
    except SyntaxError:
        return note
    reached = set(live.lines())
    if lines:
        note += " and {}/{} lines of app.py's functions ({:.0f}%)".format(
            len(lines & reached), len(lines),
            100.0 * len(lines & reached) / len(lines))
    return note


def test_passes_against_the_model_server(
        run_against: Runner) -> None:
    """main.py passes silently against a server that keeps the contract"""
    expect_silent_success(run_against(app="model"),
                          "the checker's model server")


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_fails_against_a_broken_server(run_against: Runner,
                                       breakage: str) -> None:
    """main.py fails against a server where {breakage}"""
    if run_against(app="model", breakage=breakage).passed:
        raise Failure("main.py passed against a server where {}: its "
                      "asserts cannot catch that fault".format(
                          BREAKAGES[breakage]),
                      help="assert each response's status code and, "
                           "where there is one, its JSON payload")
