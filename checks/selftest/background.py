"""Grades that mostly wait, started early and run by the grading command.

The golden grades (the reference, in full: once as usual, once with
`--no-namespaces`, the fallback of macOS and of containers that forbid
namespaces) and the hostile solutions' grades run as real `python -m
pytest` subprocesses while the mutants keep the cores busy. Port 5000
stays taken while the reference is graded: no check may need it (it is
often busy, e.g. with macOS AirPlay), and without namespaces learner code
shares this machine's network, so task 20 passes only if the checker
serves it elsewhere. Hostile grades run as in GitHub Actions (annotations
on, a job summary file), so that their output can be searched for what the
hostile code tried to inject, and with a plugin that logs the checker's own
descriptors and memory. Each case is keyed by its name (Case.key): some of
the red team is graded twice, the second time with --no-namespaces.
"""
import os
import socket
from concurrent.futures import Future
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from typing import Dict
from typing import List
from typing import NamedTuple
from typing import Optional
from typing import Tuple

from checks.harness.plugin import CHECK_TIMEOUT
from checks.selftest import folders
from checks.selftest.folders import REPO_ROOT
from checks.selftest.grading import EXERCISE
from checks.selftest.grading import Grade
from checks.selftest.grading import Job
from checks.selftest.grading import run_grader
from checks.selftest.hostile import CASES
from checks.selftest.hostile import Hostile

HOSTILE_TIMEOUT = 2.0  # --check-timeout of grades whose code hangs a task
# Code that hangs nothing keeps the checker's own limit: none of its checks
# waits for one, and on a loaded machine an honest check may take over 2 s
# (red-escaped-daemon's example main timed out at 2 s in a CI run).
HARMLESS_TIMEOUT = CHECK_TIMEOUT
AT_ONCE = 3  # background grades running together (each has its own zygote)
PORT = 5000
# What the checker's tree is, for its digest: everything but caches.
TREE_SKIPPED = ("__pycache__", ".git", ".tox", ".pytest_cache", ".mypy_cache",
                ".ruff_cache", "gallery")


class Background(NamedTuple):
    """Grades running in subprocesses, and what they are checked against."""

    executor: ThreadPoolExecutor
    golden: "Future[Grade]"
    reduced: "Future[Grade]"  # the reference with --no-namespaces
    port_state: str
    hostile: Dict[str, "Future[Grade]"]
    folders: Dict[str, str]
    digests: Dict[str, Dict[str, Any]]
    tokens: Dict[str, Dict[str, str]]
    tree: Dict[str, Any]


def hold_port(port: int) -> Tuple[Optional[socket.socket], str]:
    """Take a port on every interface, or say who has it already."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind(("0.0.0.0", port))
        sock.listen(1)
    except OSError as error:
        sock.close()
        return None, "already taken ({})".format(error)
    return sock, "held by the self-test"


def release_when_done(sock: socket.socket,
                      grades: "List[Future[Grade]]") -> None:
    """Close a socket once every one of some grades has ended."""
    def release(_: "Future[Grade]") -> None:
        if all(grade.done() for grade in grades):
            sock.close()  # twice is harmless
    for grade in grades:
        grade.add_done_callback(release)


def tree_digest() -> Dict[str, Any]:
    """Return the digest of the checker's own tree."""
    return folders.digest(os.path.join(REPO_ROOT, "checks"), TREE_SKIPPED)


def tokens_of(root: str, index: int, key: str) -> Dict[str, str]:
    """Return the @NAME@ values of one hostile case (RESOURCES: the log of
    resources_plugin.py; WAITS: that of waits_plugin.py)."""
    folder = os.path.join(root, key)
    return {"MARKER": os.path.join(root, key + ".marker"), "FOLDER": folder,
            "REPO": REPO_ROOT, "JSON": folder + ".json",
            "SUMMARY": folder + ".summary",
            "RESOURCES": folder + ".resources", "WAITS": folder + ".waits",
            "TOKEN": "4242.{:03d}".format(index)}


def timeout_of(hostile: Hostile) -> float:
    """Return the per-check limit a hostile solution is graded with."""
    return HOSTILE_TIMEOUT if hostile.down else HARMLESS_TIMEOUT


def start(root: str, hostile_too: bool = True) -> Background:
    """Start the golden grades and, unless told not to, every hostile one.
    """
    executor = ThreadPoolExecutor(max_workers=AT_ONCE)
    tree = tree_digest()
    sock, port_state = hold_port(PORT)
    golden = executor.submit(run_grader, Job(
        folders.REFERENCE, os.path.join(root, "golden.json"),
        timeout=CHECK_TIMEOUT))
    reduced = executor.submit(run_grader, Job(
        folders.REFERENCE, os.path.join(root, "reduced.json"),
        timeout=CHECK_TIMEOUT, extra=("--no-namespaces",)))
    if sock is not None:
        release_when_done(sock, [golden, reduced])
    started: Dict[str, "Future[Grade]"] = {}
    places, digests, tokens = {}, {}, {}
    for index, case in enumerate(CASES if hostile_too else ()):
        hostile, key = case.hostile, case.key
        tokens[key] = tokens_of(root, index, key)
        places[key] = folders.build(list(hostile.edits),
                                    tokens[key]["FOLDER"], tokens[key],
                                    hostile.special)
        digests[key] = folders.digest(places[key])
        started[key] = executor.submit(run_grader, Job(
            places[key], tokens[key]["JSON"], list(hostile.tasks) or EXERCISE,
            timeout=timeout_of(hostile), extra=(
                "-p", "checks.selftest.resources_plugin", "--resources-log",
                tokens[key]["RESOURCES"], "-p", "checks.selftest.waits_plugin",
                "--waits-log", tokens[key]["WAITS"]) + (
                    ("--no-namespaces",) if case.reduced else ()),
            env=(("GITHUB_ACTIONS", "true"),
                 ("GITHUB_STEP_SUMMARY", tokens[key]["SUMMARY"]))))
    return Background(executor, golden, reduced, port_state, started, places,
                      digests, tokens, tree)
