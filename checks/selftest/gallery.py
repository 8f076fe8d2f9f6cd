"""The gallery: correct solutions in the styles learners write, and near
misses of them.

Each correct solution is a whole folder under gallery/, written from the
exercise page, never copied from a published solution. Each must pass
every behaviour check of tasks 0-20 on the stacks it targets; only the
requirement checks named in `failing` may fail, and then on purpose (a view
under another name than the page's). A solution written for one stack only
must fail on the other with a message that names the stack.

A near miss is a realistic mistake in one of those styles: edits (file,
old, new) to a gallery folder, each `old` found exactly once, and the task
that must fail, with words its message must hold. It may name other tasks
to grade with it (`also`), each with the status it must get: *failed* for
a mistake of its own (which blame must not hide), or *blocked* by the
task whose failure explains it, and by which rule.
"""
import os
from typing import Dict
from typing import List
from typing import NamedTuple
from typing import Tuple

from checks.harness.catalogue import TASKS

GALLERY_ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                            "gallery")
BOTH = ("graded", "current")
VIEW_CHECK = ("checks/tasks/test_task_{:0>2}_{}.py::"
              "test_view_function_is_named_{}")


def view_check(task: str, module: str, name: str) -> str:
    """Return the id of a task's view-name check."""
    return VIEW_CHECK.format(task, module, name)


class Correct(NamedTuple):
    """A correct solution of the gallery."""

    name: str
    why: str
    stacks: Tuple[str, ...] = BOTH
    failing: Tuple[str, ...] = ()  # requirement checks failing on purpose

    @property
    def folder(self) -> str:
        """Return the solution's folder."""
        return os.path.join(GALLERY_ROOT, self.name)


RENAMED = (view_check("7", "register_endpoint", "users"),
           view_check("11", "login", "login"),
           view_check("14", "logout", "logout"),
           view_check("15", "profile", "profile"),
           view_check("17", "reset_token_endpoint",
                      "get_reset_password_token"),
           view_check("19", "update_password_endpoint", "update_password"))
COMBINED = tuple(check for check in RENAMED if "_07_" not in check and
                 "_15_" not in check)

GALLERY = (
    Correct("skeleton", "the page's skeletons kept verbatim: memoized "
            "session, default expire_on_commit, two-word docstrings, "
            "unannotated **kwargs; bcrypt bytes stored as they are"),
    Correct("per-call-session", "a new Session per method, closed in "
            "finally; .one(); hashes stored as str; url_for; JSON 401/403"),
    Correct("renamed-views", "every view under another name, with "
            "@app.post and the like; make_response", failing=RENAMED),
    Correct("select-2x", "SQLAlchemy 2.0 only: DeclarativeBase, Mapped, "
            "select(); views returning dicts", stacks=("current",)),
    Correct("manual-validation", "find_user_by raises InvalidRequestError "
            "itself; Query.update; request.form[...] subscripts"),
    Correct("exceptions-broad", "`except Exception` around every look-up; "
            "redirect(\"/\", code=302)"),
    Correct("declarative-fallback", "declarative_base from sqlalchemy.orm "
            "with a fallback; scoped_session; hashes stored as str"),
    Correct("terse", "the shortest code: .one() on the memoized session, "
            "register_user in four lines"),
    Correct("combined-routes", "one view per path, dispatching on "
            "request.method", failing=COMBINED),
    Correct("named-columns", "every Column given its name again, "
            "Column(\"id\", Integer, primary_key=True): the names are "
            "SQLAlchemy's quoted_name, a str subclass"),
    Correct("uuid-direct", "session ids and reset tokens made with "
            "str(uuid.uuid4()) in place; _generate_uuid defined, unused"),
    Correct("loose-main", "main.py asserts status codes, payload keys and "
            "messages, not /profile's email nor the page after logout"),
    Correct("carried-habits", "Auth.__init__ as the page gives it, "
            "flask_cors applied, docstrings about the DB, type(x) == str, "
            "f-strings with colons"),
)


