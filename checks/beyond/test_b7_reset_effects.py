"""Beyond B7: a reset token works once, and a new password ends sessions.

A reset token is a password of its own: one that still works after use
lets whoever saw it (in a mail, a log, a browser history) set the password
again. A password change is what a user does when they fear someone else
is logged in as them, so it ends every open session of that user too.
"""
from typing import Tuple

import pytest

from checks.harness.failures import Failure
from checks.harness.web import Client
from checks.harness.remote import Learner
from checks.harness.web import client_of
from checks.harness.web import Reply

pytestmark = pytest.mark.task("B7")

EMAIL = "bob@bob.com"
OLD, FIRST, SECOND = "OldPwd", "NewPwd", "ThirdPwd"


def reset(client: Client, token: str, password: str) -> Reply:
    """Send PUT /reset_password for Bob with this token and password."""
    return client.put("/reset_password", form={
        "email": EMAIL, "reset_token": token, "new_password": password})


def registered(learner: Learner) -> Tuple[Client, str]:
    """Register Bob; return the client and a fresh reset token of his."""
    client = client_of(learner)
    client.register(EMAIL, OLD)
    reply = client.post("/reset_password", form={"email": EMAIL})
    token = (reply.expect_status(200).json or {}).get("reset_token", "")
    return client, str(token)


def logs_in(client: Client, password: str) -> bool:
    """Tell whether Bob logs in with this password."""
    return client.post("/sessions", form={"email": EMAIL,
                                          "password": password}).status == 200


def test_reset_token_works_once(learner: Learner) -> None:
    """a reset token used once is refused the second time"""
    client, token = registered(learner)
    reset(client, token, FIRST).expect_status(200)
    again = reset(client, token, SECOND)
    if again.status != 403 or not logs_in(client, FIRST):
        raise Failure("{} a second time -> {}{}: expected 403, and the "
                      "password of the first use kept".format(
                          again.request, again.status,
                          " (the password changed again)" if logs_in(
                              client, SECOND) else ""),
                      help="set reset_token to None when the password is "
                           "updated, in the same update_user call")


def test_new_password_ends_the_session(learner: Learner) -> None:
    """after a password reset, the old session cookie gets 403"""
    client, token = registered(learner)
    session_id = client.log_in(EMAIL, OLD)
    request = reset(client, token, FIRST).expect_status(200).request
    profile = client.get("/profile", cookies={"session_id": session_id})
    if profile.status != 403:
        raise Failure("{}, then {} -> {}: expected 403, the session opened "
                      "before the reset still works".format(
                          request, profile.request, profile.status),
                      help="in update_password, set session_id to None "
                           "along with the new hash and reset_token=None")
