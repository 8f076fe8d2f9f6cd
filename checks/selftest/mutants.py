"""The mutant catalogue: small realistic mistakes, and the tasks catching them.

Each mutant is one mistake a learner makes, applied to a copy of the
reference: a text replacement whose `old` occurs exactly once in the file
(a self-test checks this, so the table cannot rot silently), a new
docstring for the definition named by `old` ("" is the module), or a
whole-file change of a `kind` (mode, line endings, final newline, deletion).
`also` holds further (file, old, new) replacements the same mistake needs,
such as the import it uses. `tasks` are the tasks it must fail; a task that
builds on them may show "blocked", which is the right blame.
"""
from typing import List
from typing import NamedTuple
from typing import Tuple

from checks.harness.catalogue import SOLUTION_FILES
from checks.harness.catalogue import tasks_of_file


class Mutant(NamedTuple):
    """One mistake applied to a copy of the reference."""

    id: str
    file: str
    old: str
    new: str
    tasks: Tuple[str, ...]
    why: str
    kind: str = "replace"
    also: Tuple[Tuple[str, str, str], ...] = ()

    def edits(self) -> List[Tuple[str, str, str, str]]:
        """Return every edit as (kind, file, old, new)."""
        return [(self.kind, self.file, self.old, self.new)] + [
            ("replace", file, old, new) for file, old, new in self.also]

    def files(self) -> List[str]:
        """Return the files the mutant touches."""
        return sorted({edit[1] for edit in self.edits()})


def of_file(file: str) -> Tuple[str, ...]:
    """Return the graded tasks of a file: a file-wide rule fails them all."""
    return tuple(task.key for task in tasks_of_file(file)
                 if task.track != "beyond")


def doc(id: str, file: str, name: str, new: str, tasks: Tuple[str, ...],
        why: str) -> Mutant:
    """Return a mutant that gives a definition ("" the module) a docstring."""
    return Mutant(id, file, name, new, tasks, why, "docstring")


def whole_file(file: str) -> Tuple[Mutant, ...]:
    """Return the mistakes that touch a file as a whole."""
    stem = file.rsplit(".", 1)[0]
    return (
        Mutant(stem + "-not-executable", file, "", "", of_file(file),
               "the executable bit is not set (no chmod +x)", "chmod-x"),
        Mutant(stem + "-crlf", file, "", "", of_file(file),
               "saved with Windows line endings", "crlf"),
        Mutant(stem + "-no-final-newline", file, "", "", of_file(file),
               "the last line has no newline", "no-newline"),
    )


U, D, A, P, M = "user.py", "db.py", "auth.py", "app.py", "main.py"
SHEBANG = "#!/usr/bin/env python3\n"
USER_END = "    reset_token = Column(String(250), nullable=True, index=True)\n"
FIND = ("            user = self._session.query(User).filter_by(**kwargs)"
        ".first()")
SET_LOOP = ("            for column, value in kwargs.items():\n"
            "                setattr(user, column, value)\n")
COMMIT = "            self._session.commit()\n"
UPDATE_TAIL = SET_LOOP + COMMIT + ("        finally:\n"
                                   "            self.__session.remove()\n")
UNKNOWN_CHECK = (
    "        unknown = set(kwargs) - set(User.__table__.columns.keys())\n"
    "        if unknown:\n"
    "            raise ValueError(\"Not a user column: {}\".format(\n"
    "                \", \".join(sorted(unknown))))\n")
IMPORT_INVALID = ("from sqlalchemy.orm import scoped_session\n",
                  "from sqlalchemy.exc import InvalidRequestError\n"
                  "from sqlalchemy.orm import scoped_session\n")
HASH_CALL = ('    return bcrypt.hashpw(password.encode("utf-8"), '
             'bcrypt.gensalt())')
ADD_CALL = ("                return self._db.add_user(email, "
            "hashed_password.decode())")
REGISTER_BODY = (
    "        try:\n"
    "            self._db.find_user_by(email=email)\n"
    "        except NoResultFound:\n"
    "            try:\n" + ADD_CALL + "\n"
    "            except IntegrityError:\n"
    "                # Another request registered this email since our "
    "look-up.\n"
    "                pass\n"
    "        raise ValueError(\"User {} already exists\".format(email))\n")
VALID_LOOKUP = (
    "        try:\n"
    "            stored = _as_bytes(self._db.find_user_by(email=email)\n"
    "                               .hashed_password)\n"
    "        except NoResultFound:\n"
    "            bcrypt.checkpw(password.encode(\"utf-8\"), "
    "self._unknown_user_hash())\n"
    "            return False\n")
CHECKPW = '        return bcrypt.checkpw(password.encode("utf-8"), stored)'
UUID_LINE = "    return str(uuid.uuid4())"
NEW_SESSION = "        session_id = _generate_uuid()\n"
SESSION_LOOKUP = ("        try:\n"
                  "            user = self._db.find_user_by(email=email)\n"
                  "        except NoResultFound:\n"
                  "            return None\n")
STORE_SESSION = "        self._db.update_user(user.id, session_id=session_id)"
FROM_SESSION = ("            return self._db.find_user_by("
                "session_id=session_id)")
DESTROY = "        self._db.update_user(user_id, session_id=None)"
NEW_TOKEN = "        reset_token = _generate_uuid()\n"
STORE_TOKEN = "        self._db.update_user(user.id, reset_token=reset_token)"
TOKEN_LOOKUP = ("            user = self._db.find_user_by("
                "reset_token=reset_token)")
NEW_HASH = ("                             hashed_password=hashed_password"
            ".decode(),\n")
USERS_OK = ('    return jsonify({"email": email, "message": "user created"}),'
            ' 200')
FORM_FIELDS = ('    email, password = form_field("email"), form_field('
               '"password")')
JSON_FIELDS = ('    body = request.get_json(silent=True) or {}\n'
               '    email, password = body.get("email"), body.get("password")')
USERS_FORM = (FORM_FIELDS + '\n    if email is None or password is None:\n'
              '        return')
LOGIN_FORM = (FORM_FIELDS + '\n    if email is None or password is None:\n'
              '        abort(401)')
LOGIN_CHECKS = ("    if not AUTH.valid_login(email, password):\n"
                "        abort(401)\n"
                "    session_id = AUTH.create_session(email)\n"
                "    if session_id is None:\n"
                "        abort(401)\n")
LOGGED_IN = ('    response = jsonify({"email": email, "message": '
             '"logged in"})\n')
SET_COOKIE = "    response.set_cookie(SESSION_COOKIE, session_id, "
REDIRECT = '    response = redirect("/")\n'
LOGOUT_GUARD = "    if user is None:\n        abort(403)\n" \
    "    AUTH.destroy_session(user.id)\n"
PROFILE_OK = ("    if user is None:\n        abort(403)\n"
              '    return jsonify({"email": user.email})\n')
RESET_VIEW = ("    try:\n"
              "        reset_token = AUTH.get_reset_password_token(email)\n"
              "    except ValueError:\n"
              "        abort(403)\n")
