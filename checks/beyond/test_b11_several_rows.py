"""Beyond B11: a look-up that matches several rows still answers.

The page's find_user_by returns "the first row found"; learners read that
with `.first()` or with `.one()`, and emails are unique in practice, so
the exercise's own checks accept both. But the page's model does not make
email unique, and hashed passwords (or a NULL session_id) can be shared:
`.one()` then raises MultipleResultsFound, which a view turns into a 500.
"""
import pytest

from checks.harness.failures import expect_equal
from checks.harness.remote import Handle
from checks.harness.remote import expect_type

pytestmark = pytest.mark.task("B11")


def test_several_matches_give_the_first(db: Handle) -> None:
    """find_user_by returns the first row when several match"""
    db.add_user("a@test.com", "SamePwd")
    db.add_user("b@test.com", "SamePwd")
    action = "find_user_by(hashed_password='SamePwd') with two such rows"
    user = db.find_user_by(hashed_password="SamePwd")
    expect_type(user, "user.User", action)
    expect_equal(user.id, 1, action + ".id", help="query(...).filter_by("
                 "**kwargs).first() returns the first row; .one() raises "
                 "when several rows match")
