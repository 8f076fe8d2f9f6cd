"""Task 5 "Register user": Auth.register_user hashes and stores a user."""
import pytest

from checks.harness.database import stored_user
from checks.harness.database import stored_users
from checks.harness.examples import expect_output
from checks.harness.examples import run_example
from checks.harness.failures import Failure
from checks.harness.failures import expect_equal
from checks.harness.hashes import is_bcrypt_of
from checks.harness.remote import Handle
from checks.harness.remote import Learner
from checks.harness.remote import Raised
from checks.harness.remote import expect_raises
from checks.harness.remote import expect_type

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


@pytest.mark.bare
def test_example_output(learner: Learner) -> None:
    """the example main registers once, then refuses the same email"""
    expect_output(run_example(learner, EXAMPLE), [
        "successfully created a new user!",
        "could not create a new user: User me@me.com already exists"])


def test_returns_the_new_user(auth: Handle) -> None:
    """register_user returns the User with that email"""
    user = auth.register_user(EMAIL, PASSWORD)
    expect_type(user, "user.User", "register_user(...)")
    expect_equal(user.email, EMAIL, "register_user(...).email")


def test_returned_user_is_the_stored_one(learner: Learner,
                                         auth: Handle) -> None:
    """the User returned is the one saved, with the id of its row"""
    auth.register_user("first@me.com", "pwd")
    user = auth.register_user(EMAIL, PASSWORD)
    expect_type(user, "user.User", "register_user(...)")
    expect_equal(user.id, stored_user(learner, EMAIL)["id"],
                 "register_user(...).id", help="return the User that "
                 "self._db.add_user returned, not a new User(...)")


def test_password_is_stored_hashed(learner: Learner, auth: Handle) -> None:
    """the stored password is a bcrypt hash of it, never the password"""
    auth.register_user(EMAIL, PASSWORD)
    stored = stored_user(learner, EMAIL)["hashed_password"]
    if not is_bcrypt_of(stored, PASSWORD):
        raise Failure("users.hashed_password is {!r}: not a bcrypt hash of "
                      "the password (use _hash_password)".format(stored))


@pytest.mark.parametrize("email", ["me@me.com", "bob@holberton.io"])
def test_duplicate_email_raises_value_error(auth: Handle,
                                            email: str) -> None:
    """a second registration raises ValueError "User <email> already exists"
    """
    auth.register_user(email, PASSWORD)
    error = expect_raises("registering {} twice".format(email),
                          lambda: auth.register_user(email, "another"),
                          "ValueError")
    expect_equal(error.message, "User {} already exists".format(email),
                 "the ValueError's message")


def test_duplicate_leaves_one_user(learner: Learner, auth: Handle) -> None:
    """a refused registration adds no row"""
    auth.register_user(EMAIL, PASSWORD)
    try:
        auth.register_user(EMAIL, PASSWORD)
    except Raised:
        pass
    expect_equal(len(stored_users(learner)), 1, "rows in users")


def test_auth_uses_a_private_db(learner: Learner, auth: Handle) -> None:
    """Auth() keeps its DB in the private attribute _db"""
    database = auth._db
    if not learner.is_instance(database, learner.attribute("db", "DB")):
        raise Failure("Auth()._db is a {}, expected a DB instance".format(
            learner.describe(database).type))
