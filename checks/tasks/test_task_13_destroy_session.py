"""Task 13 "Destroy session": Auth.destroy_session ends a user's session."""
import pytest

from checks.harness.database import stored_user
from checks.harness.failures import expect_equal
from checks.harness.remote import Handle
from checks.harness.remote import Learner

pytestmark = pytest.mark.task("13")


@pytest.fixture
def two_sessions(auth: Handle) -> Handle:
    """A fresh Auth where a@b.c (id 1) and d@e.f (id 2) are logged in."""
    for email in ("a@b.c", "d@e.f"):
        auth.register_user(email, "pwd")
        auth.create_session(email)
    return auth


def test_session_id_is_set_to_null(learner: Learner,
                                   two_sessions: Handle) -> None:
    """destroy_session sets the user's session_id to NULL"""
    two_sessions.destroy_session(1)
    expect_equal(stored_user(learner, "a@b.c")["session_id"], None,
                 "users.session_id after destroy_session(1)")


def test_only_that_user_is_logged_out(learner: Learner,
                                      two_sessions: Handle) -> None:
    """destroy_session ends that user's session and no other"""
    kept = stored_user(learner, "a@b.c")["session_id"]
    two_sessions.destroy_session(2)
    expect_equal((stored_user(learner, "a@b.c")["session_id"],
                  stored_user(learner, "d@e.f")["session_id"]), (kept, None),
                 "the session_ids of users 1 and 2 after destroy_session(2)")


def test_returns_none(two_sessions: Handle) -> None:
    """destroy_session returns None"""
    expect_equal(two_sessions.destroy_session(1), None, "destroy_session(1)")
