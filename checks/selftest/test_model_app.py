"""The checker's model server keeps the page's HTTP contract, and each of
its faults breaks it.

Task 20 grades main.py against this model (checks/runtime/model_app.py):
main.py must pass against it intact and fail against each fault. A model
that drifted from the contract would fail honest main.py files; a fault
that changed nothing would demand that main.py catch nothing. Both are
proven here, in this process, through Flask's test client: the page's
flow, step by step, as main.py runs it.
"""
from typing import Any
from typing import List
from typing import Optional
from typing import Tuple

import pytest

from checks.runtime.model_app import BREAKAGES
from checks.runtime.model_app import EXACT_BREAKAGES
from checks.runtime.model_app import make_app

EMAIL = "guillaume@holberton.io"
PASSWD = "b4l0u"
NEW_PASSWD = "t4rt1fl3tt3"
TOKEN = "<a reset token>"  # stands for the one the flow was given
Seen = Tuple[int, Any]


def run_flow(breakage: Optional[str] = None) -> List[Seen]:
    """Run the page's flow against a model; return each step's status and
    JSON payload (or redirect location), the reset token replaced."""
    client = make_app(breakage).test_client()
    seen: List[Seen] = []
    token = ""

    def step(method: str, path: str, **form: str) -> Any:
        response = client.open(path, method=method, data=form)
        body = response.get_json(silent=True)
        if response.status_code == 302:
            body = response.headers.get("Location", "").rsplit("/", 1)[-1]
        seen.append((response.status_code, body))
        return body

    step("POST", "/users", email=EMAIL, password=PASSWD)
    step("POST", "/users", email=EMAIL, password=PASSWD)
    step("POST", "/sessions", email=EMAIL, password="wrong")
    step("GET", "/profile")
    step("POST", "/sessions", email=EMAIL, password=PASSWD)
    step("GET", "/profile")
    step("DELETE", "/sessions")
    step("GET", "/")
    body = step("POST", "/reset_password", email=EMAIL)
    if isinstance(body, dict) and "reset_token" in body:
        token = body["reset_token"]
        seen[-1] = (seen[-1][0], dict(body, reset_token=TOKEN))
    step("PUT", "/reset_password", email=EMAIL, reset_token=token,
         new_password=NEW_PASSWD)
    step("POST", "/sessions", email=EMAIL, password=NEW_PASSWD)
    step("POST", "/sessions", email=EMAIL, password=PASSWD)
    return seen


CONTRACT: List[Seen] = [
    (200, {"email": EMAIL, "message": "user created"}),
    (400, {"message": "email already registered"}),
    (401, None),
    (403, None),
    (200, {"email": EMAIL, "message": "logged in"}),
    (200, {"email": EMAIL}),
    (302, ""),
    (200, {"message": "Bienvenue"}),
    (200, {"email": EMAIL, "reset_token": TOKEN}),
    (200, {"email": EMAIL, "message": "Password updated"}),
    (200, {"email": EMAIL, "message": "logged in"}),
    (401, None),
]


def test_the_intact_model_keeps_the_contract() -> None:
    """Every step of the page's flow answers as the page says."""
    assert run_flow() == CONTRACT


@pytest.mark.parametrize("breakage", sorted(BREAKAGES) +
                         sorted(EXACT_BREAKAGES))
def test_each_fault_breaks_the_contract(breakage: str) -> None:
    """Each fault changes what some step of the flow answers."""
    seen = run_flow(breakage)
    assert seen != CONTRACT, "{} changes nothing: {}".format(
        breakage, {**BREAKAGES, **EXACT_BREAKAGES}[breakage])


def test_an_unknown_fault_is_the_intact_model() -> None:
    """A fault name the model does not know breaks nothing (the table is
    the only source of faults)."""
    assert run_flow("no-such-fault") == CONTRACT
