#!/usr/bin/env python3
"""Integration test that walks a user through the whole service.

The server must be running on localhost:5000 and freshly started. Each
function sends one request and asserts on the status code and the payload.
"""
import requests

BASE = "http://localhost:5000"


def register_user(email: str, password: str) -> None:
    """Check that a new user can register."""
    r = requests.post("{}/users".format(BASE),
                      data={"email": email, "password": password})
    assert r.status_code == 200
    assert r.json() == {"email": email, "message": "user created"}


def log_in_wrong_password(email: str, password: str) -> None:
    """Check that a wrong password is refused with 401."""
    r = requests.post("{}/sessions".format(BASE),
                      data={"email": email, "password": password})
    assert r.status_code == 401
    assert r.cookies.get("session_id") is None


def log_in(email: str, password: str) -> str:
    """Check that the right password logs in, and return the session id."""
    r = requests.post("{}/sessions".format(BASE),
                      data={"email": email, "password": password})
    assert r.status_code == 200
    assert r.json() == {"email": email, "message": "logged in"}
    assert "session_id" in r.cookies
    return r.cookies["session_id"]


def profile_unlogged() -> None:
    """Check that the profile is forbidden without a session."""
    r = requests.get("{}/profile".format(BASE))
    assert r.status_code == 403


def profile_logged(session_id: str) -> None:
    """Check that the profile shows the email of the logged-in user."""
    r = requests.get("{}/profile".format(BASE),
                     cookies={"session_id": session_id})
    assert r.status_code == 200
    assert r.json() == {"email": EMAIL}


def log_out(session_id: str) -> None:
    """Check that logging out redirects to the welcome page."""
    r = requests.delete("{}/sessions".format(BASE),
                        cookies={"session_id": session_id})
    assert len(r.history) == 1
    assert r.history[0].status_code in (302, 303)
    assert r.status_code == 200
    assert r.json() == {"message": "Bienvenue"}


def reset_password_token(email: str) -> str:
    """Check that a registered email gets a reset token, and return it."""
    r = requests.post("{}/reset_password".format(BASE),
                      data={"email": email})
    assert r.status_code == 200
    body = r.json()
    assert sorted(body) == ["email", "reset_token"]
    assert body["email"] == email
    assert body["reset_token"]
    return body["reset_token"]


def update_password(email: str, reset_token: str, new_password: str) -> None:
    """Check that the reset token lets the user set a new password."""
    r = requests.put("{}/reset_password".format(BASE),
                     data={"email": email,
                           "reset_token": reset_token,
                           "new_password": new_password})
    assert r.status_code == 200
    assert r.json() == {"email": email, "message": "Password updated"}


EMAIL = "guillaume@holberton.io"
PASSWD = "b4l0u"
NEW_PASSWD = "t4rt1fl3tt3"


if __name__ == "__main__":
    register_user(EMAIL, PASSWD)
    log_in_wrong_password(EMAIL, NEW_PASSWD)
    profile_unlogged()
    session_id = log_in(EMAIL, PASSWD)
    profile_logged(session_id)
    log_out(session_id)
    reset_token = reset_password_token(EMAIL)
    update_password(EMAIL, reset_token, NEW_PASSWD)
    log_in(EMAIL, NEW_PASSWD)
