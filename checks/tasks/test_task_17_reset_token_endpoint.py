"""Task 17 "Get reset password token": POST /reset_password issues a token.
"""
import pytest

from checks.harness.catalogue import Route
from checks.harness.database import stored_user
from checks.harness.failures import Failure
from checks.harness.failures import Mismatch
from checks.harness.failures import expect_equal
from checks.harness.failures import shorten
from checks.harness.fixtures import AMY
from checks.harness.fixtures import BOB
from checks.harness.markers import expect_view
from checks.harness.remote import Learner
from checks.harness.solution import Solution
from checks.harness.web import Client
from checks.harness.web import Reply

pytestmark = pytest.mark.task("17")

ANY_TOKEN = "<a non-empty string>"


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


def test_registered_email_gets_a_token(registered: Client) -> None:
    """POST /reset_password with a registered email returns 200 and a token"""
    reply = registered.post("/reset_password", form={"email": BOB.email})
    body = reply.expect_status(200).json
    token = body.get("reset_token") if isinstance(body, dict) else None
    reply.expect_json({"email": BOB.email, "reset_token": token if isinstance(
        token, str) and token else ANY_TOKEN})


def test_token_is_stored_for_that_user(learner: Learner,
                                       registered: Client) -> None:
    """the token returned is the one stored as that user's reset_token"""
    registered.register(AMY.email, AMY.password)
    reply = registered.post("/reset_password", form={"email": AMY.email})
    token = token_of(reply)
    expect_equal(stored_user(learner, AMY.email).get("reset_token"), token,
                 "after {}, the reset_token stored for {} in a.db".format(
                     reply.request, AMY.email),
                 "return the token AUTH.get_reset_password_token returned")
    expect_equal(stored_user(learner, BOB.email).get("reset_token"), None,
                 "after {}, the reset_token stored for {}".format(
                     reply.request, BOB.email))


def test_unknown_email_is_forbidden(registered: Client) -> None:
    """POST /reset_password with an unknown email returns 403"""
    registered.post("/reset_password", form={
        "email": "unknown@email.com"}).expect_status(403)


def test_each_request_gets_a_new_token(registered: Client) -> None:
    """two requests for one email get two different tokens"""
    form = {"email": BOB.email}
    first = token_of(registered.post("/reset_password", form=form))
    second = token_of(registered.post("/reset_password", form=form))
    if first == second:
        raise Failure("POST /reset_password twice with form email={}: both "
                      "returned reset_token {}; each request generates a new "
                      "token".format(BOB.email, first))


@pytest.mark.static
def test_view_function_is_named_get_reset_password_token(
        solution: Solution) -> None:
    """the view of POST /reset_password is `get_reset_password_token`"""
    expect_view(solution.source("app.py"), Route("POST", "/reset_password"),
                "get_reset_password_token")
