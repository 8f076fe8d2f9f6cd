"""Task 16 "Generate reset password token": get_reset_password_token."""
from typing import Any

import uuid

import pytest

from checks.harness.failures import Failure
from checks.harness.failures import expect_equal
from checks.harness.learner import Learner
from checks.harness.learner import stored_user

pytestmark = pytest.mark.task("16")

EMAIL = "bob@bob.com"


def registered(learner: Learner) -> Any:
    """Return a fresh Auth with Bob registered."""
    auth = learner.auth()
    auth.register_user(EMAIL, "pwd")
    return auth


def test_token_is_stored(learner: Learner) -> None:
    """the token returned is stored as the user's reset_token"""
    token = registered(learner).get_reset_password_token(EMAIL)
    expect_equal(stored_user(EMAIL)["reset_token"], token,
                 "users.reset_token after get_reset_password_token")


def test_token_is_a_uuid_string(learner: Learner) -> None:
    """the token is the text of a UUID"""
    token = registered(learner).get_reset_password_token(EMAIL)
    try:
        uuid.UUID(str(token))
    except ValueError:
        raise Failure("get_reset_password_token gave {!r}: not a UUID"
                      .format(token))
    expect_equal(type(token).__name__, "str", "type of the token")


def test_unknown_email_raises_value_error(learner: Learner) -> None:
    """get_reset_password_token raises ValueError for an unknown email"""
    auth = registered(learner)
    try:
        auth.get_reset_password_token("nobody@bob.com")
    except ValueError:
        return
    except Exception as error:
        raise Failure("get_reset_password_token('nobody@bob.com') raised {},"
                      " expected ValueError".format(type(error).__name__))
    raise Failure("get_reset_password_token('nobody@bob.com') did not "
                  "raise ValueError")


def test_each_request_gets_a_new_token(learner: Learner) -> None:
    """a second request gives a new token, and that one is stored"""
    auth = registered(learner)
    first = auth.get_reset_password_token(EMAIL)
    second = auth.get_reset_password_token(EMAIL)
    expect_equal((first != second, stored_user(EMAIL)["reset_token"]),
                 (True, second), "(a new token?, the stored token) after "
                 "two requests")


def test_uses_generate_uuid(learner: Learner) -> None:
    """the token comes from auth._generate_uuid"""
    auth = registered(learner)
    setattr(learner.module("auth"), "_generate_uuid", lambda: "fixed-token")
    expect_equal(auth.get_reset_password_token(EMAIL), "fixed-token",
                 "get_reset_password_token with _generate_uuid returning "
                 "'fixed-token'")
