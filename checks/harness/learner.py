"""The learner's code as checks see it, inside a sandboxed child process.

Checks import the learner's modules through `Learner.module`, and talk to the
Flask app through `Client`, which records each request so that a failure
can say exactly what was sent.
"""
import importlib
from types import ModuleType
from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

from checks.harness.failures import Failure
from checks.harness.failures import Mismatch
from checks.harness.failures import shorten

FAST_BCRYPT_ROUNDS = 4


def use_fast_bcrypt() -> None:
    """Make bcrypt.gensalt() cheap, as test suites do outside hashing tests."""
    import bcrypt
    real_gensalt = bcrypt.gensalt

    def gensalt(rounds: int = 12, prefix: bytes = b"2b") -> bytes:
        """Return a salt of the lowest cost, whatever cost is asked."""
        return real_gensalt(FAST_BCRYPT_ROUNDS, prefix)

    bcrypt.gensalt = gensalt


class Cookie(dict):
    """One Set-Cookie header: its value and attributes, lower-case keys."""

    def __init__(self, header: str) -> None:
        """Parse `name=value; Attr; Attr=x` without the stdlib's quirks."""
        parts = [part.strip() for part in header.split(";")]
        name, _, value = parts[0].partition("=")
        super().__init__(name=name.strip(), value=value.strip())
        for attribute in parts[1:]:
            key, _, attr_value = attribute.partition("=")
            self[key.strip().lower()] = attr_value.strip() or True


class Reply:
    """A response from the learner's app, with the request that caused it."""

    def __init__(self, request: str, response: Any) -> None:
        """Keep the parts of a response that checks look at."""
        self.request = request
        self.status = response.status_code
        self.headers = response.headers
        self.text = response.get_data(as_text=True)
        self.json = response.get_json(silent=True)
        self.cookies = [Cookie(header)
                        for header in response.headers.getlist("Set-Cookie")]

    def cookie(self, name: str) -> Optional[Cookie]:
        """Return the last Set-Cookie of that name, or None."""
        found = [cookie for cookie in self.cookies if cookie["name"] == name]
        return found[-1] if found else None

    def expect_status(self, *statuses: int) -> "Reply":
        """Fail unless the status is one of those given."""
        if self.status not in statuses:
            expected = " or ".join(str(status) for status in statuses)
            raise Mismatch(self.request, "status " + expected,
                           "{} with body {}".format(
                               self.status, shorten(self.text.strip(), 200)))
        return self

    def expect_json(self, payload: Dict[str, Any]) -> "Reply":
        """Fail unless the body is exactly this JSON object."""
        if self.json != payload:
            raise Mismatch(self.request, "JSON " + repr(payload),
                           shorten(self.text.strip(), 300))
        return self