class Also(NamedTuple):
    """Another task a near miss is graded on, and what it must show."""

    task: str
    status: str  # "failed" (its own mistake) or "blocked"
    words: Tuple[str, ...] = ()  # words its checks' messages must hold
    by: str = ""  # "blocked": the task every blocked check is blamed on
    rule: str = ""  # and the rule that decided it ("" for any)


class NearMiss(NamedTuple):
    """A realistic mistake, made to a gallery folder."""

    id: str
    base: str
    edits: Tuple[Tuple[str, str, str], ...]
    task: str
    words: Tuple[str, ...]
    why: str
    also: Tuple[Also, ...] = ()

    @property
    def tasks(self) -> List[str]:
        """Return the tasks it is graded on, in catalogue order."""
        keys = {self.task} | {other.task for other in self.also}
        return [task.key for task in TASKS if task.key in keys]

    def statuses(self) -> Dict[str, str]:
        """Return the status each graded task must get."""
        return dict({self.task: "failed"}, **{
            other.task: other.status for other in self.also})


T, F, C = "terse", "declarative-fallback", "combined-routes"
R = "renamed-views"
TERSE_HASH = ('def _hash_password(password: str) -> bytes:\n'
              '    """Hash a password with bcrypt and a random salt."""\n'
              '    return bcrypt.hashpw(password.encode(), bcrypt.gensalt())'
              '\n\n\n')
TERSE_INIT_END = "        self._db = DB()\n"
TERSE_FIND = ("        return self._session.query(User).filter_by(**kwargs)"
              ".one()")
TERSE_IMPORT = "from sqlalchemy.orm import sessionmaker\n"
NO_RESULT_IMPORT = "from sqlalchemy.orm.exc import NoResultFound\n"

