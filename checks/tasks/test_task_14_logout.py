"""Task 14 "Log out": DELETE /sessions ends the session and redirects."""
from typing import Dict
from typing import Tuple
from urllib.parse import urljoin
from urllib.parse import urlsplit

import pytest

from checks.harness.failures import Failure
from checks.harness.failures import Mismatch
from checks.harness.failures import expect_equal
from checks.harness.failures import shorten
from checks.harness.learner import Client
from checks.harness.learner import Learner
from checks.harness.learner import Reply

pytestmark = pytest.mark.task("14")

EMAIL = "bob@bob.com"
PASSWORD = "mySuperPwd"
GET_REDIRECTS = (302, 303)
RESEND_HELP = ("after a {}, clients may send DELETE / again; "
               "redirect(\"/\") gives a 302, which they follow with GET /")


def logged_in(learner: Learner) -> Tuple[Client, str]:
    """Register and log in bob@bob.com; return the client and session id."""
    client = learner.client()
    client.register(EMAIL, PASSWORD)
    return client, client.log_in(EMAIL, PASSWORD)


def log_out(client: Client, session_id: str) -> Reply:
    """Send DELETE /sessions with this session cookie."""
    return client.delete("/sessions", cookies={"session_id": session_id})


def test_logout_redirects_to_the_index(learner: Learner) -> None:
    """DELETE /sessions with a valid session redirects to /"""
    reply = log_out(*logged_in(learner))
    location = reply.headers.get("Location")
    if not 300 <= reply.status < 400 or not location:
        raise Mismatch(reply.request, "a redirect to /", "{} with body {}"
                       .format(reply.status, shorten(reply.text.strip(), 200)),
                       "return redirect(\"/\") after destroying the session")
    target = urlsplit(urljoin("http://localhost/sessions", location)).path
    expect_equal(target, "/", "{}: the path of Location {}".format(
        reply.request, location))


def test_redirect_is_followed_with_get(learner: Learner) -> None:
    """the logout redirect is a 302 or 303, which clients follow with GET"""
    reply = log_out(*logged_in(learner))
    if reply.status in (301, 307, 308):
        raise Mismatch(reply.request, "status 302 or 303", reply.status,
                       RESEND_HELP.format(reply.status))
    reply.expect_status(*GET_REDIRECTS)


def test_session_is_destroyed(learner: Learner) -> None:
    """after DELETE /sessions, its session id finds no user"""
    client, session_id = logged_in(learner)
    request = log_out(client, session_id).request
    user = learner.attribute("app", "AUTH").get_user_from_session_id(
        session_id)
    if user is not None:
        raise Failure("after {}, AUTH.get_user_from_session_id({!r}) still "
                      "returns the user {}: the session was not destroyed "
                      "(AUTH.destroy_session)".format(
                          request, session_id, getattr(user, "email", user)))


@pytest.mark.parametrize("cookies", [
    pytest.param({}, id="no-cookie"),
    pytest.param({"session_id": "nope"}, id="unknown-cookie"),
    pytest.param({"session_id": ""}, id="empty-cookie"),
])
def test_logout_without_a_session_is_forbidden(
        learner: Learner, cookies: Dict[str, str]) -> None:
    """DELETE /sessions without a valid session cookie returns 403"""
    client, _ = logged_in(learner)
    client.register("amy@me.com", "amyPwd")
    client.delete("/sessions", cookies=cookies).expect_status(403)


def test_logout_ends_only_that_session(learner: Learner) -> None:
    """logging one user out leaves another user's session valid"""
    client, bob_session = logged_in(learner)
    client.register("amy@me.com", "amyPwd")
    amy_session = client.log_in("amy@me.com", "amyPwd")
    # Bob, who logged in first, logs out: not the most recent session.
    request = log_out(client, bob_session).request
    user = learner.attribute("app", "AUTH").get_user_from_session_id(
        amy_session)
    expect_equal(getattr(user, "email", user), "amy@me.com",
                 "after {}, the user of the other session {}".format(
                     request, amy_session))


def test_view_function_is_named_logout(learner: Learner) -> None:
    """the view of DELETE /sessions is the function `logout`"""
    learner.expect_view("DELETE", "/sessions", "logout")
