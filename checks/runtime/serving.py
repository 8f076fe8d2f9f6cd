"""HTTP inside a sandbox: test-client requests, and live servers.

A check's requests to the learner's app go through Flask's test client in
the worker; task 20 and the concurrency check need a real server instead,
serving either the learner's app or the checker's model app (model_app.py)
on a socket. A live server notes each request's method and path, and, when
asked, which lines of app.py ran (task 20 reports both as information).
"""
import importlib
import json
import logging
import os
import socket
import sys
from typing import Any
from typing import Callable
from typing import Dict
from typing import List
from typing import Set

CONTRACT_HOSTS = ("localhost:5000", "127.0.0.1:5000", "0.0.0.0:5000")
HEADER_CAP = 100  # response headers sent back
REAL_GENSALT: List[Callable[..., bytes]] = []


def warm_up() -> None:
    """Exercise Flask and SQLAlchemy once, so their lazy imports are done.
    """
    try:
        from flask import Flask
        from flask import jsonify
        app = Flask("warm")
        app.add_url_rule("/", "index", lambda: jsonify({"a": 1}),
                         methods=["GET", "POST"])
        app.test_client().post("/", data={"a": "b"}, headers={
            "Cookie": "a=b"})
    except Exception:
        pass
    try:
        _warm_sqlalchemy()
    except Exception:
        pass


def _warm_sqlalchemy() -> None:
    """Map a throwaway model and run each kind of query on it."""
    from sqlalchemy import Column
    from sqlalchemy import Integer
    from sqlalchemy import String
    from sqlalchemy import create_engine
    from sqlalchemy.orm import sessionmaker
    try:
        from sqlalchemy.orm import declarative_base
    except ImportError:
        from sqlalchemy.ext.declarative import declarative_base
    base: Any = declarative_base()

    class Row(base):
        """A throwaway table."""

        __tablename__ = "rows"
        id = Column(Integer, primary_key=True)
        name = Column(String(250), nullable=False)

    engine = create_engine("sqlite://")
    base.metadata.drop_all(engine)
    base.metadata.create_all(engine)
    session = sessionmaker(bind=engine)()
    session.add(Row(name="a"))
    session.commit()
    row = session.query(Row).filter_by(name="a").first()
    row.name = "b"
    session.commit()
    session.close()
    engine.dispose()


def test_request(app: Any, request: Dict[str, Any], cap: int
                 ) -> Dict[str, Any]:
    """Send one request through the app's test client; return the reply.

    TESTING is on, as in the checks of old: an exception in a view reaches
    the checker (as a raised error naming the learner's line) instead of
    becoming a bare 500.
    """
    from werkzeug.datastructures import MultiDict
    app.config["TESTING"] = True
    client = app.test_client(use_cookies=False)
    headers = {str(key): str(value) for key, value in dict(
        request.get("headers") or {}).items()}
    cookies = dict(request.get("cookies") or {})
    if cookies:
        headers["Cookie"] = "; ".join("{}={}".format(key, value)
                                      for key, value in cookies.items())
    form = request.get("form")
    data = None if form is None else MultiDict(
        [(str(key), str(value)) for key, value in form])
    response = client.open(str(request.get("path")),
                           method=str(request.get("method")), data=data,
                           headers=headers)
    body = response.get_data()
    return {"status": response.status_code,
            "headers": [[str(key), str(value)] for key, value in
                        list(response.headers.items())[:HEADER_CAP]],
            "body": body[:cap], "cut": len(body) > cap}


def load_app(request: Dict[str, Any], layout: Dict[str, str]) -> Any:
    """Return the app to serve: the learner's, or the checker's model."""
    if request.get("app") == "model":
        from .model_app import make_app
        return make_app(request.get("breakage"))
    return importlib.import_module("app").app


def bind(request: Dict[str, Any], fds: List[int]) -> socket.socket:
    """Return the listening socket: one the checker made, or port 5000."""
    if fds:
        return socket.socket(fileno=fds[0])
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("0.0.0.0", int(request.get("port", 5000))))
    sock.listen(64)
    return sock


