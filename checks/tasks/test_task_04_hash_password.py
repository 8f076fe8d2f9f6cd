"""Task 4 "Hash password": _hash_password returns a salted bcrypt hash."""
import inspect

import bcrypt
import pytest

from checks.harness.examples import BCRYPT_REPR
from checks.harness.examples import expect_output
from checks.harness.examples import run_example
from checks.harness.failures import Failure
from checks.harness.failures import expect_equal
from checks.harness.learner import Learner
from checks.harness.solution import Solution

pytestmark = pytest.mark.task("4")

EXAMPLE = """
from auth import _hash_password

print(_hash_password("Hello Holberton"))
"""
PASSWORD = "Hello Holberton"


@pytest.mark.static
def test_auth_module_imports(solution: Solution) -> None:
    """auth.py imports without error"""
    solution.expect_imports("auth")


@pytest.mark.real_bcrypt
def test_example_output(learner: Learner) -> None:
    """the example main prints a bcrypt hash such as b'$2b$12$...'"""
    expect_output(run_example(EXAMPLE), ["re:" + BCRYPT_REPR])


def test_is_a_module_function(learner: Learner) -> None:
    """_hash_password is a function of the auth module, not a method"""
    function = learner.attribute("auth", "_hash_password")
    if not inspect.isfunction(function):
        raise Failure("auth._hash_password is a {}, not a function".format(
            type(function).__name__))


def test_returns_bytes(learner: Learner) -> None:
    """_hash_password returns bytes"""
    hashed = learner.attribute("auth", "_hash_password")(PASSWORD)
    expect_equal(type(hashed).__name__, "bytes",
                 "type of _hash_password({!r})".format(PASSWORD))


def bcrypt_hash(learner: Learner, password: str) -> bytes:
    """Return _hash_password(password), failing unless it is bcrypt's."""
    hashed = learner.attribute("auth", "_hash_password")(password)
    if not isinstance(hashed, bytes) or not hashed.startswith(b"$2b$"):
        raise Failure("_hash_password({!r}) is {!r}: not a bcrypt $2b$ "
                      "hash (use bcrypt.hashpw)".format(password, hashed))
    return hashed


def test_hash_is_bcrypt(learner: Learner) -> None:
    """the hash starts with $2b$ and checkpw accepts the password"""
    if not bcrypt.checkpw(PASSWORD.encode(), bcrypt_hash(learner, PASSWORD)):
        raise Failure("bcrypt.checkpw({!r}, hash) is False".format(PASSWORD))


@pytest.mark.parametrize("password, other", [
    (PASSWORD, "Hello Holberton!"),
    (PASSWORD, "hello holberton"),
    (" " + PASSWORD + " ", PASSWORD),
], ids=["longer", "other-case", "spaces-kept"])
def test_hash_rejects_another_password(learner: Learner, password: str,
                                       other: str) -> None:
    """checkpw rejects {other!r} against the password's hash"""
    hashed = bcrypt_hash(learner, password)
    if bcrypt.checkpw(other.encode(), hashed):
        raise Failure("bcrypt.checkpw({!r}, _hash_password({!r})) is True: "
                      "hash the password exactly as given".format(
                          other, password))


def test_hash_is_salted(learner: Learner) -> None:
    """two hashes of one password differ (a random salt)"""
    hash_password = learner.attribute("auth", "_hash_password")
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    if first == second:
        raise Failure("_hash_password gave {!r} twice: use bcrypt.gensalt()"
                      .format(first))
