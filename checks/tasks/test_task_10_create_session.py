"""Task 10 "Get session ID": Auth.create_session stores a new session id."""
from typing import Any

import pytest

from checks.harness.examples import UUID
from checks.harness.examples import expect_output
from checks.harness.examples import run_example
from checks.harness.failures import expect_equal
from checks.harness.learner import Learner
from checks.harness.learner import stored_user

pytestmark = pytest.mark.task("10")

EXAMPLE = """
from auth import Auth

email = 'bob@bob.com'
password = 'MyPwdOfBob'
auth = Auth()

auth.register_user(email, password)

print(auth.create_session(email))
print(auth.create_session("unknown@email.com"))
"""
EMAIL = "bob@bob.com"


def registered(learner: Learner) -> Any:
    """Return a fresh Auth with Bob registered."""
    auth = learner.auth()
    auth.register_user(EMAIL, "MyPwdOfBob")
    return auth


def test_example_output(learner: Learner) -> None:
    """the example main prints a UUID, then None"""
    expect_output(run_example(EXAMPLE), ["re:" + UUID, "None"])


def test_session_id_is_stored(learner: Learner) -> None:
    """create_session stores the id it returns as the user's session_id"""
    session_id = registered(learner).create_session(EMAIL)
    expect_equal(stored_user(EMAIL)["session_id"], session_id,
                 "users.session_id after create_session")


def test_unknown_email_gets_none(learner: Learner) -> None:
    """create_session returns None for an unknown email"""
    expect_equal(registered(learner).create_session("unknown@email.com"),
                 None, "create_session('unknown@email.com')")


def test_each_session_is_new(learner: Learner) -> None:
    """a second create_session returns a new id and stores it"""
    auth = registered(learner)
    first, second = auth.create_session(EMAIL), auth.create_session(EMAIL)
    expect_equal(first != second and stored_user(EMAIL)["session_id"],
                 second, "the stored session_id after two sessions")


def test_uses_generate_uuid(learner: Learner) -> None:
    """create_session takes its id from auth._generate_uuid"""
    auth_module = learner.module("auth")
    auth = registered(learner)
    setattr(auth_module, "_generate_uuid", lambda: "fixed-session-id")
    expect_equal(auth.create_session(EMAIL), "fixed-session-id",
                 "create_session with _generate_uuid returning "
                 "'fixed-session-id'")
