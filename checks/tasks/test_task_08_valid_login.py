"""Task 8 "Credentials validation": Auth.valid_login checks a password."""
import pytest

from checks.harness.examples import expect_output
from checks.harness.examples import run_example
from checks.harness.failures import expect_equal
from checks.harness.remote import Handle
from checks.harness.remote import Learner
from checks.harness.remote import expect_type

pytestmark = pytest.mark.task("8")

EXAMPLE = """
from auth import Auth

email = 'bob@bob.com'
password = 'MyPwdOfBob'
auth = Auth()

auth.register_user(email, password)

print(auth.valid_login(email, password))

print(auth.valid_login(email, "WrongPwd"))

print(auth.valid_login("unknown@email", password))
"""
EMAIL = "bob@bob.com"
PASSWORD = "MyPwdOfBob"


@pytest.fixture
def with_bob(auth: Handle) -> Handle:
    """A fresh Auth with Bob registered."""
    auth.register_user(EMAIL, PASSWORD)
    return auth


@pytest.mark.bare
def test_example_output(learner: Learner) -> None:
    """the example main prints True, False, False"""
    expect_output(run_example(learner, EXAMPLE), ["True", "False", "False"])


@pytest.mark.parametrize("email, password, valid", [
    (EMAIL, PASSWORD, True),
    (EMAIL, "WrongPwd", False),
    (EMAIL, "", False),
    (EMAIL, PASSWORD.lower(), False),
    ("unknown@email", PASSWORD, False),
], ids=["right-password", "wrong-password", "empty-password",
        "other-case", "unknown-email"])
def test_valid_login_answers(with_bob: Handle, email: str, password: str,
                             valid: bool) -> None:
    """valid_login({email!r}, {password!r}) is {valid}"""
    action = "valid_login({!r}, {!r})".format(email, password)
    answer = with_bob.valid_login(email, password)
    expect_type(answer, "builtins.bool", action)
    expect_equal(answer, valid, action)


def test_checks_each_user_against_their_own_hash(with_bob: Handle) -> None:
    """valid_login matches a password with its own user only"""
    with_bob.register_user("alice@bob.com", "AlicePwd")
    expect_equal((with_bob.valid_login("alice@bob.com", "AlicePwd"),
                  with_bob.valid_login("alice@bob.com", PASSWORD)),
                 (True, False),
                 "valid_login for alice with her password, then Bob's")
