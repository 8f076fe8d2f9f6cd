"""One verdict per check, decided once, from how the check ended.

A check ends in one of a few ways: it returns (passed), it raises Failure
(the learner's code broke the contract), it is stopped before it runs
(NotStarted or Blocked, raised by the policy), pytest skips it (a tool it
needs is missing), or anything else escapes (the checker broke). `decide`
is the only place that maps an ending to a Verdict; everything after it,
the scorecard, pytest's report, JUnit and the annotations, reads the
Verdict.
"""
import enum
import traceback
from typing import Any
from typing import NamedTuple
from typing import Optional

import pytest

from checks.harness.failures import CHECKER_ERROR
from checks.harness.failures import Failure
from checks.harness.failures import safe_text


class Status(enum.Enum):
    """The outcome of one check, and of one task."""

    PASSED = "passed"
    FAILED = "failed"
    BLOCKED = "blocked"
    NOT_STARTED = "not started"
    ERROR = "checker error"
    NOT_RUN = "not run"


class NotStarted(Exception):
    """The check's task is not started: its file or marker is absent."""


class Blocked(Exception):
    """The check cannot run: a file it needs does not import, or a task it
    builds on is not started or hung."""

    def __init__(self, reason: str, hung: bool = False) -> None:
        """Keep the reason, and whether the cause was a hang."""
        super().__init__(reason)
        self.hung = hung


class Verdict(NamedTuple):
    """What became of one check, in words a learner can act on."""

    status: Status
    message: str = ""  # the whole message, safe to print
    hung: bool = False  # the learner's code ran out of time
    blamed_on: str = ""  # the failed task a failure is blamed on

    @property
    def reason(self) -> str:
        """Return the message's first non-empty line."""
        for line in self.message.splitlines():
            if line.strip():
                return line.strip()
        return ""

    def blamed(self, key: str, cause: str) -> "Verdict":
        """Return this failure reported as blocked by a failed task."""
        return self._replace(status=Status.BLOCKED, blamed_on=key,
                             message="{}; this check then failed with: {}"
                             .format(cause, self.message))


def decide(excinfo: Optional[Any]) -> Verdict:
    """Decide the verdict of a check from what ended it (None: returned).
    """
    if excinfo is None:
        return Verdict(Status.PASSED)
    error = excinfo.value
    if isinstance(error, NotStarted):
        return Verdict(Status.NOT_STARTED, safe_text(str(error)))
    if isinstance(error, Blocked):
        return Verdict(Status.BLOCKED, safe_text(str(error)), error.hung)
    if isinstance(error, (Failure, AssertionError)):
        return Verdict(Status.FAILED, safe_text(str(error)),
                       type(error).__name__ == "Timeout")
    if isinstance(error, pytest.skip.Exception):
        return Verdict(Status.NOT_RUN, safe_text(str(error.msg)))
    detail = "".join(traceback.format_exception(
        type(error), error, error.__traceback__))
    return Verdict(Status.ERROR, safe_text(CHECKER_ERROR.format(
        detail=detail)))
