"""Task 18 "Update password": Auth.update_password uses a reset token."""
from typing import Any
from typing import Tuple

import bcrypt
import pytest

from checks.harness.failures import Failure
from checks.harness.failures import expect_equal
from checks.harness.learner import Learner
from checks.harness.learner import stored_user

pytestmark = pytest.mark.task("18")

EMAIL = "bob@bob.com"
OLD, NEW = "OldPwd", "NewPwd"


def with_token(learner: Learner) -> Tuple[Any, str]:
    """Return a fresh Auth with Bob registered, and his reset token."""
    auth = learner.auth()
    auth.register_user(EMAIL, OLD)
    return auth, auth.get_reset_password_token(EMAIL)


def expect_value_error(call: Any, action: str) -> None:
    """Fail unless the call raises ValueError."""
    try:
        call()
    except ValueError:
        return
    except Exception as error:
        raise Failure("{} raised {}, expected ValueError".format(
            action, type(error).__name__))
    raise Failure("{} did not raise ValueError".format(action))


def test_new_password_replaces_the_old(learner: Learner) -> None:
    """after update_password the new password logs in, the old does not"""
    auth, token = with_token(learner)
    auth.update_password(token, NEW)
    expect_equal((auth.valid_login(EMAIL, NEW), auth.valid_login(EMAIL, OLD)),
                 (True, False), "valid_login with the new, then old password")


def test_new_password_is_stored_hashed(learner: Learner) -> None:
    """the new password is stored as a bcrypt hash"""
    auth, token = with_token(learner)
    auth.update_password(token, NEW)
    stored = stored_user(EMAIL)["hashed_password"]
    stored = stored if isinstance(stored, bytes) else str(stored).encode()
    if not stored.startswith(b"$2b$") or \
            not bcrypt.checkpw(NEW.encode(), stored):
        raise Failure("users.hashed_password is {!r}: not a bcrypt hash of "
                      "the new password".format(stored))


def test_reset_token_is_cleared(learner: Learner) -> None:
    """update_password sets reset_token back to NULL"""
    auth, token = with_token(learner)
    auth.update_password(token, NEW)
    expect_equal(stored_user(EMAIL)["reset_token"], None,
                 "users.reset_token after update_password")


def test_returns_none(learner: Learner) -> None:
    """update_password returns None"""
    auth, token = with_token(learner)
    expect_equal(auth.update_password(token, NEW), None,
                 "update_password(token, 'NewPwd')")


def test_unknown_token_raises_value_error(learner: Learner) -> None:
    """update_password raises ValueError for an unknown token"""
    auth, _ = with_token(learner)
    expect_value_error(lambda: auth.update_password("nope", NEW),
                       "update_password('nope', ...)")
    expect_equal(auth.valid_login(EMAIL, OLD), True,
                 "valid_login with the old password after a refused update")


def test_none_token_updates_nobody(learner: Learner) -> None:
    """update_password(None, ...) raises and changes no password"""
    auth = learner.auth()
    auth.register_user(EMAIL, OLD)
    expect_value_error(lambda: auth.update_password(None, NEW),
                       "update_password(None, ...) while Bob has no token")
    expect_equal(auth.valid_login(EMAIL, OLD), True,
                 "valid_login with the old password",
                 help="find_user_by(reset_token=None) matches every user "
                      "whose reset_token IS NULL")
