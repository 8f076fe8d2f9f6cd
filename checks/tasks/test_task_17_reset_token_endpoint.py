"""Task 17 "Get reset password token": POST /reset_password issues a token.
"""
import pytest

from checks.harness.failures import Failure
from checks.harness.failures import Mismatch
from checks.harness.failures import expect_equal
from checks.harness.failures import shorten
from checks.harness.learner import Client
from checks.harness.learner import Learner
from checks.harness.learner import Reply
from checks.harness.learner import stored_user

pytestmark = pytest.mark.task("17")

EMAIL = "bob@bob.com"
PASSWORD = "mySuperPwd"
OTHER = "amy@me.com"
ANY_TOKEN = "<a non-empty string>"


def registered(learner: Learner) -> Client:
    """Return a client of the learner's app with bob@bob.com registered."""
    client = learner.client()
    client.register(EMAIL, PASSWORD)
    return client


def token_of(reply: Reply) -> str:
    """Return the reply's reset token, failing unless it is a non-empty str.
    """
    reply.expect_status(200)
    token = reply.json.get("reset_token") if isinstance(reply.json,
                                                        dict) else None
    if not isinstance(token, str) or not token:
        raise Mismatch(reply.request, "JSON with a reset_token string",
                       shorten(reply.text, 300))
    return token


def test_registered_email_gets_a_token(learner: Learner) -> None:
    """POST /reset_password with a registered email returns 200 and a token"""
    reply = registered(learner).post("/reset_password", form={"email": EMAIL})
    body = reply.expect_status(200).json
    token = body.get("reset_token") if isinstance(body, dict) else None
    reply.expect_json({"email": EMAIL, "reset_token": token if isinstance(
        token, str) and token else ANY_TOKEN})


def test_token_is_stored_for_that_user(learner: Learner) -> None:
    """the token returned is the one stored as that user's reset_token"""
    client = registered(learner)
    client.register(OTHER, "amyPwd")
    reply = client.post("/reset_password", form={"email": OTHER})
    token = token_of(reply)
    expect_equal(stored_user(OTHER).get("reset_token"), token,
                 "after {}, the reset_token stored for {} in a.db".format(
                     reply.request, OTHER),
                 "return the token AUTH.get_reset_password_token returned")
    expect_equal(stored_user(EMAIL).get("reset_token"), None,
                 "after {}, the reset_token stored for {}".format(
                     reply.request, EMAIL))


def test_unknown_email_is_forbidden(learner: Learner) -> None:
    """POST /reset_password with an unknown email returns 403"""
    registered(learner).post("/reset_password", form={
        "email": "unknown@email.com"}).expect_status(403)


def test_each_request_gets_a_new_token(learner: Learner) -> None:
    """two requests for one email get two different tokens"""
    client = registered(learner)
    first = token_of(client.post("/reset_password", form={"email": EMAIL}))
    second = token_of(client.post("/reset_password", form={"email": EMAIL}))
    if first == second:
        raise Failure("POST /reset_password twice with form email={}: both "
                      "returned reset_token {}; each request generates a new "
                      "token".format(EMAIL, first))


def test_view_function_is_named_get_reset_password_token(
        learner: Learner) -> None:
    """the view of POST /reset_password is `get_reset_password_token`"""
    learner.expect_view("POST", "/reset_password", "get_reset_password_token")