RESET_OK = '    return jsonify({"email": email, "reset_token": reset_token})'
UPDATE_CALL = "        AUTH.update_password(reset_token, new_password)\n"
UPDATE_OK = ('    return jsonify({"email": email, "message": '
             '"Password updated"}), 200')
CHECK_BODY = (
    "    assert response.status_code == status, \\\n"
    "        \"{}: expected status {}, got {}: {}\".format(\n"
    "            step, status, response.status_code, response.text[:200])\n"
    "    if payload is not None:\n"
    "        assert response.json() == payload, \\\n"
    "            \"{}: expected {}, got {}\".format(step, payload, "
    "response.text)\n")
FLOW = ("    register_user(EMAIL, PASSWD)\n"
        "    log_in_wrong_password(EMAIL, NEW_PASSWD)\n"
        "    profile_unlogged()\n"
        "    session_id = log_in(EMAIL, PASSWD)\n"
        "    profile_logged(session_id)\n"
        "    log_out(session_id)\n"
        "    reset_token = reset_password_token(EMAIL)\n"
        "    update_password(EMAIL, reset_token, NEW_PASSWD)\n"
        "    log_in(EMAIL, NEW_PASSWD)\n")
PROFILE_UNLOGGED = (
    "def profile_unlogged() -> None:\n"
    "    \"\"\"Ask for the profile without a session cookie: 403.\"\"\"\n"
    "    response = requests.get(BASE_URL + \"/profile\", timeout=TIMEOUT)\n"
    "    check(\"profile_unlogged\", response, 403)\n\n\n")


def route(path: str, method: str) -> str:
    """Return the reference's route decorator line of a view."""
    return '@app.route("{}", methods=["{}"], strict_slashes=False)\n'.format(
        path, method)


def session_update(condition: str, values: str) -> str:
    """Return an update that goes through DB._session, as a learner might."""
    return ("        self._db._session.query(User).filter_by({}).update(\n"
            "            {})\n"
            "        self._db._session.commit()".format(condition, values))


