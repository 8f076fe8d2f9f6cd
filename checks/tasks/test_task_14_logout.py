"""Task 14 "Log out": DELETE /sessions ends the session and redirects."""
from typing import Dict
from urllib.parse import urljoin
from urllib.parse import urlsplit

import pytest

from checks.harness.catalogue import Route
from checks.harness.database import stored_user
from checks.harness.failures import Failure
from checks.harness.failures import Mismatch
from checks.harness.failures import expect_equal
from checks.harness.failures import shorten
from checks.harness.fixtures import AMY
from checks.harness.fixtures import BOB
from checks.harness.fixtures import LoggedIn
from checks.harness.markers import expect_view
from checks.harness.remote import Learner
from checks.harness.solution import Solution
from checks.harness.web import Reply

pytestmark = pytest.mark.task("14")

GET_REDIRECTS = (302, 303)
# Where the checker's requests go: the app's own origin, which a redirect
# may name in full (Flask 1.x, url_for(..., _external=True)).
ORIGIN = "http://localhost"
RESEND_HELP = ("after a {}, clients may send DELETE / again; "
               "redirect(\"/\") gives a 302, which they follow with GET /")


def log_out(session: LoggedIn) -> Reply:
    """Send DELETE /sessions with Bob's session cookie."""
    return session.client.delete("/sessions", cookies=session.cookies)


def test_logout_redirects_to_the_index(logged_in: LoggedIn) -> None:
    """DELETE /sessions with a valid session redirects to /"""
    reply = log_out(logged_in)
    location = reply.header("Location")
    if not 300 <= reply.status < 400 or not location:
        raise Mismatch(reply.request, "a redirect to /", "{} with body {}"
                       .format(reply.status, shorten(reply.text.strip(), 200)),
                       "return redirect(\"/\") after destroying the session")
    target = urlsplit(urljoin(ORIGIN + "/sessions", location))
    if "{}://{}".format(target.scheme, target.netloc) != ORIGIN:
        raise Mismatch(reply.request, "a redirect to / on the same server",
                       "Location {}, another server".format(location),
                       "redirect to \"/\" (relative), not to another site")
    expect_equal(target.path, "/", "{}: the path of Location {}".format(
        reply.request, location))


def test_redirect_is_followed_with_get(logged_in: LoggedIn) -> None:
    """the logout redirect is a 302 or 303, which clients follow with GET"""
    reply = log_out(logged_in)
    if reply.status in (301, 307, 308):
        raise Mismatch(reply.request, "status 302 or 303", reply.status,
                       RESEND_HELP.format(reply.status))
    reply.expect_status(*GET_REDIRECTS)


def test_session_is_destroyed(learner: Learner, logged_in: LoggedIn) -> None:
    """after DELETE /sessions, the user's stored session_id is NULL"""
    request = log_out(logged_in).request
    stored = stored_user(learner, BOB.email)["session_id"]
    if stored == logged_in.session_id:
        raise Failure("after {}, a.db still holds session_id {} for {}: the "
                      "session was not destroyed (AUTH.destroy_session)"
                      .format(request, stored, BOB.email))
    if stored is not None:
        raise Failure("after {}, a.db holds a new session_id {} for {}: the "
                      "session was replaced, not ended; destroy_session "
                      "sets it to None".format(request, stored, BOB.email))


@pytest.mark.parametrize("cookies", [
    pytest.param({}, id="no-cookie"),
    pytest.param({"session_id": "nope"}, id="unknown-cookie"),
    pytest.param({"session_id": ""}, id="empty-cookie"),
])
def test_logout_without_a_session_is_forbidden(
        logged_in: LoggedIn, cookies: Dict[str, str]) -> None:
    """DELETE /sessions without a valid session cookie returns 403"""
    logged_in.client.register(AMY.email, AMY.password)
    logged_in.client.delete("/sessions", cookies=cookies).expect_status(403)


def test_logout_ends_only_that_session(learner: Learner,
                                       logged_in: LoggedIn) -> None:
    """logging one user out leaves another user's session valid"""
    client = logged_in.client
    client.register(AMY.email, AMY.password)
    amy_session = client.log_in(AMY.email, AMY.password)
    # Bob, who logged in first, logs out: not the most recent session.
    request = log_out(logged_in).request
    expect_equal(stored_user(learner, AMY.email)["session_id"], amy_session,
                 "after {}, the session_id stored for {}".format(
                     request, AMY.email))


@pytest.mark.static
def test_view_function_is_named_logout(solution: Solution) -> None:
    """the view of DELETE /sessions is the function `logout`"""
    expect_view(solution.source("app.py"), Route("DELETE", "/sessions"),
                "logout")
