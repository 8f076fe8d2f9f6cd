"""Realistic faults of the beyond track: each fails the checks it names.

A fault is an edit of a copy of the reference (folders.build), graded on
its one beyond task. It names the checks of that task it must fail (the
others must pass) and words their failure messages must hold, so that each
check is shown failing for its own reason, by code that imports fine.
test_beyond.py grades them and proves that every beyond check of the
reference's scorecard fails on at least one.
"""
from typing import NamedTuple
from typing import Tuple

Edit = Tuple[str, str, str, str]  # kind, file, old text, new text


class Fault(NamedTuple):
    """An edit of the reference, the beyond task it fails, the checks of
    that task it fails (the part of their id after "::"), and the words
    their failure messages must hold."""

    id: str
    edits: Tuple[Edit, ...]
    task: str
    kills: Tuple[str, ...]
    words: Tuple[str, ...]


# The page's own code where the reference writes it otherwise: the class
# `Base = declarative_base()` makes, and the port as a string.
PAGE_IDIOMS: Tuple[Edit, ...] = (
    ("replace", "user.py", "Base: Any = declarative_base()",
     "Base = declarative_base()"),
    ("replace", "app.py", "port=5000, debug=False", "port=\"5000\""),
)
# A file in Latin-1, not UTF-8: neither analyser can read it.
UNREADABLE = "# caf\u00e9\n"
# The truncation bcrypt 5's own error message suggests, instead of a refusal.
# app.py refuses a password over 72 bytes before Auth sees it; these faults
# cut it to 72 bytes there instead (Auth then accepts what it is given).
REFUSE_LONG = ("    if too_long({0}):\n        return jsonify({{\"message\": "
               "TOO_LONG}}), 400\n")
CUT_PASSWORD = ("{0}.encode(\"utf-8\")[:72]\n"
                "            .decode(\"utf-8\", \"ignore\")")
# POST /reset_password answering {"email": ..., "token": ...}.
ANOTHER_KEY: Edit = (
    "replace", "app.py", "jsonify({\"email\": email, \"reset_token\": "
    "reset_token})", "jsonify({\"email\": email, \"token\": reset_token})")
# A used reset token kept as "", a view that passes "" on, a guard
# against None only: the empty token then matches whoever used one.
USED_TOKENS_EMPTIED: Tuple[Edit, ...] = (
    ("replace", "auth.py", "reset_token=None,\n", "reset_token=\"\",\n"),
    ("replace", "auth.py", "        if not reset_token:\n",
     "        if reset_token is None:\n"),
    ("replace", "app.py", "    reset_token = form_field(\"reset_token\")\n",
     "    reset_token = request.form.get(\"reset_token\")\n"))
B1 = "test_malformed_forms_get_no_5xx[{}]"
B13 = "test_fails_against_a_subtly_broken_server[{}]"

FORM_FIELDS = (
    Fault("users-without-field-checks", (
        ("replace", "app.py", "    if email is None or password is None:\n"
         "        return jsonify({\"message\": \"email and password are "
         "required\"}), 400\n", ""),),
        "B1", (B1.format("POST-users"),), ("POST /users", "AttributeError")),
    Fault("login-without-field-checks", (
        ("replace", "app.py", "    if email is None or password is None:\n"
         "        abort(401)\n", ""),),
        "B1", (B1.format("POST-sessions"),),
        ("POST /sessions", "AttributeError")),
    Fault("reset-request-trims-a-missing-email", (
        ("replace", "app.py", "    email = form_field(\"email\")\n"
         "    if email is None:\n        abort(403)\n",
         "    email = request.form.get(\"email\").strip()\n"),),
        "B1", (B1.format("POST-reset_password"),),
        ("POST /reset_password with no body", "AttributeError")),
    Fault("password-update-without-field-checks", (
        ("replace", "app.py", "    if email is None or reset_token is None "
         "or new_password is None:\n        abort(403)\n", ""),),
        "B1", (B1.format("PUT-reset_password"),),
        ("PUT /reset_password", "AttributeError")),
    # A crash only a real token reaches: a made-up one would miss it.
    Fault("token-under-another-key-hides-a-crash", (
        ANOTHER_KEY,
        ("replace", "app.py", "if email is None or reset_token is None or "
         "new_password is None:", "if email is None or reset_token is "
         "None:"),
        ("replace", "auth.py", "        hashed_password = _hash_password("
         "password)\n        if not reset_token:", "        if not "
         "reset_token:"),
        ("replace", "auth.py", "            raise ValueError(\"Unknown "
         "reset token\")\n", "            raise ValueError(\"Unknown "
         "reset token\")\n        hashed_password = _hash_password("
         "password)\n")),
        "B1", (B1.format("PUT-reset_password"),), ("gave no reset_token",)),
)

