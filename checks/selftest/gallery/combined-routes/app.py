#!/usr/bin/env python3
"""Web API of the user authentication service, one view per path.

``/sessions`` and ``/reset_password`` accept two methods each; their view
looks at ``request.method`` to tell the two actions apart.
"""
from flask import Flask, abort, jsonify, make_response, redirect, request
from flask.typing import ResponseReturnValue

from auth import Auth

app = Flask(__name__)
app.url_map.strict_slashes = False
AUTH = Auth()


@app.route("/", methods=["GET"])
def index() -> ResponseReturnValue:
    """Answer the home page with a JSON welcome message."""
    return jsonify({"message": "Bienvenue"})


@app.route("/users", methods=["POST"])
def users() -> ResponseReturnValue:
    """Register a new user from the email and password form fields."""
    email = request.form.get("email")
    password = request.form.get("password")
    if not email or not password:
        return jsonify({"message": "email and password are required"}), 400
    try:
        AUTH.register_user(email, password)
    except ValueError:
        return jsonify({"message": "email already registered"}), 400
    return jsonify({"email": email, "message": "user created"})


@app.route("/sessions", methods=["POST", "DELETE"])
def sessions() -> ResponseReturnValue:
    """Log in with POST (form credentials) or log out with DELETE.

    Logging in answers 401 on bad credentials and sets the session_id
    cookie otherwise; logging out answers 403 unless the session_id
    cookie names a live session, then redirects to the home page.
    """
    if request.method == "DELETE":
        session_id = request.cookies.get("session_id")
        user = AUTH.get_user_from_session_id(session_id)
        if user is None:
            abort(403)
        AUTH.destroy_session(user.id)
        return redirect("/", code=302)
    email = request.form.get("email")
    password = request.form.get("password")
    if not email or not password or not AUTH.valid_login(email, password):
        abort(401)
    session_id = AUTH.create_session(email)
    if session_id is None:
        abort(401)
    response = make_response(jsonify({"email": email,
                                      "message": "logged in"}))
    response.set_cookie("session_id", session_id)
    return response


@app.route("/profile", methods=["GET"])
def profile() -> ResponseReturnValue:
    """Return the email of the user named by the session_id cookie."""
    user = AUTH.get_user_from_session_id(request.cookies.get("session_id"))
    if user is None:
        abort(403)
    return jsonify({"email": user.email})


@app.route("/reset_password", methods=["POST", "PUT"])
def reset_password() -> ResponseReturnValue:
    """Hand out a reset token with POST, or use one with PUT.

    POST takes an email and answers 403 if nobody has it. PUT takes the
    email, the reset token and the new password, and answers 403 when
    the token is not valid.
    """
    email = request.form.get("email")
    if request.method == "POST":
        try:
            reset_token = AUTH.get_reset_password_token(email or "")
        except ValueError:
            abort(403)
        return jsonify({"email": email, "reset_token": reset_token})
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
    app.run(host="0.0.0.0", port=5000)
