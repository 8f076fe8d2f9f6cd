"""Task 1 "create user": DB.add_user stores a user and returns it."""
import pytest

from checks.harness.examples import expect_output
from checks.harness.examples import run_example
from checks.harness.failures import Failure
from checks.harness.failures import expect_equal
from checks.harness.learner import Learner
from checks.harness.learner import stored_user
from checks.harness.learner import stored_users
from checks.harness.solution import Solution

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


@pytest.mark.static
def test_db_module_imports(solution: Solution) -> None:
    """db.py imports without error"""
    solution.expect_imports("db")


def test_example_output(learner: Learner) -> None:
    """the example main prints the ids 1 and 2"""
    expect_output(run_example(EXAMPLE), ["1", "2"])


def test_add_user_returns_the_user(learner: Learner) -> None:
    """add_user returns a User with the email and hashed password given"""
    user = learner.db().add_user("test@test.com", "SuperHashedPwd")
    expect_equal(type(user).__name__, "User", "type of add_user(...)")
    expect_equal((user.email, user.hashed_password),
                 ("test@test.com", "SuperHashedPwd"),
                 "add_user(...) (email, hashed_password)")


def test_add_user_commits_the_row(learner: Learner) -> None:
    """add_user commits: the row is in a.db for another connection"""
    learner.db().add_user("test@test.com", "SuperHashedPwd")
    rows = [(row["id"], row["email"], row["hashed_password"])
            for row in stored_users()]
    expect_equal(rows, [(1, "test@test.com", "SuperHashedPwd")],
                 "rows of users in a.db after add_user")


def test_new_users_leave_sessions_empty(learner: Learner) -> None:
    """a new user has no session_id and no reset_token"""
    learner.db().add_user("test@test.com", "SuperHashedPwd")
    row = stored_user("test@test.com")
    expect_equal((row["session_id"], row["reset_token"]), (None, None),
                 "(session_id, reset_token) of a new user")


def test_each_db_starts_with_empty_tables(learner: Learner) -> None:
    """DB() recreates the tables: a new DB starts again at id 1"""
    learner.db().add_user("test@test.com", "SuperHashedPwd")
    learner.db().add_user("other@test.com", "Pwd")
    rows = [(row["id"], row["email"]) for row in stored_users()]
    expect_equal(rows, [(1, "other@test.com")],
                 "the rows of users after a second DB() and add_user")


def test_queries_are_not_echoed(learner: Learner) -> None:
    """DB() and add_user print nothing (no echo=True SQL log)"""
    import io
    from contextlib import redirect_stdout
    output = io.StringIO()
    with redirect_stdout(output):
        learner.db().add_user("test@test.com", "SuperHashedPwd")
    if output.getvalue():
        raise Failure("DB().add_user(...) printed {!r}".format(
            output.getvalue()[:200]), help="create the engine with "
            "echo=False: the examples' outputs hold no SQL log")
