"""Task 7 "Register user": POST /users registers through AUTH."""
import pytest

from checks.harness.catalogue import Route
from checks.harness.database import stored_user
from checks.harness.failures import Failure
from checks.harness.fixtures import AMY
from checks.harness.fixtures import BOB
from checks.harness.hashes import is_bcrypt_of
from checks.harness.markers import expect_view
from checks.harness.remote import Learner
from checks.harness.solution import Solution
from checks.harness.web import Client

pytestmark = pytest.mark.task("7")


def test_new_email_is_registered(client: Client) -> None:
    """POST /users with a new email returns 200 and "user created\""""
    client.post("/users", form=BOB.form).expect_status(200).expect_json(
        {"email": BOB.email, "message": "user created"})


def test_second_registration_is_refused(registered: Client) -> None:
    """POST /users twice with one email returns 400 the second time"""
    registered.post("/users", form=BOB.form).expect_status(400).expect_json(
        {"message": "email already registered"})


def test_registered_user_is_stored_with_a_hash(learner: Learner,
                                               registered: Client) -> None:
    """POST /users stores the user through AUTH, password hashed"""
    stored = stored_user(learner, BOB.email)["hashed_password"]
    if not is_bcrypt_of(stored, BOB.password):
        raise Failure("after POST /users, users.hashed_password is {!r}: "
                      "not a bcrypt hash of the password; register through "
                      "AUTH.register_user".format(stored))


def test_form_data_is_read_not_json(client: Client) -> None:
    """POST /users reads form fields, not a JSON body"""
    for person in (BOB, AMY):
        client.post("/users", form=person.form).expect_status(200) \
            .expect_json({"email": person.email, "message": "user created"})


def test_auth_is_a_module_level_auth_instance(learner: Learner) -> None:
    """app.AUTH is an instance of auth.Auth"""
    if not learner.is_instance(learner.attribute("app", "AUTH"),
                               learner.attribute("auth", "Auth")):
        raise Failure("app.AUTH is not an instance of auth.Auth: create it "
                      "once, at module level: AUTH = Auth()")


@pytest.mark.static
def test_view_function_is_named_users(solution: Solution) -> None:
    """the view of POST /users is the function `users`"""
    expect_view(solution.source("app.py"), Route("POST", "/users"), "users")
