"""Live servers in sandboxes: task 20's main.py, and the concurrency check.

Task 20 runs the learner's main.py against a fresh server in the same
sandbox. With namespaces, the sandbox has a network of its own, so the
server listens on port 5000 itself and main.py reaches it at
localhost:5000, exactly as the page says. Without them, the checker makes a
listening socket on a free loopback port, hands it to the server, and
main.py's requests to port 5000 are pointed at it. The concurrency check
always uses a socket of the checker's, so that its clients can run here.
"""
import json
import socket
from typing import Any
from typing import Dict
from typing import List
from typing import NamedTuple
from typing import Optional
from typing import Tuple

from checks.harness import diagnose
from checks.harness.catalogue import MODULE_IMPORTS
from checks.harness.fixtures import Sandboxes
from checks.harness.remote import GARBLED_RAISED
from checks.harness.remote import is_raised
from checks.harness.sandbox import Garbled
from checks.harness.sandbox import Gone
from checks.harness.sandbox import Late
from checks.harness.sandbox import Sandbox
from checks.harness.sandbox import Worker

OUTPUT_CAP = 64 * 1024
ROUTES = (("GET", "/"), ("POST", "/users"), ("POST", "/sessions"),
          ("DELETE", "/sessions"), ("GET", "/profile"),
          ("POST", "/reset_password"), ("PUT", "/reset_password"))


class Run(NamedTuple):
    """How a run of a script ended: passed, or why not; what it printed."""

    passed: bool
    reason: str
    stdout: str


class Live(NamedTuple):
    """A server running in a sandbox, and how to reach it."""

    sandbox: Sandbox
    worker: Worker
    port: Optional[int]  # None: port 5000 inside the sandbox's network
    client: Optional[Worker] = None  # started beside it, for main.py

    def hits(self) -> List[Tuple[str, str]]:
        """Return the (method, path) of each request the server received."""
        text = self.sandbox.read("out/hits-{}.jsonl".format(
            self.worker.number), 1024 * 1024) or b""
        found = []
        for line in text.decode("utf-8", "replace").splitlines():
            try:
                method, path = json.loads(line)
            except (ValueError, TypeError):
                continue
            found.append((str(method), str(path)))
        return found

    def lines(self) -> List[int]:
        """Return the lines of app.py that requests ran (if traced)."""
        text = self.sandbox.read("out/lines-{}.json".format(
            self.worker.number), 1024 * 1024) or b"[]"
        try:
            found = json.loads(text.decode("utf-8", "replace"))
        except ValueError:
            return []
        return [int(line) for line in found if isinstance(line, int)] \
            if isinstance(found, list) else []


def listening_socket() -> socket.socket:
    """Return a socket listening on a free loopback port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    return sock


def start(sandboxes: Sandboxes, deadline: float, own_port: bool,
          client: bool = False, **options: Any) -> Live:
    """Start a server (options: app, breakage, threaded, trace...).

    With own_port, the server listens on port 5000 of the sandbox's own
    network; otherwise on a socket of ours, on a free port. With client,
    the worker that will run main.py starts at the same time, so that it
    is up once the server is (it imports nothing until it is asked to).
    """
    sandbox = sandboxes.new()
    preload = [module for module in MODULE_IMPORTS if options.get("app")
               != "model" and sandboxes.grade.solution.source(
                   module + ".py") is not None]
    worker = sandbox.spawn({"preload": preload})
    beside = sandbox.spawn({"preload": []}) if client else None
    sock = None if own_port else listening_socket()
    try:
        reply = worker.request("serve", deadline, (sock.fileno(),)
                               if sock else (), port=5000, **options)
    finally:
        port = sock.getsockname()[1] if sock else None
        if sock is not None:
            sock.close()
    if "value" not in reply:
        raise ServerFailed(_why(reply))
    return Live(sandbox, worker, port, beside)


class ServerFailed(Exception):
    """The server did not start; the message says why."""


def _why(reply: Dict[str, Any]) -> str:
    """Say why a request failed, from its reply."""
    raised = reply.get("raised")
    if raised is not None and not is_raised(raised):
        return "the worker's answer is not valid ({})".format(GARBLED_RAISED)
    if isinstance(raised, dict):
        frames = raised.get("frames") or []
        return diagnose.with_hint("{}: {}{}".format(
            raised.get("type"), str(raised.get("message"))[:300],
            " (at {})".format(frames[-1]) if frames else ""),
            str(raised.get("traceback", "")))
    return str(reply.get("error", "no answer"))[:300]


def run_main(live: Live, deadline: float, limit: float) -> Run:
    """Run the learner's main.py as __main__ beside a live server."""
    worker = live.client or live.sandbox.spawn({"preload": []})
    fields: Dict[str, Any] = {"file": "main.py"}
    if live.port is not None:
        fields["redirect_port"] = live.port
    try:
        reply = worker.request("run_path", deadline, **fields)
        reason = "" if "value" in reply else _why(reply)
    except Late:
        trace = worker.sandbox.read("out/hang-{}".format(worker.number),
                                    OUTPUT_CAP) or b""
        reason = diagnose.timed_out(limit, "main.py", trace.decode(
            "utf-8", "replace"))
    except Gone as gone:
        reason = diagnose.ended(gone.status, "main.py", "")
    except Garbled as error:
        reason = "main.py: the worker's answer is not valid ({})".format(
            error)
    stdout = worker.read_output("stdout", OUTPUT_CAP).decode(
        "utf-8", "replace")
    return Run(not reason, reason, stdout)


def routes_missed(hits: List[Tuple[str, str]]) -> List[str]:
    """Return the contract's routes that no request reached."""
    reached = {(method, path.rstrip("/") or "/") for method, path in hits}
    return ["{} {}".format(method, path) for method, path in ROUTES
            if (method, path) not in reached]
