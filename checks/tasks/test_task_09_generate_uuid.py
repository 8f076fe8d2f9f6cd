"""Task 9 "Generate UUIDs": auth._generate_uuid returns a new UUID string."""
import uuid

import pytest

from checks.harness.failures import Failure
from checks.harness.failures import expect_equal
from checks.harness.remote import Learner
from checks.harness.remote import expect_type

pytestmark = pytest.mark.task("9")

CANONICAL_HELP = ("str(uuid.uuid4()) gives the canonical form: 36 "
                  "lower-case characters, hyphens included")


def expect_uuid(value: str, action: str) -> None:
    """Fail unless a value is a UUID (any version) in its canonical text.

    Tasks 9, 10 and 16 all ask for "a UUID" as a string: the form
    str(uuid.UUID(...)) gives, which is what a client sees in a cookie.
    """
    try:
        parsed = uuid.UUID(value)
    except ValueError:
        raise Failure("{} is {!r}: not a UUID".format(action, value),
                      help=CANONICAL_HELP)
    expect_equal(value, str(parsed), action + " in canonical form",
                 help=CANONICAL_HELP)


def generated(learner: Learner) -> str:
    """Return one value of _generate_uuid(), failing unless it is a str."""
    value = learner.attribute("auth", "_generate_uuid")()
    expect_type(value, "builtins.str", "_generate_uuid()")
    return str(value)


def test_returns_a_string(learner: Learner) -> None:
    """_generate_uuid returns a str"""
    generated(learner)


def test_returns_a_uuid(learner: Learner) -> None:
    """_generate_uuid returns the text of a UUID"""
    expect_uuid(generated(learner), "_generate_uuid()")


def test_returns_a_new_uuid_each_time(learner: Learner) -> None:
    """_generate_uuid returns a different UUID on every call"""
    values = {generated(learner) for _ in range(5)}
    expect_equal(len(values), 5, "distinct values over five calls")


def test_is_a_module_function(learner: Learner) -> None:
    """_generate_uuid is a function of the auth module, taking nothing"""
    described = learner.describe(learner.attribute("auth", "_generate_uuid"))
    if described.kind != "function" or described.module != "auth":
        raise Failure("auth._generate_uuid is a {} ({}), not a function of "
                      "auth.py".format(described.kind, described.type))
