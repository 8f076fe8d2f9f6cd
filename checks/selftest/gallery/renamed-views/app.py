#!/usr/bin/env python3
"""Routes of the user authentication service, served by Flask.
"""
from flask import Flask, Response, abort, jsonify, make_response
from flask import redirect, request

from auth import Auth

app = Flask(__name__)
AUTH = Auth()


@app.get("/")
def home() -> Response:
    """Answer the home page with a JSON welcome message.
    """
    return jsonify({"message": "Bienvenue"})


@app.post("/users")
def register() -> Response:
    """Create an account from the email and password of the form.
    """
    email = request.form.get("email")
    password = request.form.get("password")
    try:
        user = AUTH.register_user(email, password)
    except ValueError:
        response = jsonify({"message": "email already registered"})
        response.status_code = 400
        return response
    return jsonify({"email": user.email, "message": "user created"})


@app.post("/sessions")
def log_in() -> Response:
    """Check the credentials, then start a session stored in a cookie.
    """
    email = request.form.get("email")
    password = request.form.get("password")
    if not AUTH.valid_login(email, password):
        abort(401)
    session_id = AUTH.create_session(email)
    response = make_response(jsonify({"email": email,
                                      "message": "logged in"}))
    response.set_cookie("session_id", session_id)
    return response


@app.delete("/sessions")
def log_out() -> Response:
    """Forget the session of the cookie and send the user home.
    """
    user = AUTH.get_user_from_session_id(request.cookies.get("session_id"))
    if user is None:
        abort(403)
    AUTH.destroy_session(user.id)
    return redirect("/")


@app.get("/profile")
def user_profile() -> Response:
    """Give the email of the logged-in user found from the cookie.
    """
    user = AUTH.get_user_from_session_id(request.cookies.get("session_id"))
    if user is None:
        abort(403)
    return jsonify({"email": user.email})


@app.post("/reset_password")
def reset_token() -> Response:
    """Issue a reset token for the email posted in the form.
    """
    email = request.form.get("email")
    try:
        token = AUTH.get_reset_password_token(email)
    except ValueError:
        abort(403)
    return jsonify({"email": email, "reset_token": token})


@app.put("/reset_password")
def new_password() -> Response:
    """Set a new password when the reset token in the form is valid.
    """
    email = request.form.get("email")
    token = request.form.get("reset_token")
    password = request.form.get("new_password")
    try:
        AUTH.update_password(token, password)
    except ValueError:
        abort(403)
    return jsonify({"email": email, "message": "Password updated"})


if __name__ == "__main__":
    app.run(host="0.0.0.0", port="5000")
