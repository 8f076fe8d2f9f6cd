"""Task 6 "Basic Flask app": GET / says Bienvenue."""
import ast

import pytest

from checks.harness.failures import Failure
from checks.harness.failures import expect_equal
from checks.harness.probes import Probes
from checks.harness.probes import expect_imports
from checks.harness.remote import Learner
from checks.harness.solution import Solution
from checks.harness.web import Client

pytestmark = pytest.mark.task("6")


def test_app_module_imports(probes: Probes) -> None:
    """app.py imports without error"""
    expect_imports(probes, "app")


def test_index_says_bienvenue(client: Client) -> None:
    """GET / returns 200 and {"message": "Bienvenue"}"""
    client.get("/").expect_status(200).expect_json({"message": "Bienvenue"})


def test_index_is_json(client: Client) -> None:
    """GET / answers with Content-Type application/json"""
    reply = client.get("/")
    expect_equal(reply.header("Content-Type"), "application/json",
                 "GET / Content-Type")


def test_app_is_a_flask_app(learner: Learner) -> None:
    """app.app is a Flask application"""
    described = learner.describe(learner.attribute("app", "app"))
    if "flask.app.Flask" not in described.mro:
        raise Failure("app.app is a {}, not a flask.Flask".format(
            described.type))


def test_index_accepts_get_only(client: Client) -> None:
    """POST / is not allowed (405)"""
    client.post("/").expect_status(405)


def constant(node: ast.AST) -> object:
    """Return the value of a literal node (Python 3.7 has ast.Str/Num)."""
    try:
        return ast.literal_eval(node)
    except ValueError:
        return None


@pytest.mark.static
def test_server_starts_only_as_main(solution: Solution) -> None:
    """app.run(host="0.0.0.0", port=5000) runs only under __main__"""
    try:
        tree = ast.parse(solution.source("app.py") or "")
    except SyntaxError as error:
        raise Failure("app.py does not parse: {}".format(error))
    guarded = [node for node in tree.body if isinstance(node, ast.If)
               and "__main__" in ast.dump(node.test)]
    runs = [call for node in guarded for call in ast.walk(node)
            if isinstance(call, ast.Call) and getattr(
                call.func, "attr", None) == "run"]
    if not runs:
        raise Failure("no app.run(...) under `if __name__ == \"__main__\":`")
    options = {kw.arg: constant(kw.value) for kw in runs[0].keywords}
    if options.get("host") != "0.0.0.0" or str(options.get("port")) != \
            "5000":
        raise Failure("app.run got host={!r}, port={!r}; expected "
                      "host=\"0.0.0.0\", port=\"5000\" (or 5000)".format(
                          options.get("host"), options.get("port")))
    unguarded = [node for node in tree.body if node not in guarded and any(
        getattr(getattr(call, "func", None), "attr", None) == "run"
        for call in ast.walk(node) if isinstance(call, ast.Call))]
    if unguarded:
        raise Failure("app.run(...) is called outside the __main__ guard, "
                      "line {}".format(unguarded[0].lineno))