# Requirement gates: shebang, docstrings, style, annotations, layers.
GATES = (
    Mutant("user-no-shebang", U, SHEBANG, "", of_file(U),
           "the page's skeleton has no shebang, and it was kept"),
    doc("user-module-doc-one-word", U, "", '"""User"""', of_file(U),
        "a module docstring of one word, not a sentence"),
    doc("user-class-doc-one-word", U, "User", '"""User."""', ("0",),
        "the User class documented by one word"),
    Mutant("user-tablename-no-spaces", U, '__tablename__ = "users"',
           '__tablename__="users"', ("0",), "pycodestyle E225 in User"),
    Mutant("user-repr-unannotated", U, USER_END, USER_END + (
        "\n    def __repr__(self):\n"
        "        \"\"\"Show the user's email when printed.\"\"\"\n"
        "        return \"<User {}>\".format(self.email)\n"), ("0",),
        "an extra __repr__ without annotations"),
    Mutant("user-save-uses-session", U, USER_END, USER_END + (
        "\n    def save(self, db: Any) -> None:\n"
        "        \"\"\"Store this user through the database's session.\"\"\"\n"
        "        db._session.add(self)\n"
        "        db._session.commit()\n"), ("0",),
        "an active-record save() reaching into DB._session"),
    Mutant("readme-missing", "README.md", "", "", ("0",),
           "the project folder has no README.md", "delete-file"),
    Mutant("db-python-shebang", D, SHEBANG, "#!/usr/bin/python3\n",
           of_file(D), "a shebang that is not #!/usr/bin/env python3"),
    doc("db-module-doc-empty", D, "", '""""""', of_file(D),
        "an empty module docstring"),
    Mutant("db-add-user-no-spaces", D, "        user = User(email=email",
           "        user=User(email=email", ("1",), "pycodestyle E225"),
    doc("db-add-user-doc", D, "DB.add_user", '"""Add."""', ("1",),
        "add_user documented by one word"),
    Mutant("db-init-unannotated", D, "    def __init__(self) -> None:\n",
           "    def __init__(self):\n", ("1",),
           "DB.__init__ without -> None, which the page's skeleton has"),
    Mutant("db-add-user-unannotated", D, "def add_user(self, email: str, "
           "hashed_password: str) -> User:", "def add_user(self, email, "
           "hashed_password):", ("1",), "add_user without annotations"),
    Mutant("db-engine-named-db", D, "        Base.metadata.drop_all(self."
           "_engine)\n        Base.metadata.create_all(self._engine)",
           "        self._db = self._engine\n        Base.metadata.drop_all("
           "self._db)\n        Base.metadata.create_all(self._db)", ("1",),
           "the engine aliased as self._db, a name only Auth may use"),
    Mutant("db-find-trailing-space", D, FIND + "\n", FIND + " \n", ("2",),
           "trailing whitespace in find_user_by (W291)"),
    doc("db-find-doc", D, "DB.find_user_by", '"""find_user_by"""', ("2",),
        "find_user_by documented by its own name"),
    Mutant("db-find-unannotated", D, "def find_user_by(self, **kwargs: Any)"
           " -> User:", "def find_user_by(self, **kwargs):", ("2",),
           "find_user_by without a return annotation"),
    Mutant("db-find-alias-db", D, FIND, "            self._db = self._session"
           "\n" + FIND.replace("self._session", "self._db"), ("2",),
           "the session aliased as self._db inside find_user_by"),
    Mutant("db-update-no-spaces", D, "unknown = set(kwargs)",
           "unknown=set(kwargs)", ("3",), "pycodestyle E225 in update_user"),
    doc("db-update-doc", D, "DB.update_user", '"""Update."""', ("3",),
        "update_user documented by one word"),
    Mutant("db-update-unannotated", D, "def update_user(self, user_id: int, "
           "**kwargs: Any)", "def update_user(self, user_id, **kwargs)",
           ("3",), "update_user's parameters without annotations"),
    Mutant("db-update-alias-db", D, "            user = self._session.query("
           "User).filter_by(id=user_id)", "            self._db = self."
           "_session\n            user = self._db.query(User).filter_by("
           "id=user_id)", ("3",),
           "the session aliased as self._db inside update_user"),
    Mutant("auth-no-shebang", A, SHEBANG, "", of_file(A),
           "the Auth skeleton has no shebang, and it was kept"),
    doc("auth-no-module-doc", A, "", "", of_file(A),
        "the Auth skeleton has no module docstring, and none was added"),
    Mutant("auth-hash-trailing-space", A, HASH_CALL + "\n", HASH_CALL +
           " \n", ("4",), "trailing whitespace in _hash_password (W291)"),
    doc("auth-hash-doc", A, "_hash_password", '"""Hash."""', ("4",),
        "_hash_password documented by one word"),
    Mutant("auth-hash-unannotated", A, "def _hash_password(password: str) "
           "-> bytes:", "def _hash_password(password):", ("4",),
           "_hash_password without annotations"),
    Mutant("auth-helper-uses-session", A, "class Auth:\n",
           "def _user_by_email(db: DB, email: str) -> User:\n"
           "    \"\"\"Return the user with this email, straight from the "
           "session.\"\"\"\n"
           "    return db._session.query(User).filter_by(email=email).one()"
           "\n\n\nclass Auth:\n", ("4",),
           "a module helper that bypasses DB's methods via _session"),
    Mutant("auth-register-trailing-space", A, ADD_CALL + "\n", ADD_CALL +
           " \n", ("5",), "trailing whitespace in register_user (W291)"),
    doc("auth-register-doc", A, "Auth.register_user", '"""Register."""',
        ("5",), "register_user documented by one word"),
    Mutant("auth-init-parameter-unannotated", A, "    def __init__(self) "
           "-> None:\n", "    def __init__(self, db=None) -> None:\n",
           ("5",), "an __init__ with a parameter of its own, unannotated"),
    Mutant("auth-own-value-error", A, "class PasswordTooLongError(ValueError"
           "):\n    \"\"\"Raised for a password longer than bcrypt's 72-byte "
           "limit.\"\"\"\n", "class PasswordTooLongError(ValueError):\n"
           "    \"\"\"Raised for a password longer than bcrypt's 72-byte "
           "limit.\"\"\"\n\n\nclass ValueError(Exception):\n    \"\"\"A class "
           "of our own, which shadows the builtin.\"\"\"\n", ("5",),
           "auth.py raises a ValueError class of its own, not the builtin "
           "that app.py (and the page) catch"),
    Mutant("auth-register-uses-session", A, "            self._db.find_user_"
           "by(email=email)\n        except NoResultFound:\n            try:",
           "            self._db._session.query(User).filter_by(email=email)"
           ".one()\n        except NoResultFound:\n            try:", ("5",),
           "register_user queries DB._session directly"),
    Mutant("auth-valid-trailing-space", A, CHECKPW + "\n", CHECKPW + " \n",
           ("8",), "trailing whitespace in valid_login (W291)"),
    doc("auth-valid-doc", A, "Auth.valid_login", '"""Valid."""', ("8",),
        "valid_login documented by one word"),
    Mutant("auth-valid-unannotated", A, "def valid_login(self, email: str, "
           "password: str) -> bool:", "def valid_login(self, email: str, "
           "password: str):", ("8",), "valid_login without -> bool"),
    Mutant("auth-valid-uses-session", A, "stored = _as_bytes(self._db."
           "find_user_by(email=email)", "stored = _as_bytes(self._db._session"
           ".query(User).filter_by(email=email).one()", ("8",),
           "valid_login queries DB._session directly"),
    Mutant("auth-uuid-trailing-space", A, UUID_LINE + "\n", UUID_LINE +
           " \n", ("9",), "trailing whitespace in _generate_uuid (W291)"),
    doc("auth-uuid-doc", A, "_generate_uuid", '"""UUID."""', ("9",),
        "_generate_uuid documented by one word"),
    Mutant("auth-uuid-unannotated", A, "def _generate_uuid() -> str:",
           "def _generate_uuid():", ("9",), "_generate_uuid without -> str"),
    Mutant("auth-uuid-touches-session", A, UUID_LINE + "\n",
           "    DB._session  # the session must exist before ids are issued\n"
           + UUID_LINE + "\n", ("9",),
           "_generate_uuid touches DB._session (a contrived reach-in)"),
    Mutant("auth-session-no-spaces", A, "session_id = _generate_uuid()",
           "session_id=_generate_uuid()", ("10",), "pycodestyle E225"),
    doc("auth-session-doc", A, "Auth.create_session", '"""Session."""',
        ("10",), "create_session documented by one word"),
    Mutant("auth-session-unannotated", A, "def create_session(self, email: "
           "str) -> Optional[str]:", "def create_session(self, email):",
           ("10",), "create_session without annotations"),
    Mutant("auth-session-uses-session", A, STORE_SESSION, session_update(
        "id=user.id", '{"session_id": session_id}'), ("10",),
        "create_session updates through DB._session"),
    Mutant("auth-from-session-trailing-space", A, FROM_SESSION + "\n",
           FROM_SESSION + " \n", ("12",), "trailing whitespace (W291)"),
    doc("auth-from-session-doc", A, "Auth.get_user_from_session_id",
        '"""User."""', ("12",), "get_user_from_session_id in one word"),
    Mutant("auth-from-session-unannotated", A, "def get_user_from_session_id"
           "(self, session_id: Optional[str]\n                                "
           " ) -> Optional[User]:", "def get_user_from_session_id(self, "
           "session_id):", ("12",), "without annotations"),
    Mutant("auth-from-session-uses-session", A, FROM_SESSION,
           "            return self._db._session.query(User).filter_by(\n"
           "                session_id=session_id).one()", ("12",),
           "get_user_from_session_id queries DB._session"),
    Mutant("auth-destroy-trailing-space", A, DESTROY + "\n", DESTROY + " \n",
           ("13",), "trailing whitespace in destroy_session (W291)"),
    doc("auth-destroy-doc", A, "Auth.destroy_session", '"""Destroy."""',
        ("13",), "destroy_session documented by one word"),
    Mutant("auth-destroy-unannotated", A, "def destroy_session(self, user_id:"
           " int) -> None:", "def destroy_session(self, user_id):", ("13",),
           "destroy_session without annotations"),
    Mutant("auth-destroy-uses-session", A, DESTROY, session_update(
        "id=user_id", '{"session_id": None}'), ("13",),
        "destroy_session updates through DB._session"),
    Mutant("auth-reset-no-spaces", A, "reset_token = _generate_uuid()",
           "reset_token=_generate_uuid()", ("16",), "pycodestyle E225"),
    doc("auth-reset-doc", A, "Auth.get_reset_password_token",
        '"""Token."""', ("16",), "get_reset_password_token in one word"),
    Mutant("auth-reset-unannotated", A, "def get_reset_password_token(self, "
           "email: str) -> str:", "def get_reset_password_token(self, email)"
           ":", ("16",), "get_reset_password_token without annotations"),
    Mutant("auth-reset-uses-session", A, STORE_TOKEN, session_update(
        "id=user.id", '{"reset_token": reset_token}'), ("16",),
        "get_reset_password_token updates through DB._session"),
    Mutant("auth-update-trailing-space", A, TOKEN_LOOKUP + "\n",
           TOKEN_LOOKUP + " \n", ("18",), "trailing whitespace (W291)"),
    doc("auth-update-doc", A, "Auth.update_password", '"""Update."""',
        ("18",), "update_password documented by one word"),
    Mutant("auth-update-unannotated", A, "def update_password(self, "
           "reset_token: str, password: str) -> None:", "def update_password"
           "(self, reset_token, password):", ("18",),
           "update_password without annotations"),
    Mutant("auth-update-uses-session", A, TOKEN_LOOKUP,
           "            user = self._db._session.query(User).filter_by(\n"
           "                reset_token=reset_token).one()", ("18",),
           "update_password queries DB._session"),
    Mutant("app-python2-shebang", P, SHEBANG, "#!/usr/bin/env python\n",
           of_file(P), "a shebang that runs Python 2"),
    doc("app-module-doc-one-word", P, "", '"""App."""', of_file(P),
        "a module docstring of one word, not a sentence"),
    Mutant("app-no-spaces", P, "app = Flask(__name__)",
           "app=Flask(__name__)", ("6",), "pycodestyle E225 at module level"),
    doc("app-index-doc", P, "index", '"""Index."""', ("6",),
        "the index view documented by one word"),
    Mutant("app-index-unannotated", P, "def index() -> Response:",
           "def index():", ("6",), "the index view without -> Response"),
    Mutant("app-imports-db", P, "from auth import Auth\n",
           "from auth import Auth\nfrom db import DB\n",
           ("6",), "app.py imports DB, a layer it must not touch"),
    Mutant("app-users-trailing-space", P, USERS_OK + "\n", USERS_OK + " \n",
           ("7",), "trailing whitespace in users (W291)"),
    doc("app-users-doc", P, "users", '"""Users."""', ("7",),
        "the users view documented by one word"),
    Mutant("app-users-unannotated", P, "def users() -> Tuple[Response, int]:",
           "def users():", ("7",), "the users view without annotations"),
    Mutant("app-users-reads-db", P, USERS_OK, '    return jsonify({"email": '
           'AUTH._db.find_user_by(email=email).email,\n                    '
           '"message": "user created"}), 200', ("7",),
           "the users view reads the email back through AUTH._db"),
    Mutant("app-login-no-spaces", P, "    session_id = AUTH.create_session("
           "email)", "    session_id=AUTH.create_session(email)", ("11",),
           "pycodestyle E225 in login"),
    doc("app-login-doc", P, "login", '"""Login."""', ("11",),
        "the login view documented by one word"),
    Mutant("app-login-unannotated", P, "def login() -> Response:",
           "def login():", ("11",), "the login view without -> Response"),
    Mutant("app-login-reads-db", P, LOGGED_IN, '    response = jsonify({'
           '"email": AUTH._db.find_user_by(email=email).email,\n'
           '                        "message": "logged in"})\n', ("11",),
           "the login view reads the email back through AUTH._db"),
    Mutant("app-logout-no-spaces", P, REDIRECT, REDIRECT.replace(" = ", "="),
           ("14",), "pycodestyle E225 in logout"),
    doc("app-logout-doc", P, "logout", '"""Logout."""', ("14",),
        "the logout view documented by one word"),
    Mutant("app-logout-unannotated", P, "def logout() -> Response:",
           "def logout():", ("14",), "the logout view without -> Response"),
    Mutant("app-logout-uses-db", P, "    AUTH.destroy_session(user.id)",
           "    AUTH._db.update_user(user.id, session_id=None)", ("14",),
           "logout ends the session through AUTH._db"),
    Mutant("app-profile-trailing-space", P, PROFILE_OK, PROFILE_OK[:-1] +
           " \n", ("15",), "trailing whitespace in profile (W291)"),
    doc("app-profile-doc", P, "profile", '"""Profile."""', ("15",),
        "the profile view documented by one word"),
    Mutant("app-profile-unannotated", P, "def profile() -> Response:",
           "def profile():", ("15",), "the profile view without annotations"),
    Mutant("app-profile-reads-db", P, PROFILE_OK, PROFILE_OK.replace(
        "user.email})", "AUTH._db.find_user_by(\n        id=user.id)."
        "email})"), ("15",), "profile reads the user again through AUTH._db"),
    Mutant("app-reset-no-spaces", P, "        reset_token = AUTH.get_reset_"
           "password_token(email)", "        reset_token=AUTH.get_reset_"
           "password_token(email)", ("17",), "pycodestyle E225"),
    doc("app-reset-doc", P, "get_reset_password_token", '"""Reset."""',
        ("17",), "the reset view documented by one word"),
    Mutant("app-reset-unannotated", P, "def get_reset_password_token() -> "
           "Response:", "def get_reset_password_token():", ("17",),
           "the reset view without -> Response"),
    Mutant("app-reset-imports-uuid-helper", P, RESET_OK,
           "    from auth import _generate_uuid\n    assert _generate_uuid\n"
           + RESET_OK, ("17",), "the reset view imports auth._generate_uuid"),
    Mutant("app-update-no-spaces", P, '    new_password = form_field("new_'
           'password")', '    new_password=form_field("new_password")',
           ("19",), "pycodestyle E225 in update_password"),
    doc("app-update-doc", P, "update_password", '"""Update."""', ("19",),
        "the update view documented by one word"),
    Mutant("app-update-unannotated", P, "def update_password() -> Tuple["
           "Response, int]:", "def update_password():", ("19",),
           "the update view without annotations"),
    Mutant("app-update-reads-db", P, UPDATE_OK, '    return jsonify({"email":'
           ' AUTH._db.find_user_by(email=email).email,\n                    '
           '"message": "Password updated"}), 200', ("19",),
           "the update view reads the email back through AUTH._db"),
    Mutant("main-shebang-on-line-2", M, SHEBANG, "\n" + SHEBANG, of_file(M),
           "a blank line above the shebang"),
    doc("main-module-doc-one-word", M, "", '"""Main"""', of_file(M),
        "a module docstring of one word, not a sentence"),
    Mutant("main-no-spaces", M, 'BASE_URL = "http://localhost:5000"',
           'BASE_URL="http://localhost:5000"', ("20",), "pycodestyle E225"),
    doc("main-form-doc", M, "form", '"""Form."""', ("20",),
        "a helper documented by one word"),
    Mutant("main-form-unannotated", M, "def form(**fields: str) -> Dict[str, "
           "str]:", "def form(**fields):", ("20",),
           "a helper without annotations"),
    Mutant("main-debug-helper-uses-db", M, '\n\nEMAIL = "guillaume',
           "\n\ndef dump_users(auth: Any) -> None:\n"
           "    \"\"\"Print the stored users, for debugging by hand.\"\"\"\n"
           "    print(auth._db.find_user_by(email=EMAIL))\n"
           '\n\nEMAIL = "guillaume', ("20",),
           "a leftover debugging helper reaching into Auth._db"),
)

