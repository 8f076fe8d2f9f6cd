"""Task 15 "User profile": GET /profile names the session cookie's user."""
from typing import Dict

import pytest

from checks.harness.catalogue import Route
from checks.harness.failures import Mismatch
from checks.harness.failures import shorten
from checks.harness.fixtures import AMY
from checks.harness.fixtures import BOB
from checks.harness.fixtures import LoggedIn
from checks.harness.markers import expect_view
from checks.harness.solution import Solution

pytestmark = pytest.mark.task("15")

NULL_TRAP_HELP = ("users without a session have session_id NULL: look a "
                  "user up only when the cookie holds a session id")


def test_profile_of_the_logged_in_user(logged_in: LoggedIn) -> None:
    """GET /profile with a valid session returns 200 and the user's email"""
    logged_in.client.get("/profile", cookies=logged_in.cookies) \
        .expect_status(200).expect_json({"email": BOB.email})


@pytest.mark.parametrize("cookies", [
    pytest.param({}, id="no-cookie"),
    pytest.param({"session_id": "nope"}, id="unknown-cookie"),
    pytest.param({"session_id": ""}, id="empty-cookie"),
])
def test_profile_without_a_session_is_forbidden(
        logged_in: LoggedIn, cookies: Dict[str, str]) -> None:
    """GET /profile without a valid session cookie returns 403"""
    logged_in.client.get("/profile", cookies=cookies).expect_status(403)


def test_no_cookie_matches_no_user_without_session(logged_in: LoggedIn
                                                   ) -> None:
    """GET /profile without a cookie returns 403 while a user has no session
    """
    logged_in.client.register(AMY.email, AMY.password)
    reply = logged_in.client.get("/profile")
    if reply.status != 403:
        raise Mismatch(reply.request, "status 403", "{} with body {}".format(
            reply.status, shorten(reply.text.strip(), 200)),
            NULL_TRAP_HELP if reply.status == 200 else None)


def test_each_session_gives_its_own_email(logged_in: LoggedIn) -> None:
    """GET /profile answers the email of the cookie's own user"""
    client = logged_in.client
    client.register(AMY.email, AMY.password)
    amy_session = client.log_in(AMY.email, AMY.password)
    for email, session_id in ((BOB.email, logged_in.session_id),
                              (AMY.email, amy_session)):
        client.get("/profile", cookies={"session_id": session_id}) \
            .expect_status(200).expect_json({"email": email})


@pytest.mark.static
def test_view_function_is_named_profile(solution: Solution) -> None:
    """the view of GET /profile is the function `profile`"""
    expect_view(solution.source("app.py"), Route("GET", "/profile"),
                "profile")
