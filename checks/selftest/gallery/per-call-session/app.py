#!/usr/bin/env python3
"""Flask web API of the user authentication service.

Every route answers in JSON and goes through `AUTH`, never the database.
"""
from typing import Tuple
from typing import Union

from flask import Flask
from flask import Response
from flask import jsonify
from flask import redirect
from flask import request
from flask import url_for

from auth import Auth

app = Flask(__name__)
AUTH = Auth()

JsonAnswer = Union[Response, Tuple[Response, int]]


@app.route("/", methods=["GET"])
def index() -> Response:
    """Greet the visitor with a welcome message."""
    return jsonify({"message": "Bienvenue"})


@app.route("/users", methods=["POST"])
def users() -> JsonAnswer:
    """Register the user given by the email and password form fields."""
    email = request.form.get("email")
    password = request.form.get("password")
    try:
        AUTH.register_user(email, password)
    except ValueError:
        return jsonify({"message": "email already registered"}), 400
    return jsonify({"email": email, "message": "user created"})


@app.route("/sessions", methods=["POST"])
def login() -> JsonAnswer:
    """Log a user in and hand them a session_id cookie."""
    email = request.form.get("email")
    password = request.form.get("password")
    if not AUTH.valid_login(email, password):
        return jsonify({"message": "wrong email or password"}), 401
    session_id = AUTH.create_session(email)
    response = jsonify({"email": email, "message": "logged in"})
    response.set_cookie("session_id", session_id)
    return response


@app.route("/sessions", methods=["DELETE"])
def logout() -> JsonAnswer:
    """End the session named by the cookie and go back to the home page."""
    user = AUTH.get_user_from_session_id(request.cookies.get("session_id"))
    if user is None:
        return jsonify({"message": "forbidden"}), 403
    AUTH.destroy_session(user.id)
    return redirect(url_for("index"))


@app.route("/profile", methods=["GET"])
def profile() -> JsonAnswer:
    """Show the email of the user whose session cookie is sent."""
    user = AUTH.get_user_from_session_id(request.cookies.get("session_id"))
    if user is None:
        return jsonify({"message": "forbidden"}), 403
    return jsonify({"email": user.email})


@app.route("/reset_password", methods=["POST"])
def get_reset_password_token() -> JsonAnswer:
    """Hand out a password reset token for a registered email."""
    email = request.form.get("email")
    try:
        reset_token = AUTH.get_reset_password_token(email)
    except ValueError:
        return jsonify({"message": "forbidden"}), 403
    return jsonify({"email": email, "reset_token": reset_token})


@app.route("/reset_password", methods=["PUT"])
def update_password() -> JsonAnswer:
    """Replace the password of the user holding the reset token."""
    email = request.form.get("email")
    reset_token = request.form.get("reset_token")
    new_password = request.form.get("new_password")
    try:
        AUTH.update_password(reset_token, new_password)
    except ValueError:
        return jsonify({"message": "forbidden"}), 403
    return jsonify({"email": email, "message": "Password updated"})


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000)
