"""Task 7 "Register user": POST /users registers through AUTH."""
import bcrypt
import pytest

from checks.harness.failures import Failure
from checks.harness.failures import expect_equal
from checks.harness.learner import Learner
from checks.harness.learner import stored_user

pytestmark = pytest.mark.task("7")

EMAIL = "bob@me.com"
PASSWORD = "mySuperPwd"
FORM = {"email": EMAIL, "password": PASSWORD}


def test_new_email_is_registered(learner: Learner) -> None:
    """POST /users with a new email returns 200 and "user created\""""
    learner.client().post("/users", form=FORM).expect_status(200) \
        .expect_json({"email": EMAIL, "message": "user created"})


def test_second_registration_is_refused(learner: Learner) -> None:
    """POST /users twice with one email returns 400 the second time"""
    client = learner.client()
    client.post("/users", form=FORM).expect_status(200)
    client.post("/users", form=FORM).expect_status(400).expect_json(
        {"message": "email already registered"})


def test_registered_user_is_stored_with_a_hash(learner: Learner) -> None:
    """POST /users stores the user through AUTH, password hashed"""
    learner.client().post("/users", form=FORM).expect_status(200)
    stored = stored_user(EMAIL)["hashed_password"]
    stored = stored if isinstance(stored, bytes) else str(stored).encode()
    if not stored.startswith(b"$2b$") or \
            not bcrypt.checkpw(PASSWORD.encode(), stored):
        raise Failure("after POST /users, users.hashed_password is {!r}: "
                      "not a bcrypt hash of the password; register through "
                      "AUTH.register_user".format(stored))


def test_form_data_is_read_not_json(learner: Learner) -> None:
    """POST /users reads form fields, not a JSON body"""
    client = learner.client()
    client.post("/users", form={"email": "a@b.c", "password": "x"}) \
        .expect_status(200).expect_json({"email": "a@b.c",
                                         "message": "user created"})
    client.post("/users", form={"email": "d@e.f", "password": "y"}) \
        .expect_status(200).expect_json({"email": "d@e.f",
                                         "message": "user created"})


def test_auth_is_a_module_level_auth_instance(learner: Learner) -> None:
    """app.AUTH is an instance of auth.Auth"""
    auth_class = learner.attribute("auth", "Auth")
    expect_equal(type(learner.attribute("app", "AUTH")).__name__,
                 auth_class.__name__, "type(app.AUTH)")


def test_view_function_is_named_users(learner: Learner) -> None:
    """the view of POST /users is the function `users`"""
    learner.expect_view("POST", "/users", "users")
