"""Beyond B8: huge bodies get 413, and app.py never starts the debugger.

A form of a few fields fits in well under 1 KiB; without a limit, Flask
parses a form of any size into memory. The rule here: a body over 1 MiB is
answered 413 on every route that reads a form (64 KiB is plenty).

The debugger rule: `python3 app.py` with FLASK_DEBUG=1 in its environment
must not start the Werkzeug debugger, which runs any Python code sent to
it, on a server the contract binds to 0.0.0.0. `app.run()` without a
`debug` argument takes it from FLASK_DEBUG, so passing debug=False (or
use_debugger=False) is what makes the rule hold.
"""
import os
import runpy
from typing import Any
from typing import Callable
from typing import Dict
from typing import List

import pytest

from checks.harness.failures import Failure
from checks.harness.learner import Learner
from checks.harness.solution import Solution

pytestmark = pytest.mark.task("B8")

LIMIT = 1024 * 1024  # bytes: a body larger than this must get 413
ROUTES = (("POST", "/users"), ("POST", "/sessions"),
          ("POST", "/reset_password"), ("PUT", "/reset_password"))
SIZE_HELP = ("set app.config[\"MAX_CONTENT_LENGTH\"] = 64 * 1024: Flask "
             "then answers 413 before it parses a larger body")
DEBUG_HELP = ("pass debug=False to app.run(...): left out, debug comes "
              "from FLASK_DEBUG, and the debugger runs any code sent to it")


class ServerStarted(Exception):
    """Raised by the stand-in for run_simple, so that app.py stops there."""


def recorder(calls: List[Dict[str, Any]]) -> Callable[..., None]:
    """Return a stand-in for werkzeug's run_simple that notes its options.
    """
    def run_simple(host: str, port: int, application: Any,
                   **options: Any) -> None:
        """Note what app.run asked of the server, then stop app.py."""
        calls.append(options)
        raise ServerStarted()
    return run_simple


def test_huge_bodies_get_413(learner: Learner) -> None:
    """a form body over 1 MiB gets 413 on every route that reads one"""
    client = learner.client()
    body = {"email": "a" * LIMIT, "password": "pwd"}
    wrong: List[str] = []
    for method, path in ROUTES:
        reply = client.send(method, path, form=body)
        if reply.status != 413:
            wrong.append("{} {} -> {}".format(method, path, reply.status))
    if wrong:
        raise Failure("a form body just over {} KiB (email=aaa...) got {};"
                      " expected 413 Request Entity Too Large".format(
                          LIMIT // 1024, ", ".join(wrong)),
                      help=SIZE_HELP)


def test_debugger_stays_off(solution: Solution) -> None:
    """python3 app.py with FLASK_DEBUG=1 starts no debugger"""
    import werkzeug.serving
    calls: List[Dict[str, Any]] = []
    werkzeug.serving.run_simple = recorder(calls)
    os.environ.pop("FLASK_RUN_FROM_CLI", None)
    os.environ["FLASK_DEBUG"] = "1"
    try:
        runpy.run_path(os.path.join(solution.snapshot, "app.py"),
                       run_name="__main__")
    except ServerStarted:
        pass  # app.run reached the server: its options are in calls
    if any(options.get("use_debugger") for options in calls):
        raise Failure("with FLASK_DEBUG=1 in the environment, `python3 "
                      "app.py` starts the server with use_debugger=True",
                      help=DEBUG_HELP)
