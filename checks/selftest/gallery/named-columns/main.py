#!/usr/bin/env python3
"""End-to-end test of the authentication service running on localhost:5000.

Start a fresh server with `python3 app.py`, then run this file: it prints
nothing when every endpoint behaves, and stops at the first step that does
not, naming the step, what it expected and what it got.
"""
from typing import Any
from typing import Dict

import requests

BASE_URL = "http://localhost:5000"
TIMEOUT = 10


def check(step: str, response: requests.Response, status: int,
          payload: Any = None) -> None:
    """Assert a response's status code and, when given, its JSON payload."""
    assert response.status_code == status, \
        "{}: expected status {}, got {}: {}".format(
            step, status, response.status_code, response.text[:200])
    if payload is not None:
        assert response.json() == payload, \
            "{}: expected {}, got {}".format(step, payload, response.text)


def form(**fields: str) -> Dict[str, str]:
    """Return form fields to send with a request."""
    return fields


def register_user(email: str, password: str) -> None:
    """Register a new user: 200 and "user created"."""
    response = requests.post(BASE_URL + "/users", timeout=TIMEOUT,
                             data=form(email=email, password=password))
    check("register_user", response, 200,
          {"email": email, "message": "user created"})


def log_in_wrong_password(email: str, password: str) -> None:
    """Log in with a wrong password: 401 and no session cookie."""
    response = requests.post(BASE_URL + "/sessions", timeout=TIMEOUT,
                             data=form(email=email, password=password))
    check("log_in_wrong_password", response, 401)
    assert "session_id" not in response.cookies, \
        "log_in_wrong_password: a session cookie was set"


def log_in(email: str, password: str) -> str:
    """Log in: 200, "logged in", and a session cookie, which it returns."""
    response = requests.post(BASE_URL + "/sessions", timeout=TIMEOUT,
                             data=form(email=email, password=password))
    check("log_in", response, 200, {"email": email, "message": "logged in"})
    session_id = response.cookies.get("session_id")
    assert session_id, "log_in: no session_id cookie in the response"
    return session_id


def profile_unlogged() -> None:
    """Ask for the profile without a session cookie: 403."""
    response = requests.get(BASE_URL + "/profile", timeout=TIMEOUT)
    check("profile_unlogged", response, 403)


def profile_logged(session_id: str) -> None:
    """Ask for the profile with a session cookie: 200 and the email."""
    response = requests.get(BASE_URL + "/profile", timeout=TIMEOUT,
                            cookies={"session_id": session_id})
    check("profile_logged", response, 200, {"email": EMAIL})


def log_out(session_id: str) -> None:
    """Log out: a redirect to "/", then the session no longer works."""
    response = requests.delete(BASE_URL + "/sessions", timeout=TIMEOUT,
                               cookies={"session_id": session_id})
    assert [r.status_code for r in response.history] in ([302], [303]), \
        "log_out: expected one 302 redirect, got {}".format(
            [r.status_code for r in response.history])
    check("log_out (the redirect to /)", response, 200,
          {"message": "Bienvenue"})
    response = requests.get(BASE_URL + "/profile", timeout=TIMEOUT,
                            cookies={"session_id": session_id})
    check("log_out (the old session afterwards)", response, 403)


def reset_password_token(email: str) -> str:
    """Ask for a reset token: 200, the email and the token it returns."""
    response = requests.post(BASE_URL + "/reset_password", timeout=TIMEOUT,
                             data=form(email=email))
    check("reset_password_token", response, 200)
    body = response.json()
    assert body.get("email") == email and body.get("reset_token"), \
        "reset_password_token: unexpected payload {}".format(response.text)
    return str(body["reset_token"])


def update_password(email: str, reset_token: str, new_password: str) -> None:
    """Reset the password with the token: 200 and "Password updated"."""
    response = requests.put(BASE_URL + "/reset_password", timeout=TIMEOUT,
                            data=form(email=email, reset_token=reset_token,
                                      new_password=new_password))
    check("update_password", response, 200,
          {"email": email, "message": "Password updated"})


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
