"""Counterfactual folders, and the replay servers that run checks on them.

blame.py asks whether a failed check passes once some earlier tasks' files
are the reference's. Each set of such files makes one folder, written from
the learner's files as read at the start with those files taken from the
reference (the learner's folder is never touched), and one *replay
server*: a second grading process on that folder that shares this grade's
zygote, runs each check it is asked for in a sandbox of its own like every
check, and answers with the check's verdict before any blame (replay.py).

A server starts at the first question about its files and serves the rest
of the grade; one that cannot start or stops answering is not asked again.
So a broken folder pays one start per set of files, plus one run per
failed check that would be blamed; nothing else runs twice.
"""
import os
import socket
import subprocess
import sys
import time
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional
from typing import Set
from typing import Tuple

from checks.harness.blame import Outcome
from checks.harness.catalogue import TASKS
from checks.harness.catalogue import Task
from checks.harness.failures import safe_text
from checks.harness.failures import shorten
from checks.harness.places import REFERENCE
from checks.harness.places import REPO_ROOT
from checks.harness.sandbox import TEMP_DIR_ENV
from checks.harness.solution import Solution
from checks.harness.verdict import Status
from checks.runtime import protocol

START_LIMIT = 60.0  # seconds a server may take to start, on a busy machine
RUN_FACTOR = 6  # check time limits one replay may take (a check of task
# 20 starts several servers, each within two limits)
END_LIMIT = 30.0  # seconds a server may take to end once told to
DETAIL_LIMIT = 200  # characters of a replay's own reason kept in a blame
# What a replay server must not inherit: it writes no job summary, no
# annotations and no history, and takes no option meant for the grade.
NOT_INHERITED = ("GITHUB_STEP_SUMMARY", "GITHUB_ACTIONS", "PYTEST_ADDOPTS")
REPLAY_OPTION = "--replay-socket"
# (check id, files) -> the checks likely to be asked next on those files
Upcoming = Callable[[str, Tuple[str, ...]], List[str]]


