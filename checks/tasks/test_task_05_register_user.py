"""Task 5 "Register user": Auth.register_user hashes and stores a user."""
import bcrypt
import pytest

from checks.harness.examples import expect_output
from checks.harness.examples import run_example
from checks.harness.failures import Failure
from checks.harness.failures import expect_equal
from checks.harness.learner import Learner
from checks.harness.learner import stored_user
from checks.harness.learner import stored_users

pytestmark = pytest.mark.task("5")

EXAMPLE = """
from auth import Auth

email = 'me@me.com'
password = 'mySecuredPwd'

auth = Auth()

try:
    user = auth.register_user(email, password)
    print("successfully created a new user!")
except ValueError as err:
    print("could not create a new user: {}".format(err))

try:
    user = auth.register_user(email, password)
    print("successfully created a new user!")
except ValueError as err:
    print("could not create a new user: {}".format(err))
"""
EMAIL = "me@me.com"
PASSWORD = "mySecuredPwd"


def test_example_output(learner: Learner) -> None:
    """the example main registers once, then refuses the same email"""
    expect_output(run_example(EXAMPLE), [
        "successfully created a new user!",
        "could not create a new user: User me@me.com already exists"])


def test_returns_the_new_user(learner: Learner) -> None:
    """register_user returns the User with that email"""
    user = learner.auth().register_user(EMAIL, PASSWORD)
    expect_equal(getattr(user, "email", user), EMAIL,
                 "register_user(...).email")


def test_password_is_stored_hashed(learner: Learner) -> None:
    """the stored password is a bcrypt hash of it, never the password"""
    learner.auth().register_user(EMAIL, PASSWORD)
    stored = stored_user(EMAIL)["hashed_password"]
    stored = stored if isinstance(stored, bytes) else str(stored).encode()
    if not stored.startswith(b"$2b$") or not bcrypt.checkpw(
            PASSWORD.encode(), stored):
        raise Failure("users.hashed_password is {!r}: not a bcrypt hash of "
                      "the password (use _hash_password)".format(stored))


@pytest.mark.parametrize("email", ["me@me.com", "bob@holberton.io"])
def test_duplicate_email_raises_value_error(learner: Learner,
                                            email: str) -> None:
    """a second registration raises ValueError "User <email> already exists"
    """
    auth = learner.auth()
    auth.register_user(email, PASSWORD)
    try:
        auth.register_user(email, "another")
    except ValueError as error:
        expect_equal(str(error), "User {} already exists".format(email),
                     "the ValueError's message")
        return
    raise Failure("registering {} twice did not raise ValueError".format(
        email))


def test_duplicate_leaves_one_user(learner: Learner) -> None:
    """a refused registration adds no row"""
    auth = learner.auth()
    auth.register_user(EMAIL, PASSWORD)
    try:
        auth.register_user(EMAIL, PASSWORD)
    except ValueError:
        pass
    expect_equal(len(stored_users()), 1, "rows in users")


def test_auth_uses_a_private_db(learner: Learner) -> None:
    """Auth() keeps its DB in the private attribute _db"""
    db_class = learner.attribute("db", "DB")
    database = getattr(learner.auth(), "_db", None)
    if not isinstance(database, db_class):
        raise Failure("Auth()._db is {!r}, expected a DB instance".format(
            database))
