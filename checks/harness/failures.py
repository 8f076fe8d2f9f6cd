"""Failure messages: what a check did, what it expected, what it got.

Every learner-facing failure goes through `Failure`, so messages share one
shape and the scorecard can show their first line as the reason.
"""
import re
from typing import Any
from typing import Optional

MESSAGE_LIMIT = 500
TRUNCATED = " [cut after {} characters]".format(MESSAGE_LIMIT)

# Characters that move a terminal's cursor, recolour it or reorder text.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f"
                     "\u202a-\u202e\u2066-\u2069]")
# Lines a CI log would take as a command (GitHub: "::cmd::", "##[cmd]").
COMMAND = re.compile(r"^(\s*)(::|##\[)", re.MULTILINE)

NOT_STARTED = "not started: {marker} not found"
BLOCKED_BY_IMPORT = "blocked: {file} does not import ({reason})"
BLOCKED_BY_TASK = "blocked: needs task {key} ({title}), which {state}"
TIMED_OUT = "timed out after {seconds:g} s{where}"
EXITED = ("the process ended (exit status {code}) before the check finished:"
          " does the code call exit(), sys.exit() or os._exit()?")
CRASHED = "{type_name}: {message}{where}"
OVER_MEMORY = ("{action}over the sandbox's memory ({mib} MiB): the kernel "
               "killed {count} of its processes (every process the code "
               "starts shares this memory)")
CHECKER_ERROR = "checker error (not your fault; please report it): {detail}"


def shorten(value: Any, limit: int = MESSAGE_LIMIT) -> str:
    """Return repr-like text of a value, cut beyond the limit, saying so."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) > limit:
        return text[:limit] + TRUNCATED
    return text


def safe_text(text: str) -> str:
    """Make text safe to print, log or annotate, whoever wrote it.

    Control characters (escape sequences, carriage returns, bidi marks)
    become visible escapes, and a line that a CI runner would take as a
    workflow command gets a "| " in front.
    """
    text = CONTROL.sub(lambda found: "\\x{:02x}".format(ord(found.group()))
                       if ord(found.group()) < 0x100 else "\\u{:04x}".format(
                           ord(found.group())), text)
    return COMMAND.sub(r"\1| \2", text)


class Failure(AssertionError):
    """A check found the learner's code breaking the contract."""

    def __init__(self, rationale: str, help: Optional[str] = None) -> None:
        """Keep the rationale as the first line and any help after it."""
        message = rationale if help is None else "{}\n  hint: {}".format(
            rationale, help)
        super().__init__(message)


class Timeout(Failure):
    """The learner's code did not finish before the check's deadline."""


class Mismatch(Failure):
    """A check got one value where the contract expects another."""

    def __init__(self, action: str, expected: Any, got: Any,
                 help: Optional[str] = None) -> None:
        """Say what was done, what was expected and what came back."""
        super().__init__("{}: expected {}, got {}".format(
            action, shorten(expected), shorten(got)), help)


class CheckerError(Exception):
    """The checker itself broke: reported as a checker error."""


def expect(condition: bool, action: str, expected: Any, got: Any,
           help: Optional[str] = None) -> None:
    """Raise a Mismatch unless the condition holds."""
    if not condition:
        raise Mismatch(action, expected, got, help)


def expect_equal(got: Any, expected: Any, action: str,
                 help: Optional[str] = None) -> None:
    """Raise a Mismatch unless got equals expected."""
    expect(got == expected, action, expected, got, help)
