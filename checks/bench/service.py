#!/usr/bin/env python3
"""Benchmark the service: requests/s and latency as the users table grows.

The solution's app is served as `app.run` serves it (Werkzeug, a thread
per connection) on a free loopback port, by a child process that first
fills the users table in one transaction through the solution's own DB
session: a precomputed bcrypt hash and a session id for every user.
Keep-alive clients (1, then 8 at once) send GET /profile, then POST
/sessions, for random users; each cell is bounded in time and in count.
A textbook variant (the solution copied to a temporary folder, user.py and
db.py edited: no indexes, one shared session) runs the same, and stands
beside it with the ratio of the two request rates. Not a test: run it by
hand, e.g. `python checks/bench/service.py --sizes 1000,10000 --seconds 2`.
"""
import argparse
import http.client
import importlib
import logging
import os
import random
import select
import shutil
import signal
import socket
import statistics
import sys
import tempfile
import threading
import time
import traceback
import uuid
from typing import Dict
from typing import List
from typing import NamedTuple
from typing import Optional
from typing import Tuple

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
PASSWORD = "benchPwd"
REQUESTS = ("GET /profile", "POST /sessions")  # logins change session ids
CLIENTS = (1, 8)
WARM_UP = 0.2  # seconds of unmeasured requests before each cell
MEMORY = "/dev/shm"  # a.db lives here if it exists: no disk syncs to time
# The textbook variant: (file, old text, new text, times it occurs).
TEXTBOOK_EDITS: Tuple[Tuple[str, str, str, int], ...] = (
    ("user.py", ", unique=True", "", 1),
    ("user.py", ", index=True", "", 2),
    ("db.py", "scoped_session(\n            sessionmaker(bind=self._engine, "
              "expire_on_commit=False))",
     "sessionmaker(bind=self._engine)()", 1),
    ("db.py", "return self.__session()", "return self.__session", 1),
    ("db.py", "self.__session.remove()", "pass", 3),
)


class Cell(NamedTuple):
    """The figures of one request, client count and table size."""

    rate: float
    p50: float
    p99: float
    errors: int
    note: str = ""


Cells = Dict[Tuple[int, str, int], Cell]  # by (users, request, clients)


def email_of(number: int) -> str:
    """Return the email of the user with this number."""
    return "user{:07d}@bench.test".format(number)


def session_of(number: int) -> str:
    """Return the session id stored for the user with this number."""
    return str(uuid.UUID(int=number + 1))


def textbook_copy(folder: str, target: str) -> str:
    """Copy a solution's modules and apply the textbook edits to the copy."""
    for name in os.listdir(folder):
        if name.endswith(".py"):
            shutil.copy(os.path.join(folder, name), target)
    for file, old, new, times in TEXTBOOK_EDITS:
        with open(os.path.join(target, file)) as stream:
            text = stream.read()
        if text.count(old) != times:
            sys.exit("cannot build the textbook variant: {!r} occurs {} "
                     "times in {}, not {}".format(
                         old, text.count(old), file, times))
        with open(os.path.join(target, file), "w") as stream:
            stream.write(text.replace(old, new))
    return target


def serve(folder: str, size: int, hashed: str, listener: socket.socket,
          ready: int) -> None:
    """In the server child: fill the table, say so, then serve for ever."""
    from werkzeug.serving import make_server
    sys.path.insert(0, folder)
    app = importlib.import_module("app")
    session = app.AUTH._db._session  # a benchmark may reach inside
    session.bulk_insert_mappings(sys.modules["user"].User, [
        {"email": email_of(number), "hashed_password": hashed,
         "session_id": session_of(number)} for number in range(size)])
    session.commit()
    session.close()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", 0, app.app, threaded=True,
                         fd=listener.fileno())
    os.write(ready, b"ready")
    server.serve_forever()


class Service:
    """A solution's app served in a child process on a loopback port."""

    def __init__(self, folder: str, size: int, hashed: str,
                 timeout: float) -> None:
        """Start the child and wait until its users table is filled."""
        self.workdir = tempfile.mkdtemp(prefix="bench-service-", dir=(
            MEMORY if os.path.isdir(MEMORY) else None))
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.bind(("127.0.0.1", 0))
        listener.listen(128)
        self.port = listener.getsockname()[1]
        read, write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            try:
                os.setsid()
                os.chdir(self.workdir)
                log = os.open("server.log", os.O_WRONLY | os.O_CREAT)
                os.dup2(log, 1)
                os.dup2(log, 2)
                serve(folder, size, hashed, listener, write)
            except BaseException:  # the child's one boundary: log, end
                traceback.print_exc()
            finally:
                os._exit(1)
        listener.close()
        os.close(write)
        said = os.read(read, 8) if select.select([read], [], [], timeout)[
            0] else b""
        os.close(read)
        if said != b"ready":
            self.stop(show_log=True)
            sys.exit("the server did not start within {:g} s".format(
                timeout))

    def alive(self) -> bool:
        """Tell whether the server process still runs."""
        return os.waitpid(self.pid, os.WNOHANG) == (0, 0)

    def stop(self, show_log: bool = False) -> None:
        """End the server's process group and remove its folder."""
        try:
            os.killpg(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except OSError:  # it had ended, and alive() reaped it
            pass
        if show_log:
            with open(os.path.join(self.workdir, "server.log")) as log:
                sys.stderr.write(log.read()[-2000:])
        shutil.rmtree(self.workdir, ignore_errors=True)


def client(port: int, request: str, size: int, until: float, cap: int,
           seed: int, latencies: List[float], failed: List[int]) -> None:
    """Send requests on one keep-alive connection until time or count ends.
    """
    picker = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while time.perf_counter() < until and len(latencies) + len(failed) < cap:
        number = picker.randrange(size)
        started = time.perf_counter()
        try:
            if request == "GET /profile":
                connection.request("GET", "/profile", headers={
                    "Cookie": "session_id=" + session_of(number)})
            else:
                connection.request("POST", "/sessions", "email={}&password={}"
                                   .format(email_of(number), PASSWORD), {
                                       "Content-Type": "application/"
                                       "x-www-form-urlencoded"})
            response = connection.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            ok = False
            connection.close()  # the next request reconnects
        if ok:
            latencies.append(time.perf_counter() - started)
        else:
            failed.append(1)
    connection.close()


def burst(port: int, request: str, size: int, clients: int, seconds: float,
          cap: int) -> Tuple[List[float], int, float]:
    """Run clients at once; return latencies, failures and elapsed time."""
    latencies: List[float] = []
    failed: List[int] = []
    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(
        port, request, size, started + seconds, cap, seed, latencies,
        failed)) for seed in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, len(failed), time.perf_counter() - started


