"""The checker's own model of the service's HTTP contract, breakable.

Task 20 runs the learner's main.py against this app intact, where it must
pass, and with one known fault at a time, where it must fail: an
integration test that passes against a broken server tests nothing. The
faults of BREAKAGES are task 20's; those of EXACT_BREAKAGES, which only
exact asserts catch, are beyond B13's. The model keeps users in memory; it
is never the reference solution.
"""
import uuid
from typing import Any
from typing import Dict
from typing import Optional

# Faults that any honest check of "the expected status code and payload"
# catches (task 20): a wrong status, a missing cookie, a payload without
# its keys or with the wrong message, a step that has no effect (the next
# login's status shows it). Checks read this table.
BREAKAGES: Dict[str, str] = {
    "users-status": "POST /users answers 201 instead of 200",
    "users-payload": "POST /users answers message \"created\"",
    "wrong-password-accepted": "POST /sessions accepts a wrong password",
    "no-session-cookie": "POST /sessions sets no session_id cookie",
    "login-payload": "POST /sessions answers message \"welcome\"",
    "profile-without-cookie": "GET /profile answers 200 without a cookie",
    "logout-forbidden": "DELETE /sessions answers 403 to a valid session",
    "reset-token-status": "POST /reset_password answers 403",
    "reset-token-missing": "POST /reset_password omits reset_token",
    "update-status": "PUT /reset_password answers 403 to a valid token",
    "update-payload": "PUT /reset_password says \"password updated\"",
    "update-ignored": "PUT /reset_password keeps the old password",
}
# Faults with the right status and the right keys, but a wrong value that
# only an exact assert catches (beyond B13): the page does not ask main.py
# to compare every value, and a main.py that does not is still honest.
EXACT_BREAKAGES: Dict[str, str] = {
    "profile-payload": "GET /profile answers another user's email",
    "index-payload": "GET / (after the logout redirect) says \"Welcome\"",
}


def make_app(breakage: Optional[str] = None) -> Any:
    """Return a model app, intact or with one fault from BREAKAGES or
    EXACT_BREAKAGES.

    Flask is imported here, not above, so that the checker can read
    BREAKAGES without importing Flask.
    """
    from flask import Flask
    from flask import abort
    from flask import jsonify
    from flask import redirect
    from flask import request
    app = Flask("model")
    users: Dict[str, Dict[str, Any]] = {}

    def broken(name: str) -> bool:
        """Tell whether this app carries the named fault."""
        return breakage == name

    def by(field: str, value: Optional[str]) -> Optional[Dict[str, Any]]:
        """Return the user whose field has this (non-empty) value."""
        found = [user for user in users.values()
                 if value and user[field] == value]
        return found[0] if found else None

    @app.route("/", methods=["GET"])
    def index() -> Any:
        """Welcome the client."""
        return jsonify({"message": "Welcome" if broken("index-payload")
                        else "Bienvenue"})

    @app.route("/users", methods=["POST"])
    def users_view() -> Any:
        """Register a user."""
        email, password = request.form.get("email"), request.form.get(
            "password")
        if not email or not password or email in users:
            return jsonify({"message": "email already registered"}), 400
        users[email] = {"email": email, "password": password,
                        "session": None, "token": None}
        message = "created" if broken("users-payload") else "user created"
        return jsonify({"email": email, "message": message}), (
            201 if broken("users-status") else 200)

    @app.route("/sessions", methods=["POST"])
    def login() -> Any:
        """Log a user in."""
        user = users.get(request.form.get("email", ""))
        if user is None or (user["password"] != request.form.get(
                "password") and not broken("wrong-password-accepted")):
            abort(401)
        user["session"] = str(uuid.uuid4())
        response = jsonify({"email": user["email"], "message": "welcome" if
                            broken("login-payload") else "logged in"})
        if not broken("no-session-cookie"):
            response.set_cookie("session_id", user["session"])
        return response

    @app.route("/sessions", methods=["DELETE"])
    def logout() -> Any:
        """Log a user out."""
        user = by("session", request.cookies.get("session_id"))
        if user is None or broken("logout-forbidden"):
            abort(403)
        user["session"] = None
        return redirect("/")

    @app.route("/profile", methods=["GET"])
    def profile() -> Any:
        """Return the logged-in user's email."""
        user = by("session", request.cookies.get("session_id"))
        if user is None:
            if broken("profile-without-cookie"):
                return jsonify({"email": ""})
            abort(403)
        email = "someone@else.io" if broken("profile-payload") else \
            user["email"]
        return jsonify({"email": email})

    @app.route("/reset_password", methods=["POST"])
    def get_reset_password_token() -> Any:
        """Give a registered user a reset token."""
        user = users.get(request.form.get("email", ""))
        if user is None or broken("reset-token-status"):
            abort(403)
        user["token"] = str(uuid.uuid4())
        if broken("reset-token-missing"):
            return jsonify({"email": user["email"]})
        return jsonify({"email": user["email"], "reset_token": user["token"]})

    @app.route("/reset_password", methods=["PUT"])
    def update_password() -> Any:
        """Set a new password with a reset token."""
        user = by("token", request.form.get("reset_token"))
        if user is None or broken("update-status"):
            abort(403)
        if not broken("update-ignored"):
            user["password"] = request.form.get("new_password")
        user["token"] = None
        message = "password updated" if broken("update-payload") else \
            "Password updated"
        return jsonify({"email": request.form.get("email"),
                        "message": message})

    return app
