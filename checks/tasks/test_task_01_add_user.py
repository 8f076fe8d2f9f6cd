"""Task 1 "create user": DB.add_user stores a user and returns it."""
import pytest

from checks.harness.database import stored_user
from checks.harness.database import stored_users
from checks.harness.examples import expect_output
from checks.harness.examples import run_example
from checks.harness.failures import Failure
from checks.harness.failures import expect_equal
from checks.harness.probes import Probes
from checks.harness.remote import Handle
from checks.harness.remote import Learner
from checks.harness.remote import expect_type

pytestmark = pytest.mark.task("1")

EXAMPLE = """
from db import DB
from user import User

my_db = DB()

user_1 = my_db.add_user("test@test.com", "SuperHashedPwd")
print(user_1.id)

user_2 = my_db.add_user("test1@test.com", "SuperHashedPwd1")
print(user_2.id)
"""
EMAIL = "test@test.com"
HASHED = "SuperHashedPwd"


def test_db_module_imports(probes: Probes) -> None:
    """db.py imports without error"""
    if not probes.result("db").ok:
        raise Failure(probes.result("db").reason)


@pytest.mark.bare
def test_example_output(learner: Learner) -> None:
    """the example main prints the ids 1 and 2"""
    expect_output(run_example(learner, EXAMPLE), ["1", "2"])


def test_add_user_returns_the_user(db: Handle) -> None:
    """add_user returns a User with the email and hashed password given"""
    user = db.add_user(EMAIL, HASHED)
    expect_type(user, "user.User", "DB().add_user(...)")
    expect_equal((user.email, user.hashed_password), (EMAIL, HASHED),
                 "add_user(...) (email, hashed_password)")


def test_returned_user_has_the_stored_id(learner: Learner,
                                         db: Handle) -> None:
    """the returned User has the id its row got in a.db"""
    db.add_user("first@test.com", "Pwd")
    user = db.add_user(EMAIL, HASHED)
    expect_type(user, "user.User", "DB().add_user(...)")
    expect_equal(user.id, stored_user(learner, EMAIL)["id"],
                 "the id of the second User add_user returned")


def test_add_user_commits_the_row(learner: Learner, db: Handle) -> None:
    """add_user commits: the row is in a.db for another connection"""
    db.add_user(EMAIL, HASHED)
    rows = [(row["id"], row["email"], row["hashed_password"])
            for row in stored_users(learner)]
    expect_equal(rows, [(1, EMAIL, HASHED)],
                 "rows of users in a.db after add_user")


def test_new_users_leave_sessions_empty(learner: Learner,
                                        db: Handle) -> None:
    """a new user has no session_id and no reset_token"""
    db.add_user(EMAIL, HASHED)
    row = stored_user(learner, EMAIL)
    expect_equal((row["session_id"], row["reset_token"]), (None, None),
                 "(session_id, reset_token) of a new user")


def test_each_db_starts_with_empty_tables(learner: Learner) -> None:
    """DB() recreates the tables: a new DB starts again at id 1"""
    learner.db().add_user(EMAIL, HASHED)
    learner.db().add_user("other@test.com", "Pwd")
    rows = [(row["id"], row["email"]) for row in stored_users(learner)]
    expect_equal(rows, [(1, "other@test.com")],
                 "the rows of users after a second DB() and add_user")


def test_queries_are_not_echoed(learner: Learner) -> None:
    """DB() and add_user print nothing (no echo=True SQL log)"""
    before = len(learner.output())
    learner.db().add_user(EMAIL, HASHED)
    printed = learner.output()[before:]
    if printed:
        raise Failure("DB().add_user(...) printed {!r}".format(
            printed[:200]), help="create the engine with echo=False: the "
            "examples' outputs hold no SQL log")
