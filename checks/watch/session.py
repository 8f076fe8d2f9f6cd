"""One watch session: the folder's last grade, and regrades after saves.

The session keeps the results of every watched task and the snapshot of
the folder they were graded on. After a save it plans (changes.py): the
tasks whose code was edited are regraded first and reported at once, then
the tasks that read the same files or build on the edited ones. Tasks
whose verdict is out of date stay *stale* until a grade that covers them
finishes: a save during a grade cancels it (the warm grader kills its
child) and the next grade takes up every stale task.
"""
import os
import time
from typing import Callable
from typing import List
from typing import Optional
from typing import Set

from checks.harness.warm import KILLED
from checks.harness.warm import WarmGrader
from checks.watch import changes
from checks.watch import updates

GRADE_LIMIT = 900.0  # seconds one grade may take before it is killed
FEW = 3  # edited tasks whose unchanged verdicts are still shown


def clock() -> str:
    """Return the time of day, to date each update."""
    return time.strftime("%H:%M:%S")


class Session:
    """The warm grader, the watched tasks, and what is known of them."""

    def __init__(self, folder: str, watched: List[str],
                 grader: WarmGrader, timeout: float,
                 say: Callable[[str], None]) -> None:
        """Keep the settings; nothing is graded yet."""
        self.folder = folder
        self.watched = watched
        self.grader = grader
        self.timeout = timeout
        self.say = say
        self.results: updates.Results = {}
        self.seen: changes.Snapshot = {}
        self.stale: Set[str] = set(watched)
        self.edited: Set[str] = set()
        # A grade that broke (say, every file deleted: no solution folder
        # any more) is not retried until the folder changes again.
        self.waiting = False

    def grade(self, keys: List[str],
              cancelled: Callable[[], bool]) -> Optional[updates.Results]:
        """Grade some tasks; None if cancelled or if the grade broke (it
        says why)."""
        if not os.path.isdir(self.folder):
            return None  # renamed away: graded again when it is back
        scorecard = os.path.join(self.grader.root, "scorecard.json")
        log = os.path.join(self.grader.root, "grade.log")
        try:
            os.unlink(scorecard)
        except OSError:
            pass
        args = ["checks", "-q", "-p", "no:cacheprovider", "--solution",
                self.folder, "--task", ",".join(keys), "--scorecard-json",
                scorecard, "--check-timeout", str(self.timeout)]
        status = self.grader.run(args, log, GRADE_LIMIT, cancelled)
        if status is None:
            return None
        try:
            return updates.read_results(scorecard)
        except (OSError, ValueError, KeyError, TypeError):
            self.waiting = True
            self.say("  the grade of {} ended without a scorecard ({}); "
                     "its log: {}; waiting for the next save".format(
                         updates.ranges(keys), "killed after {:.0f} s"
                         .format(GRADE_LIMIT) if status == KILLED else
                         "exit status {}".format(status), log))
            return None

    def notice(self) -> bool:
        """Take in the folder as it is now; tell whether anything the
        checker reads changed since the last look."""
        if not os.path.isdir(self.folder):
            return False  # renamed away: wait until it is back
        now = changes.snapshot(self.folder)
        plan = changes.plan(self.seen, now, set(self.watched))
        self.seen = now
        if plan is None:
            return False
        self.waiting = False
        self.edited |= set(plan.edited)
        self.stale |= set(plan.edited) | set(plan.consequences)
        what = ", ".join(plan.files)
        self.say("[{}] {} changed".format(clock(), what))
        return True

    def forget(self) -> None:
        """Forget the folder's files (it came back after a rename): the
        next look finds every file new."""
        self.seen = {}

    def start(self, cancelled: Callable[[], bool]) -> bool:
        """Grade every watched task; tell whether it finished."""
        self.seen = changes.snapshot(self.folder)
        self.say("[{}] grading tasks {} of {}".format(
            clock(), updates.ranges(self.watched), self.folder))
        results = self.grade(self.watched, cancelled)
        if results is None:
            return False
        self.results = results
        self.stale.clear()
        for line in updates.overview(results) + updates.summary(results):
            self.say("  " + line)
        return True

    def catch_up(self, cancelled: Callable[[], bool]) -> bool:
        """Regrade the edited tasks, then the rest of the stale ones,
        reporting after each; tell whether both finished."""
        waves = [sorted(self.edited & self.stale, key=self.watched.index)]
        waves.append([key for key in self.watched
                      if key in self.stale and key not in waves[0]])
        for number, keys in enumerate(waves):
            if not keys:
                continue
            started = time.monotonic()
            results = self.grade(keys, cancelled)
            if results is None:
                return False
            before = self.results
            self.results = dict(before, **results)
            self.stale -= set(keys)
            self.edited -= set(keys)
            lines = updates.changes(before, results, keys)
            if not lines and number == 0 and len(keys) <= FEW:
                lines = updates.verdicts(results, keys)
            heading = "the edited task(s) {}" if number == 0 else \
                "the tasks that read the same files or build on them: {}"
            self.say("  {} ({:.1f} s):".format(
                heading.format(updates.ranges(keys)),
                time.monotonic() - started))
            for line in lines or ["no status changed"]:
                self.say("    " + line)
        for line in updates.summary(self.results):
            self.say("  " + line)
        return True
