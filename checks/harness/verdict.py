"""One verdict per check, decided once, from how the check ended.

A check ends in one of a few ways: it returns (passed), it raises Failure
(the learner's code broke the contract), it is stopped before it runs
(NotStarted or Blocked, raised by the policy), pytest skips it (a tool it
needs is missing), or anything else escapes (the checker broke). `decide`
is the only place that maps an ending to a Verdict; everything after it,
the scorecard, pytest's report, JUnit and the annotations, reads the
Verdict. A Blame says whom a stopped or failed check is laid on, and by
which rule (policy.py and blame.py decide it).
"""
import enum
import traceback
from typing import Any
from typing import Dict
from typing import NamedTuple
from typing import Optional
from typing import Tuple

import pytest

from checks.harness.failures import CHECKER_ERROR
from checks.harness.failures import Failure
from checks.harness.failures import Timeout
from checks.harness.failures import safe_text


class Status(enum.Enum):
    """The outcome of one check, and of one task."""

    PASSED = "passed"
    FAILED = "failed"
    BLOCKED = "blocked"
    NOT_STARTED = "not started"
    ERROR = "checker error"
    NOT_RUN = "not run"


# How a blame was decided (the JSON scorecard's "blame": {"rule": ...}).
COUNTERFACTUAL = "counterfactual"  # run again with the suspects' files
# taken from the reference: it passed (blocked) or failed all the same
SAME_FILE = "same-file"  # the suspect shares the check's file: not run again
UNPROVEN = "unproven"  # the run again could not be made; blamed as before
UP_FRONT = "up-front"  # stopped before it ran: not started, hung, no import


class Blame(NamedTuple):
    """Whom a check is blocked by ("" for nobody), and how that was found.
    """

    by: str
    rule: str
    suspects: Tuple[str, ...] = ()  # earlier tasks that had failed
    replaced: Tuple[str, ...] = ()  # files the counterfactual took over
    detail: str = ""  # why a counterfactual could not be made

    def as_json(self) -> Dict[str, Any]:
        """Return the blame as the JSON scorecard writes it."""
        document: Dict[str, Any] = {"by": self.by or None,
                                    "rule": self.rule}
        if self.suspects:
            document["suspects"] = list(self.suspects)
        if self.replaced:
            document["replaced"] = list(self.replaced)
        if self.detail:
            document["detail"] = self.detail
        return document


class NotStarted(Exception):
    """The check's task is not started: its file or marker is absent."""


class Blocked(Exception):
    """The check cannot run: a file it needs does not import, or a task it
    builds on is not started or hung."""

    def __init__(self, reason: str, hung: bool = False, key: str = ""
                 ) -> None:
        """Keep the reason, whether the cause was a hang, and the task at
        its root ("" when the raiser cannot tell)."""
        super().__init__(reason)
        self.hung = hung
        self.key = key


class Verdict(NamedTuple):
    """What became of one check, in words a learner can act on."""

    status: Status
    message: str = ""  # the whole message, safe to print
    hung: bool = False  # the learner's code ran out of time
    blamed_on: str = ""  # the failed task a failure is blamed on
    blame: Optional[Blame] = None  # whom, and by which rule

    @property
    def reason(self) -> str:
        """Return the message's first non-empty line."""
        for line in self.message.splitlines():
            if line.strip():
                return line.strip()
        return ""

    def blamed(self, cause: str, blame: Blame, why: str = "") -> "Verdict":
        """Return this failure reported as blocked by a failed task (a
        line `why` says how that was found)."""
        message = "{}; this check then failed with: {}".format(
            cause, self.message)
        return self._replace(status=Status.BLOCKED, blamed_on=blame.by,
                             blame=blame, message=message + (
                                 "\n  " + why if why else ""))

    def cleared(self, blame: Blame, why: str) -> "Verdict":
        """Return this failure kept as the check's own, saying why no
        earlier task is blamed for it."""
        return self._replace(blame=blame, message="{}\n  {}".format(
            self.message, why))


def decide(excinfo: Optional[Any]) -> Verdict:
    """Decide the verdict of a check from what ended it (None: returned).
    """
    if excinfo is None:
        return Verdict(Status.PASSED)
    error = excinfo.value
    if isinstance(error, NotStarted):
        return Verdict(Status.NOT_STARTED, safe_text(str(error)))
    if isinstance(error, Blocked):
        return Verdict(Status.BLOCKED, safe_text(str(error)), error.hung,
                       blame=Blame(error.key, UP_FRONT) if error.key
                       else None)
    if isinstance(error, (Failure, AssertionError)):
        return Verdict(Status.FAILED, safe_text(str(error)),
                       isinstance(error, Timeout))
    if isinstance(error, pytest.skip.Exception):
        return Verdict(Status.NOT_RUN, safe_text(str(error.msg)))
    detail = "".join(traceback.format_exception(
        type(error), error, error.__traceback__))
    return Verdict(Status.ERROR, safe_text(CHECKER_ERROR.format(
        detail=detail)))
