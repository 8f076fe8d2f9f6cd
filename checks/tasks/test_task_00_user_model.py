"""Task 0 "User model": a declarative `User` mapped to the table `users`."""
from typing import List
from typing import Tuple

import pytest

from checks.harness.examples import expect_output
from checks.harness.examples import run_example
from checks.harness.failures import Failure
from checks.harness.failures import expect_equal
from checks.harness.probes import Probes
from checks.harness.remote import Handle
from checks.harness.remote import Learner

pytestmark = pytest.mark.task("0")

EXAMPLE = """
from user import User

print(User.__tablename__)

for column in User.__table__.columns:
    print("{}: {}".format(column, column.type))
"""
COLUMNS = [("users.id", "INTEGER"), ("users.email", "VARCHAR(250)"),
           ("users.hashed_password", "VARCHAR(250)"),
           ("users.session_id", "VARCHAR(250)"),
           ("users.reset_token", "VARCHAR(250)")]


def column(learner: Learner, name: str) -> Handle:
    """Return a column of User's table, failing when it has none of that
    name."""
    found = learner.attribute("user", "User").__table__.columns.get(name)
    if not isinstance(found, Handle):
        raise Failure("User's table has no column {}".format(name))
    return found


def users_table(learner: Learner) -> List[Tuple[str, str]]:
    """Return (column, type) of the learner's users table, as str() says."""
    table = learner.attribute("user", "User").__table__
    return [(learner.text(column), learner.text(column.type))
            for column in learner.items(table.columns)]


def test_user_module_imports(probes: Probes) -> None:
    """user.py imports without error"""
    if not probes.result("user").ok:
        raise Failure(probes.result("user").reason)


@pytest.mark.bare
def test_example_output(learner: Learner) -> None:
    """the example main prints the table name and the five columns"""
    expect_output(run_example(learner, EXAMPLE), ["users"] + [
        "{}: {}".format(name, kind) for name, kind in COLUMNS])


def test_table_is_named_users(learner: Learner) -> None:
    """User.__tablename__ is "users\""""
    expect_equal(learner.attribute("user", "User").__tablename__, "users",
                 "User.__tablename__")


def test_columns_have_the_contract_types(learner: Learner) -> None:
    """the columns are id, email, hashed_password, session_id, reset_token"""
    expect_equal(users_table(learner), COLUMNS, "the columns of users")


def test_id_is_the_primary_key(learner: Learner) -> None:
    """id is the primary key"""
    table = learner.attribute("user", "User").__table__
    expect_equal([column.name for column in learner.items(
        table.primary_key.columns)], ["id"], "the primary key of users")


@pytest.mark.parametrize("name, nullable", [
    ("email", False), ("hashed_password", False),
    ("session_id", True), ("reset_token", True)])
def test_column_nullability(learner: Learner, name: str,
                            nullable: bool) -> None:
    """{name} is nullable={nullable}"""
    expect_equal(column(learner, name).nullable, nullable,
                 "users.{}.nullable".format(name))


def test_base_is_exported_with_the_users_table(learner: Learner) -> None:
    """user.Base is the declarative base whose metadata holds users"""
    base = learner.attribute("user", "Base")
    expect_equal(sorted(learner.items(base.metadata.tables)), ["users"],
                 "user.Base.metadata.tables")
    if learner.attribute("user", "User").metadata != base.metadata:
        raise Failure("User is not a model of user.Base: its metadata is "
                      "another")
