"""Grades that mostly wait, started early and run by the grading command.

The golden grade (the reference, in full) and the hostile solutions' grades
run as real `python -m pytest` subprocesses while the mutants keep the
cores busy. Port 5000 stays taken while the reference is graded: no check
may need it (it is often busy, e.g. with macOS AirPlay).
"""
import os
import socket
from concurrent.futures import Future
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from typing import Dict
from typing import NamedTuple
from typing import Optional
from typing import Tuple

from checks.selftest import folders
from checks.selftest.grading import EXERCISE
from checks.selftest.grading import Grade
from checks.selftest.grading import Job
from checks.selftest.grading import run_grader
from checks.selftest.hostile import HOSTILES

HOSTILE_TIMEOUT = 2.0  # --check-timeout of hostile grades
PORT = 5000


class Background(NamedTuple):
    """Grades running in subprocesses, and what they are checked against."""

    executor: ThreadPoolExecutor
    golden: "Future[Grade]"
    port_state: str
    hostile: Dict[str, "Future[Grade]"]
    folders: Dict[str, str]
    digests: Dict[str, Dict[str, Any]]
    markers: Dict[str, str]


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


def start(root: str) -> Background:
    """Start the golden grade and every hostile grade."""
    executor = ThreadPoolExecutor(max_workers=len(HOSTILES) + 1)
    sock, port_state = hold_port(PORT)
    golden = executor.submit(run_grader, Job(
        folders.REFERENCE, os.path.join(root, "golden.json"), timeout=10.0))
    if sock is not None:
        golden.add_done_callback(lambda _: sock.close())
    started: Dict[str, "Future[Grade]"] = {}
    places, digests, markers = {}, {}, {}
    for hostile in HOSTILES:
        markers[hostile.id] = os.path.join(root, hostile.id + ".marker")
        places[hostile.id] = folders.build(list(hostile.edits), os.path.join(
            root, hostile.id), markers[hostile.id])
        digests[hostile.id] = folders.digest(places[hostile.id])
        started[hostile.id] = executor.submit(run_grader, Job(
            places[hostile.id], places[hostile.id] + ".json",
            list(hostile.tasks) or EXERCISE, timeout=HOSTILE_TIMEOUT))
    return Background(executor, golden, port_state, started, places,
                      digests, markers)
