"""Grade many folders in parallel through warm fork servers.

Each worker is a forkserver.py process with the checker already imported;
a job sent to it runs `pytest.main` in a fresh fork, exactly as the grading
command would, without paying Python's and the libraries' start-up again.
"""
import json
import queue
import subprocess
import sys
import time
from concurrent.futures import Future
from concurrent.futures import ThreadPoolExecutor

from checks.selftest.folders import REPO_ROOT
from checks.selftest.grading import Grade
from checks.selftest.grading import Job
from checks.selftest.grading import RUN_LIMIT
from checks.selftest.grading import grader_args
from checks.selftest.grading import quiet_env
from checks.selftest.grading import read_grade


class ForkServer:
    """A client of one forkserver.py process."""

    def __init__(self, python: str = sys.executable) -> None:
        """Start the server; it warms up while the first job is prepared."""
        self.process = subprocess.Popen(
            [python, "-m", "checks.selftest.forkserver"], cwd=REPO_ROOT,
            env=quiet_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            universal_newlines=True)

    def grade(self, job: Job, limit: float = RUN_LIMIT) -> Grade:
        """Grade one job in a fresh fork of the warm server."""
        log = job.json_path + ".log"
        started = time.monotonic()
        request = {"args": grader_args(job), "log": log, "limit": limit}
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        rc = json.loads(answer)["rc"] if answer else -1
        try:
            with open(log, encoding="utf-8", errors="replace") as stream:
                output = stream.read()
        except OSError:
            output = "(no output: the fork server ended)"
        return read_grade(job, rc, time.monotonic() - started, output)

    def close(self) -> None:
        """Let the server finish and reap it."""
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait()


class Pool:
    """A few fork servers that grade jobs in parallel."""

    def __init__(self, workers: int) -> None:
        """Start one fork server per worker."""
        self.workers = workers
        self.idle: "queue.Queue[ForkServer]" = queue.Queue()
        for _ in range(workers):
            self.idle.put(ForkServer())
        self.executor = ThreadPoolExecutor(max_workers=workers)

    def _grade(self, job: Job) -> Grade:
        """Grade one job on whichever server is free."""
        server = self.idle.get()
        try:
            return server.grade(job)
        finally:
            self.idle.put(server)

    def submit(self, job: Job) -> "Future[Grade]":
        """Queue a job; its grade comes when a server has done it."""
        return self.executor.submit(self._grade, job)

    def close(self) -> None:
        """Finish the queued jobs, then stop every server."""
        self.executor.shutdown(wait=True)
        for _ in range(self.workers):
            self.idle.get().close()
