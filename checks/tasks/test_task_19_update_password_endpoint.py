"""Task 19 "Update password end-point": PUT /reset_password sets a password.
"""
import uuid
from typing import NamedTuple

import pytest

from checks.harness.catalogue import Route
from checks.harness.failures import Failure
from checks.harness.failures import Mismatch
from checks.harness.failures import expect_equal
from checks.harness.failures import shorten
from checks.harness.fixtures import BOB
from checks.harness.markers import expect_view
from checks.harness.solution import Solution
from checks.harness.web import Client
from checks.harness.web import Reply

pytestmark = pytest.mark.task("19")

NEW_PASSWORD = "t4rt1fl3tt3"


class WithToken(NamedTuple):
    """The app's client after Bob registered, and his reset token."""

    client: Client
    token: str


@pytest.fixture
def with_token(registered: Client) -> WithToken:
    """Bob registered, with a reset token from POST /reset_password."""
    reply = registered.post("/reset_password", form={"email": BOB.email})
    body = reply.expect_status(200).json
    token = body.get("reset_token") if isinstance(body, dict) else None
    if not isinstance(token, str) or not token:
        raise Mismatch(reply.request, "JSON with a reset_token string",
                       shorten(reply.text, 300))
    return WithToken(registered, token)


def update(client: Client, token: str) -> Reply:
    """Send PUT /reset_password for Bob with this token."""
    return client.put("/reset_password", form={
        "email": BOB.email, "reset_token": token,
        "new_password": NEW_PASSWORD})


def login_status(client: Client, email: str, password: str) -> int:
    """Return the status of POST /sessions with these credentials."""
    return client.post("/sessions", form={"email": email,
                                          "password": password}).status


def expect_password(client: Client, after: str, password: str) -> None:
    """Fail unless this password (still) logs Bob in."""
    expect_equal(login_status(client, BOB.email, password), 200,
                 "after {}, POST /sessions with form email={}, password={}"
                 .format(after, BOB.email, password))


def test_valid_token_updates_the_password(with_token: WithToken) -> None:
    """PUT /reset_password with a valid token returns "Password updated\""""
    update(*with_token).expect_status(200).expect_json(
        {"email": BOB.email, "message": "Password updated"})


def test_new_password_logs_in(with_token: WithToken) -> None:
    """after PUT /reset_password, the new password logs in"""
    request = update(*with_token).expect_status(200).request
    expect_password(with_token.client, request, NEW_PASSWORD)


def test_old_password_no_longer_logs_in(with_token: WithToken) -> None:
    """after PUT /reset_password, the old password gets 401"""
    request = update(*with_token).expect_status(200).request
    expect_equal(login_status(with_token.client, BOB.email, BOB.password),
                 401, "after {}, POST /sessions with form email={}, "
                 "password={}".format(request, BOB.email, BOB.password))


def test_wrong_token_is_forbidden(with_token: WithToken) -> None:
    """PUT /reset_password with a wrong token returns 403, changing nothing
    """
    reply = update(with_token.client, str(uuid.uuid4())).expect_status(403)
    expect_password(with_token.client, reply.request, BOB.password)


def test_token_works_once(with_token: WithToken) -> None:
    """a reset token updates the password once; reusing it returns 403"""
    update(*with_token).expect_status(200)
    reply = update(*with_token)
    if reply.status != 403:
        raise Failure("{} a second time: expected status 403, got {}; the "
                      "token is cleared after use (reset_token=None)".format(
                          reply.request, reply.status))


@pytest.mark.static
def test_view_function_is_named_update_password(solution: Solution) -> None:
    """the view of PUT /reset_password is the function `update_password`"""
    expect_view(solution.source("app.py"), Route("PUT", "/reset_password"),
                "update_password")