class Client:
    """Flask's test client, without a cookie jar: cookies are explicit."""

    def __init__(self, app: Any) -> None:
        """Wrap a test client of the learner's app."""
        app.config["TESTING"] = True
        self._client = app.test_client(use_cookies=False)

    def send(self, method: str, path: str,
             form: Optional[Dict[str, str]] = None,
             cookies: Optional[Dict[str, str]] = None, **extra: Any) -> Reply:
        """Send one request and return its reply, labelled for messages."""
        headers = dict(extra.pop("headers", {}))
        if cookies:
            headers["Cookie"] = "; ".join(
                "{}={}".format(key, value) for key, value in cookies.items())
        request = describe_request(method, path, form, cookies)
        try:
            response = self._client.open(path, method=method, data=form,
                                         headers=headers, **extra)
        except Exception as error:
            raise Failure("{}: the app raised {}: {}{} (a 500 for a real "
                          "client)".format(request, type(error).__name__,
                                           error, learner_site(error)))
        return Reply(request, response)

    def get(self, path: str, **kwargs: Any) -> Reply:
        """Send a GET request."""
        return self.send("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Reply:
        """Send a POST request."""
        return self.send("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> Reply:
        """Send a PUT request."""
        return self.send("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Reply:
        """Send a DELETE request."""
        return self.send("DELETE", path, **kwargs)

    def register(self, email: str, password: str) -> Reply:
        """Register a user through POST /users, failing unless it works."""
        return self.post("/users", form={"email": email,
                                         "password": password}
                         ).expect_status(200)

    def log_in(self, email: str, password: str) -> str:
        """Log in through POST /sessions and return the session cookie."""
        reply = self.post("/sessions", form={"email": email,
                                             "password": password})
        reply.expect_status(200)
        cookie = reply.cookie("session_id")
        if cookie is None or not cookie["value"]:
            raise Failure("{}: no session_id cookie was set".format(
                reply.request))
        return str(cookie["value"])


def learner_site(error: BaseException) -> str:
    """Return " (at file:line in function)" of the learner's deepest frame."""
    import os
    import sys
    import traceback
    folder = os.path.abspath(sys.path[0])
    frames = [frame for frame in traceback.extract_tb(error.__traceback__)
              if os.path.abspath(frame.filename).startswith(folder + os.sep)]
    if not frames:
        return ""
    last = frames[-1]
    return " (at {}:{} in {})".format(os.path.basename(last.filename),
                                      last.lineno, last.name)


def describe_request(method: str, path: str, form: Optional[Dict[str, str]],
                     cookies: Optional[Dict[str, str]]) -> str:
    """Say in one line what request was sent."""
    parts = ["{} {}".format(method, path)]
    if form is not None:
        parts.append("form " + (", ".join(
            "{}={}".format(key, value) for key, value in form.items())
            or "(empty)"))
    if cookies:
        parts.append("cookie " + ", ".join(
            "{}={}".format(key, value) for key, value in cookies.items()))
    return " with ".join(parts)


class Learner:
    """The learner's modules, imported fresh inside a sandboxed child."""

    def module(self, name: str) -> ModuleType:
        """Import one of the learner's modules by its bare name."""
        return importlib.import_module(name)

    def attribute(self, module: str, name: str) -> Any:
        """Return module.name, failing clearly when it is missing."""
        loaded = self.module(module)
        if not hasattr(loaded, name):
            raise Failure("{}.py defines no {}".format(module, name))
        return getattr(loaded, name)

    def client(self) -> Client:
        """Return a test client of the learner's app (app.py's `app`)."""
        app = self.attribute("app", "app")
        if not hasattr(app, "test_client") or not hasattr(app, "config"):
            raise Failure("app.app is a {}, not a Flask app: keep `app = "
                          "Flask(__name__)` (wrap app.wsgi_app, not app)"
                          .format(type(app).__name__))
        return Client(app)

    def expect_view(self, method: str, path: str, name: str) -> None:
        """Fail unless the view of METHOD PATH is the function `name`."""
        app = self.attribute("app", "app")
        endpoints = {rule.endpoint for rule in app.url_map.iter_rules()
                     if rule.rule.rstrip("/") == path
                     and method in (rule.methods or ())}
        if sorted(endpoints) != [name]:
            raise Mismatch("endpoints of {} {}".format(method, path), [name],
                           sorted(endpoints))

    def auth(self) -> Any:
        """Return a fresh Auth() (its DB starts with empty tables)."""
        return self.attribute("auth", "Auth")()

    def db(self) -> Any:
        """Return a fresh DB() (empty tables)."""
        return self.attribute("db", "DB")()


def users_table(learner: Learner) -> List[Tuple[str, str]]:
    """Return (column, type) pairs of the learner's users table."""
    user = learner.attribute("user", "User")
    return [(str(column), str(column.type))
            for column in user.__table__.columns]


def stored_users() -> List[Dict[str, Any]]:
    """Read the users table of ./a.db directly, bypassing learner code.

    Checks use it to see what was committed, independently of the learner's
    own query methods.
    """
    import sqlite3
    connection = sqlite3.connect("a.db")
    try:
        connection.row_factory = sqlite3.Row
        rows = connection.execute("SELECT * FROM users ORDER BY id")
        return [dict(row) for row in rows]
    finally:
        connection.close()


def stored_user(email: str) -> Dict[str, Any]:
    """Return the one stored row for an email, failing if there is none."""
    found = [row for row in stored_users() if row.get("email") == email]
    if len(found) != 1:
        raise Failure("a.db holds {} rows for {}, expected 1".format(
            len(found), email))
    return found[0]
