"""Task 11 "Log in": POST /sessions logs a user in with a session cookie."""
import uuid
from typing import Dict

import pytest

from checks.harness.failures import Failure
from checks.harness.failures import Mismatch
from checks.harness.failures import expect_equal
from checks.harness.learner import Client
from checks.harness.learner import Learner
from checks.harness.learner import stored_user

pytestmark = pytest.mark.task("11")

EMAIL = "bob@bob.com"
PASSWORD = "mySuperPwd"
FORM = {"email": EMAIL, "password": PASSWORD}
BAD_CREDENTIALS = [
    pytest.param({"email": EMAIL, "password": "BlaBla"},
                 id="wrong-password"),
    pytest.param({"email": "unknown@email.com", "password": PASSWORD},
                 id="unknown-email"),
]


def registered(learner: Learner) -> Client:
    """Return a client of the learner's app with bob@bob.com registered."""
    client = learner.client()
    client.register(EMAIL, PASSWORD)
    return client


def test_right_password_logs_in(learner: Learner) -> None:
    """POST /sessions with the right password returns 200 and "logged in\""""
    registered(learner).post("/sessions", form=FORM).expect_status(200) \
        .expect_json({"email": EMAIL, "message": "logged in"})


def test_login_sets_the_session_cookie(learner: Learner) -> None:
    """a successful login sets a non-empty cookie named session_id"""
    reply = registered(learner).post("/sessions", form=FORM)
    reply.expect_status(200)
    cookie = reply.cookie("session_id")
    if cookie is None or not cookie["value"]:
        names = [each["name"] for each in reply.cookies]
        raise Mismatch(reply.request, "a Set-Cookie session_id=<session id>",
                       "cookies {}".format(names) if names else
                       "no Set-Cookie header",
                       "response.set_cookie(\"session_id\", session_id)")


def test_session_cookie_is_the_stored_uuid(learner: Learner) -> None:
    """the session_id cookie holds the UUID stored as the user's session"""
    client = registered(learner)
    session_id = client.log_in(EMAIL, PASSWORD)
    try:
        uuid.UUID(session_id)
    except ValueError:
        raise Mismatch("POST /sessions with form email={}, password={}"
                       .format(EMAIL, PASSWORD), "a UUID in the cookie "
                       "session_id", repr(session_id),
                       "the cookie holds what AUTH.create_session returns"
                       ) from None
    expect_equal(stored_user(EMAIL)["session_id"], session_id,
                 "after logging in with cookie session_id={}, the "
                 "session_id stored for {} in a.db".format(session_id, EMAIL),
                 "set the cookie to the id AUTH.create_session returned")


def test_each_login_gets_a_new_session(learner: Learner) -> None:
    """two logins of one user get two different session ids"""
    client = registered(learner)
    first = client.log_in(EMAIL, PASSWORD)
    second = client.log_in(EMAIL, PASSWORD)
    if first == second:
        raise Failure("POST /sessions twice with form email={}, password={}"
                      ": both set session_id={}; each login creates a new "
                      "session (AUTH.create_session)".format(
                          EMAIL, PASSWORD, first))


@pytest.mark.parametrize("form", BAD_CREDENTIALS)
def test_bad_credentials_are_refused(learner: Learner,
                                     form: Dict[str, str]) -> None:
    """POST /sessions with a wrong password or unknown email returns 401"""
    registered(learner).post("/sessions", form=form).expect_status(401)


@pytest.mark.parametrize("form", BAD_CREDENTIALS)
def test_refused_login_sets_no_cookie(learner: Learner,
                                      form: Dict[str, str]) -> None:
    """a refused login sets no session_id cookie"""
    reply = registered(learner).post("/sessions", form=form)
    cookie = reply.cookie("session_id")
    if cookie is not None and cookie["value"]:
        raise Mismatch(reply.request, "no session_id cookie",
                       "{} with Set-Cookie session_id={}".format(
                           reply.status, cookie["value"]),
                       "abort(401) before creating a session")


def test_form_data_is_read_not_json(learner: Learner) -> None:
    """POST /sessions reads form fields, not a JSON body"""
    client = registered(learner)
    client.register("amy@me.com", "amyPwd")
    for email, password in ((EMAIL, PASSWORD), ("amy@me.com", "amyPwd")):
        client.post("/sessions", form={"email": email,
                                       "password": password}) \
            .expect_status(200).expect_json({"email": email,
                                             "message": "logged in"})


def test_view_function_is_named_login(learner: Learner) -> None:
    """the view of POST /sessions is the function `login`"""
    learner.expect_view("POST", "/sessions", "login")