def serve_forever(app: Any, sock: socket.socket, request: Dict[str, Any],
                  layout: Dict[str, str], number: int) -> None:
    """Serve the app on the socket until the sandbox ends."""
    from werkzeug.serving import make_server
    # The app's log records (its tracebacks) go to this worker's stderr.
    logging.getLogger().handlers = [logging.StreamHandler(sys.stderr)]
    out = layout["out"]
    wsgi = app
    if request.get("trace"):
        wsgi = traced(app, os.path.join(layout["solution"], "app.py"),
                      os.path.join(out, "lines-{}.json".format(number)))
    if isinstance(request.get("slow_email"), str):
        slow_down(request["slow_email"], int(request.get("slow_rounds", 8)))
    wsgi = recording(wsgi, os.path.join(out, "hits-{}.jsonl".format(number)))
    host, port = sock.getsockname()[:2]
    server = make_server(host, port, wsgi, threaded=bool(
        request.get("threaded")), fd=sock.fileno())
    server.serve_forever()


def recording(app: Any, path: str) -> Callable[..., Any]:
    """Wrap a WSGI app so that each request's method and path is noted."""
    def wsgi(environ: Any, start_response: Any) -> Any:
        """Note the request line, then let the app answer."""
        with open(path, "a") as hits:
            hits.write(json.dumps([environ.get("REQUEST_METHOD"),
                                   environ.get("PATH_INFO")]) + "\n")
        return app(environ, start_response)
    return wsgi


def traced(app: Any, path: str, lines_path: str) -> Callable[..., Any]:
    """Trace the lines of app.py that requests run; save them each time.

    The server is single-threaded here, so one trace function sees every
    request.
    """
    target = os.path.abspath(path)
    seen: Set[int] = set()

    def local(frame: Any, event: str, arg: Any) -> Any:
        """Note each line run in a frame of app.py."""
        if event == "line":
            seen.add(frame.f_lineno)
        return local

    def calls(frame: Any, event: str, arg: Any) -> Any:
        """Trace frames of app.py only."""
        if os.path.abspath(frame.f_code.co_filename) == target:
            return local
        return None

    sys.settrace(calls)

    def wsgi(environ: Any, start_response: Any) -> Any:
        """Answer, then save the lines seen so far."""
        try:
            return app(environ, start_response)
        finally:
            with open(lines_path, "w") as stream:
                json.dump(sorted(seen), stream)
    return wsgi


def slow_down(email: str, cost: int) -> None:
    """Hash the registrations of one email at a real bcrypt cost.

    The concurrency check races many registrations of one email: cheap
    hashes would finish before they overlap, as they never do for real.
    """
    import bcrypt
    from flask import has_request_context
    from flask import request
    cheap = bcrypt.gensalt
    real = REAL_GENSALT[0] if REAL_GENSALT else cheap

    def gensalt(rounds: int = 12, prefix: bytes = b"2b") -> bytes:
        """Return a costly salt for the raced email, a cheap one else."""
        if has_request_context() and request.form.get("email") == email:
            return real(cost, prefix)
        return cheap(rounds, prefix)

    bcrypt.gensalt = gensalt


def record_run_simple(calls: List[Dict[str, Any]], stop: type) -> None:
    """Replace werkzeug's run_simple: note app.run's options, then stop."""
    import werkzeug.serving

    def run_simple(hostname: Any, port: Any, application: Any,
                   **options: Any) -> None:
        """Note what app.run asked of the server, and stop app.py."""
        calls.append({"host": str(hostname), "port": str(port),
                      "use_debugger": bool(options.get("use_debugger")),
                      "use_reloader": bool(options.get("use_reloader"))})
        raise stop()

    werkzeug.serving.run_simple = run_simple  # type: ignore


def redirect_requests(port: int) -> None:
    """Send requests meant for the contract's port 5000 to another port.

    Used only where a sandbox has no network namespace of its own, and so
    cannot have port 5000 to itself.
    """
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
