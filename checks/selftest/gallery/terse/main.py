#!/usr/bin/env python3
"""End-to-end test of the running app: each step asserts the response."""
import requests

URL = "http://localhost:5000"


def register_user(email: str, password: str) -> None:
    """Register a user and check the 200 answer."""
    r = requests.post(URL + "/users", data={"email": email,
                                            "password": password})
    assert r.status_code == 200
    assert r.json() == {"email": email, "message": "user created"}


def log_in_wrong_password(email: str, password: str) -> None:
    """Log in with a wrong password and check the 401."""
    r = requests.post(URL + "/sessions", data={"email": email,
                                               "password": password})
    assert r.status_code == 401


def log_in(email: str, password: str) -> str:
    """Log in and return the session ID set in the cookie."""
    r = requests.post(URL + "/sessions", data={"email": email,
                                               "password": password})
    assert r.status_code == 200
    assert r.json() == {"email": email, "message": "logged in"}
    assert "session_id" in r.cookies
    return r.cookies["session_id"]


def profile_unlogged() -> None:
    """Get the profile without a session and check the 403."""
    r = requests.get(URL + "/profile")
    assert r.status_code == 403


def profile_logged(session_id: str) -> None:
    """Get the profile with a session and check the email."""
    r = requests.get(URL + "/profile", cookies={"session_id": session_id})
    assert r.status_code == 200
    assert r.json() == {"email": EMAIL}


def log_out(session_id: str) -> None:
    """Log out and check the redirect to the welcome page."""
    r = requests.delete(URL + "/sessions", cookies={"session_id": session_id})
    assert [h.status_code for h in r.history] in ([302], [303])
    assert r.status_code == 200
    assert r.json() == {"message": "Bienvenue"}


def reset_password_token(email: str) -> str:
    """Ask for a reset token and return it."""
    r = requests.post(URL + "/reset_password", data={"email": email})
    assert r.status_code == 200
    assert r.json()["email"] == email
    assert r.json()["reset_token"]
    return r.json()["reset_token"]


def update_password(email: str, reset_token: str, new_password: str) -> None:
    """Update the password with the reset token and check the answer."""
    r = requests.put(URL + "/reset_password",
                     data={"email": email, "reset_token": reset_token,
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
