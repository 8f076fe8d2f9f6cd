"""Saves in a folder, as events on a queue, from watchfiles in a thread.

watchfiles (inotify underneath) does the watching and groups an editor's
burst of writes into one batch (it yields once nothing changed for STEP
milliseconds). A thread turns each batch into an event on a queue, so
that the grader can be told of a save while it grades, and cancel. When
the folder is renamed or deleted, the thread says GONE and watches the
parent folder (not recursively) until the folder is back, then says
BACK and watches it again.
"""
import os
import queue
import signal
import threading
from typing import Any
from typing import Optional

import watchfiles

from checks.harness.solution import KEPT
from checks.harness.warm import STOPPING

STEP = 50  # ms without a new change that ends a burst of writes
TIMEOUT = 500  # ms between looks at the stop flag and the folder
CHANGED = "changed"
GONE = "gone"
BACK = "back"
RETRY = 1.0  # seconds before looking again at a parent that cannot be watched


def read_by_checker(change: Any, path: str) -> bool:
    """Keep changes to the files the checker reads (top-level .py and .md,
    not hidden), and to the folder itself."""
    name = os.path.basename(path)
    return name.endswith(KEPT) and not name.startswith(".")


class FolderWatch:
    """Watches one folder in a thread; events arrive on `events`."""

    def __init__(self, folder: str) -> None:
        """Start watching."""
        self.folder = os.path.abspath(folder)
        self.events: "queue.Queue[str]" = queue.Queue()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True,
                                       name="watch " + self.folder)
        self.thread.start()

    def next(self, timeout: Optional[float] = None) -> Optional[str]:
        """Return the next event, or None after the timeout."""
        try:
            return self.events.get(timeout=timeout)
        except queue.Empty:
            return None

    def pending(self) -> bool:
        """Tell whether an event is waiting (a save during a grade)."""
        return not self.events.empty()

    def stop(self) -> None:
        """Stop watching; the thread ends within TIMEOUT."""
        self.stopping.set()
        self.thread.join(2 * TIMEOUT / 1000)

    def _run(self) -> None:
        """Watch the folder while it exists, its parent while it does not.
        """
        # Ctrl-C goes to the main thread alone (and watchfiles' threads,
        # started from here, inherit this): it blocks it while a grade
        # is being forked, and takes it once it can.
        signal.pthread_sigmask(signal.SIG_BLOCK, STOPPING)
        while not self.stopping.is_set():
            if os.path.isdir(self.folder):
                self._watch_folder()
            if not self.stopping.is_set() and \
                    not os.path.isdir(self.folder):
                self.events.put(GONE)
                if self._wait_for_folder():
                    self.events.put(BACK)

    def _watch_folder(self) -> None:
        """Report batches of changes until the folder goes away."""
        batches = watchfiles.watch(
            self.folder, watch_filter=None, step=STEP, recursive=False,
            stop_event=self.stopping, rust_timeout=TIMEOUT,
            yield_on_timeout=True, raise_interrupt=False)
        try:
            for batch in batches:
                if not os.path.isdir(self.folder):
                    return
                if any(read_by_checker(change, path)
                       for change, path in batch):
                    self.events.put(CHANGED)
        except (OSError, RuntimeError):
            return  # the folder vanished as watching began

    def _wait_for_folder(self) -> bool:
        """Watch the parent until the folder exists again, or we stop."""
        parent = os.path.dirname(self.folder)
        while not self.stopping.is_set():
            if os.path.isdir(self.folder):
                return True
            try:
                for _ in watchfiles.watch(
                        parent, watch_filter=None, step=STEP,
                        recursive=False, stop_event=self.stopping,
                        rust_timeout=TIMEOUT, yield_on_timeout=True,
                        raise_interrupt=False):
                    if os.path.isdir(self.folder):
                        return True
            except (OSError, RuntimeError):
                self.stopping.wait(RETRY)
        return False
