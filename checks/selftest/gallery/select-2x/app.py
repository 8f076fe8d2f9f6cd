#!/usr/bin/env python3
"""The Flask web API of the authentication service.

Views return plain dictionaries, which Flask sends as JSON responses.
"""
from typing import Dict
from typing import Tuple

from flask import Flask
from flask import abort
from flask import make_response
from flask import redirect
from flask import request
from werkzeug.wrappers import Response

from auth import Auth

app = Flask(__name__)
AUTH = Auth()


@app.get("/")
def index() -> Dict[str, str]:
    """Greet the visitor with a welcome message."""
    return {"message": "Bienvenue"}


@app.post("/users")
def users() -> Tuple[Dict[str, str], int]:
    """Register a user from the `email` and `password` form fields."""
    email = request.form.get("email")
    password = request.form.get("password")
    if not email or not password:
        abort(400)
    try:
        AUTH.register_user(email, password)
    except ValueError:
        return {"message": "email already registered"}, 400
    return {"email": email, "message": "user created"}, 200


@app.post("/sessions")
def login() -> Response:
    """Log a user in and set the `session_id` cookie, or answer 401."""
    email = request.form.get("email")
    password = request.form.get("password")
    if not email or not password or not AUTH.valid_login(email, password):
        abort(401)
    session_id = AUTH.create_session(email)
    if session_id is None:
        abort(401)
    response = make_response({"email": email, "message": "logged in"})
    response.set_cookie("session_id", session_id)
    return response


@app.delete("/sessions")
def logout() -> Response:
    """Log the cookie's user out and send them to `/`, or answer 403."""
    user = AUTH.get_user_from_session_id(request.cookies.get("session_id"))
    if user is None:
        abort(403)
    AUTH.destroy_session(user.id)
    return redirect("/")


@app.get("/profile")
def profile() -> Dict[str, str]:
    """Show the email of the user the session cookie belongs to, or 403."""
    user = AUTH.get_user_from_session_id(request.cookies.get("session_id"))
    if user is None:
        abort(403)
    return {"email": user.email}


@app.post("/reset_password")
def get_reset_password_token() -> Dict[str, str]:
    """Give a reset token to a registered email, or answer 403."""
    email = request.form.get("email", "")
    try:
        reset_token = AUTH.get_reset_password_token(email)
    except ValueError:
        abort(403)
    return {"email": email, "reset_token": reset_token}


@app.put("/reset_password")
def update_password() -> Dict[str, str]:
    """Change a password with a valid reset token, or answer 403."""
    email = request.form.get("email", "")
    reset_token = request.form.get("reset_token", "")
    new_password = request.form.get("new_password")
    if not new_password:
        abort(400)
    try:
        AUTH.update_password(reset_token, new_password)
    except ValueError:
        abort(403)
    return {"email": email, "message": "Password updated"}


if __name__ == "__main__":
    app.run(host="0.0.0.0", port="5000")
