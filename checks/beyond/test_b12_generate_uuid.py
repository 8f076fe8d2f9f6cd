"""Beyond B12: session ids and reset tokens come from _generate_uuid.

Task 9 writes _generate_uuid for tasks 10 and 16, whose own checks accept
any new UUID, however it is made. Taking every id from the one helper keeps
the choice of how ids are made (uuid4, its source of randomness) in one
place: a later change to it reaches sessions and reset tokens alike,
instead of leaving a copy behind. Each check stubs the helper and looks
for its value in what the method returns.
"""
import pytest

from checks.harness.failures import expect_equal
from checks.harness.remote import Handle
from checks.harness.remote import Learner

pytestmark = pytest.mark.task("B12")

EMAIL = "bob@bob.com"
STUBBED = "id-from-_generate_uuid"


@pytest.fixture
def with_bob(auth: Handle) -> Handle:
    """A fresh Auth with Bob registered."""
    auth.register_user(EMAIL, "MyPwdOfBob")
    return auth


def test_session_id_comes_from_generate_uuid(learner: Learner,
                                             with_bob: Handle) -> None:
    """create_session takes its id from auth._generate_uuid"""
    learner.stub("auth", "_generate_uuid", STUBBED)
    expect_equal(with_bob.create_session(EMAIL), STUBBED,
                 "create_session({!r}) with _generate_uuid returning {!r}"
                 .format(EMAIL, STUBBED),
                 help="session_id = _generate_uuid(), rather than a "
                      "uuid.uuid4() of its own")


def test_reset_token_comes_from_generate_uuid(learner: Learner,
                                              with_bob: Handle) -> None:
    """get_reset_password_token takes its token from _generate_uuid"""
    learner.stub("auth", "_generate_uuid", STUBBED)
    expect_equal(with_bob.get_reset_password_token(EMAIL), STUBBED,
                 "get_reset_password_token({!r}) with _generate_uuid "
                 "returning {!r}".format(EMAIL, STUBBED),
                 help="reset_token = _generate_uuid(), rather than a "
                      "uuid.uuid4() of its own")
