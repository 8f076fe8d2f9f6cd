#!/usr/bin/env python3
"""Flask front end of the user authentication service.

Every view talks to the Auth object only; errors are raised with abort.
"""
from typing import Tuple

from flask import Flask, Response, abort, jsonify, redirect, request

from auth import Auth

app = Flask(__name__)
AUTH = Auth()


@app.route("/", methods=["GET"])
def index() -> Response:
    """Greet the visitor with a welcome message in JSON."""
    return jsonify({"message": "Bienvenue"})


@app.route("/users", methods=["POST"])
def users() -> Tuple[Response, int]:
    """Register the user given by the email and password form fields."""
    email = request.form.get("email")
    password = request.form.get("password")
    if not email or not password:
        abort(400)
    try:
        user = AUTH.register_user(email, password)
    except ValueError:
        return jsonify({"message": "email already registered"}), 400
    return jsonify({"email": user.email, "message": "user created"}), 200


@app.route("/sessions", methods=["POST"])
def login() -> Response:
    """Log a user in and hand the new session ID back in a cookie."""
    email = request.form.get("email")
    password = request.form.get("password")
    if not email or not password or not AUTH.valid_login(email, password):
        abort(401)
    session_id = AUTH.create_session(email)
    if session_id is None:
        abort(401)
    response = jsonify({"email": email, "message": "logged in"})
    response.set_cookie("session_id", session_id)
    return response


@app.route("/sessions", methods=["DELETE"])
def logout() -> Response:
    """End the session named by the cookie and redirect to the index."""
    user = AUTH.get_user_from_session_id(request.cookies.get("session_id"))
    if user is None:
        abort(403)
    AUTH.destroy_session(user.id)
    return redirect("/")


@app.route("/profile", methods=["GET"])
def profile() -> Response:
    """Show the email of the user whose session cookie is sent."""
    user = AUTH.get_user_from_session_id(request.cookies.get("session_id"))
    if user is None:
        abort(403)
    return jsonify({"email": user.email})


@app.route("/reset_password", methods=["POST"])
def get_reset_password_token() -> Response:
    """Create a password reset token for a registered email."""
    email = request.form.get("email")
    if not email:
        abort(403)
    try:
        token = AUTH.get_reset_password_token(email)
    except ValueError:
        abort(403)
    return jsonify({"email": email, "reset_token": token})


@app.route("/reset_password", methods=["PUT"])
def update_password() -> Response:
    """Replace a password, given a valid reset token, and confirm it."""
    email = request.form.get("email")
    reset_token = request.form.get("reset_token")
    new_password = request.form.get("new_password")
    if not reset_token or not new_password:
        abort(403)
    try:
        AUTH.update_password(reset_token, new_password)
    except ValueError:
        abort(403)
    return jsonify({"email": email, "message": "Password updated"})


if __name__ == "__main__":
    app.run(host="0.0.0.0", port="5000")