LONG_PASSWORDS = (
    Fault("login-refuses-72-bytes", (
        ("replace", "auth.py", "        if len(password.encode(\"utf-8\")) > "
         "MAX_PASSWORD_BYTES:\n            return False",
         "        if len(password.encode(\"utf-8\")) >= "
         "MAX_PASSWORD_BYTES:\n            return False"),),
        "B2", ("test_72_bytes_are_accepted",),
        ("POST /sessions", "expected status 200, got 401")),
    Fault("registration-cuts-to-72-bytes", (
        ("replace", "app.py", REFUSE_LONG.format("password") +
         "    try:\n        AUTH.register_user(email, password)",
         "    try:\n        AUTH.register_user(email, " +
         CUT_PASSWORD.format("password") + ")"),),
        "B2", ("test_registration_refuses_75_bytes",),
        ("POST /users", "expected a 4xx refusal, got 200")),
    Fault("login-without-length-check", (
        ("replace", "auth.py", "        if len(password.encode(\"utf-8\")) > "
         "MAX_PASSWORD_BYTES:\n            return False\n", ""),),
        # bcrypt 4 compares the first 72 bytes (200); bcrypt 5 raises.
        "B2", ("test_login_refuses_73_bytes",), ("POST /sessions",)),
    Fault("reset-cuts-to-72-bytes", (
        ("replace", "app.py", REFUSE_LONG.format("new_password") +
         "    try:\n        AUTH.update_password(reset_token, new_password)",
         "    try:\n        AUTH.update_password(reset_token, " +
         CUT_PASSWORD.format("new_password") + ")"),),
        "B2", ("test_reset_refuses_75_bytes",),
        ("PUT /reset_password", "expected a 4xx refusal, got 200")),
    Fault("reset-token-under-another-key", (ANOTHER_KEY,),
        "B2", ("test_reset_refuses_75_bytes",), ("gave no reset_token",)),
)

SERVER_AND_TIMING = (
    Fault("profile-says-more-than-the-email", (
        ("replace", "app.py", "    return jsonify({\"email\": "
         "user.email})", "    return jsonify({\"email\": user.email, "
         "\"see\": \"other@me.com\"})"),),
        "B3", ("test_concurrent_clients_are_served",),
        ("not this user's profile",)),
    Fault("unknown-email-skips-bcrypt-and-fakes-cpu", (
        ("replace", "auth.py", "            bcrypt.checkpw(password.encode("
         "\"utf-8\"), self._unknown_user_hash())\n", ""),
        ("replace", "auth.py", "MAX_PASSWORD_BYTES = 72\n",
         "MAX_PASSWORD_BYTES = 72\ntime.process_time = lambda: 0.0\n"),
        ("replace", "auth.py", "import uuid\n",
         "import time\nimport uuid\n")),
        "B4", ("test_unknown_email_costs_a_bcrypt_check",),
        ("unknown email", "faster")),
)

