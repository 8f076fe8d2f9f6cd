#!/usr/bin/env python3
"""End-to-end test of the authentication service on localhost:5000.

Run it against a freshly started `app.py`: it prints nothing when the whole
flow works and stops with an AssertionError at the first step that does not.
"""
import requests

URL = "http://localhost:5000"


def register_user(email: str, password: str) -> None:
    """Register a new user and expect 200 with "user created"."""
    resp = requests.post(f"{URL}/users",
                         data={"email": email, "password": password})
    assert resp.status_code == 200, resp.status_code
    assert resp.json() == {"email": email, "message": "user created"}


def log_in_wrong_password(email: str, password: str) -> None:
    """Log in with a wrong password and expect 401 without a cookie."""
    resp = requests.post(f"{URL}/sessions",
                         data={"email": email, "password": password})
    assert resp.status_code == 401, resp.status_code
    assert "session_id" not in resp.cookies


def log_in(email: str, password: str) -> str:
    """Log in, expect 200 with "logged in", and return the session cookie."""
    resp = requests.post(f"{URL}/sessions",
                         data={"email": email, "password": password})
    assert resp.status_code == 200, resp.status_code
    assert resp.json() == {"email": email, "message": "logged in"}
    session_id = resp.cookies.get("session_id")
    assert session_id, "no session_id cookie was set"
    return session_id


def profile_unlogged() -> None:
    """Ask for the profile without a session cookie and expect 403."""
    resp = requests.get(f"{URL}/profile")
    assert resp.status_code == 403, resp.status_code


def profile_logged(session_id: str) -> None:
    """Ask for the profile with the session cookie and expect the email."""
    resp = requests.get(f"{URL}/profile", cookies={"session_id": session_id})
    assert resp.status_code == 200, resp.status_code
    assert resp.json() == {"email": EMAIL}


def log_out(session_id: str) -> None:
    """Log out and expect a redirect to the welcome page."""
    resp = requests.delete(f"{URL}/sessions",
                           cookies={"session_id": session_id})
    assert resp.history, "logging out did not redirect"
    assert resp.history[0].status_code in (302, 303)
    assert resp.status_code == 200, resp.status_code
    assert resp.json() == {"message": "Bienvenue"}


def reset_password_token(email: str) -> str:
    """Ask for a reset token, expect 200, and return the token."""
    resp = requests.post(f"{URL}/reset_password", data={"email": email})
    assert resp.status_code == 200, resp.status_code
    payload = resp.json()
    assert payload.get("email") == email
    reset_token = payload.get("reset_token")
    assert isinstance(reset_token, str) and reset_token
    assert payload == {"email": email, "reset_token": reset_token}
    return reset_token


def update_password(email: str, reset_token: str, new_password: str) -> None:
    """Change the password with the reset token and expect 200."""
    resp = requests.put(f"{URL}/reset_password",
                        data={"email": email, "reset_token": reset_token,
                              "new_password": new_password})
    assert resp.status_code == 200, resp.status_code
    assert resp.json() == {"email": email, "message": "Password updated"}


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
