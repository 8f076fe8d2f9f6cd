"""The other end of a counterfactual: a grade that runs checks on request.

A replay server is the grading command itself, run on a counterfactual
folder (counterfactual.py) with `--replay-socket FD`. Instead of running
every check it collected, it waits for the grading process to name one,
runs it through pytest's own protocol (so the policy, the fixtures and the
sandboxes are those of any check), and answers with its verdict as it was
decided, before any blame: the grading process wants to know whether the
check passes on that folder, not whom this grade would blame. Only the
checks that fail in the grade are asked for, so the server makes sandboxes
ahead only for those the grading process names as likely next, and ends
those it no longer names. It ends when the grading process closes the
socket, or the moment that process dies.
"""
import signal
import socket
from typing import Any
from typing import Dict
from typing import List

import pytest

from checks.harness.fixtures import spec_of
from checks.harness.grade import Grade
from checks.harness.places import check_id
from checks.harness.verdict import Verdict
from checks.runtime import protocol
from checks.runtime.contain import die_with_parent

RAW = pytest.StashKey[Verdict]()  # a check's verdict before any blame


class Replayer:
    """Runs the checks the grading process names, one at a time."""

    def __init__(self, grade: Grade, fd: int) -> None:
        """Serve over the socket inherited as this descriptor; die with
        the grading process (a replay is of no use to anyone else)."""
        try:
            die_with_parent(signal.SIGKILL)
        except (OSError, AttributeError):  # no prctl here: the socket's
            pass  # end still ends the server, after the current check
        self.grade = grade
        self.sock = socket.socket(fileno=fd)
        self.reader = protocol.Reader(self.sock)
        self.items: Dict[str, pytest.Item] = {}

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session: pytest.Session) -> bool:
        """Answer requests until the grading process hangs up."""
        self.items = {check_id(str(item.path), item.nodeid): item
                      for item in session.items}
        self.grade.pipeline.schedule([])
        while True:
            try:
                request = self.reader.receive(None)
                if not isinstance(request, dict):
                    return True
                protocol.send(self.sock, self.answer(request))
            except (OSError, protocol.ProtocolError):  # it is gone
                return True

    def answer(self, request: Dict[str, Any]) -> Dict[str, Any]:
        """Run the check a request names; make ready those it names next.
        """
        check = str(request.get("check"))
        upcoming, hung = request.get("next"), request.get("hung")
        if isinstance(hung, list):  # as short a limit as in the grade
            self.grade.hung_files.update(str(file) for file in hung)
        named = [check] + (upcoming if isinstance(upcoming, list) else [])
        self.expect([self.items[each] for each in named
                     if each in self.items])
        item = self.items.get(check)
        if item is None:
            return {"status": None, "reason": "not collected"}
        return self.replay(item)

    def expect(self, items: List[pytest.Item]) -> None:
        """Make sandboxes ahead for these checks, in this order, and end
        those made for checks no longer expected."""
        pipeline = self.grade.pipeline
        wanted = [(item.nodeid, spec_of(item, self.grade))
                  for item in items]
        for nodeid in list(pipeline.ready):
            if nodeid not in dict(wanted):
                pipeline.discard(nodeid)
        pipeline.schedule(wanted)

    @staticmethod
    def replay(item: pytest.Item) -> Dict[str, Any]:
        """Run one check and return its status and reason."""
        item.ihook.pytest_runtest_protocol(item=item, nextitem=None)
        verdict = item.stash.get(RAW, None)
        if verdict is None:
            return {"status": None, "reason": "no verdict"}
        return {"status": verdict.status.value, "reason": verdict.reason,
                "hung": verdict.hung}

    def pytest_unconfigure(self) -> None:
        """Close our end of the socket."""
        self.sock.close()
