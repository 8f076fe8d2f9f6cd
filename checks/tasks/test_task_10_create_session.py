"""Task 10 "Get session ID": Auth.create_session stores a new session id.

The page asks for a new UUID, stored as the user's session_id and
returned; how it is made is the learner's choice. Taking it from
_generate_uuid is graded apart, on the beyond track (B12).
"""
import pytest

from checks.harness.database import stored_user
from checks.harness.examples import UUID
from checks.harness.examples import expect_output
from checks.harness.examples import run_example
from checks.harness.failures import expect_equal
from checks.harness.remote import Handle
from checks.harness.remote import Learner
from checks.harness.remote import expect_type
from checks.tasks.test_task_09_generate_uuid import expect_uuid

pytestmark = pytest.mark.task("10")

EXAMPLE = """
from auth import Auth

email = 'bob@bob.com'
password = 'MyPwdOfBob'
auth = Auth()

auth.register_user(email, password)

print(auth.create_session(email))
print(auth.create_session("unknown@email.com"))
"""
EMAIL = "bob@bob.com"


@pytest.fixture
def with_bob(auth: Handle) -> Handle:
    """A fresh Auth with Bob registered."""
    auth.register_user(EMAIL, "MyPwdOfBob")
    return auth


def session_of(auth: Handle) -> str:
    """Start Bob's session; fail unless its id is a str."""
    session_id = auth.create_session(EMAIL)
    expect_type(session_id, "builtins.str", "create_session({!r})".format(
        EMAIL))
    return str(session_id)


@pytest.mark.bare
def test_example_output(learner: Learner) -> None:
    """the example main prints a UUID, then None"""
    expect_output(run_example(learner, EXAMPLE), ["re:" + UUID, "None"])


def test_session_id_is_a_uuid(with_bob: Handle) -> None:
    """create_session returns the text of a UUID"""
    expect_uuid(session_of(with_bob), "create_session({!r})".format(EMAIL))


def test_session_id_is_stored(learner: Learner, with_bob: Handle) -> None:
    """create_session stores the id it returns as the user's session_id"""
    session_id = session_of(with_bob)
    expect_equal(stored_user(learner, EMAIL)["session_id"], session_id,
                 "users.session_id after create_session")


def test_unknown_email_gets_none(with_bob: Handle) -> None:
    """create_session returns None for an unknown email"""
    expect_equal(with_bob.create_session("unknown@email.com"), None,
                 "create_session('unknown@email.com')")


def test_each_session_is_new(learner: Learner, with_bob: Handle) -> None:
    """a second create_session returns a new id and stores it"""
    first, second = session_of(with_bob), session_of(with_bob)
    expect_equal((first != second, stored_user(learner, EMAIL)[
        "session_id"]), (True, second),
        "(a new id?, the stored session_id) after two sessions")
