#!/usr/bin/env python3
"""Main module: end-to-end integration test of the authentication API.

It expects the app to be freshly started on http://localhost:5000.
"""
import requests

EMAIL = "guillaume@holberton.io"
PASSWD = "b4l0u"
NEW_PASSWD = "t4rt1fl3tt3"
URL = "http://localhost:5000"


def url(path: str) -> str:
    """Return the full URL of a path on the running server."""
    return URL + path


def register_user(email: str, password: str) -> None:
    """Test registering a new user with POST /users."""
    response = requests.post(url("/users"),
                             data={"email": email, "password": password})
    assert response.status_code == 200
    assert response.json() == {"email": email, "message": "user created"}


def log_in_wrong_password(email: str, password: str) -> None:
    """Test that POST /sessions with a wrong password gives 401."""
    response = requests.post(url("/sessions"),
                             data={"email": email, "password": password})
    assert response.status_code == 401


def log_in(email: str, password: str) -> str:
    """Test logging in with POST /sessions and return the session ID."""
    response = requests.post(url("/sessions"),
                             data={"email": email, "password": password})
    assert response.status_code == 200
    assert response.json() == {"email": email, "message": "logged in"}
    session_id = response.cookies.get("session_id")
    assert session_id is not None
    return session_id


def profile_unlogged() -> None:
    """Test that GET /profile without a session gives 403."""
    response = requests.get(url("/profile"))
    assert response.status_code == 403


def profile_logged(session_id: str) -> None:
    """Test that GET /profile with a session gives the user's email."""
    response = requests.get(url("/profile"),
                            cookies={"session_id": session_id})
    assert response.status_code == 200
    assert response.json() == {"email": EMAIL}


def log_out(session_id: str) -> None:
    """Test that DELETE /sessions logs out and redirects to GET /."""
    response = requests.delete(url("/sessions"),
                               cookies={"session_id": session_id})
    assert [r.status_code for r in response.history] in ([302], [303])
    assert response.status_code == 200
    assert response.json() == {"message": "Bienvenue"}


def reset_password_token(email: str) -> str:
    """Test POST /reset_password and return the reset token."""
    response = requests.post(url("/reset_password"), data={"email": email})
    assert response.status_code == 200
    payload = response.json()
    reset_token = payload.get("reset_token")
    assert reset_token
    assert payload == {"email": email, "reset_token": reset_token}
    return reset_token


def update_password(email: str, reset_token: str, new_password: str) -> None:
    """Test changing the password with PUT /reset_password."""
    response = requests.put(url("/reset_password"),
                            data={"email": email, "reset_token": reset_token,
                                  "new_password": new_password})
    assert response.status_code == 200
    assert response.json() == {"email": email, "message": "Password updated"}


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
