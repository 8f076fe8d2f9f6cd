"""Task 0 "User model": a declarative `User` mapped to the table `users`."""
import pytest

from checks.harness.examples import expect_output
from checks.harness.examples import run_example
from checks.harness.failures import Failure
from checks.harness.failures import expect_equal
from checks.harness.learner import Learner
from checks.harness.learner import users_table
from checks.harness.solution import Solution

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


@pytest.mark.static
def test_user_module_imports(solution: Solution) -> None:
    """user.py imports without error"""
    solution.expect_imports("user")


def test_example_output(learner: Learner) -> None:
    """the example main prints the table name and the five columns"""
    expect_output(run_example(EXAMPLE), ["users"] + [
        "{}: {}".format(name, kind) for name, kind in COLUMNS])


def test_table_is_named_users(learner: Learner) -> None:
    """User.__tablename__ is "users\""""
    user = learner.attribute("user", "User")
    expect_equal(getattr(user, "__tablename__", None), "users",
                 "User.__tablename__")


def test_columns_have_the_contract_types(learner: Learner) -> None:
    """the columns are id, email, hashed_password, session_id, reset_token"""
    expect_equal(users_table(learner), COLUMNS, "the columns of users")


def test_id_is_the_primary_key(learner: Learner) -> None:
    """id is the primary key"""
    table = learner.attribute("user", "User").__table__
    expect_equal([column.name for column in table.primary_key.columns],
                 ["id"], "the primary key of users")


@pytest.mark.parametrize("column, nullable", [
    ("email", False), ("hashed_password", False),
    ("session_id", True), ("reset_token", True)])
def test_column_nullability(learner: Learner, column: str,
                            nullable: bool) -> None:
    """{column} is nullable={nullable}"""
    table = learner.attribute("user", "User").__table__
    expect_equal(table.columns[column].nullable, nullable,
                 "users.{}.nullable".format(column))


def test_base_is_exported_with_the_users_table(learner: Learner) -> None:
    """user.Base is the declarative base whose metadata holds users"""
    base = learner.attribute("user", "Base")
    tables = sorted(getattr(getattr(base, "metadata", None), "tables", {}))
    expect_equal(tables, ["users"], "user.Base.metadata.tables")
    if not issubclass(learner.attribute("user", "User"), base):
        raise Failure("User does not derive from user.Base")
