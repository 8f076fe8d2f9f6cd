"""Task 4 "Hash password": _hash_password returns a salted bcrypt hash."""
import pytest

from checks.harness.examples import BCRYPT_REPR
from checks.harness.examples import expect_output
from checks.harness.examples import run_example
from checks.harness.failures import Failure
from checks.harness.hashes import is_bcrypt_form
from checks.harness.hashes import is_bcrypt_of
from checks.harness.probes import Probes
from checks.harness.probes import expect_imports
from checks.harness.remote import Learner
from checks.harness.remote import expect_type

pytestmark = pytest.mark.task("4")

EXAMPLE = """
from auth import _hash_password

print(_hash_password("Hello Holberton"))
"""
PASSWORD = "Hello Holberton"


def bcrypt_hash(learner: Learner, password: str) -> bytes:
    """Return _hash_password(password), failing unless it is bcrypt's."""
    action = "_hash_password({!r})".format(password)
    hashed = learner.attribute("auth", "_hash_password")(password)
    expect_type(hashed, "builtins.bytes", action)
    if not is_bcrypt_form(hashed):
        raise Failure("{} is {!r}: not a bcrypt $2b$ hash (use bcrypt."
                      "hashpw)".format(action, hashed[:80]))
    return bytes(hashed)


def test_auth_module_imports(probes: Probes) -> None:
    """auth.py imports without error"""
    expect_imports(probes, "auth")


@pytest.mark.bare
@pytest.mark.bcrypt_cost(None)
def test_example_output(learner: Learner) -> None:
    """the example main prints a bcrypt hash such as b'$2b$12$...' (any
    cost)"""
    expect_output(run_example(learner, EXAMPLE), ["re:" + BCRYPT_REPR])


def test_is_a_module_function(learner: Learner) -> None:
    """_hash_password is a function of the auth module"""
    described = learner.describe(learner.attribute("auth", "_hash_password"))
    if described.kind != "function" or described.module != "auth":
        raise Failure("auth._hash_password is a {} ({}), not a function of "
                      "auth.py".format(described.kind, described.type))


def test_returns_bytes(learner: Learner) -> None:
    """_hash_password returns bytes"""
    expect_type(learner.attribute("auth", "_hash_password")(PASSWORD),
                "builtins.bytes", "_hash_password({!r})".format(PASSWORD))


def test_hash_is_bcrypt(learner: Learner) -> None:
    """the hash starts with $2b$ and checkpw accepts the password"""
    if not is_bcrypt_of(bcrypt_hash(learner, PASSWORD), PASSWORD):
        raise Failure("bcrypt.checkpw({!r}, hash) is False".format(PASSWORD))


@pytest.mark.parametrize("password, other", [
    (PASSWORD, "Hello Holberton!"),
    (PASSWORD, "hello holberton"),
    (" " + PASSWORD + " ", PASSWORD),
], ids=["longer", "other-case", "spaces-kept"])
def test_hash_rejects_another_password(learner: Learner, password: str,
                                       other: str) -> None:
    """checkpw rejects {other!r} against the password's hash"""
    if is_bcrypt_of(bcrypt_hash(learner, password), other):
        raise Failure("bcrypt.checkpw({!r}, _hash_password({!r})) is True: "
                      "hash the password exactly as given".format(
                          other, password))


def test_hash_is_salted(learner: Learner) -> None:
    """two hashes of one password differ (a random salt)"""
    first = bcrypt_hash(learner, PASSWORD)
    second = bcrypt_hash(learner, PASSWORD)
    if first == second:
        raise Failure("_hash_password gave {!r} twice: use bcrypt.gensalt()"
                      .format(first))
