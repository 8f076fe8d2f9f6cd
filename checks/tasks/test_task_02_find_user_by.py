"""Task 2 "Find user": DB.find_user_by(**kwargs) returns the first match."""
from typing import Any

import pytest

from checks.harness.examples import expect_output
from checks.harness.examples import run_example
from checks.harness.failures import Failure
from checks.harness.failures import expect_equal
from checks.harness.learner import Learner

pytestmark = pytest.mark.task("2")

EXAMPLE = """
from db import DB
from user import User

from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.orm.exc import NoResultFound


my_db = DB()

user = my_db.add_user("test@test.com", "PwdHashed")
print(user.id)

find_user = my_db.find_user_by(email="test@test.com")
print(find_user.id)

try:
    find_user = my_db.find_user_by(email="test2@test.com")
    print(find_user.id)
except NoResultFound:
    print("Not found")

try:
    find_user = my_db.find_user_by(no_email="test@test.com")
    print(find_user.id)
except InvalidRequestError:
    print("Invalid")
"""


def two_users(learner: Learner) -> Any:
    """Return a fresh DB holding two users who share a hashed password."""
    db = learner.db()
    db.add_user("a@test.com", "SamePwd")
    db.add_user("b@test.com", "SamePwd")
    return db


def raised_by(call: Any) -> BaseException:
    """Return what a call raised, failing if it returned."""
    try:
        value = call()
    except Exception as error:
        return error
    raise Failure("expected an exception, but it returned {!r}".format(
        value))


def test_example_output(learner: Learner) -> None:
    """the example main prints 1, 1, Not found, Invalid"""
    expect_output(run_example(EXAMPLE), ["1", "1", "Not found", "Invalid"])


@pytest.mark.parametrize("criteria, email", [
    ({"email": "b@test.com"}, "b@test.com"),
    ({"id": 2}, "b@test.com"),
    ({"email": "b@test.com", "hashed_password": "SamePwd"}, "b@test.com"),
], ids=["by-email", "by-id", "by-two-fields"])
def test_finds_the_matching_user(learner: Learner, criteria: Any,
                                 email: str) -> None:
    """find_user_by returns the user matching the keyword arguments"""
    user = two_users(learner).find_user_by(**criteria)
    expect_equal(getattr(user, "email", user), email,
                 "find_user_by({}).email".format(criteria))


def test_returns_the_first_of_several_matches(learner: Learner) -> None:
    """find_user_by returns the first row when several match"""
    user = two_users(learner).find_user_by(hashed_password="SamePwd")
    expect_equal(getattr(user, "id", user), 1,
                 "find_user_by(hashed_password='SamePwd').id")


@pytest.mark.parametrize("criteria", [
    {"email": "nobody@test.com"},
    {"email": "a@test.com", "hashed_password": "OtherPwd"},
], ids=["unknown-email", "one-field-differs"])
def test_no_match_raises_no_result_found(learner: Learner,
                                         criteria: Any) -> None:
    """find_user_by raises NoResultFound (sqlalchemy.orm.exc) on no match"""
    from sqlalchemy.orm.exc import NoResultFound
    db = two_users(learner)
    error = raised_by(lambda: db.find_user_by(**criteria))
    if not isinstance(error, NoResultFound):
        raise Failure("find_user_by({}) raised {}: {}, expected "
                      "NoResultFound".format(criteria, type(error).__name__,
                                             error))


def test_unknown_column_raises_invalid_request(learner: Learner) -> None:
    """find_user_by raises InvalidRequestError for an unknown column"""
    from sqlalchemy.exc import InvalidRequestError
    from sqlalchemy.orm.exc import NoResultFound
    db = two_users(learner)
    error = raised_by(lambda: db.find_user_by(no_email="a@test.com"))
    if not isinstance(error, InvalidRequestError) or isinstance(
            error, NoResultFound):
        raise Failure("find_user_by(no_email=...) raised {}: {}, expected "
                      "InvalidRequestError (and not NoResultFound)".format(
                          type(error).__name__, error))
