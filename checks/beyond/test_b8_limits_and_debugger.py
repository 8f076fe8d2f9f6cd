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
from typing import List

import pytest

from checks.harness.failures import Failure
from checks.harness.remote import Learner
from checks.harness.web import Client

pytestmark = pytest.mark.task("B8")

LIMIT = 1024 * 1024  # bytes: a body larger than this must get 413
ROUTES = (("POST", "/users"), ("POST", "/sessions"),
          ("POST", "/reset_password"), ("PUT", "/reset_password"))
SIZE_HELP = ("set app.config[\"MAX_CONTENT_LENGTH\"] = 64 * 1024: Flask "
             "then answers 413 before it parses a larger body")
DEBUG_HELP = ("pass debug=False to app.run(...): left out, debug comes "
              "from FLASK_DEBUG, and the debugger runs any code sent to it")


def test_huge_bodies_get_413(client: Client) -> None:
    """a form body over 1 MiB gets 413 on every route that reads one"""
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


@pytest.mark.bare
def test_debugger_stays_off(learner: Learner) -> None:
    """python3 app.py with FLASK_DEBUG=1 starts no debugger"""
    ran = learner.request("run_path", "python3 app.py with FLASK_DEBUG=1",
                          file="app.py", env={"FLASK_DEBUG": "1"},
                          record_run_simple=True)
    calls = ran.get("run_simple", []) if isinstance(ran, dict) else []
    if any(isinstance(call, dict) and call.get("use_debugger")
           for call in calls):
        raise Failure("with FLASK_DEBUG=1 in the environment, `python3 "
                      "app.py` starts the server with use_debugger=True",
                      help=DEBUG_HELP)
