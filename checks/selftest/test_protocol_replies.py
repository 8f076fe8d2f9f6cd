"""A worker's reply is taken only when it has the worker's own shape.

Learner code runs in the worker's process and can send any reply it likes:
one to another request, one whose id is 7.0 (equal to 7 in Python), a
handle the worker never gave out, an exception described in fields of the
wrong types. Each is refused as a failure of the check that asked, never
taken as an answer and never a checker error. And the worker itself never
leaves a gap in its handles' numbers: the handles of a reply too large to
send are taken back, so that the checker's rule holds for honest code.
"""
import socket
import threading
import time
from typing import Any
from typing import Dict
from typing import Iterator
from typing import List
from typing import Tuple

import pytest

from checks.harness.failures import Failure
from checks.harness.remote import Handle
from checks.harness.remote import Learner
from checks.harness.remote import Raised
from checks.runtime import protocol
from checks.runtime import worker

WAIT = 10.0  # seconds one reply of the in-process worker may take
RAISED = {"type": "ValueError", "mro": ["builtins.ValueError"],
          "message": "no", "frames": ["auth.py:3 in f"], "traceback": ""}


class Replies:
    """A stand-in for a worker connection that gives canned replies."""

    def __init__(self, replies: List[Dict[str, Any]]) -> None:
        """Answer each request with the next reply, in order."""
        self.replies = list(replies)
        self.requests = 0

    def request(self, op: str, deadline: float, fds: Tuple[int, ...] = (),
                **fields: Any) -> Dict[str, Any]:
        """Return the next reply, as a connection checked its id."""
        self.requests += 1
        return self.replies.pop(0)


def learner_with(*replies: Dict[str, Any]) -> Learner:
    """Return a Learner whose worker gives these replies."""
    connection: Any = Replies(list(replies))
    return Learner(connection, time.monotonic() + WAIT, WAIT)


def handle(number: int, kind: str = "user.User") -> Dict[str, Any]:
    """Return a handle as a worker sends it."""
    return protocol.tag("handle", id=number, type=kind)


@pytest.mark.parametrize("number", [1.0, True, "1", None])
def test_a_reply_whose_id_is_not_an_int_is_refused(number: Any) -> None:
    """1.0 and True equal 1, yet no worker sends them: not an answer."""
    learner = learner_with({"id": number, "value": True})
    with pytest.raises(Failure, match="not an int"):
        learner.request("call", "valid_login(...)")


def test_handles_are_the_next_new_one_or_one_seen_before() -> None:
    """A worker numbers its objects 1, 2, 3... in the order it sends them,
    in one reply or several; a handle seen before may come back."""
    learner = learner_with({"id": 1, "value": [handle(1), handle(2)]},
                           {"id": 2, "value": handle(1)},
                           {"id": 3, "value": handle(3)})
    first, second = learner.request("call", "two users")
    assert isinstance(first, Handle) and isinstance(second, Handle)
    assert learner.request("getattr", "the first again") == first
    assert learner.request("call", "a third") not in (first, second)


@pytest.mark.parametrize("number", [2, 0, -1, 1001])
def test_a_handle_never_issued_is_refused(number: int) -> None:
    """A number past the next new one (or none a worker uses) names no
    object the worker gave out."""
    learner = learner_with({"id": 1, "value": handle(number)})
    with pytest.raises(Failure, match="never issued"):
        learner.request("call", "get_user_from_session_id(...)")


@pytest.mark.parametrize("field, value", [
    ("type", 7), ("mro", 7), ("mro", [7]), ("message", []),
    ("frames", {"a": 1}), ("frames", "abc"), ("traceback", None)])
def test_a_garbled_exception_is_refused(field: str, value: Any) -> None:
    """An exception described in fields of the wrong types is not valid
    (the checker's code reading them would otherwise break)."""
    learner = learner_with({"id": 1, "raised": dict(RAISED,
                                                    **{field: value})})
    with pytest.raises(Failure, match="not valid") as caught:
        learner.request("call", "valid_login(...)")
    assert not isinstance(caught.value, Raised)


def test_a_well_formed_exception_is_the_learners() -> None:
    """The worker's own description of what the code raised is taken."""
    learner = learner_with({"id": 1, "raised": RAISED})
    with pytest.raises(Raised) as caught:
        learner.request("call", "valid_login(...)")
    assert caught.value.is_a("ValueError")
    assert caught.value.frames == ["auth.py:3 in f"]


class Named:
    """An object whose type's name is long: its handles are large."""


Named.__qualname__ = "N" * protocol.TYPE_CAP
ONE = Named()
MANY = [[Named() for _ in range(protocol.CONTAINER_ITEMS)]
        for _ in range(5)]  # 5000 handles, over MAX_FRAME in all


@pytest.fixture
def served(tmp_path: Any) -> Iterator[socket.socket]:
    """A worker serving in a thread of this process, on a socket pair."""
    ours, theirs = socket.socketpair()
    layout = {"out": str(tmp_path), "solution": str(tmp_path)}
    serving = worker.Worker(theirs, layout, 1, [])
    thread = threading.Thread(target=serving.serve, daemon=True)
    thread.start()
    try:
        yield ours
    finally:
        ours.close()
        thread.join(WAIT)
        theirs.close()
        serving.hang.close()
        serving.import_dump.close()


def ask(sock: socket.socket, reader: protocol.Reader,
        request: Dict[str, Any]) -> Dict[str, Any]:
    """Send one request to the worker and return its reply."""
    protocol.send(sock, request, limit=protocol.REQUEST_FRAME)
    reply = reader.receive(time.monotonic() + WAIT)
    assert isinstance(reply, dict) and reply.get("id") == request["id"]
    return reply


def test_handles_of_a_reply_never_sent_are_taken_back(
        served: socket.socket) -> None:
    """A reply too large to send issues no handle: the next new object
    gets the next number the checker expects."""
    reader = protocol.Reader(served, max_fds=0)
    module = ask(served, reader, {"op": "import", "id": 1,
                                  "module": __name__})
    assert module["value"]["id"] == 1
    target = protocol.tag("ref", id=1)
    too_large = ask(served, reader, {"op": "getattr", "id": 2,
                                     "target": target, "name": "MANY"})
    assert "a message of" in too_large.get("error", "")
    one = ask(served, reader, {"op": "getattr", "id": 3, "target": target,
                               "name": "ONE"})
    assert one["value"]["id"] == 2
    reader.close()
