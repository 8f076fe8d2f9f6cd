#!/usr/bin/env python3
"""Flask app of the user authentication service.

Form fields are read with ``request.form[...]``: a missing one makes Flask
answer 400 Bad Request by itself.
"""
from typing import Tuple

from flask import Flask, Response, abort, jsonify, redirect, request, url_for

from auth import Auth

app = Flask(__name__)
AUTH = Auth()


@app.route("/", methods=["GET"])
def welcome() -> Tuple[Response, int]:
    """Return the welcome message."""
    return jsonify({"message": "Bienvenue"}), 200


@app.route("/users", methods=["POST"])
def users() -> Tuple[Response, int]:
    """Register a user from the email and password form fields."""
    email = request.form["email"]
    try:
        AUTH.register_user(email, request.form["password"])
    except ValueError:
        return jsonify({"message": "email already registered"}), 400
    return jsonify({"email": email, "message": "user created"}), 200


@app.route("/sessions", methods=["POST"])
def login() -> Tuple[Response, int]:
    """Log in and set the session_id cookie, or answer 401."""
    email = request.form["email"]
    if not AUTH.valid_login(email, request.form["password"]):
        abort(401)
    response = jsonify({"email": email, "message": "logged in"})
    response.set_cookie("session_id", AUTH.create_session(email))
    return response, 200


@app.route("/sessions", methods=["DELETE"])
def logout() -> Response:
    """Destroy the session from the cookie and redirect to the index."""
    user = AUTH.get_user_from_session_id(request.cookies.get("session_id"))
    if user is None:
        abort(403)
    AUTH.destroy_session(user.id)
    return redirect(url_for("welcome"))


@app.route("/profile", methods=["GET"])
def profile() -> Tuple[Response, int]:
    """Return the email of the logged-in user, or answer 403."""
    user = AUTH.get_user_from_session_id(request.cookies.get("session_id"))
    if user is None:
        abort(403)
    return jsonify({"email": user.email}), 200


@app.route("/reset_password", methods=["POST"])
def get_reset_password_token() -> Tuple[Response, int]:
    """Return a reset token for a registered email, or answer 403."""
    email = request.form["email"]
    try:
        token = AUTH.get_reset_password_token(email)
    except ValueError:
        abort(403)
    return jsonify({"email": email, "reset_token": token}), 200


@app.route("/reset_password", methods=["PUT"])
def update_password() -> Tuple[Response, int]:
    """Set a new password with a reset token, or answer 403."""
    email = request.form["email"]
    try:
        AUTH.update_password(request.form["reset_token"],
                             request.form["new_password"])
    except ValueError:
        abort(403)
    return jsonify({"email": email, "message": "Password updated"}), 200


if __name__ == "__main__":
    app.run(host="0.0.0.0", port="5000")
