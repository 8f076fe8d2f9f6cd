"""Task 12 "Find user by session ID": get_user_from_session_id."""
from typing import Any

import pytest

from checks.harness.failures import expect_equal
from checks.harness.remote import Handle
from checks.harness.remote import expect_type

pytestmark = pytest.mark.task("12")

EMAIL = "bob@bob.com"


def email_of_user(auth: Handle, session_id: Any) -> str:
    """Return the email of the User a session id finds; fail on a non-User.
    """
    action = "get_user_from_session_id({!r})".format(session_id)
    user = auth.get_user_from_session_id(session_id)
    expect_type(user, "user.User", action)
    return str(user.email)


def test_finds_the_user_of_a_session(auth: Handle) -> None:
    """get_user_from_session_id returns the session's User"""
    auth.register_user(EMAIL, "pwd")
    session_id = auth.create_session(EMAIL)
    expect_equal(email_of_user(auth, session_id), EMAIL,
                 "get_user_from_session_id(<Bob's session>).email")


def test_tells_users_apart(auth: Handle) -> None:
    """each session id finds its own user"""
    for email in ("a@b.c", "d@e.f"):
        auth.register_user(email, "pwd")
    sessions = [auth.create_session(email) for email in ("a@b.c", "d@e.f")]
    expect_equal([email_of_user(auth, session) for session in sessions],
                 ["a@b.c", "d@e.f"], "the users of two sessions")


def test_unknown_session_gets_none(auth: Handle) -> None:
    """get_user_from_session_id returns None for an unknown id"""
    auth.register_user(EMAIL, "pwd")
    auth.create_session(EMAIL)
    expect_equal(auth.get_user_from_session_id("nope"), None,
                 "get_user_from_session_id('nope')")


def test_none_matches_no_logged_out_user(auth: Handle) -> None:
    """get_user_from_session_id(None) is None even with logged-out users"""
    auth.register_user(EMAIL, "pwd")
    expect_equal(auth.get_user_from_session_id(None), None,
                 "get_user_from_session_id(None) while Bob has no session",
                 help="find_user_by(session_id=None) matches every user "
                      "whose session_id IS NULL: return None first")