COOKIES = (
    Fault("cookie-not-httponly", (
        ("replace", "app.py", "session_id, httponly=True,\n",
         "session_id,\n"),),
        "B5", ("test_session_cookie_is_httponly",), ("HttpOnly",)),
    Fault("cookie-without-samesite", (
        ("replace", "app.py", "samesite=\"Lax\",\n"
         "                        secure=", "secure="),),
        "B5", ("test_session_cookie_is_samesite",), ("SameSite=Lax",)),
    Fault("logout-keeps-the-cookie", (
        ("replace", "app.py", "    response.delete_cookie(SESSION_COOKIE, "
         "httponly=True, samesite=\"Lax\")\n", ""),),
        "B5", ("test_logout_clears_the_cookie",),
        ("no session_id cookie", "Expires in the past")),
)

MISSING_IDS = (
    Fault("no-session-id-guard", (
        ("replace", "auth.py", "        if not session_id:\n"
         "            return None\n", ""),),
        "B6", ("test_no_session_cookie_matches_nobody",
               "test_auth_matches_nobody[None]"),
        ("GET /profile (no cookie) -> 200",
         "get_user_from_session_id(None) returned bob@bob.com")),
    # Sessions ended with "" instead of NULL, guarded against None only.
    Fault("ended-sessions-are-empty-strings", (
        ("replace", "auth.py", "        if not session_id:\n",
         "        if session_id is None:\n"),
        ("replace", "auth.py", "self._db.update_user(user_id, "
         "session_id=None)", "self._db.update_user(user_id, "
         "session_id=\"\")"),
        ("replace", "auth.py", "                             session_id="
         "None)", "                             session_id=\"\")")),
        "B6", ("test_no_session_cookie_matches_nobody",
               "test_auth_matches_nobody[empty]"),
        ("GET /profile with cookie session_id= -> 200",
         "get_user_from_session_id('') returned bob@bob.com")),
    Fault("used-reset-tokens-become-empty", USED_TOKENS_EMPTIED,
        "B6", ("test_no_reset_token_matches_nobody[empty]",
               "test_auth_matches_nobody[empty]"),
        ("reset_token= -> 200",
         "update_password('', 'hijacked') raised no ValueError")),
    # The same, behind a token that could not be used before the check.
    Fault("used-tokens-emptied-behind-another-key", USED_TOKENS_EMPTIED + (
        ANOTHER_KEY,),
        "B6", ("test_no_session_cookie_matches_nobody",
               "test_no_reset_token_matches_nobody[empty]",
               "test_no_reset_token_matches_nobody[left out]",
               "test_auth_matches_nobody[empty]"),
        ("gave no reset_token",)),
    Fault("no-reset-token-guard-in-auth", (
        ("replace", "auth.py", "        if not reset_token:\n"
         "            raise ValueError(\"A reset token is required\")\n",
         ""),),
        "B6", ("test_auth_matches_nobody[None]",),
        ("update_password(None, 'hijacked') raised no ValueError",)),
    Fault("no-reset-token-guard-anywhere", (
        ("replace", "auth.py", "        if not reset_token:\n"
         "            raise ValueError(\"A reset token is required\")\n",
         ""),
        ("replace", "app.py", "if email is None or reset_token is None or "
         "new_password is None:", "if email is None or new_password is "
         "None:")),
        "B6", ("test_no_reset_token_matches_nobody[empty]",
               "test_no_reset_token_matches_nobody[left out]",
               "test_auth_matches_nobody[None]"),
        ("-> 200: expected a 4xx (403)", "raised no ValueError")),
)

RESETS_AND_LIMITS = (
    Fault("reset-token-stays-valid", (
        ("replace", "auth.py", "reset_token=None,\n"
         "                             session_id=None)",
         "session_id=None)"),),
        "B7", ("test_reset_token_works_once",),
        ("a second time -> 200", "the password changed again")),
    Fault("reset-keeps-sessions", (
        ("replace", "auth.py", "reset_token=None,\n"
         "                             session_id=None)",
         "reset_token=None)"),),
        "B7", ("test_new_password_ends_the_session",),
        ("the session opened before the reset still works",)),
    # Flask 3.1 refuses forms over 500 kB unless told otherwise; Flask 2.2
    # knows no such setting, and has no limit without MAX_CONTENT_LENGTH.
    Fault("forms-allowed-16-mib", (
        ("replace", "app.py", "app.config[\"MAX_CONTENT_LENGTH\"] = "
         "64 * 1024", "app.config[\"MAX_FORM_MEMORY_SIZE\"] = "
         "16 * 1024 * 1024"),),
        "B8", ("test_huge_bodies_get_413",),
        ("POST /users -> 200", "expected 413")),
    Fault("debug-from-the-environment", (
        ("replace", "app.py", "port=5000, debug=False)", "port=5000)"),),
        "B8", ("test_debugger_stays_off",), ("use_debugger=True",)),
)

