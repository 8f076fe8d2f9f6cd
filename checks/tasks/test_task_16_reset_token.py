"""Task 16 "Generate reset password token": get_reset_password_token.

The page asks for a new UUID, stored as the user's reset_token and
returned; how it is made is the learner's choice. Taking it from
_generate_uuid is graded apart, on the beyond track (B12).
"""
import pytest

from checks.harness.database import stored_user
from checks.harness.failures import expect_equal
from checks.harness.remote import Handle
from checks.harness.remote import Learner
from checks.harness.remote import expect_raises
from checks.harness.remote import expect_type
from checks.tasks.test_task_09_generate_uuid import expect_uuid

pytestmark = pytest.mark.task("16")

EMAIL = "bob@bob.com"


@pytest.fixture
def with_bob(auth: Handle) -> Handle:
    """A fresh Auth with Bob registered."""
    auth.register_user(EMAIL, "pwd")
    return auth


def token_of(auth: Handle) -> str:
    """Ask for Bob's reset token; fail unless it is a str."""
    token = auth.get_reset_password_token(EMAIL)
    expect_type(token, "builtins.str", "get_reset_password_token({!r})"
                .format(EMAIL))
    return str(token)


def test_token_is_stored(learner: Learner, with_bob: Handle) -> None:
    """the token returned is stored as the user's reset_token"""
    token = token_of(with_bob)
    expect_equal(stored_user(learner, EMAIL)["reset_token"], token,
                 "users.reset_token after get_reset_password_token")


def test_token_is_a_uuid_string(with_bob: Handle) -> None:
    """the token is the text of a UUID"""
    expect_uuid(token_of(with_bob), "get_reset_password_token({!r})".format(
        EMAIL))


def test_unknown_email_raises_value_error(with_bob: Handle) -> None:
    """get_reset_password_token raises ValueError for an unknown email"""
    expect_raises("get_reset_password_token('nobody@bob.com')",
                  lambda: with_bob.get_reset_password_token("nobody@bob.com"),
                  "ValueError")


def test_each_request_gets_a_new_token(learner: Learner,
                                       with_bob: Handle) -> None:
    """a second request gives a new token, and that one is stored"""
    first, second = token_of(with_bob), token_of(with_bob)
    expect_equal((first != second, stored_user(learner, EMAIL)[
        "reset_token"]), (True, second), "(a new token?, the stored token) "
        "after two requests")
