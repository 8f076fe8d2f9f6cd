#!/usr/bin/env python3
"""Flask application exposing the authentication service over HTTP.

Form fields are read with `request.form[...]`, so a request that lacks one
gets Flask's own 400 Bad Request.
"""
from flask import Flask
from flask import Response
from flask import abort
from flask import jsonify
from flask import redirect
from flask import request
from flask import url_for

from auth import Auth

app = Flask(__name__)
AUTH = Auth()


@app.route("/", methods=["GET"])
def welcome() -> Response:
    """Return the JSON welcome message of the service."""
    return jsonify({"message": "Bienvenue"})


@app.route("/users", methods=["POST"])
def users() -> Response:
    """Register the user described by the `email` and `password` fields."""
    email = request.form["email"]
    password = request.form["password"]
    try:
        AUTH.register_user(email, password)
    except ValueError:
        response = jsonify({"message": "email already registered"})
        response.status_code = 400
        return response
    return jsonify({"email": email, "message": "user created"})


@app.route("/sessions", methods=["POST"])
def login() -> Response:
    """Open a session for valid credentials and set its cookie, else 401."""
    email = request.form["email"]
    password = request.form["password"]
    if not AUTH.valid_login(email, password):
        abort(401)
    session_id = AUTH.create_session(email)
    response = jsonify({"email": email, "message": "logged in"})
    response.set_cookie("session_id", session_id)
    return response


@app.route("/sessions", methods=["DELETE"])
def logout() -> Response:
    """Close the session named by the cookie and redirect to the index."""
    session_id = request.cookies.get("session_id")
    user = AUTH.get_user_from_session_id(session_id)
    if user is None:
        abort(403)
    AUTH.destroy_session(user.id)
    return redirect(url_for("welcome"))


@app.route("/profile", methods=["GET"])
def profile() -> Response:
    """Return the email of the logged-in user, or 403 without a session."""
    session_id = request.cookies.get("session_id")
    user = AUTH.get_user_from_session_id(session_id)
    if user is None:
        abort(403)
    return jsonify({"email": user.email})


@app.route("/reset_password", methods=["POST"])
def get_reset_password_token() -> Response:
    """Hand out a reset token for a registered email, or answer 403."""
    email = request.form["email"]
    try:
        token = AUTH.get_reset_password_token(email)
    except ValueError:
        abort(403)
    return jsonify({"email": email, "reset_token": token})


@app.route("/reset_password", methods=["PUT"])
def update_password() -> Response:
    """Set a new password given a valid reset token, or answer 403."""
    email = request.form["email"]
    reset_token = request.form["reset_token"]
    new_password = request.form["new_password"]
    try:
        AUTH.update_password(reset_token, new_password)
    except ValueError:
        abort(403)
    return jsonify({"email": email, "message": "Password updated"})


if __name__ == "__main__":
    app.run(host="0.0.0.0", port="5000")
