"""Watch mode: regrade a solution folder on every save, from a warm grader.

    python -m checks.watch --solution PATH [--task KEYS]

(`tox -e watch -- --solution PATH` runs it.) It grades the watched tasks
(default 0-20) once, then waits for saves: after each it regrades the
tasks the edit can affect, edited ones first (changes.py), and prints
which tasks changed status, the first failure and the next task. It lives
through syntax errors, deleted files and a folder renamed away and back;
Ctrl-C (or SIGTERM) ends it, and every grade, sandbox and the zygote with
it.
"""
import argparse
import os
import signal
import sys
from typing import Any
from typing import List
from typing import Optional

import pytest

from checks.harness.catalogue import EXERCISE
from checks.harness.catalogue import REFERENCE_FOLDER
from checks.harness.catalogue import TASKS
from checks.harness.folder import problem_with
from checks.harness.plugin import CHECK_TIMEOUT
from checks.harness.plugin import REPO_ROOT
from checks.harness.plugin import SOLUTION_HELP
from checks.harness.plugin import TASK_HELP
from checks.harness.plugin import TIMEOUT_HELP
from checks.harness.plugin import parse_tasks
from checks.harness.plugin import parse_timeout
from checks.harness.warm import WarmGrader
from checks.watch.folder import BACK
from checks.watch.folder import GONE
from checks.watch.folder import FolderWatch
from checks.watch.session import Session
from checks.watch.session import clock

IDLE = 0.5  # seconds between looks at Ctrl-C while nothing happens
USAGE_ERROR = 4  # as pytest's for a bad command line


def _argument(parse: Any) -> Any:
    """Turn the grader's option parser into an argparse type."""
    def convert(value: str) -> Any:
        try:
            return parse(value)
        except pytest.UsageError as error:
            raise argparse.ArgumentTypeError(str(error))
    return convert


def parse_arguments(argv: Optional[List[str]]) -> argparse.Namespace:
    """Read the command line: the grader's options that watch mode keeps.
    """
    parser = argparse.ArgumentParser(
        prog="tox -e watch --", description="Regrade a solution folder on "
        "every save; Ctrl-C ends it.")
    parser.add_argument("--solution", default=os.path.join(
        REPO_ROOT, REFERENCE_FOLDER), help=SOLUTION_HELP)
    parser.add_argument("--task", dest="tasks", action="append",
                        type=_argument(parse_tasks),
                        help=TASK_HELP + " (default: 0-20)")
    parser.add_argument("--check-timeout", dest="timeout",
                        default=CHECK_TIMEOUT,
                        type=_argument(parse_timeout), help=TIMEOUT_HELP)
    parser.add_argument("--no-namespaces", dest="contain",
                        action="store_false", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def say(line: str) -> None:
    """Print one line of the watch's output at once."""
    print(line, flush=True)


def _stop(signum: int, frame: Any) -> None:
    """End on SIGINT or SIGTERM as on Ctrl-C."""
    raise KeyboardInterrupt


def watch(session: Session, folder: FolderWatch) -> None:
    """Grade, then regrade after every save, until interrupted."""
    while True:
        busy = (not session.results or session.stale) and \
            not session.waiting
        event = folder.next(0 if busy else IDLE)
        saved = event is not None
        while event is not None:
            if event == GONE:
                say("[{}] {} is gone (renamed or deleted): waiting for it "
                    "to come back".format(clock(), session.folder))
            elif event == BACK:
                say("[{}] {} is back".format(clock(), session.folder))
                session.forget()
            event = folder.next(0)
        if not os.path.isdir(session.folder):
            continue
        if not session.results:  # the first grade is still to finish
            session.waiting = session.waiting and not saved
            finished = not session.waiting and session.start(
                folder.pending)
        else:
            session.notice()
            finished = bool(session.stale) and not session.waiting and \
                session.catch_up(folder.pending)
        if finished:
            say("[{}] watching {} (Ctrl-C to stop)".format(
                clock(), session.folder))


def main(argv: Optional[List[str]] = None) -> int:
    """Watch until Ctrl-C; return the exit status."""
    options = parse_arguments(argv)
    problem = problem_with(options.solution)
    if problem:
        print("ERROR: " + problem, file=sys.stderr)
        return USAGE_ERROR
    solution = os.path.abspath(options.solution)
    wanted = {key for group in options.tasks for key in group} if \
        options.tasks else set(EXERCISE)
    watched = [task.key for task in TASKS if task.key in wanted]
    # Ctrl-C and SIGTERM end it cleanly, even where SIGINT was ignored
    # when it started (a shell's background job).
    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, _stop)
    os.environ["CHECKS_HISTORY_DIR"] = "off"  # partial grades: no history
    grader = folder = None
    try:
        say("[{}] starting a warm grader (Ctrl-C to stop)".format(
            clock()))
        grader = WarmGrader(options.contain)
        folder = FolderWatch(solution)
        session = Session(solution, watched, grader, options.timeout, say)
        watch(session, folder)
    except KeyboardInterrupt:
        say("[{}] stopped watching".format(clock()))
    finally:
        # A terminal's Ctrl-C reaches tox too, which sends its own SIGINT:
        # the second must not cut the clean-up short.
        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, signal.SIG_IGN)
        if folder is not None:
            folder.stop()
        if grader is not None:
            grader.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