def measure(port: int, request: str, size: int, clients: int,
            args: argparse.Namespace) -> Cell:
    """Warm up, then measure one cell: rate, p50 and p99 in ms, errors."""
    burst(port, request, size, clients, WARM_UP, args.max_requests)
    latencies, failed, elapsed = burst(port, request, size, clients,
                                       args.seconds, args.max_requests)
    ordered = sorted(latencies) or [0.0]
    return Cell(len(latencies) / elapsed, statistics.median(ordered) * 1e3,
                ordered[int(0.99 * (len(ordered) - 1))] * 1e3, failed)


def run(folder: str, sizes: List[int], hashed: str, args: argparse.Namespace
        ) -> Cells:
    """Measure every cell for one folder: a server per table size."""
    cells: Cells = {}
    for size in sizes:
        service: Optional[Service] = None
        for request in REQUESTS:
            for clients in CLIENTS:
                if service is None or not service.alive():
                    if service is not None:
                        service.stop()  # it died: a fresh one for the rest
                    service = Service(folder, size, hashed, args.timeout)
                cell = measure(service.port, request, size, clients, args)
                cells[(size, request, clients)] = cell if service.alive() \
                    else cell._replace(note="server died")
        if service is not None:
            service.stop()
    return cells


def figures(cell: Optional[Cell]) -> str:
    """Format a cell's rate, p50, p99 and errors."""
    if cell is None:
        return "{:>31}".format("-")
    return "{:8.0f} {:7.2f} {:7.2f} {:6d}{}".format(
        cell.rate, cell.p50, cell.p99, cell.errors,
        " " + cell.note if cell.note else "")


def report(sizes: List[int], ours: Cells, theirs: Cells) -> None:
    """Print the table, then how GET /profile's latency grows."""
    head = "{:>8} {:>7} {:>7} {:>6}".format("req/s", "p50 ms", "p99 ms",
                                            "errors")
    print("{:>7} {:<15} {:>7} | solution {} | textbook {} | ratio".format(
        "users", "request", "clients", head, head))
    for key in sorted(ours, key=lambda key: (key[0], REQUESTS.index(key[1]),
                                             key[2])):
        other = theirs.get(key)
        print("{:>7} {:<15} {:>7} | {:>8} {} | {:>8} {} | {}".format(
            key[0], key[1], key[2], "", figures(ours[key]), "",
            figures(other), "{:5.1f}x".format(ours[key].rate / other.rate)
            if other and other.rate else "    -"))
    growth = []
    for cells in (ours, theirs):
        first, last = [cells.get((size, REQUESTS[0], 1))
                       for size in (sizes[0], sizes[-1])]
        growth.append("{:.1f}x".format(last.p50 / first.p50)
                      if first and last and first.p50 else "n/a")
    print("GET /profile p50, {} to {} users: solution {}, textbook {}; ratio "
          "= solution req/s / textbook req/s".format(sizes[0], sizes[-1],
                                                     *growth))


def main() -> None:
    """Parse the options, run both variants and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--solution", default=os.path.join(
        REPO, "0x03-user_authentication_service"))
    parser.add_argument("--sizes", default="1000,10000,100000",
                        help="registered users, comma-separated")
    parser.add_argument("--seconds", type=float, default=2.0,
                        help="measured seconds per cell")
    parser.add_argument("--max-requests", type=int, default=20000,
                        help="most requests per cell")
    parser.add_argument("--cost", type=int, default=4,
                        help="bcrypt cost of the stored hash")
    parser.add_argument("--timeout", type=float, default=300.0,
                        help="seconds a server may take to fill its table")
    parser.add_argument("--no-textbook", action="store_true",
                        help="skip the textbook variant")
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))
    import bcrypt
    hashed = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(
        args.cost)).decode()
    folder = os.path.abspath(args.solution)
    ours = run(folder, sizes, hashed, args)
    theirs: Cells = {}
    if not args.no_textbook:
        with tempfile.TemporaryDirectory(prefix="bench-textbook-") as copy:
            theirs = run(textbook_copy(folder, copy), sizes, hashed, args)
    print("solution: {}\ntextbook: the same, no indexes, one shared session"
          "\npython {}, bcrypt cost {}, {:g} s per cell (at most {} "
          "requests), {} cores, a.db in {}".format(
              folder, sys.version.split()[0], args.cost, args.seconds,
              args.max_requests, os.cpu_count(),
              MEMORY if os.path.isdir(MEMORY) else "the temporary folder"))
    report(sizes, ours, theirs)


if __name__ == "__main__":
    main()
