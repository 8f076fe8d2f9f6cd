"""Explain what went wrong in a child, naming the stack and the fix.

The same learner code can work on one stack and break on the other; the
hints below recognise the usual causes from the error text.
"""
import re
import sys
from typing import Optional
from typing import Tuple

from checks.harness.failures import CHECKER_ERROR
from checks.harness.failures import CRASHED
from checks.harness.failures import EXITED
from checks.harness.failures import TIMED_OUT
from checks.harness.sandbox import ChildResult

# (pattern in the error text, hint). The first match wins.
HINTS: Tuple[Tuple[str, str], ...] = (
    (r"cannot import name '?declarative_base'? from '?sqlalchemy\.orm",
     "sqlalchemy.orm.declarative_base exists only from SQLAlchemy 1.4; on "
     "the graded stack (1.3) import it from sqlalchemy.ext.declarative, or "
     "try sqlalchemy.orm first and fall back on ImportError"),
    (r"cannot import name '?NoResultFound'? from '?sqlalchemy\.exc",
     "SQLAlchemy 1.3 has no sqlalchemy.exc.NoResultFound: import it from "
     "sqlalchemy.orm.exc, which works on both stacks"),
    (r"cannot import name '?(Mapped|mapped_column|DeclarativeBase)'?",
     "Mapped, mapped_column and DeclarativeBase are SQLAlchemy 2.0 APIs; "
     "the graded stack is SQLAlchemy 1.3: use Column and declarative_base"),
    (r"unsupported operand type\(s\) for \|",
     "`X | None` in annotations needs Python 3.10; the graded stack is "
     "Python 3.7: write Optional[X] from typing"),
    (r"'type' object is not subscriptable",
     "list[str], dict[str, int] and the like need Python 3.9; the graded "
     "stack is Python 3.7: use typing.List, typing.Dict"),
    (r"password cannot be longer than 72 bytes",
     "bcrypt 5 (current stack) refuses passwords over 72 bytes; check the "
     "length (in UTF-8 bytes) before hashing"),
    (r"Address already in use|serve_forever|run_simple",
     "app.run() ran when app.py was imported: put it under "
     "`if __name__ == \"__main__\":`"),
    (r"No module named '(flask|sqlalchemy|bcrypt|requests)'",
     "a package is missing from this environment: run the checker through "
     "tox, which installs them"),
    (r"MovedIn20Warning|declarative_base\(\) function is now available",
     "sqlalchemy.ext.declarative.declarative_base is deprecated on "
     "SQLAlchemy 2.x"),
)


def stack_name() -> str:
    """Name the stack this checker runs on, with its versions."""
    import sqlalchemy
    graded = sqlalchemy.__version__.startswith("1.3")
    return "{} (Python {}.{}, SQLAlchemy {}, Flask {}, bcrypt {})".format(
        "graded stack" if graded else "current stack",
        sys.version_info[0], sys.version_info[1], sqlalchemy.__version__,
        _dist_version("flask"), _dist_version("bcrypt"))


def _dist_version(name: str) -> str:
    """Return an installed distribution's version, or "?"."""
    try:
        from importlib.metadata import version
    except ImportError:  # Python 3.7: the backport comes with pytest 7
        from importlib_metadata import version  # type: ignore
    return str(version(name))


def hint_for(text: str) -> Optional[str]:
    """Return the first hint whose pattern occurs in the text."""
    for pattern, hint in HINTS:
        if re.search(pattern, text):
            return "on the {}: {}".format(stack_name(), hint)
    return None


def explain(result: ChildResult, action: str) -> str:
    """Describe in one line (plus a hint) why a child did not return."""
    if result.status == "timeout":
        where = _hang_site(result.hang_trace)
        message = TIMED_OUT.format(seconds=round(result.seconds),
                                   where=" in " + action + where)
        evidence = result.hang_trace
    elif result.status == "exited":
        message = EXITED.format(code=result.exit_code)
        evidence = result.stderr
    elif result.raised is not None and result.raised.from_checker and \
            not result.raised.is_assertion:
        return CHECKER_ERROR.format(detail=result.raised.traceback)
    else:
        raised = result.raised
        assert raised is not None
        where = " (at {})".format(raised.learner_frame) \
            if raised.learner_frame else ""
        message = "{}: {}".format(action, CRASHED.format(
            type_name=raised.type_name, message=raised.message.strip(),
            where=where))
        evidence = raised.traceback
    hint = hint_for(evidence + result.stderr)
    return message if hint is None else "{}\n  hint: {}".format(message, hint)


def _hang_site(trace: str) -> str:
    """Find the innermost learner frame in a faulthandler dump."""
    frames = re.findall(r'File "([^"]+)", line (\d+) in (\S+)', trace)
    for path, line, function in frames:
        if "site-packages" not in path and "/checks/" not in path and \
                "/lib/python" not in path:
            return " (your code was at {}:{} in {})".format(
                path.rsplit("/", 1)[-1], line, function)
    return ""
