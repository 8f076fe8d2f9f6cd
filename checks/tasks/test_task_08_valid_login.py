"""Task 8 "Credentials validation": Auth.valid_login checks a password."""
import pytest

from checks.harness.examples import expect_output
from checks.harness.examples import run_example
from checks.harness.failures import expect_equal
from checks.harness.learner import Learner

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


def test_example_output(learner: Learner) -> None:
    """the example main prints True, False, False"""
    expect_output(run_example(EXAMPLE), ["True", "False", "False"])


@pytest.mark.parametrize("email, password, valid", [
    (EMAIL, PASSWORD, True),
    (EMAIL, "WrongPwd", False),
    (EMAIL, "", False),
    (EMAIL, PASSWORD.lower(), False),
    ("unknown@email", PASSWORD, False),
], ids=["right-password", "wrong-password", "empty-password",
        "other-case", "unknown-email"])
def test_valid_login_answers(learner: Learner, email: str, password: str,
                             valid: bool) -> None:
    """valid_login({email!r}, {password!r}) is {valid}"""
    auth = learner.auth()
    auth.register_user(EMAIL, PASSWORD)
    expect_equal(auth.valid_login(email, password), valid,
                 "valid_login({!r}, {!r})".format(email, password))


def test_checks_each_user_against_their_own_hash(learner: Learner) -> None:
    """valid_login matches a password with its own user only"""
    auth = learner.auth()
    auth.register_user(EMAIL, PASSWORD)
    auth.register_user("alice@bob.com", "AlicePwd")
    expect_equal((auth.valid_login("alice@bob.com", "AlicePwd"),
                  auth.valid_login("alice@bob.com", PASSWORD)),
                 (True, False),
                 "valid_login for alice with her password, then Bob's")
