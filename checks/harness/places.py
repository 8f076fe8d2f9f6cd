"""Where the checker finds its own tree: the repository and the reference.

The checker always runs from a checkout of this repository, so both are
found from this file, never from the working directory or an option: the
reference is the solution a counterfactual takes files from, and a
learner's `--solution` cannot move it.
"""
import os

from checks.harness.catalogue import REFERENCE_FOLDER

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
REFERENCE = os.path.join(REPO_ROOT, REFERENCE_FOLDER)


def check_id(path: str, nodeid: str) -> str:
    """Return a check's id relative to the repository, whatever pytest's
    rootdir (it follows the folder graded): "checks/tasks/...py::test_x".
    """
    name = nodeid.partition("::")[2]
    return "{}::{}".format(os.path.relpath(path, REPO_ROOT), name)
