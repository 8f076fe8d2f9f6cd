"""A look at a starting worker's import reports that does not wait.

The pipeline asks ahead whether the next checks will run, and so whether
the import probe found their modules importing; while the probe has not
reported a module, the answer is not known yet, and the look must not wait
for it: the wait belongs to the first check that needs the module. These
tests drive Worker.reported() over a socket pair, the probe's worker being
played by the test.
"""
import socket
import time
from typing import Iterator
from typing import Optional
from typing import Tuple

import pytest

from checks.harness.sandbox import Garbled
from checks.harness.sandbox import Gone
from checks.harness.sandbox import Late
from checks.harness.sandbox import Worker
from checks.runtime import protocol

PRELOAD = ("user", "db")
LOOK_LIMIT = 1.0  # seconds a look may take, far above its own wait
EXIT_STATUS = 3


class EndedSandbox:
    """A sandbox whose worker ended with EXIT_STATUS."""

    def exit_status(self, number: int) -> Optional[int]:
        """Return how the worker ended."""
        return EXIT_STATUS


@pytest.fixture
def pair() -> Iterator[Tuple[Worker, socket.socket]]:
    """Return a worker importing PRELOAD, and the socket it reads from."""
    ours, theirs = socket.socketpair()
    worker = Worker(EndedSandbox(), 1, ours, PRELOAD)  # type: ignore
    yield worker, theirs
    ours.close()
    theirs.close()


def looked(worker: Worker, module: str) -> bool:
    """Look whether a module was reported, failing if the look waited."""
    started = time.monotonic()
    answer = worker.reported(module)
    assert time.monotonic() - started < LOOK_LIMIT
    return answer


def test_a_report_not_sent_yet_is_not_waited_for(
        pair: Tuple[Worker, socket.socket]) -> None:
    """Nothing sent: the look says so at once, and a read still waits."""
    worker, _ = pair
    assert not looked(worker, "user")
    with pytest.raises(Late):
        worker.import_report("user", time.monotonic() + 0.05)


def test_reports_that_arrived_are_taken_and_kept(
        pair: Tuple[Worker, socket.socket]) -> None:
    """A module reported is seen; the next one, not yet reported, is not;
    the report is the one the probe then reads."""
    worker, theirs = pair
    report = {"imported": "user", "docs": {"module": "Users."}}
    protocol.send(theirs, report)
    assert looked(worker, "user")
    assert not looked(worker, "db")
    assert worker.import_report("user", time.monotonic()) == report


def test_a_worker_gone_meanwhile_is_raised_by_the_next_read(
        pair: Tuple[Worker, socket.socket]) -> None:
    """The connection ended: the look answers (a read would not wait),
    and the read raises what it would have met itself."""
    worker, theirs = pair
    theirs.close()
    assert looked(worker, "user")
    with pytest.raises(Gone) as gone:
        worker.import_report("user", time.monotonic() + 0.05)
    assert gone.value.status == EXIT_STATUS


def test_a_garbled_message_met_by_a_look_is_raised_by_the_next_read(
        pair: Tuple[Worker, socket.socket]) -> None:
    """A message that is not an object: the read raises Garbled, as it
    would have without the look, instead of waiting for the next one."""
    worker, theirs = pair
    protocol.send(theirs, ["not", "an", "object"])
    assert looked(worker, "user")
    with pytest.raises(Garbled):
        worker.import_report("user", time.monotonic() + 0.05)
