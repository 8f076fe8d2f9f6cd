"""Task 13 "Destroy session": Auth.destroy_session ends a user's session."""
from typing import Any

import pytest

from checks.harness.failures import expect_equal
from checks.harness.learner import Learner
from checks.harness.learner import stored_user

pytestmark = pytest.mark.task("13")


def logged_in(learner: Learner, *emails: str) -> Any:
    """Return a fresh Auth where each email is registered and logged in."""
    auth = learner.auth()
    for email in emails:
        auth.register_user(email, "pwd")
        auth.create_session(email)
    return auth


def test_session_id_is_set_to_null(learner: Learner) -> None:
    """destroy_session sets the user's session_id to NULL"""
    logged_in(learner, "a@b.c").destroy_session(1)
    expect_equal(stored_user("a@b.c")["session_id"], None,
                 "users.session_id after destroy_session(1)")


def test_only_that_user_is_logged_out(learner: Learner) -> None:
    """destroy_session ends that user's session and no other"""
    auth = logged_in(learner, "a@b.c", "d@e.f")
    kept = stored_user("a@b.c")["session_id"]
    auth.destroy_session(2)
    expect_equal((stored_user("a@b.c")["session_id"],
                  stored_user("d@e.f")["session_id"]), (kept, None),
                 "the session_ids of users 1 and 2 after destroy_session(2)")


def test_returns_none(learner: Learner) -> None:
    """destroy_session returns None"""
    expect_equal(logged_in(learner, "a@b.c").destroy_session(1), None,
                 "destroy_session(1)")
