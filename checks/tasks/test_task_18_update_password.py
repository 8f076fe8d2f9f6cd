"""Task 18 "Update password": Auth.update_password uses a reset token."""
from typing import NamedTuple

import pytest

from checks.harness.database import stored_user
from checks.harness.failures import Failure
from checks.harness.failures import expect_equal
from checks.harness.hashes import is_bcrypt_of
from checks.harness.remote import Handle
from checks.harness.remote import Learner
from checks.harness.remote import expect_raises

pytestmark = pytest.mark.task("18")

EMAIL = "bob@bob.com"
OLD, NEW = "OldPwd", "NewPwd"


class WithToken(NamedTuple):
    """A fresh Auth with Bob registered, and his reset token."""

    auth: Handle
    token: str


@pytest.fixture
def with_token(auth: Handle) -> WithToken:
    """Bob registered with OLD, and a reset token of his."""
    auth.register_user(EMAIL, OLD)
    return WithToken(auth, auth.get_reset_password_token(EMAIL))


def test_new_password_replaces_the_old(with_token: WithToken) -> None:
    """after update_password the new password logs in, the old does not"""
    auth = with_token.auth
    auth.update_password(with_token.token, NEW)
    expect_equal((auth.valid_login(EMAIL, NEW), auth.valid_login(EMAIL, OLD)),
                 (True, False), "valid_login with the new, then old password")


def test_new_password_is_stored_hashed(learner: Learner,
                                       with_token: WithToken) -> None:
    """the new password is stored as a bcrypt hash"""
    with_token.auth.update_password(with_token.token, NEW)
    stored = stored_user(learner, EMAIL)["hashed_password"]
    if not is_bcrypt_of(stored, NEW):
        raise Failure("users.hashed_password is {!r}: not a bcrypt hash of "
                      "the new password".format(stored))


def test_reset_token_is_cleared(learner: Learner,
                                with_token: WithToken) -> None:
    """update_password sets reset_token back to NULL"""
    with_token.auth.update_password(with_token.token, NEW)
    expect_equal(stored_user(learner, EMAIL)["reset_token"], None,
                 "users.reset_token after update_password")


def test_returns_none(with_token: WithToken) -> None:
    """update_password returns None"""
    expect_equal(with_token.auth.update_password(with_token.token, NEW), None,
                 "update_password(token, 'NewPwd')")


def test_unknown_token_raises_value_error(with_token: WithToken) -> None:
    """update_password raises ValueError for an unknown token"""
    auth = with_token.auth
    expect_raises("update_password('nope', ...)",
                  lambda: auth.update_password("nope", NEW), "ValueError")
    expect_equal(auth.valid_login(EMAIL, OLD), True,
                 "valid_login with the old password after a refused update")
