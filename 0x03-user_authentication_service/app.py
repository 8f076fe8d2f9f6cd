#!/usr/bin/env python3
"""The authentication service's web API, a Flask app.

Every view reads its form fields, asks `AUTH` and answers in JSON; the app
never touches the database itself.

It needs nothing of auth.py but the page's `Auth`, so that it runs beside
any auth.py that keeps the contract.
"""
from typing import Optional
from typing import Tuple

from flask import Flask
from flask import abort
from flask import jsonify
from flask import redirect
from flask import request
from werkzeug.wrappers import Response

from auth import Auth

SESSION_COOKIE = "session_id"
# bcrypt reads only a password's first 72 bytes: a longer one is refused
# here, with 400, rather than cut short (Auth refuses it too).
MAX_PASSWORD_BYTES = 72
TOO_LONG = "Passwords are limited to {} bytes".format(MAX_PASSWORD_BYTES)

app = Flask(__name__)
# Form posts of a few fields need far less; a huge body is answered 413.
app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
# FLASK_SESSION_COOKIE_SECURE=true adds the Secure flag behind HTTPS.
app.config.from_prefixed_env()
AUTH = Auth()


def form_field(name: str) -> Optional[str]:
    """Return a form field, or None when it is missing or empty."""
    return request.form.get(name) or None


def too_long(password: str) -> bool:
    """Tell whether bcrypt could not use all of a password."""
    return len(password.encode("utf-8")) > MAX_PASSWORD_BYTES


@app.route("/", methods=["GET"], strict_slashes=False)
def index() -> Response:
    """Welcome the client."""
    return jsonify({"message": "Bienvenue"})


@app.route("/users", methods=["POST"], strict_slashes=False)
def users() -> Tuple[Response, int]:
    """Register the user given by the form's email and password."""
    email, password = form_field("email"), form_field("password")
    if email is None or password is None:
        return jsonify({"message": "email and password are required"}), 400
    if too_long(password):
        return jsonify({"message": TOO_LONG}), 400
    try:
        AUTH.register_user(email, password)
    except ValueError:
        return jsonify({"message": "email already registered"}), 400
    return jsonify({"email": email, "message": "user created"}), 200


@app.route("/sessions", methods=["POST"], strict_slashes=False)
def login() -> Response:
    """Log the user in and hand back the session id in a cookie."""
    email, password = form_field("email"), form_field("password")
    if email is None or password is None:
        abort(401)
    if not AUTH.valid_login(email, password):
        abort(401)
    session_id = AUTH.create_session(email)
    if session_id is None:
        abort(401)
    response = jsonify({"email": email, "message": "logged in"})
    response.set_cookie(SESSION_COOKIE, session_id, httponly=True,
                        samesite="Lax",
                        secure=bool(app.config["SESSION_COOKIE_SECURE"]))
    return response


@app.route("/sessions", methods=["DELETE"], strict_slashes=False)
def logout() -> Response:
    """End the session named by the cookie, then redirect to the index."""
    user = AUTH.get_user_from_session_id(request.cookies.get(SESSION_COOKIE))
    if user is None:
        abort(403)
    AUTH.destroy_session(user.id)
    response = redirect("/")
    response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="Lax")
    return response


@app.route("/profile", methods=["GET"], strict_slashes=False)
def profile() -> Response:
    """Return the email of the user whose session cookie came along."""
    user = AUTH.get_user_from_session_id(request.cookies.get(SESSION_COOKIE))
    if user is None:
        abort(403)
    return jsonify({"email": user.email})


@app.route("/reset_password", methods=["POST"], strict_slashes=False)
def get_reset_password_token() -> Response:
    """Give the registered email in the form a password reset token."""
    email = form_field("email")
    if email is None:
        abort(403)
    try:
        reset_token = AUTH.get_reset_password_token(email)
    except ValueError:
        abort(403)
    return jsonify({"email": email, "reset_token": reset_token})


@app.route("/reset_password", methods=["PUT"], strict_slashes=False)
def update_password() -> Tuple[Response, int]:
    """Set a new password for the holder of the form's reset token."""
    email = form_field("email")
    reset_token = form_field("reset_token")
    new_password = form_field("new_password")
    if email is None or reset_token is None or new_password is None:
        abort(403)
    if too_long(new_password):
        return jsonify({"message": TOO_LONG}), 400
    try:
        AUTH.update_password(reset_token, new_password)
    except ValueError:
        abort(403)
    return jsonify({"email": email, "message": "Password updated"}), 200


if __name__ == "__main__":
    # debug=False: FLASK_DEBUG in the environment must not start the
    # interactive debugger on a server that listens on every interface.
    app.run(host="0.0.0.0", port=5000, debug=False)
