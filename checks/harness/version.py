"""The checker's version, as every scorecard names it: the commit of this
repository, so that a teacher can tell which checker graded a learner and
refuse to merge grades of different checkers into one report.

"unknown" when the checker is not a git checkout of its own (a release
tarball, GitHub's copy of an action) or git is missing. A checkout whose
checker files differ from its commit gets "+modified." and a digest of the
differences: a grade by an edited checker is never taken for the commit's,
and two different edits are told apart.

It is measured once, when the checker is imported: a warm grader (watch
mode, the self-tests' fork servers) imports it before it forks a child
per grade, and no grade waits for git.
"""
import hashlib
import os
import subprocess
from typing import List
from typing import Optional

from checks.harness.places import REPO_ROOT

UNKNOWN = "unknown"
# What decides a verdict: the checker and the stacks it installs.
CHECKER_PATHS = ("checks", "requirements", "tox.ini")
GIT_LIMIT = 30.0  # seconds; git answers in milliseconds here
DIGEST_LENGTH = 12


def checker_version() -> str:
    """Return the checker's version, as measured at import."""
    return MEASURED


def measure() -> str:
    """Return the checker's commit (with its edits' digest), or UNKNOWN."""
    top = git(["rev-parse", "--show-toplevel"])
    if top is None or not same_folder(top.decode().strip(), REPO_ROOT):
        return UNKNOWN  # not a checkout, or one of another repository
    commit = git(["rev-parse", "--verify", "HEAD"])
    if commit is None:
        return UNKNOWN
    edits = edits_digest()
    version = commit.decode().strip()
    return version if edits is None else "{}+modified.{}".format(
        version, edits)


def edits_digest() -> Optional[str]:
    """Return a digest of the checker's uncommitted edits, None if none
    (an unreadable tree counts as edited: its digest is of nothing)."""
    diff = git(["diff", "HEAD", "--binary", "--"] + list(CHECKER_PATHS))
    added = git(["ls-files", "--others", "--exclude-standard", "-z", "--"]
                + list(CHECKER_PATHS))
    if diff == b"" and added == b"":
        return None
    digest = hashlib.sha256(diff or b"")
    for name in sorted((added or b"").split(b"\0")):
        if name:
            digest.update(b"\0" + name + b"\0")
            digest.update(file_bytes(os.path.join(REPO_ROOT, name.decode(
                "utf-8", "surrogateescape"))))
    return digest.hexdigest()[:DIGEST_LENGTH]


def git(arguments: List[str]) -> Optional[bytes]:
    """Run git in the checker's folder; its output, or None on failure.
    The environment's GIT_* variables (set inside a hook) are dropped:
    they could point git at another repository."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("GIT_")}
    try:
        done = subprocess.run(
            ["git", "-C", REPO_ROOT] + arguments, env=env,
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, timeout=GIT_LIMIT)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def same_folder(first: str, second: str) -> bool:
    """Tell whether two paths name the same folder."""
    try:
        return os.path.samefile(first, second)
    except OSError:
        return False


def file_bytes(path: str) -> bytes:
    """Return a file's bytes; b"" when it cannot be read."""
    try:
        with open(path, "rb") as stream:
            return stream.read()
    except OSError:
        return b""


MEASURED = measure()