NEAR_MISSES = (
    NearMiss("hash-as-method", T, (
        ("auth.py", TERSE_HASH, ""),
        ("auth.py", TERSE_INIT_END, TERSE_INIT_END + "\n"
         "    def _hash_password(self, password: str) -> bytes:\n"
         "        \"\"\"Hash a password with bcrypt and a random salt.\"\"\"\n"
         "        return bcrypt.hashpw(password.encode(), bcrypt.gensalt())"
         "\n"),
        ("auth.py", "add_user(email, _hash_password(password))",
         "add_user(email, self._hash_password(password))"),
        ("auth.py", "hashed_password=_hash_password(password)",
         "hashed_password=self._hash_password(password)")),
        "4", ("Auth._hash_password", "module-level function"),
        "_hash_password written as a method of Auth"),
    NearMiss("uuid-misspelt", T, (
        ("auth.py", "def _generate_uuid() -> str:",
         "def _generte_uuid() -> str:"),
        ("auth.py", "session_id = _generate_uuid()",
         "session_id = _generte_uuid()"),
        ("auth.py", "token = _generate_uuid()", "token = _generte_uuid()")),
        "9", ("_generte_uuid", "_generate_uuid"), "a misspelt name"),
    NearMiss("session-singular", F, (
        ("app.py", '@app.route("/sessions", methods=["POST"])',
         '@app.route("/session", methods=["POST"])'),),
        "11", ("POST /session", "POST /sessions"),
        "the login route at /session"),
    NearMiss("profile-wrong-method", F, (
        ("app.py", '@app.route("/profile", methods=["GET"])',
         '@app.route("/profile", methods=["POST"])'),),
        "15", ("only for POST", "GET /profile"),
        "the profile route registered for POST"),
    NearMiss("detached-user", T, (
        ("db.py", "        self._session.commit()\n        return user",
         "        self._session.commit()\n        self._session.close()\n"
         "        return user"),),
        "1", ("DetachedInstanceError",),
        "add_user closes its session after the commit expired the user"),
    NearMiss("user-as-email", T, (
        ("auth.py", "return self._db.find_user_by(session_id=session_id)",
         "return self._db.find_user_by(session_id=session_id).email"),),
        "12", ("user.User", "str"),
        "get_user_from_session_id returns the email, not the User"),
    NearMiss("register-returns-unsaved", T, (
        ("auth.py", "            return self._db.add_user(email, "
         "_hash_password(password))",
         "            self._db.add_user(email, _hash_password(password))\n"
         "            return User(email=email, hashed_password=b\"\")"),),
        "5", ("register_user(...).id",),
        "register_user returns a new, never-saved User"),
    NearMiss("invalid-as-no-result", T, (
        ("db.py", TERSE_FIND, "        try:\n    " + TERSE_FIND + "\n"
         "        except InvalidRequestError:\n"
         "            raise NoResultFound()"),
        ("db.py", TERSE_IMPORT,
         "from sqlalchemy.exc import InvalidRequestError\n" + TERSE_IMPORT +
         NO_RESULT_IMPORT)),
        "2", ("InvalidRequestError",),
        "an unknown column reported as NoResultFound"),
    NearMiss("update-any-attribute", T, (
        ("db.py", "        if not set(kwargs) <= set(User.__table__.columns"
         ".keys()):\n            raise ValueError(\"unknown column in {}\""
         ".format(list(kwargs)))\n", ""),),
        "3", ("ValueError",), "update_user sets any attribute, silently"),
    NearMiss("echo-on", F, (
        ("db.py", 'create_engine("sqlite:///a.db", echo=False)',
         'create_engine("sqlite:///a.db", echo=True)'),),
        "1", ("echo",), "the skeleton's echo=True"),
    NearMiss("valid-login-int", T, (
        ("auth.py", "        return bcrypt.checkpw(password.encode(), "
         "user.hashed_password)", "        return int(bcrypt.checkpw("
         "password.encode(), user.hashed_password))"),),
        "8", ("bool",), "valid_login returns 1 and 0"),
    NearMiss("session-as-uuid", T, (
        ("auth.py", "        session_id = _generate_uuid()\n",
         "        session_id = uuid.uuid4()  # type: ignore\n"),
        ("auth.py", "        self._db.update_user(user.id, "
         "session_id=session_id)", "        self._db.update_user(user.id, "
         "session_id=str(session_id))")),
        "10", ("str",), "create_session returns a UUID object"),
    NearMiss("hash-decoded", T, (
        ("auth.py", "    return bcrypt.hashpw(password.encode(), "
         "bcrypt.gensalt())", "    return bcrypt.hashpw(password.encode(), "
         "bcrypt.gensalt()).decode()  # type: ignore"),),
        "4", ("bytes",), "_hash_password returns str"),
    NearMiss("duplicate-answered-200", R, (
        ("app.py", "        response.status_code = 400\n", ""),),
        "7", ("status 400",), "a duplicate email answered 200 by a view "
        "named register (once reported as not started)"),
    NearMiss("echo-and-no-cookie", F, (
        ("db.py", 'create_engine("sqlite:///a.db", echo=False)',
         'create_engine("sqlite:///a.db", echo=True)'),
        ("app.py", '    response.set_cookie("session_id", session_id)\n',
         "")),
        "1", ("echo",), "echo=True, and a login that sets no cookie: two "
        "mistakes, two failures (task 11's was once hidden as blocked by 1)",
        (Also("5", "blocked", by="1", rule="counterfactual"),
         Also("11", "failed", ("Set-Cookie session_id",)))),
    NearMiss("find-returns-none", T, (
        ("db.py", TERSE_FIND, TERSE_FIND.replace(".one()", ".first()")),),
        "2", ("returned None instead of raising",), "find_user_by returns "
        "None for no match: "
        "the tasks using it fail because of it, blocked by task 2",
        (Also("8", "blocked", by="2", rule="counterfactual"),
         Also("10", "blocked", by="2", rule="counterfactual"))),
    NearMiss("find-always-raises", T, (
        ("db.py", TERSE_FIND, "        raise NoResultFound()"),
        ("db.py", TERSE_IMPORT, TERSE_IMPORT + NO_RESULT_IMPORT)),
        "2", ("raised NoResultFound",), "find_user_by finds nobody: "
        "update_user "
        "(same file) and valid_login fail because of it, blocked by task 2",
        (Also("3", "blocked", by="2", rule="same-file"),
         Also("8", "blocked", by="2", rule="counterfactual"))),
)
