"""Run an example main of the exercise page and compare its output.

The original grader runs each example in a fresh process and compares its
stdout as text. Here the example runs as __main__ in the check's own
worker, which imported nothing beforehand (the check is marked `bare`), so
its stdout is exactly what `python3 main.py` would print; random values (a
hash, a UUID) are matched by their shape.
"""
import re
from typing import List
from typing import Sequence

from checks.harness.failures import Failure
from checks.harness.failures import shorten
from checks.harness.remote import Learner
from checks.harness.remote import Raised

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
# The page shows bcrypt's default cost (12); any cost bcrypt accepts (4-31)
# is a bcrypt hash all the same: gensalt(14) is a learner's valid choice.
BCRYPT_REPR = r"b'\$2b\$(0[4-9]|[12][0-9]|3[01])\$[./A-Za-z0-9]{53}'"
ECHO_SIGNS = ("BEGIN (implicit)", "sqlalchemy.engine", "PRAGMA ", "COMMIT")


def run_example(learner: Learner, code: str) -> str:
    """Run an example main as __main__ and return what it printed."""
    try:
        learner.request("exec", "the example main", code=code)
    except Raised as error:
        lines = [frame.split(":")[1] for frame in error.frames
                 if frame.startswith("example_main.py:")]
        mine = [frame for frame in error.frames
                if not frame.startswith("example_main.py:")]
        raise Failure("the example main raised {}: {} (example line {}{})"
                      "\n  it printed:\n{}".format(
                          error.type_name, shorten(error.message, 300),
                          lines[-1] if lines else "?",
                          ", at {}".format(mine[-1]) if mine else "",
                          _show(learner.output().splitlines())), error.hint)
    return learner.output()


def expect_output(got: str, expected: Sequence[str]) -> None:
    """Fail unless each line matches: text exactly, or a `re:` pattern."""
    lines = got.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if len(lines) == len(expected) and all(
            _matches(line, want) for line, want in zip(lines, expected)):
        return
    help = None
    if any(sign in got for sign in ECHO_SIGNS):
        help = ("SQL log lines reached stdout: create the engine with "
                "echo=False (the skeleton's echo=True prints every query)")
    shown = [want[len("re:"):] if want.startswith("re:") else want
             for want in expected]
    raise Failure("{}\n  it printed:\n{}\n  expected:\n{}".format(
        first_difference(lines, expected), _show(lines), _show(shown)), help)


def first_difference(lines: List[str], expected: Sequence[str]) -> str:
    """Say in one line where the output first departs from the expected."""
    for number, want in enumerate(expected, 1):
        if number > len(lines):
            return "the example's output stops after line {}; expected {!r}" \
                .format(number - 1, want)
        if not _matches(lines[number - 1], want):
            return "the example's line {} is {!r}, expected {!r}".format(
                number, shorten(lines[number - 1], 120), want)
    return "the example prints {} lines, expected {}; line {} is {!r}".format(
        len(lines), len(expected), len(expected) + 1,
        shorten(lines[len(expected)], 120))


def _matches(line: str, want: str) -> bool:
    """Tell whether a line is the expected text or fits the pattern."""
    if want.startswith("re:"):
        return re.fullmatch(want[len("re:"):], line) is not None
    return line == want


def _show(lines: List[str]) -> str:
    """Indent lines for a message, cutting a long output."""
    return shorten("\n".join("    | " + line for line in lines[:40]), 2000)
