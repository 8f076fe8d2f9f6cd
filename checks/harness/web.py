"""The learner's Flask app as checks see it: requests and replies as data.

A request goes to the worker, which sends it through Flask's test client
and answers with the status, headers and (capped) body. The reply is parsed
here: JSON with a bounded parser, cookies from the Set-Cookie headers. A
Client keeps no cookie jar: every cookie a check sends is explicit, and
every request is recorded in words so that a failure can say what was sent.
"""
import json
from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Sequence
from typing import Tuple
from typing import Union

from checks.harness.failures import Failure
from checks.harness.failures import Mismatch
from checks.harness.failures import shorten
from checks.harness.remote import Handle
from checks.harness.remote import Learner
from checks.harness.remote import Raised
from checks.harness.remote import ref

Form = Union[Dict[str, str], Sequence[Tuple[str, str]]]
INT_DIGITS = 40


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


def _bounded_int(text: str) -> int:
    """Parse an integer of JSON, refusing absurd lengths."""
    if len(text) > INT_DIGITS:
        raise ValueError("integer too long")
    return int(text)


def parse_json(text: str) -> Any:
    """Parse a learner's JSON body, or return None when it is none."""
    try:
        return json.loads(text, parse_int=_bounded_int)
    except (ValueError, RecursionError):
        return None


class Reply:
    """A response from the learner's app, with the request that caused it."""

    def __init__(self, request: str, answer: Dict[str, Any]) -> None:
        """Keep the parts of a response that checks look at."""
        self.request = request
        self.status = int(answer.get("status", 0))
        pairs = [(str(key), str(value)) for key, value in answer.get(
            "headers", [])]
        self.header_pairs: List[Tuple[str, str]] = pairs
        body = answer.get("body", b"")
        self.text = body.decode("utf-8", "replace") if isinstance(
            body, bytes) else ""
        self.json = parse_json(self.text)
        self.cookies = [Cookie(value) for key, value in pairs
                        if key.lower() == "set-cookie"]

    def header(self, name: str) -> Optional[str]:
        """Return the first header of that name, or None."""
        for key, value in self.header_pairs:
            if key.lower() == name.lower():
                return value
        return None

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


def describe_request(method: str, path: str, form: Optional[Form],
                     cookies: Optional[Dict[str, str]]) -> str:
    """Say in one line what request was sent."""
    parts = ["{} {}".format(method, path)]
    if form is not None:
        pairs = form.items() if isinstance(form, dict) else form
        parts.append("form " + (", ".join(
            "{}={}".format(key, shorten(value, 60)) for key, value in pairs)
            or "(empty)"))
    if cookies:
        parts.append("cookie " + ", ".join(
            "{}={}".format(key, value) for key, value in cookies.items()))
    return " with ".join(parts)


class Client:
    """Requests to the learner's app (app.py's `app`), sent by the worker.
    """

    def __init__(self, learner: Learner, app: Handle) -> None:
        """Talk to this app through this check's worker."""
        self.learner = learner
        self.app = app

    def send(self, method: str, path: str, form: Optional[Form] = None,
             cookies: Optional[Dict[str, str]] = None,
             headers: Optional[Dict[str, str]] = None) -> Reply:
        """Send one request and return its reply, labelled for messages."""
        request = describe_request(method, path, form, cookies)
        pairs = None if form is None else [
            [key, value] for key, value in (
                form.items() if isinstance(form, dict) else form)]
        try:
            answer = self.learner.request(
                "request", request, target=ref(self.app), method=method,
                path=path, form=pairs, cookies=dict(cookies or {}),
                headers=dict(headers or {}))
        except Raised as error:
            raise Failure("{}: the app raised {}: {}{} (a 500 for a real "
                          "client)".format(request, error.type_name,
                                           shorten(error.message, 300),
                                           " (at {})".format(error.frames[-1])
                                           if error.frames else ""),
                          error.hint)
        if not isinstance(answer, dict):
            raise Failure("{}: the worker's answer is no response".format(
                request))
        return Reply(request, answer)

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


def client_of(learner: Learner) -> Client:
    """Return a client of the learner's app, failing unless it is Flask's.
    """
    app = learner.attribute("app", "app")
    description = learner.describe(app)
    if "flask.app.Flask" not in description.mro:
        raise Failure("app.app is a {}, not a Flask app: keep `app = "
                      "Flask(__name__)` (wrap app.wsgi_app, not app)".format(
                          description.type))
    return Client(learner, app)
