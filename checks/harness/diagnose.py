"""Explain what went wrong in a worker, naming the stack and the fix.

The same learner code can work on one stack and break on the other; the
hints below recognise the usual causes from the error text. A worker that
ended early is described by how it ended: its exit status, or the signal
that killed it.
"""
import re
import signal
import sys
from typing import Optional
from typing import Tuple

from checks.harness.failures import EXITED
from checks.harness.failures import TIMED_OUT

IMPORT_HUNG = "{file} did not finish importing within {seconds:g} s{where}"

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
    (r"DetachedInstanceError|is not bound to a Session",
     "the User was returned after its session was closed, with its fields "
     "expired by the commit: keep the session open (the skeleton's "
     "memoized _session), or use expire_on_commit=False"),
)
# What a signal that killed a worker usually means.
SIGNALS = {
    int(signal.SIGSEGV): "a crash in C code, or a recursion too deep",
    int(signal.SIGABRT): "an abort in C code",
    int(signal.SIGKILL): "killed: over a resource limit (memory, CPU), or "
                         "by the code itself",
    int(signal.SIGXCPU): "over its CPU time limit",
    int(signal.SIGBUS): "a crash in C code",
}


def stack_name() -> str:
    """Name the stack this checker runs on, with its versions."""
    versions = {name: dist_version(name)
                for name in ("SQLAlchemy", "Flask", "bcrypt")}
    graded = versions["SQLAlchemy"].startswith("1.3")
    return "{} (Python {}.{}, SQLAlchemy {}, Flask {}, bcrypt {})".format(
        "graded stack" if graded else "current stack",
        sys.version_info[0], sys.version_info[1], versions["SQLAlchemy"],
        versions["Flask"], versions["bcrypt"])


def dist_version(name: str) -> str:
    """Return an installed distribution's version, or "?"."""
    try:
        from importlib.metadata import version
    except ImportError:  # Python 3.7: the backport comes with pytest 7
        from importlib_metadata import version  # type: ignore
    try:
        return str(version(name))
    except Exception:
        return "?"


def hint_for(text: str) -> Optional[str]:
    """Return the first hint whose pattern occurs in the text."""
    for pattern, hint in HINTS:
        if re.search(pattern, text):
            return "on the {}: {}".format(stack_name(), hint)
    return None


def with_hint(message: str, evidence: str) -> str:
    """Append the hint the evidence suggests, if any."""
    hint = hint_for(evidence)
    return message if hint is None else "{}\n  hint: {}".format(message,
                                                                 hint)


def ended(status: Optional[int], action: str, stderr: str) -> str:
    """Say how a worker ended in the middle of an action."""
    if status is not None and status < 0:
        number = -status
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = "signal {}".format(number)
        meaning = SIGNALS.get(number, "a signal")
        message = "{}: the process died of {} ({})".format(action, name,
                                                           meaning)
    else:
        message = "{}: {}".format(action, EXITED.format(
            code="unknown" if status is None else status))
    return with_hint(message, stderr)


def timed_out(limit: float, action: str, trace: str) -> str:
    """Say that an action ran out of time, and where the code was."""
    return with_hint(TIMED_OUT.format(seconds=limit, where=" in " + action +
                                      hang_site(trace)), trace)


def import_hung(limit: float, module: str, trace: str) -> str:
    """Say that importing a module ran out of time, and where it was."""
    return with_hint(IMPORT_HUNG.format(file=module + ".py", seconds=limit,
                                        where=hang_site(trace)), trace)


def hang_site(trace: str) -> str:
    """Find the innermost learner frame in a faulthandler dump."""
    frames = re.findall(r'File "([^"]+)", line (\d+) in (\S+)', trace)
    for path, line, function in frames:
        if "site-packages" not in path and "/lib/python" not in path \
                and "kata_runtime" not in path and \
                "example_main" not in path and not path.startswith("<"):
            return " (your code was at {}:{} in {})".format(
                path.rsplit("/", 1)[-1], line, function)
    return ""
