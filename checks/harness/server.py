"""Live servers for task 20: the learner's app, or the checker's model app.

The parent binds a free loopback port and listens before forking, so the
server child inherits a socket that already accepts connections: no port
5000, no race, no polling. The learner's `main.py` runs in another child,
with requests to localhost:5000 (or 127.0.0.1:5000, 0.0.0.0:5000) sent to
that port instead.
"""
import json
import logging
import os
import runpy
import signal
import socket
import sys
import time
from contextlib import contextmanager
from typing import Any
from typing import Callable
from typing import Iterator
from typing import List

from checks.harness import sandbox
from checks.harness.learner import use_fast_bcrypt

STOP_GRACE = 2.0  # seconds a server child gets to end after SIGTERM
CONTRACT_HOSTS = ("localhost:5000", "127.0.0.1:5000", "0.0.0.0:5000")
ROUTES = (("GET", "/"), ("POST", "/users"), ("POST", "/sessions"),
          ("DELETE", "/sessions"), ("GET", "/profile"),
          ("POST", "/reset_password"), ("PUT", "/reset_password"))


def listening_socket() -> socket.socket:
    """Return a socket listening on a free loopback port."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    return sock


def _recording(app: Any, hits_path: str) -> Callable[..., Any]:
    """Wrap a WSGI app so each request's method and path is logged."""
    def wsgi(environ: Any, start_response: Any) -> Any:
        """Log the request line, then let the app answer."""
        with open(hits_path, "a") as hits:
            hits.write(json.dumps([environ.get("REQUEST_METHOD"),
                                   environ.get("PATH_INFO")]) + "\n")
        return app(environ, start_response)
    return wsgi


def _serve(load_app: Callable[[], Any], fd: int, hits_path: str,
           threaded: bool = False) -> None:
    """In the server child: serve the app on the inherited socket."""
    from werkzeug.serving import make_server
    # The handlers pytest installed for its log capture were inherited:
    # send the app's log records (its tracebacks) to this child's stderr.
    logging.getLogger().handlers = [logging.StreamHandler(sys.stderr)]
    use_fast_bcrypt()
    app = load_app()
    server = make_server("127.0.0.1", 0, _recording(app, hits_path), fd=fd,
                         threaded=threaded)
    signal.signal(signal.SIGTERM, _stop)
    server.serve_forever()


def _stop(signum: int, frame: Any) -> None:
    """End the server child as a normal exit, so it can report (and save
    coverage data when it is measured)."""
    raise SystemExit(0)


def stop(child: sandbox.Child) -> sandbox.ChildResult:
    """Ask a server child to end (SIGTERM), then make sure it has."""
    try:
        os.kill(child.pid, signal.SIGTERM)
    except OSError:
        pass
    child.deadline = min(child.deadline, time.monotonic() + STOP_GRACE)
    return sandbox.wait_for(child, [])


def learner_app() -> Any:
    """Import the learner's Flask app (in the server child)."""
    import importlib
    return importlib.import_module("app").app


@contextmanager
def running(load_app: Callable[[], Any], learner_dir: str,
            timeout: float, threaded: bool = False) -> Iterator["Server"]:
    """Run an app in a child for the duration of a with-block."""
    sock = listening_socket()
    server = Server(sock.getsockname()[1])
    fd = sock.fileno()
    child = sandbox.Child(
        lambda: _serve(load_app, fd, server.hits_path, threaded),
        learner_dir, timeout)
    sock.close()
    try:
        yield server
    finally:
        server.crash = stop(child)
        server.read_hits()


class Server:
    """A running server's port, and the requests it received."""

    def __init__(self, port: int) -> None:
        """Remember the port; hits are logged to a private file."""
        self.port = port
        fd, self.hits_path = __import__("tempfile").mkstemp(
            prefix="checks-hits-", dir=sandbox.temp_base())
        os.close(fd)
        self.hits: List[Any] = []
        self.crash: Any = None

    def read_hits(self) -> None:
        """Load the logged requests and remove the log."""
        try:
            with open(self.hits_path) as hits:
                self.hits = [tuple(json.loads(line)) for line in hits]
        finally:
            os.remove(self.hits_path)

    def routes_missed(self) -> List[str]:
        """Return the contract's routes that no request reached."""
        reached = {(method, path.rstrip("/") or "/")
                   for method, path in self.hits}
        return ["{} {}".format(method, path) for method, path in ROUTES
                if (method, path) not in reached]


def redirect_requests(port: int) -> None:
    """Send requests meant for the contract's port 5000 to this port."""
    import requests.adapters
    send = requests.adapters.HTTPAdapter.send

    def send_here(self: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
        """Rewrite the URL's host:port, then send."""
        for host in CONTRACT_HOSTS:
            request.url = request.url.replace(
                "//{}".format(host), "//127.0.0.1:{}".format(port), 1)
        kwargs["timeout"] = kwargs.get("timeout") or 10
        return send(self, request, *args, **kwargs)

    requests.adapters.HTTPAdapter.send = send_here  # type: ignore


def run_main(learner_dir: str, port: int, timeout: float
             ) -> sandbox.ChildResult:
    """Run the learner's main.py as __main__ against a port."""
    def body() -> None:
        """Point requests at the port and run main.py."""
        redirect_requests(port)
        sys.argv = ["main.py"]
        runpy.run_path(os.path.join(learner_dir, "main.py"),
                       run_name="__main__")
    return sandbox.run_in_child(body, learner_dir, timeout)
