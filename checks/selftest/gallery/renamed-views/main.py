#!/usr/bin/env python3
"""Integration test: drive the running web service through a user's life.
"""
import requests

SERVER = "http://localhost:5000"


def register_user(email: str, password: str) -> None:
    """Assert that a new email can register through POST /users.
    """
    payload = {"email": email, "password": password}
    r = requests.post("{}/users".format(SERVER), data=payload)
    assert r.status_code == 200
    assert r.json() == {"email": email, "message": "user created"}
    r = requests.post("{}/users".format(SERVER), data=payload)
    assert r.status_code == 400
    assert r.json() == {"message": "email already registered"}


def log_in_wrong_password(email: str, password: str) -> None:
    """Assert that a login with a wrong password is rejected with 401.
    """
    r = requests.post("{}/sessions".format(SERVER),
                      data={"email": email, "password": password})
    assert r.status_code == 401
    assert "session_id" not in r.cookies


def log_in(email: str, password: str) -> str:
    """Assert that the right password logs in; return the session ID.
    """
    r = requests.post("{}/sessions".format(SERVER),
                      data={"email": email, "password": password})
    assert r.status_code == 200
    assert r.json() == {"email": email, "message": "logged in"}
    assert "session_id" in r.cookies
    return r.cookies["session_id"]


def profile_unlogged() -> None:
    """Assert that the profile is forbidden without a session cookie.
    """
    r = requests.get("{}/profile".format(SERVER))
    assert r.status_code == 403


def profile_logged(session_id: str) -> None:
    """Assert that the profile shows the email of the logged-in user.
    """
    r = requests.get("{}/profile".format(SERVER),
                     cookies={"session_id": session_id})
    assert r.status_code == 200
    assert r.json() == {"email": EMAIL}


def log_out(session_id: str) -> None:
    """Assert that logging out redirects to / and kills the session.
    """
    r = requests.delete("{}/sessions".format(SERVER),
                        cookies={"session_id": session_id})
    assert [h.status_code in (302, 303) for h in r.history] == [True]
    assert r.url.rstrip("/") == SERVER
    assert r.status_code == 200
    assert r.json() == {"message": "Bienvenue"}
    r = requests.delete("{}/sessions".format(SERVER),
                        cookies={"session_id": session_id})
    assert r.status_code == 403


def reset_password_token(email: str) -> str:
    """Assert that a reset token is given for the email; return it.
    """
    r = requests.post("{}/reset_password".format(SERVER),
                      data={"email": email})
    assert r.status_code == 200
    data = r.json()
    assert sorted(data) == ["email", "reset_token"]
    assert data["email"] == email
    return data["reset_token"]


def update_password(email: str, reset_token: str, new_password: str) -> None:
    """Assert that the reset token lets the password be changed once.
    """
    form = {"email": email, "reset_token": reset_token,
            "new_password": new_password}
    r = requests.put("{}/reset_password".format(SERVER), data=form)
    assert r.status_code == 200
    assert r.json() == {"email": email, "message": "Password updated"}
    r = requests.post("{}/sessions".format(SERVER),
                      data={"email": email, "password": PASSWD})
    assert r.status_code == 401


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