ANALYSERS = (
    Fault("app-runs-in-debug-mode", (
        ("replace", "app.py", "port=5000, debug=False)",
         "port=5000, debug=True)"),),
        "B9", ("test_bandit_finds_nothing_above_low",), ("B201", "HIGH")),
    Fault("a-file-bandit-cannot-read", (
        ("add-latin1", "notes.py", "", UNREADABLE),),
        "B9", ("test_bandit_finds_nothing_above_low",),
        ("could not scan", "notes.py")),
    Fault("a-file-mypy-cannot-read", (
        ("add-latin1", "notes.py", "", UNREADABLE),),
        "B10", ("test_mypy_finds_no_type_errors",), ("could not check",)),
    Fault("page-idioms-and-uuid-annotated-int", PAGE_IDIOMS + (
        ("replace", "auth.py", "def _generate_uuid() -> str:",
         "def _generate_uuid() -> int:"),),
        "B10", ("test_mypy_finds_no_type_errors",),
        ("mypy finds 3 type errors", "auth.py:40 (task 9)")),
    Fault("uuid-annotated-int", (
        ("replace", "auth.py", "def _generate_uuid() -> str:",
         "def _generate_uuid() -> int:"),),
        "B10", ("test_mypy_finds_no_type_errors",),
        ("mypy finds", "auth.py:", "(task 9)")),
)

IDS_AND_MAIN = (
    Fault("find-user-by-one", (
        ("replace", "db.py", ".filter_by(**kwargs).first()",
         ".filter_by(**kwargs).one()"),),
        "B11", ("test_several_matches_give_the_first",),
        ("MultipleResultsFound",)),
    Fault("session-id-from-uuid4", (
        ("replace", "auth.py", "        session_id = _generate_uuid()\n",
         "        session_id = str(uuid.uuid4())\n"),),
        "B12", ("test_session_id_comes_from_generate_uuid",),
        ("create_session", "returning 'id-from-_generate_uuid'")),
    Fault("reset-token-from-uuid4", (
        ("replace", "auth.py", "        reset_token = _generate_uuid()\n",
         "        reset_token = str(uuid.uuid4())\n"),),
        "B12", ("test_reset_token_comes_from_generate_uuid",),
        ("get_reset_password_token", "returning 'id-from-")),
    Fault("main-checks-profile-keys-only", (
        ("replace", "main.py", "    check(\"profile_logged\", response, "
         "200, {\"email\": EMAIL})\n", "    check(\"profile_logged\", "
         "response, 200)\n    assert \"email\" in response.json()\n"),),
        "B13", (B13.format("profile-payload"),), ("another user's email",)),
    Fault("main-ignores-the-redirect-payload", (
        ("replace", "main.py", "    check(\"log_out (the redirect to /)\", "
         "response, 200,\n          {\"message\": \"Bienvenue\"})\n",
         "    check(\"log_out (the redirect to /)\", response, 200)\n"),),
        "B13", (B13.format("index-payload"),), ("says \"Welcome\"",)),
    Fault("main-wrong-status", (
        ("replace", "main.py", "check(\"log_in_wrong_password\", response, "
         "401)", "check(\"log_in_wrong_password\", response, 403)"),),
        "B13", (B13.format("index-payload"), B13.format("profile-payload")),
        ("did not pass against the checker's model server",)),
)

FAULTS = (FORM_FIELDS + LONG_PASSWORDS + SERVER_AND_TIMING + COOKIES +
          MISSING_IDS + RESETS_AND_LIMITS + ANALYSERS + IDS_AND_MAIN)
