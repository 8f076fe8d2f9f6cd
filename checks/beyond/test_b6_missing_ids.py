"""Beyond B6: a missing or empty session id or reset token matches nobody.

`find_user_by(session_id=None)` becomes `WHERE session_id IS NULL`, which
matches every user without a session, and `reset_token=None` every user
without a pending reset: a request that simply leaves the cookie or the
token out would act as one of them. The checks run with users who logged
out or used their reset token already, as well as users who never did.
"""
from typing import Any
from typing import Dict
from typing import List
from typing import Optional

import pytest

from checks.harness.failures import Failure
from checks.harness.web import Client
from checks.harness.remote import Learner
from checks.harness.remote import Raised
from checks.harness.web import client_of

pytestmark = pytest.mark.task("B6")

PASSWORD = "pwd"
USED = "bob@bob.com"    # logged in and out, then used a reset token
NEVER = "amy@me.com"    # registered only
MISSING: Dict[str, Optional[str]] = {"None": None, "empty": ""}
FORM_TOKENS: Dict[str, Optional[str]] = {"left out": None, "empty": ""}
NULL_HELP = ("{} IS NULL matches every user without one: return None (or "
             "raise ValueError) for a missing or empty {} before querying")
SESSION_HELP = NULL_HELP.format("session_id", "session id")
TOKEN_HELP = NULL_HELP.format("reset_token", "reset token")


def with_past_users(client: Client) -> None:
    """Register both users; Bob logs out and uses a reset token.

    Each step must work: a scenario that was not set up (a token that was
    never used, a session never ended) would let the checks pass without
    trying what they name.
    """
    for email in (USED, NEVER):
        client.register(email, PASSWORD)
    session_id = client.log_in(USED, PASSWORD)
    client.delete("/sessions", cookies={"session_id": session_id}
                  ).expect_status(302, 303)
    asked = client.post("/reset_password", form={"email": USED})
    token = (asked.expect_status(200).json or {}).get("reset_token")
    if not isinstance(token, str) or not token:
        raise Failure("{} gave no reset_token, so no user could use one "
                      "before the check: {}".format(
                          asked.request, asked.text.strip()[:200]))
    client.put("/reset_password", form={
        "email": USED, "reset_token": token, "new_password": PASSWORD}
    ).expect_status(200)


def expect_passwords_kept(client: Client, after: str) -> None:
    """Fail unless both users still log in with their password."""
    for email in (USED, NEVER):
        if client.post("/sessions", form={"email": email, "password":
                                          PASSWORD}).status != 200:
            raise Failure("after {}, {} can no longer log in with their "
                          "password: it was changed".format(after, email),
                          help=TOKEN_HELP)


def test_no_session_cookie_matches_nobody(learner: Learner) -> None:
    """GET /profile and DELETE /sessions without a session id return 403"""
    client = client_of(learner)
    with_past_users(client)
    wrong: List[str] = []
    for method, path in (("GET", "/profile"), ("DELETE", "/sessions")):
        for cookies in ({}, {"session_id": ""}):
            reply = client.send(method, path, cookies=cookies)
            if reply.status != 403:
                wrong.append("{}{} -> {}".format(
                    reply.request, "" if cookies else " (no cookie)",
                    reply.status))
    if wrong:
        raise Failure("with logged-out users, expected 403 for: {}".format(
            "; ".join(wrong)), help=SESSION_HELP)


@pytest.mark.parametrize("token", sorted(FORM_TOKENS))
def test_no_reset_token_matches_nobody(learner: Learner, token: str) -> None:
    """PUT /reset_password with the token {token} changes no password"""
    client = client_of(learner)
    with_past_users(client)
    form = {"email": NEVER, "new_password": "hijacked"}
    if FORM_TOKENS[token] is not None:
        form["reset_token"] = str(FORM_TOKENS[token])
    reply = client.put("/reset_password", form=form)
    if not 400 <= reply.status < 500:
        raise Failure("{} -> {}: expected a 4xx (403)".format(
            reply.request, reply.status), help=TOKEN_HELP)
    expect_passwords_kept(client, reply.request)


@pytest.mark.parametrize("value", sorted(MISSING))
def test_auth_matches_nobody(learner: Learner, value: str) -> None:
    """Auth matches nobody to a session id or reset token that is {value}"""
    auth = learner.auth()
    with_past_auth(auth)
    missing = MISSING[value]
    user = auth.get_user_from_session_id(missing)
    if user is not None:
        raise Failure("get_user_from_session_id({!r}) returned {} while "
                      "users are logged out".format(missing, getattr(
                          user, "email", user)), help=SESSION_HELP)
    try:
        auth.update_password(missing, "hijacked")
    except Raised as error:
        if not error.is_a("ValueError"):
            raise
    else:
        raise Failure("update_password({!r}, 'hijacked') raised no "
                      "ValueError".format(missing), help=TOKEN_HELP)
    changed = [email for email in (USED, NEVER)
               if not auth.valid_login(email, PASSWORD)]
    if changed:
        raise Failure("update_password({!r}, 'hijacked') changed the "
                      "password of {}".format(missing, ", ".join(changed)),
                      help=TOKEN_HELP)


def with_past_auth(auth: Any) -> None:
    """Through Auth: Bob logs in and out and uses a reset token."""
    for email in (USED, NEVER):
        auth.register_user(email, PASSWORD)
    user = auth.get_user_from_session_id(auth.create_session(USED))
    auth.destroy_session(user.id)
    auth.update_password(auth.get_reset_password_token(USED), PASSWORD)
