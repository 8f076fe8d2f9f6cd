#!/usr/bin/env python3
"""End-to-end integration test of the authentication service.
"""
import requests


HOST = "localhost"
PORT = 5000
URL = f"http://{HOST}:{PORT}"


def register_user(email: str, password: str) -> None:
    """Register a new user and check the answer.
    """
    response = requests.post(URL + "/users",
                             data={"email": email, "password": password})
    assert response.status_code == 200
    assert response.json() == {"email": email, "message": "user created"}


def log_in_wrong_password(email: str, password: str) -> None:
    """Try to log in with a wrong password and check it is refused.
    """
    response = requests.post(URL + "/sessions",
                             data={"email": email, "password": password})
    assert response.status_code == 401
    assert "session_id" not in response.cookies


def log_in(email: str, password: str) -> str:
    """Log in with the right password and return the session ID.
    """
    response = requests.post(URL + "/sessions",
                             data={"email": email, "password": password})
    assert response.status_code == 200
    assert response.json() == {"email": email, "message": "logged in"}
    session_id = response.cookies.get("session_id")
    assert session_id is not None
    return session_id


def profile_unlogged() -> None:
    """Ask for the profile without a session and check it is forbidden.
    """
    response = requests.get(URL + "/profile")
    assert response.status_code == 403


def profile_logged(session_id: str) -> None:
    """Ask for the profile with a session and check the email comes back.
    """
    response = requests.get(URL + "/profile",
                            cookies={"session_id": session_id})
    assert response.status_code == 200
    assert response.json() == {"email": EMAIL}


def log_out(session_id: str) -> None:
    """Log out and check the redirection to the home page.
    """
    response = requests.delete(URL + "/sessions",
                               cookies={"session_id": session_id})
    assert response.status_code == 200
    assert response.json() == {"message": "Bienvenue"}
    assert len(response.history) == 1
    assert response.history[0].status_code in (302, 303)
    response = requests.get(URL + "/profile",
                            cookies={"session_id": session_id})
    assert response.status_code == 403


def reset_password_token(email: str) -> str:
    """Ask for a reset password token and return it.
    """
    response = requests.post(URL + "/reset_password", data={"email": email})
    assert response.status_code == 200
    payload = response.json()
    assert payload["email"] == email
    assert payload["reset_token"]
    return payload["reset_token"]


def update_password(email: str, reset_token: str, new_password: str) -> None:
    """Change the password with the reset token and check the answer.
    """
    response = requests.put(URL + "/reset_password",
                            data={"email": email,
                                  "reset_token": reset_token,
                                  "new_password": new_password})
    assert response.status_code == 200
    assert response.json() == {"email": email, "message": "Password updated"}


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