class Server:
    """One replay server: a grading process that answers over a socket."""

    def __init__(self, command: List[str], env: Dict[str, str],
                 log: str) -> None:
        """Start the process; it answers once it has collected the checks.
        """
        ours, theirs = socket.socketpair()
        try:
            with open(log, "wb") as output:
                self.process = subprocess.Popen(
                    command + [REPLAY_OPTION, str(theirs.fileno())],
                    cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL,
                    stdout=output, stderr=subprocess.STDOUT,
                    pass_fds=(theirs.fileno(),))
        except OSError:
            ours.close()
            raise
        finally:
            theirs.close()
        self.sock = ours
        self.reader = protocol.Reader(ours)
        self.answered = False

    def ask(self, check: str, limit: float, upcoming: List[str],
            hung: List[str]) -> Outcome:
        """Have the server run one check (and make ready those likely to
        come next; the `hung` files' code gets the shorter limit, as in
        the grade); return its verdict's status, or None and why, ending
        the server if it did not answer in time."""
        deadline = time.monotonic() + RUN_FACTOR * limit + (
            0.0 if self.answered else START_LIMIT)
        try:
            protocol.send(self.sock, {"check": check, "next": upcoming,
                                      "hung": hung})
            answer = self.reader.receive(deadline)
        except protocol.TimedOut:
            self.close()
            return Outcome(None, "the counterfactual run did not finish in "
                           "time")
        except (OSError, protocol.ProtocolError):
            self.close()
            return Outcome(None, "the counterfactual grader stopped")
        self.answered = True
        return read_answer(answer)

    @property
    def alive(self) -> bool:
        """Tell whether the server may still be asked."""
        return self.sock.fileno() != -1

    def close(self) -> None:
        """Tell the server to end (its socket closes), and wait for it."""
        self.sock.close()
        try:
            self.process.wait(END_LIMIT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def read_answer(answer: object) -> Outcome:
    """Turn a server's answer into an Outcome (None unless it ran)."""
    if not isinstance(answer, dict):
        return Outcome(None, "the counterfactual grader answered nonsense")
    values = {status.value: status for status in Status}
    status = values.get(str(answer.get("status")))
    if status in (Status.PASSED, Status.FAILED):
        return Outcome(status, hung=answer.get("hung") is True)
    reason = safe_text(shorten(str(answer.get("reason") or ""),
                               DETAIL_LIMIT))
    return Outcome(None, "with those files from the reference, this check "
                   "was {}{}".format(status.value if status else "not run",
                                     ": " + reason if reason else ""))


class Counterfactuals:
    """The counterfactual folders of one grade, each with its server."""

    def __init__(self, solution: Solution, root: str, command: List[str],
                 limit: float, upcoming: Upcoming, hung: Set[str]) -> None:
        """Write folders under root; start servers with this command (it
        lacks the folder), whose checks may each take `limit` seconds;
        `upcoming` names the checks a server may make ready; `hung` is
        the grade's set of files whose code timed out."""
        self.solution = solution
        self.root = root
        self.command = command
        self.limit = limit
        self.upcoming = upcoming
        self.hung = hung
        self.servers: Dict[Tuple[str, ...], Server] = {}
        self.broken: Dict[Tuple[str, ...], str] = {}  # files -> why

    def run(self, check: str, task: Task, files: Tuple[str, ...]
            ) -> Outcome:
        """Run a check on the folder whose `files` are the reference's."""
        server = self.prepare(files)
        if server is None:
            return Outcome(None, self.broken[files])
        outcome = server.ask(check, self.limit, self.upcoming(check, files),
                             sorted(self.hung))
        if not server.alive:
            self.broken[files] = outcome.detail
        return outcome

    def prepare(self, files: Tuple[str, ...]) -> Optional[Server]:
        """Return the server of the folder whose `files` are the
        reference's, started now if need be; None if it cannot serve."""
        if files in self.broken:
            return None
        if files not in self.servers:
            try:
                self.start(files)
            except OSError as error:
                self.broken[files] = "the counterfactual could not be " \
                    "made ({})".format(error.strerror or error)
                return None
        return self.servers[files]

    def start(self, files: Tuple[str, ...]) -> Server:
        """Write the folder with these files from the reference, and start
        its server."""
        name = "counterfactual-" + "-".join(file[:-len(".py")]
                                            for file in files)
        folder = self.write(os.path.join(self.root, name), files)
        env = {key: value for key, value in os.environ.items()
               if key not in NOT_INHERITED}
        env.update({"CHECKS_HISTORY_DIR": "off", TEMP_DIR_ENV: self.root})
        server = Server(self.command + ["--solution", folder], env,
                        folder + ".log")
        self.servers[files] = server
        return server

    def write(self, folder: str, files: Tuple[str, ...]) -> str:
        """Write the learner's files, with `files` from the reference."""
        os.mkdir(folder, 0o755)
        os.chmod(folder, 0o755)
        contents = dict(self.solution.files)
        for name in files:
            with open(os.path.join(REFERENCE, name), "rb") as stream:
                contents[name] = stream.read()
        for name, data in contents.items():
            with open(os.path.join(folder, name), "wb") as stream:
                stream.write(data)
        return folder

    def close(self) -> None:
        """End every server."""
        for server in self.servers.values():
            if server.alive:
                server.close()


def replay_command(settings_timeout: float, zygote: str, contain: bool,
                   keys: List[str]) -> List[str]:
    """Return the grading command of a replay server, without its folder.
    """
    command = [sys.executable, "-m", "pytest", "checks", "-p",
               "no:cacheprovider", "-q", "--zygote", zygote,
               "--check-timeout", "{:g}".format(settings_timeout),
               "--task", ",".join(keys)]
    return command + ([] if contain else ["--no-namespaces"])


def wanted_keys(tasks: Optional[Set[str]]) -> List[str]:
    """Return the tasks a replay may be about: those that build on others,
    among the graded ones."""
    return [task.key for task in TASKS if task.depends_on and
            (tasks is None or task.key in tasks)]
