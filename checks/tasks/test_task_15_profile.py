"""Task 15 "User profile": GET /profile names the session cookie's user."""
from typing import Dict
from typing import Tuple

import pytest

from checks.harness.failures import Mismatch
from checks.harness.failures import shorten
from checks.harness.learner import Client
from checks.harness.learner import Learner

pytestmark = pytest.mark.task("15")

EMAIL = "bob@bob.com"
PASSWORD = "mySuperPwd"
NULL_TRAP_HELP = ("users without a session have session_id NULL: look a "
                  "user up only when the cookie holds a session id")


def logged_in(learner: Learner) -> Tuple[Client, str]:
    """Register and log in bob@bob.com; return the client and session id."""
    client = learner.client()
    client.register(EMAIL, PASSWORD)
    return client, client.log_in(EMAIL, PASSWORD)


def test_profile_of_the_logged_in_user(learner: Learner) -> None:
    """GET /profile with a valid session returns 200 and the user's email"""
    client, session_id = logged_in(learner)
    client.get("/profile", cookies={"session_id": session_id}) \
        .expect_status(200).expect_json({"email": EMAIL})


@pytest.mark.parametrize("cookies", [
    pytest.param({}, id="no-cookie"),
    pytest.param({"session_id": "nope"}, id="unknown-cookie"),
    pytest.param({"session_id": ""}, id="empty-cookie"),
])
def test_profile_without_a_session_is_forbidden(
        learner: Learner, cookies: Dict[str, str]) -> None:
    """GET /profile without a valid session cookie returns 403"""
    client, _ = logged_in(learner)
    client.get("/profile", cookies=cookies).expect_status(403)


def test_no_cookie_matches_no_user_without_session(learner: Learner
                                                   ) -> None:
    """GET /profile without a cookie returns 403 while a user has no session
    """
    client, _ = logged_in(learner)
    client.register("amy@me.com", "amyPwd")
    reply = client.get("/profile")
    if reply.status != 403:
        raise Mismatch(reply.request, "status 403", "{} with body {}".format(
            reply.status, shorten(reply.text.strip(), 200)),
            NULL_TRAP_HELP if reply.status == 200 else None)


def test_each_session_gives_its_own_email(learner: Learner) -> None:
    """GET /profile answers the email of the cookie's own user"""
    client, bob_session = logged_in(learner)
    client.register("amy@me.com", "amyPwd")
    amy_session = client.log_in("amy@me.com", "amyPwd")
    for email, session_id in ((EMAIL, bob_session),
                              ("amy@me.com", amy_session)):
        client.get("/profile", cookies={"session_id": session_id}) \
            .expect_status(200).expect_json({"email": email})


def test_view_function_is_named_profile(learner: Learner) -> None:
    """the view of GET /profile is the function `profile`"""
    learner.expect_view("GET", "/profile", "profile")
