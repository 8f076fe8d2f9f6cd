"""The reference passes every check, graded by the grading command itself.

Each stack's self-test run grades it with its own interpreter, so running
the self-tests on both stacks proves the reference on both.
"""
import os
import socket
import sys

from checks.harness.catalogue import TASKS
from checks.selftest import folders
from checks.selftest.background import PORT
from checks.selftest.background import hold_port
from checks.selftest.grading import Grade
from checks.selftest.grading import Job
from checks.selftest.grading import run_grader

JSON_VERSION = 2


def test_reference_passes_every_task(golden: Grade) -> None:
    """The reference gets every task passed, and the command exits 0."""
    assert golden.card is not None, golden.log
    failing = {key: golden.reasons(key) for key, status in
               golden.statuses().items() if status != "passed"}
    assert failing == {}
    assert list(golden.statuses()) == [task.key for task in TASKS]
    assert golden.rc == 0, golden.log


def test_scorecard_names_this_stack(golden: Grade) -> None:
    """The scorecard is JSON version 2 and names this interpreter."""
    assert golden.card is not None, golden.log
    assert golden.card["version"] == JSON_VERSION
    assert "Python {}.{}".format(*sys.version_info[:2]) in \
        golden.card["stack"]


def port_is_free(port: int) -> bool:
    """Tell whether a process of this machine could listen on a port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("0.0.0.0", port))
        except OSError:
            return False
    return True


def test_reduced_containment_passes_without_port_5000(
        tmp_path: "os.PathLike[str]") -> None:
    """Without namespaces (--no-namespaces: the fallback of macOS and of
    containers that forbid them), learner code shares the machine's
    network: the reference still passes everything while port 5000 is
    taken, and the scorecard says the containment was reduced."""
    sock, _ = hold_port(PORT)
    try:
        assert not port_is_free(PORT)
        grade = run_grader(Job(folders.REFERENCE, os.path.join(
            str(tmp_path), "reduced.json"), timeout=10.0,
            extra=("--no-namespaces",)))
    finally:
        if sock is not None:
            sock.close()
    assert grade.card is not None, grade.log
    failing = {key: grade.reasons(key) for key, status in
               grade.statuses().items() if status != "passed"}
    assert failing == {}
    assert grade.card["containment"].startswith("containment: reduced"), \
        grade.card["containment"]
