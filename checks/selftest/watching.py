"""Drive watch mode as a learner does: start it, save files, read it.

The watch runs as `python -m checks.watch` in a session of its own, its
output read line by line by a thread, so that a test can wait for a line
with a deadline. Its temporary folders go to a folder of the test's
(CHECKS_TEMP_DIR), so that a test can tell that nothing is left behind:
no file there, no process that names it.
"""
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from typing import IO
from typing import List
from typing import Optional
from typing import Tuple

from checks.selftest.folders import REPO_ROOT

WAIT = 60.0  # seconds a test waits for a line of the watch's output
# Seconds for killed processes to be reaped and their folders removed: a
# wait that ends as soon as nothing is left, so it costs a clean run
# nothing; a loaded CI machine took over 5 s (a zygote that outlived its
# owner still removing its folder).
GRACE = 20.0


class Watch:
    """A running watch mode and the lines it printed so far."""

    def __init__(self, solution: str, temp: str, *options: str) -> None:
        """Start watching a folder; its temporary files go under temp."""
        self.folder = solution
        self.temp = temp
        env = dict(os.environ, CHECKS_TEMP_DIR=temp, PYTHONUNBUFFERED="1")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "checks.watch", "--solution", solution]
            + list(options), cwd=REPO_ROOT, env=env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            start_new_session=True)
        self.lines: List[str] = []
        self.times: List[float] = []  # when each line arrived (monotonic)
        self._queue: "queue.Queue[Optional[Tuple[str, float]]]" = \
            queue.Queue()
        self._read = 0  # lines already returned by wait_for
        threading.Thread(target=self._pump, args=(self.process.stdout,),
                         daemon=True).start()

    def _pump(self, stream: Optional[IO[bytes]]) -> None:
        """Queue the watch's output lines with the time each arrived; None
        when it closes."""
        for raw in stream or ():
            self._queue.put((raw.decode("utf-8", "replace").rstrip("\n"),
                             time.monotonic()))
        self._queue.put(None)

    def _take(self, line: Optional[Tuple[str, float]]) -> bool:
        """Keep a line from the queue; tell whether there was one."""
        if line is None:
            return False
        self.lines.append(line[0])
        self.times.append(line[1])
        return True

    def wait_for(self, text: str, limit: float = WAIT) -> List[str]:
        """Return the lines printed since the last wait, up to the first
        that holds text; fail with the output so far if none does."""
        deadline = time.monotonic() + limit
        while True:
            for index in range(self._read, len(self.lines)):
                if text in self.lines[index]:
                    seen = self.lines[self._read:index + 1]
                    self._read = index + 1
                    return seen
            try:
                line = self._queue.get(
                    timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                line = None
            if not self._take(line):
                raise AssertionError("watch mode never printed {!r}; it "
                                     "printed:\n{}".format(
                                         text, "\n".join(self.lines)))

    def seconds_between(self, first: str, last: str) -> float:
        """Return the seconds between the arrival of the last line holding
        `first` and the first one after it holding `last`, among the lines
        returned so far."""
        start = max(index for index in range(self._read)
                    if first in self.lines[index])
        end = next(index for index in range(start, self._read)
                   if last in self.lines[index])
        return self.times[end] - self.times[start]

    def interrupt(self, limit: float = 30.0) -> int:
        """Press Ctrl-C under tox: the terminal's SIGINT, then tox's own
        a moment later; return the watch's exit status."""
        os.kill(self.process.pid, signal.SIGINT)
        time.sleep(0.05)
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGINT)
        try:
            return self.process.wait(limit)
        except subprocess.TimeoutExpired:
            raise AssertionError("watch mode still runs {} s after Ctrl-C; "
                                 "it printed:\n{}".format(
                                     limit, "\n".join(self.lines)))

    def close(self) -> None:
        """End the watch as a user does (Ctrl-C), or kill it if that
        fails; either way its grades end with it."""
        if self.process.poll() is None:
            try:
                self.interrupt()
            except AssertionError:
                pass
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def processes_naming(text: str) -> List[int]:
    """Return the processes whose command line holds text."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/{}/cmdline".format(entry), "rb") as stream:
                if text.encode() in stream.read():
                    found.append(int(entry))
        except OSError:
            continue
    return found


def leftovers(temp: str, grace: float = GRACE) -> List[str]:
    """Return what is left of a watch that ended: processes naming its
    temporary folder, files in it. A killed process may take a moment to
    be reaped: wait up to `grace` seconds for both to be gone."""
    deadline = time.monotonic() + grace
    while True:
        left = ["process {}".format(pid) for pid in processes_naming(temp)]
        left += ["file {}".format(name) for name in os.listdir(temp)]
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.1)
