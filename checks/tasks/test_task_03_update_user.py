"""Task 3 "update user": DB.update_user sets columns and commits."""
import pytest

from checks.harness.database import stored_user
from checks.harness.examples import expect_output
from checks.harness.examples import run_example
from checks.harness.failures import expect_equal
from checks.harness.remote import Handle
from checks.harness.remote import Learner
from checks.harness.remote import expect_raises

pytestmark = pytest.mark.task("3")

EXAMPLE = """
from db import DB
from user import User

from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.orm.exc import NoResultFound


my_db = DB()

email = 'test@test.com'
hashed_password = "hashedPwd"

user = my_db.add_user(email, hashed_password)
print(user.id)

try:
    my_db.update_user(user.id, hashed_password='NewPwd')
    print("Password updated")
except ValueError:
    print("Error")
"""
EMAIL = "test@test.com"


@pytest.fixture
def with_user(db: Handle) -> Handle:
    """A fresh DB with one user, id 1."""
    db.add_user(EMAIL, "hashedPwd")
    return db


@pytest.mark.bare
def test_example_output(learner: Learner) -> None:
    """the example main prints 1 and Password updated"""
    expect_output(run_example(learner, EXAMPLE), ["1", "Password updated"])


def test_update_is_committed(learner: Learner, with_user: Handle) -> None:
    """update_user commits the new value to a.db"""
    with_user.update_user(1, hashed_password="NewPwd")
    expect_equal(stored_user(learner, EMAIL)["hashed_password"], "NewPwd",
                 "hashed_password in a.db after update_user")


def test_updates_several_columns_at_once(learner: Learner,
                                         with_user: Handle) -> None:
    """update_user sets every keyword given"""
    with_user.update_user(1, session_id="abc", reset_token="xyz")
    row = stored_user(learner, EMAIL)
    expect_equal((row["session_id"], row["reset_token"]), ("abc", "xyz"),
                 "(session_id, reset_token) after update_user")


def test_updates_only_that_user(learner: Learner, with_user: Handle) -> None:
    """update_user changes the user with that id and no other"""
    with_user.add_user("other@test.com", "otherPwd")
    with_user.update_user(2, hashed_password="NewPwd")
    expect_equal((stored_user(learner, EMAIL)["hashed_password"],
                  stored_user(learner, "other@test.com")["hashed_password"]),
                 ("hashedPwd", "NewPwd"),
                 "hashed_password of users 1 and 2 after update_user(2, ...)")


def test_can_set_a_column_to_none(learner: Learner,
                                  with_user: Handle) -> None:
    """update_user(user_id, session_id=None) empties the column"""
    with_user.update_user(1, session_id="abc")
    with_user.update_user(1, session_id=None)
    expect_equal(stored_user(learner, EMAIL)["session_id"], None,
                 "session_id after update_user(1, session_id=None)")


def test_unknown_column_raises_value_error(with_user: Handle) -> None:
    """update_user raises ValueError for a keyword that is not a column"""
    expect_raises("update_user(1, no_column='x')",
                  lambda: with_user.update_user(1, no_column="x"),
                  "ValueError", help="setattr accepts any name: check the "
                  "name against User's columns first")


def test_returns_none(with_user: Handle) -> None:
    """update_user returns None"""
    expect_equal(with_user.update_user(1, session_id="a"), None,
                 "update_user(1, session_id='a')")
