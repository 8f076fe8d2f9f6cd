"""Beyond B3: sixteen clients at once on the solution's threaded server.

`app.run` serves each request on a thread of its own. Released together,
each client races the others to register one shared email, then registers
its own, logs in, reads its profile, logs out and reads it again. Then
the checker reads the users table straight from the sandbox's a.db, so a
lost or duplicated user shows even when every answer looked right. The
racing registrations hash at bcrypt cost 8 (all else at the checker's
usual 4; real servers use 12): long enough for them to overlap, as they
do on a real server.
"""
import http.client
import json
import re
import threading
import time
from collections import Counter
from typing import Dict
from typing import List
from typing import NamedTuple
from typing import Optional
from urllib.parse import urlencode

import pytest

from checks.harness import server
from checks.harness.database import rows_in
from checks.harness.failures import Failure
from checks.harness.fixtures import Sandboxes

pytestmark = pytest.mark.task("B3")

CLIENTS = 16
SHARED = "race@me.com"
EMAILS = tuple("user{}@me.com".format(number) for number in range(CLIENTS))
PASSWORD = "pwd"
BODY_CAP = 64 * 1024  # bytes of an answer read
RACE_ROUNDS = 8  # bcrypt cost of the racing registrations
# Each client's own walk after the race, with the statuses expected.
WALK = (("POST", "/users", (200,)), ("POST", "/sessions", (200,)),
        ("GET", "/profile", (200,)), ("DELETE", "/sessions", (302, 303)),
        ("GET", "/profile", (403,)))
SHOWN = 3
SESSION_HELP = (
    "one SQLAlchemy session used by several request threads at once "
    "breaks at random: give each thread its own (scoped_session) and hand "
    "it back (remove() in a finally) when each DB method is done")
UNIQUE_HELP = (
    "the look-up and the insert of two requests interleave: declare "
    "email unique=True on User, and turn the IntegrityError of the second "
    "insert into the same ValueError as a registered email")


class Exchange(NamedTuple):
    """One request a client sent, and what came back (status 0: no reply)."""

    request: str
    status: int
    body: str
    cookie: str = ""


def send(port: int, until: float, method: str, path: str,
         form: Optional[Dict[str, str]] = None, cookie: str = "") -> Exchange:
    """Send one request on a new connection and read the whole answer."""
    label = "{} {}".format(method, path) + (" with form " + ", ".join(
        "{}={}".format(*pair) for pair in form.items()) if form else "")
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if cookie:
        headers["Cookie"] = "session_id=" + cookie
    left = until - time.monotonic()
    if left <= 0:
        return Exchange(label, 0, "not sent: the check's time ran out")
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=left)
    try:
        connection.request(method, path, urlencode(form or {}), headers)
        response = connection.getresponse()
        body = response.read(BODY_CAP).decode("utf-8", "replace")
    except (OSError, http.client.HTTPException) as error:
        return Exchange(label, 0, "no answer ({})".format(error))
    finally:
        connection.close()
    jar = response.getheader("Set-Cookie") or ""
    return Exchange(label, response.status, body,
                    jar.split(";")[0].partition("session_id=")[2])


def client(port: int, until: float, email: str, start: threading.Barrier,
           log: List[Exchange]) -> None:
    """Race for the shared email, then walk one user's whole session."""
    form = {"email": email, "password": PASSWORD}
    start.wait()
    log.append(send(port, until, "POST", "/users", {"email": SHARED,
                                                    "password": PASSWORD}))
    cookie = ""
    for method, path, _ in WALK:
        log.append(send(port, until, method, path,
                        form if method == "POST" else None, cookie))
        cookie = cookie or log[-1].cookie  # the login's session id


