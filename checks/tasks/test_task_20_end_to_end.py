"""Task 20 "End-to-end integration test": main.py tests a live server.

main.py runs against the learner's own freshly started server (it must
pass silently), against the checker's model of the contract (it must pass
too), and against the model broken in known ways (it must fail each time).
"""
import ast
import os
import tempfile
from typing import Any
from typing import List

import pytest

from checks.harness import server
from checks.harness import tracing
from checks.harness.catalogue import MAIN_SIGNATURES
from checks.harness.diagnose import explain
from checks.harness.failures import Failure
from checks.harness.failures import expect_equal
from checks.harness.model_app import BREAKAGES
from checks.harness.model_app import make_app
from checks.harness.solution import Solution
from checks.harness.static import functions_by_name

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


def run_against(solution: Solution, load_app: Any) -> Any:
    """Run main.py against a fresh server of an app; return both results."""
    timeout = solution.timeout
    with server.running(load_app, solution.snapshot, timeout * 2) as live:
        result = server.run_main(solution.snapshot, live.port, timeout)
    return result, live


def expect_silent_success(result: Any, against: str) -> None:
    """Fail unless main.py exited normally and printed nothing."""
    if result.status != "returned":
        raise Failure("main.py against {} did not pass: {}".format(
            against, explain(result, "main.py")))
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


@pytest.mark.in_parent
def test_passes_against_its_own_server(solution: Solution,
                                       record_property: Any) -> None:
    """main.py passes silently against the solution's own fresh server"""
    fd, lines_path = tempfile.mkstemp(prefix="checks-lines-")
    os.close(fd)
    try:
        result, live = run_against(solution, tracing.traced(
            server.learner_app, os.path.join(solution.snapshot, "app.py"),
            lines_path))
        reached = tracing.read_lines(lines_path)
    finally:
        os.remove(lines_path)
    record_property("note", coverage_note(solution, live, reached))
    expect_silent_success(result, "your app")


def coverage_note(solution: Solution, live: Any, reached: Any) -> str:
    """Say how much of app.py main.py exercised: routes, then lines."""
    missed = live.routes_missed()
    note = "main.py reached {}/{} routes{}".format(
        len(server.ROUTES) - len(missed), len(server.ROUTES),
        " (missed: {})".format(", ".join(missed)) if missed else "")
    try:
        lines = tracing.executable_lines(solution.source("app.py") or "")
    except SyntaxError:
        return note
    if lines:
        note += " and {}/{} lines of app.py's functions ({:.0f}%)".format(
            len(lines & reached), len(lines),
            100.0 * len(lines & reached) / len(lines))
    return note


@pytest.mark.in_parent
def test_passes_against_the_model_server(solution: Solution) -> None:
    """main.py passes silently against a server that keeps the contract"""
    result, _ = run_against(solution, make_app)
    expect_silent_success(result, "the checker's model server")


@pytest.mark.in_parent
@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_fails_against_a_broken_server(solution: Solution,
                                       breakage: str) -> None:
    """main.py fails against a server where {breakage}"""
    result, _ = run_against(solution, lambda: make_app(breakage))
    if result.status == "returned":
        raise Failure("main.py passed against a server where {}: its "
                      "asserts cannot catch that fault".format(
                          BREAKAGES[breakage]),
                      help="assert each response's status code and, "
                           "where there is one, its JSON payload")
