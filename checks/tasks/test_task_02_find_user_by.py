"""Task 2 "Find user": DB.find_user_by(**kwargs) returns a matching user."""
from typing import Any
from typing import Dict

import pytest

from checks.harness.examples import expect_output
from checks.harness.examples import run_example
from checks.harness.failures import Failure
from checks.harness.failures import expect_equal
from checks.harness.remote import Handle
from checks.harness.remote import Learner
from checks.harness.remote import expect_type
from checks.harness.remote import raised_by

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
# NoResultFound lives in sqlalchemy.orm.exc on 1.3, and is the same class
# as sqlalchemy.exc.NoResultFound from 1.4 on.
NO_RESULT = ("sqlalchemy.orm.exc.NoResultFound",
             "sqlalchemy.exc.NoResultFound")
INVALID = "sqlalchemy.exc.InvalidRequestError"


@pytest.fixture
def two_users(db: Handle) -> Handle:
    """A fresh DB holding a@test.com (id 1) and b@test.com (id 2)."""
    db.add_user("a@test.com", "PwdA")
    db.add_user("b@test.com", "PwdB")
    return db


@pytest.mark.bare
def test_example_output(learner: Learner) -> None:
    """the example main prints 1, 1, Not found, Invalid"""
    expect_output(run_example(learner, EXAMPLE),
                  ["1", "1", "Not found", "Invalid"])


@pytest.mark.parametrize("criteria, email", [
    ({"email": "b@test.com"}, "b@test.com"),
    ({"id": 2}, "b@test.com"),
    ({"email": "b@test.com", "hashed_password": "PwdB"}, "b@test.com"),
], ids=["by-email", "by-id", "by-two-fields"])
def test_finds_the_matching_user(two_users: Handle,
                                 criteria: Dict[str, Any],
                                 email: str) -> None:
    """find_user_by returns the User matching the keyword arguments"""
    action = "find_user_by({})".format(criteria)
    user = two_users.find_user_by(**criteria)
    expect_type(user, "user.User", action)
    expect_equal(user.email, email, action + ".email")


@pytest.mark.parametrize("criteria", [
    {"email": "nobody@test.com"},
    {"email": "a@test.com", "hashed_password": "OtherPwd"},
], ids=["unknown-email", "one-field-differs"])
def test_no_match_raises_no_result_found(two_users: Handle,
                                         criteria: Dict[str, Any]) -> None:
    """find_user_by raises NoResultFound (sqlalchemy.orm.exc) on no match"""
    action = "find_user_by({})".format(criteria)
    error = raised_by(action, lambda: two_users.find_user_by(**criteria))
    if not any(error.is_a(name) for name in NO_RESULT):
        raise Failure("{} raised {}: {}, expected NoResultFound".format(
            action, error.type_name, error.message),
            help="raise sqlalchemy.orm.exc.NoResultFound, the class the "
                 "page's example catches")


def test_unknown_column_raises_invalid_request(two_users: Handle) -> None:
    """find_user_by raises InvalidRequestError for an unknown column"""
    action = "find_user_by(no_email='a@test.com')"
    error = raised_by(action,
                      lambda: two_users.find_user_by(no_email="a@test.com"))
    if not error.is_a(INVALID) or any(error.is_a(name) for name in NO_RESULT):
        raise Failure("{} raised {}: {}, expected InvalidRequestError (and "
                      "not NoResultFound)".format(action, error.type_name,
                                                  error.message))
