"""Task 11 "Log in": POST /sessions logs a user in with a session cookie."""
import uuid
from typing import Dict

import pytest

from checks.harness.catalogue import Route
from checks.harness.database import stored_user
from checks.harness.failures import Failure
from checks.harness.failures import Mismatch
from checks.harness.failures import expect_equal
from checks.harness.fixtures import AMY
from checks.harness.fixtures import BOB
from checks.harness.markers import expect_view
from checks.harness.remote import Learner
from checks.harness.solution import Solution
from checks.harness.web import Client

pytestmark = pytest.mark.task("11")

BAD_CREDENTIALS = [
    pytest.param({"email": BOB.email, "password": "BlaBla"},
                 id="wrong-password"),
    pytest.param({"email": "unknown@email.com", "password": BOB.password},
                 id="unknown-email"),
]


def test_right_password_logs_in(registered: Client) -> None:
    """POST /sessions with the right password returns 200 and "logged in\""""
    registered.post("/sessions", form=BOB.form).expect_status(200) \
        .expect_json({"email": BOB.email, "message": "logged in"})


def test_login_sets_the_session_cookie(registered: Client) -> None:
    """a successful login sets a non-empty cookie named session_id"""
    reply = registered.post("/sessions", form=BOB.form).expect_status(200)
    cookie = reply.cookie("session_id")
    if cookie is None or not cookie["value"]:
        names = [each["name"] for each in reply.cookies]
        raise Mismatch(reply.request, "a Set-Cookie session_id=<session id>",
                       "cookies {}".format(names) if names else
                       "no Set-Cookie header",
                       "response.set_cookie(\"session_id\", session_id)")


def test_session_cookie_is_the_stored_uuid(learner: Learner,
                                           registered: Client) -> None:
    """the session_id cookie holds the UUID stored as the user's session"""
    session_id = registered.log_in(BOB.email, BOB.password)
    try:
        uuid.UUID(session_id)
    except ValueError:
        raise Mismatch("POST /sessions with form email={}, password={}"
                       .format(BOB.email, BOB.password), "a UUID in the "
                       "cookie session_id", repr(session_id),
                       "the cookie holds what AUTH.create_session returns"
                       ) from None
    expect_equal(stored_user(learner, BOB.email)["session_id"], session_id,
                 "after logging in with cookie session_id={}, the "
                 "session_id stored for {} in a.db".format(session_id,
                                                           BOB.email),
                 "set the cookie to the id AUTH.create_session returned")


def test_each_login_gets_a_new_session(registered: Client) -> None:
    """two logins of one user get two different session ids"""
    first = registered.log_in(BOB.email, BOB.password)
    second = registered.log_in(BOB.email, BOB.password)
    if first == second:
        raise Failure("POST /sessions twice with form email={}, password={}"
                      ": both set session_id={}; each login creates a new "
                      "session (AUTH.create_session)".format(
                          BOB.email, BOB.password, first))


@pytest.mark.parametrize("form", BAD_CREDENTIALS)
def test_bad_credentials_are_refused(registered: Client,
                                     form: Dict[str, str]) -> None:
    """POST /sessions with a wrong password or unknown email returns 401"""
    registered.post("/sessions", form=form).expect_status(401)


@pytest.mark.parametrize("form", BAD_CREDENTIALS)
def test_refused_login_sets_no_cookie(registered: Client,
                                      form: Dict[str, str]) -> None:
    """a refused login sets no session_id cookie"""
    reply = registered.post("/sessions", form=form)
    cookie = reply.cookie("session_id")
    if cookie is not None and cookie["value"]:
        raise Mismatch(reply.request, "no session_id cookie",
                       "{} with Set-Cookie session_id={}".format(
                           reply.status, cookie["value"]),
                       "abort(401) before creating a session")


def test_form_data_is_read_not_json(registered: Client) -> None:
    """POST /sessions reads form fields, not a JSON body"""
    registered.register(AMY.email, AMY.password)
    for person in (BOB, AMY):
        registered.post("/sessions", form=person.form).expect_status(200) \
            .expect_json({"email": person.email, "message": "logged in"})


@pytest.mark.static
def test_view_function_is_named_login(solution: Solution) -> None:
    """the view of POST /sessions is the function `login`"""
    expect_view(solution.source("app.py"), Route("POST", "/sessions"),
                "login")
