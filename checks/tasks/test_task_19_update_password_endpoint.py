"""Task 19 "Update password end-point": PUT /reset_password sets a password.
"""
import uuid
from typing import Dict
from typing import Tuple

import pytest

from checks.harness.failures import Failure
from checks.harness.failures import Mismatch
from checks.harness.failures import expect_equal
from checks.harness.failures import shorten
from checks.harness.learner import Client
from checks.harness.learner import Learner
from checks.harness.learner import Reply

pytestmark = pytest.mark.task("19")

EMAIL = "bob@bob.com"
PASSWORD = "mySuperPwd"
NEW_PASSWORD = "t4rt1fl3tt3"
OTHER = "amy@me.com"
OTHER_PASSWORD = "amyPwd"
NULL_TRAP_HELP = ("users who asked for no reset have reset_token NULL: "
                  "refuse a missing token before looking a user up")


def with_token(learner: Learner) -> Tuple[Client, str]:
    """Register bob@bob.com and get a reset token through the API."""
    client = learner.client()
    client.register(EMAIL, PASSWORD)
    reply = client.post("/reset_password", form={"email": EMAIL})
    body = reply.expect_status(200).json
    token = body.get("reset_token") if isinstance(body, dict) else None
    if not isinstance(token, str) or not token:
        raise Mismatch(reply.request, "JSON with a reset_token string",
                       shorten(reply.text, 300))
    return client, token


def update(client: Client, token: str) -> Reply:
    """Send PUT /reset_password for bob@bob.com with this token."""
    return client.put("/reset_password", form={
        "email": EMAIL, "reset_token": token, "new_password": NEW_PASSWORD})


def login_status(client: Client, email: str, password: str) -> int:
    """Return the status of POST /sessions with these credentials."""
    return client.post("/sessions", form={"email": email,
                                          "password": password}).status


def expect_password(client: Client, after: str, email: str,
                    password: str) -> None:
    """Fail unless this password (still) logs this user in."""
    expect_equal(login_status(client, email, password), 200,
                 "after {}, POST /sessions with form email={}, password={}"
                 .format(after, email, password))


def test_valid_token_updates_the_password(learner: Learner) -> None:
    """PUT /reset_password with a valid token returns "Password updated\""""
    update(*with_token(learner)).expect_status(200).expect_json(
        {"email": EMAIL, "message": "Password updated"})


def test_new_password_logs_in(learner: Learner) -> None:
    """after PUT /reset_password, the new password logs in"""
    client, token = with_token(learner)
    request = update(client, token).expect_status(200).request
    expect_password(client, request, EMAIL, NEW_PASSWORD)


def test_old_password_no_longer_logs_in(learner: Learner) -> None:
    """after PUT /reset_password, the old password gets 401"""
    client, token = with_token(learner)
    request = update(client, token).expect_status(200).request
    expect_equal(login_status(client, EMAIL, PASSWORD), 401,
                 "after {}, POST /sessions with form email={}, password={}"
                 .format(request, EMAIL, PASSWORD))


def test_wrong_token_is_forbidden(learner: Learner) -> None:
    """PUT /reset_password with a wrong token returns 403, changing nothing
    """
    client, _ = with_token(learner)
    reply = update(client, str(uuid.uuid4())).expect_status(403)
    expect_password(client, reply.request, EMAIL, PASSWORD)


@pytest.mark.parametrize("form", [
    pytest.param({"email": EMAIL, "new_password": NEW_PASSWORD},
                 id="no-token-field"),
    pytest.param({"email": EMAIL, "reset_token": "",
                  "new_password": NEW_PASSWORD}, id="empty-token"),
])
def test_missing_token_changes_no_password(learner: Learner,
                                           form: Dict[str, str]) -> None:
    """PUT /reset_password without a token returns 403, changing nothing"""
    client = learner.client()
    client.register(EMAIL, PASSWORD)
    client.register(OTHER, OTHER_PASSWORD)
    reply = client.put("/reset_password", form=form)
    if reply.status != 403:
        raise Mismatch(reply.request, "status 403", "{} with body {}".format(
            reply.status, shorten(reply.text.strip(), 200)),
            NULL_TRAP_HELP if reply.status == 200 else None)
    expect_password(client, reply.request, EMAIL, PASSWORD)
    expect_password(client, reply.request, OTHER, OTHER_PASSWORD)


def test_token_works_once(learner: Learner) -> None:
    """a reset token updates the password once; reusing it returns 403"""
    client, token = with_token(learner)
    update(client, token).expect_status(200)
    reply = update(client, token)
    if reply.status != 403:
        raise Failure("{} a second time: expected status 403, got {}; the "
                      "token is cleared after use (reset_token=None)".format(
                          reply.request, reply.status))


def test_view_function_is_named_update_password(learner: Learner) -> None:
    """the view of PUT /reset_password is app.update_password"""
    learner.expect_view("PUT", "/reset_password", "update_password")
    app = learner.attribute("app", "app")
    view = app.view_functions["update_password"]
    expect_equal(getattr(view, "__module__", None), "app",
                 "the module of the view update_password")
