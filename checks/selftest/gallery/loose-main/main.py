#!/usr/bin/env python3
"""Integration test of the authentication service on localhost:5000.

Each function sends one request with `requests` and asserts its status code
and the payload's keys and messages; values the server makes up (ids,
tokens) are only checked to be there.
"""
from typing import Any
from typing import Dict

import requests

URL = "http://localhost:5000"


def payload(response: requests.Response) -> Dict[str, Any]:
    """Return the JSON object a response carries, asserting there is one."""
    body = response.json()
    assert isinstance(body, dict), "not a JSON object: {}".format(body)
    return body


def register_user(email: str, password: str) -> None:
    """A new email registers: 200 and the message "user created"."""
    response = requests.post(URL + "/users",
                             data={"email": email, "password": password})
    assert response.status_code == 200, response.status_code
    body = payload(response)
    assert "email" in body, body
    assert body["message"] == "user created", body


def log_in_wrong_password(email: str, password: str) -> None:
    """A wrong password is refused with 401."""
    response = requests.post(URL + "/sessions",
                             data={"email": email, "password": password})
    assert response.status_code == 401, response.status_code


def log_in(email: str, password: str) -> str:
    """The right password logs in: 200, "logged in" and a session cookie."""
    response = requests.post(URL + "/sessions",
                             data={"email": email, "password": password})
    assert response.status_code == 200, response.status_code
    body = payload(response)
    assert "email" in body, body
    assert body["message"] == "logged in", body
    session_id = response.cookies.get("session_id")
    assert session_id, "no session_id cookie"
    return session_id


def profile_unlogged() -> None:
    """Without a session cookie, the profile is forbidden."""
    response = requests.get(URL + "/profile")
    assert response.status_code == 403, response.status_code


def profile_logged(session_id: str) -> None:
    """With the session cookie, the profile answers 200 with an email."""
    response = requests.get(URL + "/profile",
                            cookies={"session_id": session_id})
    assert response.status_code == 200, response.status_code
    assert "email" in payload(response), response.text


def log_out(session_id: str) -> None:
    """Logging out redirects, and requests follows the redirect to GET /."""
    response = requests.delete(URL + "/sessions",
                               cookies={"session_id": session_id})
    assert response.history, "DELETE /sessions did not redirect"
    assert response.history[0].status_code == 302, \
        response.history[0].status_code
    assert response.status_code == 200, response.status_code


def reset_password_token(email: str) -> str:
    """A registered email gets a reset token, which is returned."""
    response = requests.post(URL + "/reset_password", data={"email": email})
    assert response.status_code == 200, response.status_code
    body = payload(response)
    assert "email" in body, body
    assert body.get("reset_token"), body
    return body["reset_token"]


def update_password(email: str, reset_token: str, new_password: str) -> None:
    """The reset token sets a new password: 200 and "Password updated"."""
    response = requests.put(URL + "/reset_password",
                            data={"email": email, "reset_token": reset_token,
                                  "new_password": new_password})
    assert response.status_code == 200, response.status_code
    body = payload(response)
    assert "email" in body, body
    assert body["message"] == "Password updated", body


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