def run_clients(port: int, until: float) -> List[List[Exchange]]:
    """Run the clients together; return each one's exchanges in order."""
    logs: List[List[Exchange]] = [[] for _ in range(CLIENTS)]
    start = threading.Barrier(CLIENTS)
    threads = [threading.Thread(target=client, daemon=True, args=(
        port, until, email, start, log)) for email, log in zip(EMAILS, logs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(until - time.monotonic(), 0) + 1)
    return logs


def quote(exchanges: List[Exchange]) -> str:
    """Quote the distinct answers of a list, most frequent first."""
    counts = Counter("{} -> {} {}".format(each.request, each.status, (
        re.findall(r"<title>\d* *(.*?)</title>", each.body) or [each.body])[
            0][:80].strip()) for each in exchanges).most_common()
    shown = ["{} (x{})".format(line, count) if count > 1 else line
             for line, count in counts[:SHOWN]]
    rest = sum(count for _, count in counts[SHOWN:])
    return "; ".join(shown) + ("; and {} more".format(rest) if rest else "")


def wrong_answers(logs: List[List[Exchange]]) -> List[Exchange]:
    """Return the exchanges of each user's own walk that went wrong."""
    wrong = []
    for email, log in zip(EMAILS, logs):
        wrong += [exchange for exchange, (_, _, statuses) in zip(
            log[1:], WALK) if exchange.status not in statuses]
        if len(log) > 3 and log[3].status == 200 and \
                parsed(log[3].body) != {"email": email}:
            wrong.append(log[3]._replace(body="not this user's profile "
                                         "{{\"email\": \"{}\"}}: {}".format(
                                             email, log[3].body)))
    return wrong


def parsed(body: str) -> object:
    """Return a body's JSON, or None when it is not JSON."""
    try:
        return json.loads(body)
    except ValueError:
        return None


def expect_every_client_finished(logs: List[List[Exchange]]) -> None:
    """Fail when a client's walk did not end: its thread was still waiting
    when the check's time ran out, so its answers were never judged."""
    walk = 1 + len(WALK)
    short = ["{} ({} answered)".format(email, len(log))
             for email, log in zip(EMAILS, logs) if len(log) < walk]
    if short:
        raise Failure("{} of {} concurrent clients never finished their "
                      "{} requests: {}".format(len(short), CLIENTS, walk,
                                               ", ".join(short[:SHOWN])),
                      help=SESSION_HELP)


def expect_no_errors(exchanges: List[Exchange], died: Optional[int],
                     stderr: str) -> None:
    """Fail on any 5xx or unanswered request, quoting the server's error."""
    errors = [each for each in exchanges if not 0 < each.status < 500]
    if not errors and died is None:
        return
    logged = re.findall(r"^[A-Za-z_][\w.]*(?:Error|Exception)\b.*$",
                        stderr, re.MULTILINE)
    cause = " (the server logged {})".format(logged[-1][:200]) \
        if logged else ""
    help = UNIQUE_HELP if "IntegrityError" in cause else SESSION_HELP
    if died is not None:
        raise Failure("the server process died (exit status {}) while "
                      "serving concurrent requests{}".format(died, cause),
                      help=help)
    raise Failure("{} of {} concurrent requests failed{}: {}".format(
        len(errors), len(exchanges), cause, quote(errors)), help=help)


def expect_one_row_per_email(logs: List[List[Exchange]],
                             stored: List[str]) -> None:
    """Fail on a duplicated, lost or mixed-up user."""
    won = sum(log[0].status == 200 for log in logs if log)
    if won != 1 or stored.count(SHARED) != 1:
        raise Failure("{} clients registered {} at once: {} got 200, and "
                      "a.db holds {} rows for it; expected exactly 1".format(
                          CLIENTS, SHARED, won, stored.count(SHARED)),
                      help=UNIQUE_HELP)
    lost = [email for email in EMAILS if email not in stored]
    wrong = wrong_answers(logs)
    if lost or wrong:
        raise Failure("under concurrent requests, {} users are missing "
                      "from a.db{} and {} answers were wrong: {}".format(
                          len(lost), " (" + ", ".join(lost[:SHOWN]) + ")"
                          if lost else "", len(wrong), quote(wrong)),
                      help=SESSION_HELP)


def test_concurrent_clients_are_served(sandboxes: Sandboxes) -> None:
    """16 clients at once get no 5xx, lose no user, duplicate no email"""
    limit = sandboxes.grade.limit()
    try:
        live = server.start(sandboxes, time.monotonic() + 2 * limit, False,
                            app="learner", threaded=True, slow_email=SHARED,
                            slow_rounds=RACE_ROUNDS)
    except server.ServerFailed as error:
        raise Failure("the server did not start: {}".format(error))
    assert live.port is not None
    logs = run_clients(live.port, time.monotonic() + limit)
    died = live.sandbox.exited(live.worker.number)
    stderr = live.worker.read_output("stderr", BODY_CAP).decode(
        "utf-8", "replace")
    expect_no_errors([each for log in logs for each in log], died, stderr)
    expect_every_client_finished(logs)
    expect_one_row_per_email(logs, [str(row.get("email")) for row in
                                    rows_in(live.sandbox)])
