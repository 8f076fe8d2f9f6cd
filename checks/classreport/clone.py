"""Fetch a learner's repository at their ref into a cache folder, with git.

Each learner gets a folder of their own below the cache (named from a
digest of their name, never from text a learner wrote), fetched shallowly
at the ref the roster gives (the default branch when none), then checked
out detached and cleaned, so that a second run fetches only what is new.
A ref git cannot fetch by name that looks like an abbreviated commit is
looked for among every branch and tag.

git never prompts (a private repository without credentials fails at
once) and never runs longer than FETCH_LIMIT; its failure is told by its
first "fatal:" line. A read-only token, when
given, is sent to github.com only, in a header passed through git's
environment (never its command line, which other processes can read).
"""
import base64
import hashlib
import os
import re
import shutil
import signal
import subprocess
from typing import Dict
from typing import List
from typing import NamedTuple
from typing import Tuple

from checks.classreport.inputs import solution_at
from checks.classreport.roster import Learner

FETCH_LIMIT = 300.0  # seconds one git command may take
GITHUB_PREFIX = "https://github.com/"
TOKEN_ENV = "LEARNERS_TOKEN"  # the read-only token's variable
ABBREVIATED = re.compile(r"^[0-9a-fA-F]{4,39}$")
MISSING_REF = ("couldn't find remote ref", "not our ref",
               "no such remote ref", "unadvertised object")
ERROR_WIDTH = 200
NAME_WIDTH = 40


class Checkout(NamedTuple):
    """A learner's code on disk: the commit and the folder to grade, or
    why there is none."""

    commit: str = ""
    folder: str = ""
    error: str = ""


class GitFailed(Exception):
    """A git command failed; the message is its last line of output."""


def checkout(learner: Learner, root: str, token: str = "") -> Checkout:
    """Fetch and check out a learner's code below `root`."""
    where = os.path.join(root, learner_folder(learner.name))
    env = git_env(learner.url, token)
    try:
        prepare(where, env)
        commit = fetch(where, learner, env)
        git(where, ["checkout", "--quiet", "--force", "--detach", commit,
                    "--"], env)
        git(where, ["clean", "--quiet", "-ffdx"], env)
    except GitFailed as problem:
        return Checkout(error=str(problem))
    return Checkout(commit, *folder_to_grade(where, learner, commit))


def learner_folder(name: str) -> str:
    """Return a learner's folder name: readable, unique, and safe."""
    readable = re.sub(r"[^A-Za-z0-9._-]", "-", name)[:NAME_WIDTH].strip(".")
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:12]
    return "{}-{}".format(readable or "learner", digest)


def prepare(where: str, env: Dict[str, str]) -> None:
    """Make the learner's folder a git repository of its own."""
    if os.path.isdir(os.path.join(where, ".git")):
        return
    if os.path.lexists(where):
        shutil.rmtree(where, ignore_errors=True)
    os.makedirs(where)
    git(where, ["init", "--quiet"], env)


def fetch(where: str, learner: Learner, env: Dict[str, str]) -> str:
    """Fetch the learner's ref; return its commit, or raise GitFailed
    saying whether the ref or the repository could not be found."""
    wanted = learner.ref or "HEAD"
    try:
        git(where, ["fetch", "--quiet", "--depth", "1", "--no-tags",
                    "--force", "--", learner.url, wanted], env)
        return git(where, ["rev-parse", "--verify", "--quiet",
                           "FETCH_HEAD^{commit}"], env)
    except GitFailed as problem:
        if not any(text in str(problem) for text in MISSING_REF):
            raise GitFailed("could not fetch {}: {}".format(
                learner.repository, problem))
        if not learner.ref:
            raise GitFailed("{} has no default branch (no commit yet?)"
                            .format(learner.repository))
        if not ABBREVIATED.match(learner.ref):
            raise GitFailed("ref {!r} not found in {}".format(
                learner.ref, learner.repository))
    return abbreviated_commit(where, learner, env)


def abbreviated_commit(where: str, learner: Learner,
                       env: Dict[str, str]) -> str:
    """Fetch every branch and tag, then find an abbreviated commit."""
    deepen = ["--unshallow"] if git(where, [
        "rev-parse", "--is-shallow-repository"], env) == "true" else []
    try:
        git(where, ["fetch", "--quiet", "--force", "--tags"] + deepen + [
            "--", learner.url, "+refs/heads/*:refs/roster/heads/*"], env)
        return git(where, ["rev-parse", "--verify", "--quiet",
                           learner.ref + "^{commit}"], env)
    except GitFailed:
        raise GitFailed("ref {!r} not found in {}".format(
            learner.ref, learner.repository))


def folder_to_grade(where: str, learner: Learner, commit: str
                    ) -> Tuple[str, str]:
    """Return (folder to grade, "") or ("", why there is none): a folder
    that is missing, or a link that leads out of the repository."""
    if not learner.folder:
        return solution_at(where) or where, ""
    folder = os.path.join(where, learner.folder)
    real, top = os.path.realpath(folder), os.path.realpath(where)
    inside = real == top or real.startswith(top + os.sep)
    if not inside or not os.path.isdir(folder):
        return "", "folder {!r} is not in commit {} of {}".format(
            learner.folder, commit[:12], learner.repository)
    return folder, ""


def git_env(url: str, token: str) -> Dict[str, str]:
    """Return git's environment: no prompt, no variable that points git
    elsewhere, and the token's header for github.com only."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("GIT_") and key != TOKEN_ENV}
    env["GIT_TERMINAL_PROMPT"] = "0"
    env.setdefault("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")
    if token and url.startswith(GITHUB_PREFIX):
        basic = base64.b64encode("x-access-token:{}".format(token).encode())
        env.update({
            "GIT_CONFIG_COUNT": "1",
            "GIT_CONFIG_KEY_0": "http.{}.extraheader".format(GITHUB_PREFIX),
            "GIT_CONFIG_VALUE_0": "AUTHORIZATION: basic {}".format(
                basic.decode())})
    return env


def git(where: str, arguments: List[str], env: Dict[str, str]) -> str:
    """Run a git command in a folder; return its output, stripped, or
    raise GitFailed with its last line of errors."""
    try:
        process = subprocess.Popen(
            ["git", "-c", "core.hooksPath=/dev/null", "-C", where]
            + arguments, env=env, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            start_new_session=True)
    except OSError as problem:
        raise GitFailed("cannot run git: {}".format(problem))
    try:
        output, errors = process.communicate(timeout=FETCH_LIMIT)
    except subprocess.TimeoutExpired:
        # Its helpers (git-remote-https, ssh) hold the pipes too.
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise GitFailed("git {} took over {:g} s".format(arguments[0],
                                                         FETCH_LIMIT))
    if process.returncode != 0:
        lines = [line.strip() for line in errors.decode(
            "utf-8", "replace").splitlines() if line.strip()]
        # git's first "fatal:" says what went wrong; hints follow it.
        fatal = [line for line in lines if line.startswith("fatal:")]
        raise GitFailed((fatal or lines or ["git {} failed".format(
            arguments[0])])[0 if fatal else -1][:ERROR_WIDTH])
    return output.decode("utf-8", "replace").strip()
