#!/usr/bin/env python3
"""Integration test: drive the running service through a user's life.

Run ``python3 app.py`` in another terminal first.  Every request is sent on
its own (no requests.Session); the session cookie is passed by hand.  Any
unexpected answer stops the script with an AssertionError.
"""
from typing import Any, Dict
from urllib.parse import urljoin, urlparse

import requests

URL = "http://localhost:5000"


def check_status(response: requests.Response, expected: int) -> None:
    """Assert that the response came back with the expected status code."""
    assert response.status_code == expected, "{} {}: {} instead of {}".format(
        response.request.method, response.url, response.status_code,
        expected)


def check_json(response: requests.Response, expected: Dict[str, Any]) -> None:
    """Assert that the response's JSON payload is exactly the expected one."""
    payload = response.json()
    assert payload == expected, "{}: {} instead of {}".format(
        response.url, payload, expected)


def check_redirect_home(response: requests.Response) -> None:
    """Assert that the response redirects the client to GET /."""
    assert response.status_code in (302, 303), response.status_code
    target = urljoin(response.url, response.headers.get("Location", ""))
    assert urlparse(target).path == "/", target


def session_cookie(response: requests.Response) -> str:
    """Return the session_id cookie the response sets, asserting it does."""
    session_id = response.cookies.get("session_id")
    assert session_id, "no session_id cookie was set"
    return session_id


def register_user(email: str, password: str) -> None:
    """Register the user and expect a 200 with the 'user created' message."""
    response = requests.post(URL + "/users",
                             data={"email": email, "password": password})
    check_status(response, 200)
    check_json(response, {"email": email, "message": "user created"})


def log_in_wrong_password(email: str, password: str) -> None:
    """Log in with a wrong password and expect a 401 and no cookie."""
    response = requests.post(URL + "/sessions",
                             data={"email": email, "password": password})
    check_status(response, 401)
    assert "session_id" not in response.cookies


def log_in(email: str, password: str) -> str:
    """Log in, expect the 'logged in' answer, return the session ID."""
    response = requests.post(URL + "/sessions",
                             data={"email": email, "password": password})
    check_status(response, 200)
    check_json(response, {"email": email, "message": "logged in"})
    return session_cookie(response)


def profile_unlogged() -> None:
    """Ask for the profile with no session cookie and expect a 403."""
    response = requests.get(URL + "/profile")
    check_status(response, 403)


def profile_logged(session_id: str) -> None:
    """Ask for the profile with the session cookie and expect the email."""
    response = requests.get(URL + "/profile",
                            cookies={"session_id": session_id})
    check_status(response, 200)
    check_json(response, {"email": EMAIL})


def log_out(session_id: str) -> None:
    """Log out, expect a redirect home, then check the session is dead."""
    response = requests.delete(URL + "/sessions",
                               cookies={"session_id": session_id},
                               allow_redirects=False)
    check_redirect_home(response)
    home = requests.get(URL + "/")
    check_status(home, 200)
    check_json(home, {"message": "Bienvenue"})
    response = requests.get(URL + "/profile",
                            cookies={"session_id": session_id})
    check_status(response, 403)


def reset_password_token(email: str) -> str:
    """Ask for a reset token for the email and return it."""
    response = requests.post(URL + "/reset_password", data={"email": email})
    check_status(response, 200)
    reset_token = response.json().get("reset_token")
    assert isinstance(reset_token, str) and reset_token, "no reset_token"
    check_json(response, {"email": email, "reset_token": reset_token})
    return reset_token


def update_password(email: str, reset_token: str, new_password: str) -> None:
    """Change the password with the reset token and expect a 200."""
    response = requests.put(URL + "/reset_password",
                            data={"email": email,
                                  "reset_token": reset_token,
                                  "new_password": new_password})
    check_status(response, 200)
    check_json(response, {"email": email, "message": "Password updated"})


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
