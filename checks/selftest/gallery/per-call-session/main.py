#!/usr/bin/env python3
"""End-to-end test of the authentication service, run against a live server.

Start `python3 app.py` first (on a fresh database), then run this file: it
prints nothing when every request gets the expected answer.
"""
import requests

BASE_URL = "http://localhost:5000"


def register_user(email: str, password: str) -> None:
    """Check that POST /users registers a new user."""
    resp = requests.post(f"{BASE_URL}/users",
                         data={"email": email, "password": password})
    assert resp.status_code == 200, resp.status_code
    assert resp.json() == {"email": email, "message": "user created"}


def log_in_wrong_password(email: str, password: str) -> None:
    """Check that POST /sessions refuses a wrong password with a 401."""
    resp = requests.post(f"{BASE_URL}/sessions",
                         data={"email": email, "password": password})
    assert resp.status_code == 401, resp.status_code
    assert resp.cookies.get("session_id") is None


def log_in(email: str, password: str) -> str:
    """Check that POST /sessions logs in, and return the session ID."""
    resp = requests.post(f"{BASE_URL}/sessions",
                         data={"email": email, "password": password})
    assert resp.status_code == 200, resp.status_code
    assert resp.json() == {"email": email, "message": "logged in"}
    session_id = resp.cookies.get("session_id")
    assert session_id, "no session_id cookie"
    return session_id


def profile_unlogged() -> None:
    """Check that GET /profile without a session answers 403."""
    resp = requests.get(f"{BASE_URL}/profile")
    assert resp.status_code == 403, resp.status_code


def profile_logged(session_id: str) -> None:
    """Check that GET /profile with a valid session gives the email."""
    resp = requests.get(f"{BASE_URL}/profile",
                        cookies={"session_id": session_id})
    assert resp.status_code == 200, resp.status_code
    assert resp.json() == {"email": EMAIL}


def log_out(session_id: str) -> None:
    """Check that DELETE /sessions redirects home and ends the session."""
    resp = requests.delete(f"{BASE_URL}/sessions",
                           cookies={"session_id": session_id})
    assert resp.history, "no redirection"
    assert resp.history[0].status_code in (302, 303), resp.history
    assert resp.status_code == 200, resp.status_code
    assert resp.json() == {"message": "Bienvenue"}


def reset_password_token(email: str) -> str:
    """Check that POST /reset_password gives a token, and return it."""
    resp = requests.post(f"{BASE_URL}/reset_password", data={"email": email})
    assert resp.status_code == 200, resp.status_code
    body = resp.json()
    assert body.get("email") == email
    reset_token = body.get("reset_token")
    assert isinstance(reset_token, str) and reset_token
    return reset_token


def update_password(email: str, reset_token: str, new_password: str) -> None:
    """Check that PUT /reset_password changes the password."""
    resp = requests.put(f"{BASE_URL}/reset_password",
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
