"""Task 9 "Generate UUIDs": auth._generate_uuid returns a new UUID string."""
import inspect
import uuid

import pytest

from checks.harness.failures import Failure
from checks.harness.failures import expect_equal
from checks.harness.learner import Learner

pytestmark = pytest.mark.task("9")


def test_returns_a_string(learner: Learner) -> None:
    """_generate_uuid returns a str"""
    value = learner.attribute("auth", "_generate_uuid")()
    expect_equal(type(value).__name__, "str", "type of _generate_uuid()")


def test_returns_a_uuid(learner: Learner) -> None:
    """_generate_uuid returns the text of a UUID"""
    value = learner.attribute("auth", "_generate_uuid")()
    try:
        parsed = uuid.UUID(str(value))
    except ValueError:
        raise Failure("_generate_uuid() is {!r}: not a UUID".format(value))
    expect_equal(str(parsed), value, "_generate_uuid() in canonical form")


def test_returns_a_new_uuid_each_time(learner: Learner) -> None:
    """_generate_uuid returns a different UUID on every call"""
    generate = learner.attribute("auth", "_generate_uuid")
    values = {generate() for _ in range(5)}
    expect_equal(len(values), 5, "distinct values over five calls")


def test_is_a_module_function(learner: Learner) -> None:
    """_generate_uuid is a function of the auth module, not a method"""
    function = learner.attribute("auth", "_generate_uuid")
    if not inspect.isfunction(function):
        raise Failure("auth._generate_uuid is a {}, not a function".format(
            type(function).__name__))
    if inspect.signature(function).parameters:
        raise Failure("_generate_uuid takes parameters; it takes none")