# Behaviour: the contract of each task, broken the way learners break it.
BEHAVIOUR = (
    Mutant("user-email-string-50", U, "email = Column(String(250)",
           "email = Column(String(50)", ("0",), "String(50), not 250"),
    Mutant("user-email-nullable", U, "email = Column(String(250), nullable="
           "False", "email = Column(String(250), nullable=True", ("0",),
           "a nullable email"),
    Mutant("user-hashed-password-nullable", U, "hashed_password = Column("
           "String(250), nullable=False)", "hashed_password = Column(String("
           "250))", ("0",), "nullable=False forgotten on hashed_password"),
    Mutant("user-session-id-required", U, "session_id = Column(String(250),"
           " nullable=True", "session_id = Column(String(250), nullable="
           "False", ("0",), "session_id declared NOT NULL"),
    Mutant("user-reset-token-required", U, "reset_token = Column(String(250)"
           ", nullable=True", "reset_token = Column(String(250), nullable="
           "False", ("0",), "reset_token declared NOT NULL"),
    Mutant("user-table-named-user", U, '__tablename__ = "users"',
           '__tablename__ = "user"', ("0",), "the table named user"),
    Mutant("user-email-primary-key", U, "email = Column(String(250), "
           "nullable=False, unique=True)", "email = Column(String(250), "
           "primary_key=True)", ("0",), "email made part of the primary key"),
    Mutant("user-own-base", U, "class User(Base):", "class User("
           "declarative_base()):", ("0",),
           "User derives from a second declarative base, not user.Base"),
    Mutant("user-import-typo", U, "from sqlalchemy import String\n",
           "from sqlalchemy import string\n", ("0",),
           "an import typo: user.py does not import"),
    Mutant("db-import-typo", D, "from sqlalchemy.orm import sessionmaker\n",
           "from sqlalchemy.orm import sessionMaker\n", ("1",),
           "an import typo: db.py does not import"),
    Mutant("db-echo", D, "echo=False,", "echo=True,", ("1",),
           "the skeleton's echo=True kept: SQL logs on stdout"),
    Mutant("db-add-user-flush-only", D, "            self._session.add(user)"
           "\n" + COMMIT, "            self._session.add(user)\n"
           "            self._session.flush()\n", ("1",),
           "add_user flushes but never commits"),
    Mutant("db-add-user-returns-nothing", D, "            self.__session."
           "remove()\n        return user\n", "            self.__session."
           "remove()\n", ("1",), "add_user forgets to return the user"),
    Mutant("db-add-user-returns-new-user", D, "            self.__session."
           "remove()\n        return user\n", "            self.__session."
           "remove()\n        return User(email=email, hashed_password="
           "hashed_password)\n", ("1",), "add_user returns a new User built "
           "from its arguments, not the one it saved: it has no id"),
    Mutant("db-keeps-old-tables", D, "        Base.metadata.drop_all(self."
           "_engine)\n", "", ("1",), "DB() no longer drops the old tables"),
    Mutant("db-new-user-empty-session", D, "user = User(email=email, "
           "hashed_password=hashed_password)", "user = User(email=email, "
           "hashed_password=hashed_password,\n                    "
           "session_id=\"\")", ("1",), "a new user gets session_id \"\""),
    Mutant("db-find-returns-none", D, "        if user is None:\n"
           "            raise NoResultFound(\"No user matches {}\".format("
           "kwargs))\n", "", ("2",), "find_user_by returns None, no raise"),
    Mutant("db-find-swallows-no-result", D, FIND + "\n        finally:",
           FIND.replace(".first()", ".one()") + "\n        except "
           "InvalidRequestError:\n            raise InvalidRequestError("
           "\"Invalid query\")\n        finally:", ("2",),
           "`except InvalidRequestError` swallows NoResultFound",
           also=((D,) + IMPORT_INVALID,)),
    Mutant("db-find-invalid-as-no-result", D, FIND + "\n        finally:",
           FIND + "\n        except InvalidRequestError:\n            user ="
           " None\n        finally:", ("2",),
           "an unknown column reported as NoResultFound",
           also=((D,) + IMPORT_INVALID,)),
    Mutant("db-find-ignores-kwargs", D, ".filter_by(**kwargs).first()",
           ".first()", ("2",), "the criteria never reach the query"),
    Mutant("db-find-single-keyword", D, FIND, "            (column, value), "
           "= kwargs.items()\n            user = self._session.query(User)."
           "filter(\n                getattr(User, column) == value).first()",
           ("2",), "find_user_by handles exactly one keyword"),
    Mutant("db-update-no-commit", D, UPDATE_TAIL, UPDATE_TAIL.replace(
        COMMIT, ""), ("3",), "update_user never commits"),
    Mutant("db-update-ignores-unknown", D, UNKNOWN_CHECK, "", ("3",),
           "update_user sets unknown attributes silently"),
    Mutant("db-update-check-inverted", D, "        if unknown:\n",
           "        if not unknown:\n", ("3",),
           "the unknown-column test inverted: known columns are refused"),
    Mutant("db-update-skips-none", D, SET_LOOP, SET_LOOP.replace(
        "                setattr", "                if value is not None:\n"
        "                    setattr"), ("3",), "None values are skipped"),
    Mutant("db-update-returns-early", D, SET_LOOP + COMMIT, SET_LOOP +
           "    " + COMMIT + "                return\n", ("3",),
           "a return inside the loop: only the first keyword is set"),
    Mutant("db-update-returns-user", D, UPDATE_TAIL, UPDATE_TAIL +
           "        return user\n", ("3",), "update_user returns the user"),
    Mutant("db-update-every-row", D, SET_LOOP, "            self._session."
           "query(User).update(kwargs)\n", ("3",),
           "an UPDATE without WHERE: every user gets the values"),
    Mutant("auth-import-typo", A, "from sqlalchemy.orm.exc import "
           "NoResultFound\n", "from sqlalchemy.orm.exc import "
           "NoResultsFound\n", ("4",), "an import typo: auth.py does not "
           "import"),
    Mutant("auth-hash-returns-str", A, HASH_CALL, HASH_CALL + ".decode()",
           ("4",), "_hash_password returns str, not bytes"),
    Mutant("auth-hash-cached", A, "\ndef _hash_password(",
           "\n@lru_cache(maxsize=None)\ndef _hash_password(", ("4",),
           "hashes memoised with lru_cache: the same salt every time",
           also=((A, "import uuid\n",
                  "import uuid\nfrom functools import lru_cache\n"),)),
    Mutant("auth-hash-fixed-salt", A, HASH_CALL, HASH_CALL.replace(
        "bcrypt.gensalt()", "SALT"), ("4",), "one salt for every password",
        also=((A, "MAX_PASSWORD_BYTES = 72\n", "MAX_PASSWORD_BYTES = 72\n"
               "SALT = bcrypt.gensalt()\n"),)),
    Mutant("auth-hash-first-8-chars", A, HASH_CALL, HASH_CALL.replace(
        "password.encode", "password[:8].encode"), ("4",),
        "only the first 8 characters are hashed (an old crypt() habit)"),
    Mutant("auth-hash-strips", A, HASH_CALL, HASH_CALL.replace(
        "password.encode", "password.strip().encode"), ("4",),
        "the password is stripped before hashing: \"pw \" logs in as \"pw\""),
    Mutant("auth-hash-lowercased", A, HASH_CALL, HASH_CALL.replace(
        "password.encode", "password.lower().encode"), ("4",),
        "the password is lower-cased before hashing, as emails often are: "
        "\"PW\" and \"pw\" are one password"),
    Mutant("auth-hash-sha256", A, HASH_CALL, '    return hashlib.sha256('
           'password.encode("utf-8")).hexdigest().encode()', ("4",),
           "an unsalted SHA-256 instead of bcrypt",
           also=((A, "import uuid\n", "import hashlib\nimport uuid\n"),)),
    Mutant("auth-register-message-typo", A, '"User {} already exists"',
           '"User {} already exist"', ("5",), "a typo in the message"),
    Mutant("auth-register-plain-password", A, ADD_CALL, ADD_CALL.replace(
        "hashed_password.decode()", "password"), ("5",),
        "the plain password is stored"),
    Mutant("auth-register-returns-nothing", A, ADD_CALL + "\n",
           ADD_CALL.replace("return ", "") + "\n                return None"
           "\n", ("5",), "register_user does not return the user"),
    Mutant("auth-register-returns-new-user", A, ADD_CALL + "\n",
           ADD_CALL.replace("return ", "") + "\n                return "
           "User(email=email,\n                            hashed_password="
           "hashed_password.decode())\n", ("5",),
           "register_user returns a new User(...), not the one add_user "
           "saved: it has no id"),
    Mutant("auth-register-no-duplicate-check", A, REGISTER_BODY,
           "        return self._db.add_user(email, hashed_password.decode()"
           ")\n", ("5",), "no check for a registered email (and, as the "
           "page allows, no unique email column)",
           also=((U, ", nullable=False, unique=True)", ", nullable=False)"),)),
    Mutant("auth-init-db-class", A, "        self._db = DB()\n",
           "        self._db = DB\n", ("5",), "DB instead of DB()"),
    Mutant("auth-valid-unknown-raises", A, VALID_LOOKUP,
           "        stored = _as_bytes(self._db.find_user_by(email=email)\n"
           "                           .hashed_password)\n", ("8",),
           "valid_login raises NoResultFound for an unknown email"),
    Mutant("auth-valid-ignores-password", A, CHECKPW, "        return True",
           ("8",), "valid_login is True whenever the email is registered"),
    Mutant("auth-valid-rehashes", A, CHECKPW, "        return _hash_password"
           "(password) == stored", ("8",),
           "the password is hashed again and compared: never equal"),
    Mutant("auth-valid-empty-backwards", A, "            return False\n"
           "        try:\n            stored", "            return False\n"
           "        if not password:\n            return True\n        try:"
           "\n            stored", ("8",),
           "an empty-password guard written backwards"),
    Mutant("auth-uuid-not-str", A, UUID_LINE, "    return uuid.uuid4()",
           ("9",), "a UUID object, not its text"),
    Mutant("auth-uuid-hex", A, UUID_LINE, "    return uuid.uuid4().hex",
           ("9",), "the hex form, without dashes"),
    Mutant("auth-uuid-rebound", A, UUID_LINE + "\n",
           UUID_LINE + "\n\n\n_generate_uuid = uuid.uuid4  # type: ignore\n",
           ("9",), "a leftover line rebinds the name to the uuid module's "
           "uuid4"),
    Mutant("auth-uuid-default-arg", A, "def _generate_uuid() -> str:",
           "def _generate_uuid(value: str = str(uuid.uuid4())) -> str:",
           ("9",), "a default argument, computed once",
           also=((A, UUID_LINE, "    return value"),)),
    Mutant("auth-session-unknown-raises", A, SESSION_LOOKUP,
           "        user = self._db.find_user_by(email=email)\n", ("10",),
           "create_session raises for an unknown email"),
    Mutant("auth-session-not-stored", A, STORE_SESSION + "\n", "", ("10",),
           "the session id is never stored"),
    Mutant("auth-session-hex", A, NEW_SESSION, NEW_SESSION.replace(
        "_generate_uuid()", "uuid.uuid4().hex"), ("10",),
        "the session id in hex, without dashes: not a UUID's text"),
    Mutant("auth-session-reused", A, NEW_SESSION, "        if user.session_id"
           ":\n            return user.session_id\n" + NEW_SESSION, ("10",),
           "an existing session is handed out again"),
    Mutant("auth-from-session-none-lookup", A, "        if not session_id:\n"
           "            return None\n", "", ("12",),
           "find_user_by(session_id=None) matches logged-out users"),
    Mutant("auth-from-session-raises", A, "        try:\n" + FROM_SESSION +
           "\n        except NoResultFound:\n            return None\n",
           FROM_SESSION[4:] + "\n", ("12",),
           "NoResultFound escapes for an unknown session"),
    Mutant("auth-from-session-wrong-column", A, FROM_SESSION,
           FROM_SESSION.replace("(session_id=", "(reset_token="), ("12",),
           "a copy-paste: the lookup uses reset_token"),
    Mutant("auth-from-session-remembers-user", A, FROM_SESSION,
           "            if self._current_user is None:\n"
           "                self._current_user = self._db.find_user_by(\n"
           "                    session_id=session_id)\n"
           "            return self._current_user", ("12",),
           "the first user found is kept on the Auth instance and handed "
           "out for every later session id (a cache of one)",
           also=((A, '        self._dummy_hash = b""\n',
                  '        self._dummy_hash = b""\n'
                  '        self._current_user: Optional[User] = None\n'),)),
    Mutant("auth-destroy-empty-string", A, DESTROY, DESTROY.replace(
        "session_id=None", 'session_id=""'), ("13",),
        "the session set to \"\", not NULL"),
    Mutant("auth-destroy-first-user", A, DESTROY, "        user = self._db."
           "find_user_by()\n" + DESTROY.replace("user_id,", "user.id,"),
           ("13",), "the lookup lost its id filter: the first user is "
           "logged out"),
    Mutant("auth-destroy-returns-user", A, DESTROY, DESTROY + "\n        "
           "return self._db.find_user_by(id=user_id)", ("13",),
           "destroy_session returns the user"),
    Mutant("auth-reset-unknown-none", A, '            raise ValueError("No '
           'user is registered with this email")', "            return None",
           ("16",), "an unknown email gets None, not ValueError"),
    Mutant("auth-reset-not-stored", A, STORE_TOKEN + "\n", "", ("16",),
           "the reset token is never stored"),
    Mutant("auth-reset-hex", A, NEW_TOKEN, NEW_TOKEN.replace(
        "_generate_uuid()", "uuid.uuid4().hex"), ("16",),
        "the token in hex, without dashes: not a UUID's text"),
    Mutant("auth-reset-urlsafe", A, NEW_TOKEN, NEW_TOKEN.replace(
        "_generate_uuid()", "secrets.token_urlsafe(16)"), ("16",),
        "a token from secrets, not a UUID",
        also=((A, "import uuid\n", "import secrets\nimport uuid\n"),)),
    Mutant("auth-reset-token-reused", A, NEW_TOKEN, "        if user.reset_"
           "token:\n            return user.reset_token\n" + NEW_TOKEN,
           ("16",), "an outstanding token is handed out again"),
    Mutant("auth-update-plain", A, NEW_HASH, NEW_HASH.replace(
        "hashed_password.decode()", "password"), ("18",),
        "update_password stores the plain password"),
    Mutant("auth-update-keeps-token", A, "                             reset_"
           "token=None,\n", "", ("18",), "reset_token is not cleared"),
    Mutant("auth-update-unknown-silent", A, '            raise ValueError("'
           'Unknown reset token")', "            return None", ("18",),
           "an unknown token is ignored silently"),
    Mutant("auth-update-returns-user", A, "                             "
           "session_id=None)\n", "                             session_id="
           "None)\n        return user\n", ("18",),
           "update_password returns the user"),
    Mutant("app-import-typo", P, "from flask import redirect\n",
           "from flask import Redirect\n", ("6",),
           "an import typo: app.py does not import"),
    Mutant("app-index-welcome", P, '"message": "Bienvenue"',
           '"message": "Welcome"', ("6",), "Welcome, not Bienvenue"),
    Mutant("app-index-plain-text", P, '    return jsonify({"message": '
           '"Bienvenue"})', '    return \'{"message": "Bienvenue"}\'',
           ("6",), "a JSON-looking string, served as text/html"),
    Mutant("app-index-allows-post", P, route("/", "GET"), route(
        "/", 'GET", "POST'), ("6",), "GET / also accepts POST"),
    Mutant("app-run-defaults", P, '    app.run(host="0.0.0.0", port=5000, '
           'debug=False)', "    app.run()", ("6",),
           "app.run() on 127.0.0.1, not host 0.0.0.0"),
    Mutant("app-proxyfix-wraps-app", P, 'if __name__ == "__main__":\n',
           'app = ProxyFix(app)  # type: ignore\n\n\nif __name__ == '
           '"__main__":\n', ("6",),
           "ProxyFix wraps app itself, not app.wsgi_app: app is no Flask",
           also=((P, "from werkzeug.wrappers import Response\n",
                  "from werkzeug.middleware.proxy_fix import ProxyFix\n"
                  "from werkzeug.wrappers import Response\n"),)),
    Mutant("app-users-message-capital", P, '"message": "user created"',
           '"message": "User created"', ("7",), "User created, capitalised"),
    Mutant("app-users-duplicate-409", P, '"email already registered"}), '
           '400', '"email already registered"}), 409', ("7",),
           "a duplicate answered 409, not 400"),
    Mutant("app-users-reads-json", P, USERS_FORM, USERS_FORM.replace(
        FORM_FIELDS, JSON_FIELDS), ("7",),
        "POST /users reads a JSON body, not the form"),
    Mutant("app-users-new-auth-each-time", P, "        AUTH.register_user("
           "email, password)", "        Auth().register_user(email, "
           "password)", ("7",), "a new Auth() per request: tables dropped"),
    Mutant("app-users-arguments-swapped", P, "        AUTH.register_user("
           "email, password)", "        AUTH.register_user(password, email)",
           ("7",), "register_user(password, email)"),
    Mutant("app-auth-is-the-class", P, "AUTH = Auth()", "AUTH = Auth",
           ("7",), "AUTH = Auth, the class, not an instance"),
    Mutant("app-users-no-route", P, route("/users", "POST"), "", ("7",),
           "the @app.route line of users is missing"),
    Mutant("app-login-skips-password", P, LOGIN_CHECKS, LOGIN_CHECKS.split(
        "abort(401)\n", 1)[1], ("11",), "login answers 200 on a wrong "
        "password"),
    Mutant("app-login-unknown-404", P, LOGIN_CHECKS, LOGIN_CHECKS.split(
        "abort(401)\n", 1)[1].replace("401", "404") +
        LOGIN_CHECKS.split("    session_id", 1)[0], ("11",),
        "an unknown email answered 404"),
    Mutant("app-login-cookie-before-check", P, LOGIN_CHECKS,
           "    session_id = str(AUTH.create_session(email))\n"
           "    if not AUTH.valid_login(email, password):\n"
           "        response = jsonify({\"message\": \"wrong credentials\"})"
           "\n        response.set_cookie(SESSION_COOKIE, session_id)\n"
           "        return response, 401  # type: ignore\n", ("11",),
           "the cookie is set before the password is checked"),
    Mutant("app-login-cookie-named-session", P, SET_COOKIE,
           SET_COOKIE.replace("SESSION_COOKIE", '"session"'), ("11",),
           "a cookie named session, not session_id"),
    Mutant("app-login-cookie-holds-email", P, SET_COOKIE, SET_COOKIE.replace(
        "session_id, ", "email, "), ("11",), "the cookie holds the email"),
    Mutant("app-login-message", P, '"message": "logged in"',
           '"message": "Logged in"', ("11",), "Logged in, capitalised"),
    Mutant("app-login-caches-sessions", P, "    session_id = AUTH.create_"
           "session(email)\n", "    session_id = SESSIONS.setdefault(email, "
           "AUTH.create_session(email))\n", ("11",),
           "sessions cached per email: a second login gets a stale id",
           also=((P, "AUTH = Auth()\n", "AUTH = Auth()\nSESSIONS: dict = {}"
                  "\n"),)),
    Mutant("app-login-reads-json", P, LOGIN_FORM, LOGIN_FORM.replace(
        FORM_FIELDS, JSON_FIELDS), ("11",),
        "POST /sessions reads a JSON body, not the form"),
    Mutant("app-login-no-route", P, route("/sessions", "POST"), "",
           ("11",), "the @app.route line of login is missing"),
    Mutant("app-logout-answers-200", P, REDIRECT, "    response = jsonify("
           "{})\n", ("14",), "logout answers 200, no redirect"),
    Mutant("app-logout-301", P, REDIRECT, REDIRECT.replace(
        '"/")', '"/", code=301)'), ("14",), "logout redirects with 301"),
    Mutant("app-logout-keeps-session", P, "    AUTH.destroy_session(user.id)"
           "\n", "", ("14",), "logout never destroys the session"),
    Mutant("app-logout-no-user-check", P, LOGOUT_GUARD, LOGOUT_GUARD.split(
        "abort(403)\n")[1], ("14",), "no 403: a missing user crashes"),
    Mutant("app-logout-cookie-by-key", P, "request.cookies.get(SESSION_COOKIE"
           "))\n" + LOGOUT_GUARD, "request.cookies[SESSION_COOKIE])\n" +
           LOGOUT_GUARD, ("14",), "cookies[...] answers 400 without one"),
    Mutant("app-logout-ends-last-login", P, "    AUTH.destroy_session("
           "user.id)\n", "    AUTH.destroy_session(AUTH.get_user_from_"
           "session_id(\n        LAST_LOGIN[\"session_id\"]).id)\n", ("14",),
           "logout ends the last login's session, kept in a global, not "
           "the cookie's", also=(
               (P, "AUTH = Auth()\n", "AUTH = Auth()\nLAST_LOGIN: dict = "
                "{}\n"),
               (P, "    session_id = AUTH.create_session(email)\n",
                "    session_id = AUTH.create_session(email)\n"
                "    LAST_LOGIN[\"session_id\"] = session_id\n"))),
    Mutant("app-logout-redirects-to-profile", P, REDIRECT, REDIRECT.replace(
        '"/"', '"/profile"'), ("14",), "logout redirects to /profile"),
    Mutant("app-logout-redirects-off-site", P, REDIRECT, REDIRECT.replace(
        '"/"', '"https://evil.example/"'), ("14",),
        "logout redirects to / on another site"),
    Mutant("app-logout-replaces-session", P, "    AUTH.destroy_session("
           "user.id)\n", "    AUTH.create_session(user.email)\n", ("14",),
           "logout gives the user a new session instead of ending it"),
    Mutant("app-logout-no-route", P, route("/sessions", "DELETE"), "",
           ("14",), "the @app.route line of logout is missing"),
    Mutant("app-profile-no-cookie-200", P, PROFILE_OK, '    return jsonify('
           '{"email": user.email if user else None})\n', ("15",),
           "/profile answers 200 without a cookie"),
    Mutant("app-profile-401", P, PROFILE_OK, PROFILE_OK.replace(
        "403", "401"), ("15",), "/profile answers 401, not 403"),
    Mutant("app-profile-extra-field", P, PROFILE_OK, PROFILE_OK.replace(
        "user.email}", 'user.email, "id": user.id}'), ("15",),
        "/profile adds the user id to the payload"),
    Mutant("app-profile-last-login", P, PROFILE_OK, PROFILE_OK.replace(
        "user.email})", 'LAST_LOGIN["email"]})'), ("15",),
        "/profile answers the email of the last login, kept in a global, "
        "not the cookie's user's", also=(
            (P, "AUTH = Auth()\n", "AUTH = Auth()\nLAST_LOGIN: dict = {}\n"),
            (P, "    session_id = AUTH.create_session(email)\n",
             "    session_id = AUTH.create_session(email)\n"
             "    LAST_LOGIN[\"email\"] = email\n"))),
    Mutant("app-profile-no-route", P, route("/profile", "GET"), "",
           ("15",), "the @app.route line of profile is missing"),
    Mutant("app-reset-unknown-500", P, RESET_VIEW, "    reset_token = AUTH."
           "get_reset_password_token(email)\n", ("17",),
           "the ValueError escapes: an unknown email gets 500"),
    Mutant("app-reset-token-key", P, RESET_OK, RESET_OK.replace(
        '"reset_token": ', '"token": '), ("17",), "the key is token"),
    Mutant("app-reset-own-token", P, RESET_OK, "    reset_token = str(uuid."
           "uuid4())\n" + RESET_OK, ("17",),
           "the view answers a token of its own, not the stored one",
           also=((P, "from typing import Optional\n",
                  "import uuid\nfrom typing import Optional\n"),)),
    Mutant("app-reset-caches-tokens", P, "        reset_token = AUTH.get_"
           "reset_password_token(email)\n", "        reset_token = TOKENS."
           "setdefault(\n            email, AUTH.get_reset_password_token("
           "email))\n", ("17",), "tokens cached per email",
           also=((P, "AUTH = Auth()\n", "AUTH = Auth()\nTOKENS: dict = {}"
                  "\n"),)),
    Mutant("app-reset-no-route", P, route("/reset_password", "POST"), "",
           ("17",), "the @app.route line of the reset view is missing"),
    Mutant("app-update-message", P, '"message": "Password updated"',
           '"message": "password updated"', ("19",),
           "password updated, lower case"),
    Mutant("app-update-wrong-token-200", P, "    except ValueError:\n"
           "        abort(403)\n" + UPDATE_OK, "    except ValueError:\n"
           "        pass\n" + UPDATE_OK, ("19",),
           "a wrong token is answered 200"),
    Mutant("app-update-arguments-swapped", P, UPDATE_CALL, UPDATE_CALL.replace(
        "reset_token, new_password", "new_password, reset_token"), ("19",),
        "update_password(new_password, reset_token)"),
    Mutant("app-update-never-saves", P, UPDATE_CALL, "        pass\n",
           ("19",), "AUTH.update_password is never called"),
    Mutant("app-update-no-route", P, route("/reset_password", "PUT"), "",
           ("19",), "the @app.route line of update_password is missing"),
    Mutant("main-function-missing", M, PROFILE_UNLOGGED, "", ("20",),
           "profile_unlogged is not defined"),
    Mutant("main-asserts-cannot-fail", M, CHECK_BODY, "    assert True\n",
           ("20",), "check() asserts True: nothing can fail"),
    Mutant("main-wrong-status", M, 'check("log_in_wrong_password", response,'
           ' 401)', 'check("log_in_wrong_password", response, 403)',
           ("20",), "a wrong password expected to give 403"),
    Mutant("main-prints", M, "    return session_id\n", "    print(session_"
           "id)\n    return session_id\n", ("20",),
           "a leftover print of the session id"),
    Mutant("main-port-5001", M, 'BASE_URL = "http://localhost:5000"',
           'BASE_URL = "http://localhost:5001"', ("20",),
           "the server assumed on port 5001"),
    Mutant("main-parameter-renamed", M, "def update_password(email: str, "
           "reset_token: str,", "def update_password(email: str, token: "
           "str,", ("20",), "update_password(email, token, new_password)",
           also=((M, "reset_token=reset_token,", "reset_token=token,"),)),
    Mutant("main-wrong-constant", M, 'PASSWD = "b4l0u"',
           'PASSWD = "b4l0u!"', ("20",), "PASSWD changed"),
    Mutant("main-steps-out-of-order", M, "    log_in_wrong_password(EMAIL, "
           "NEW_PASSWD)\n    profile_unlogged()\n", "    profile_unlogged()\n"
           "    log_in_wrong_password(EMAIL, NEW_PASSWD)\n", ("20",),
           "two steps swapped under __main__"),
    Mutant("main-swallows-assertions", M, FLOW, "    try:\n" + "".join(
        "    " + line for line in FLOW.splitlines(True)) +
        "    except AssertionError:\n        pass\n", ("20",),
        "the flow wrapped in try/except AssertionError: it never fails"),
    Mutant("main-status-only", M, CHECK_BODY, "".join(
        CHECK_BODY.splitlines(True)[:3]), ("20",),
        "check() compares status codes only, never payloads"),
    Mutant("main-status-class-only", M, "    assert response.status_code == "
           "status, \\", "    assert response.status_code // 100 == status "
           "// 100, \\", ("20",), "check() compares the status class only"),
)

MUTANTS: Tuple[Mutant, ...] = GATES + tuple(
    mutant for file in SOLUTION_FILES if of_file(file)
    for mutant in whole_file(file)) + BEHAVIOUR
