"""The roster: the CSV a teacher writes, one line per learner.

    learner,repository,ref,folder
    alice,alice/alx-backend-user-data,main,0x03-user_authentication_service
    bob,https://git.school.example/bob/auth.git,3f2a9c1,
    carol,file:///srv/git/carol.git,,

The header names the columns, in any order: `learner` and `repository` are
required, `ref` (a branch, a tag or a commit; empty: the repository's
default branch) and `folder` (the solution's folder inside the repository;
empty: found as the class report finds it, the repository itself or its
0x03-user_authentication_service/) are optional. Blank lines and lines
whose first cell starts with `#` are skipped.

A repository is `owner/name` (on GitHub), a git URL (https://, ssh://,
git://, file://, or user@host:path), or a local path starting with `/`,
`./`, `../` or `~/` (relative to the roster's folder). Every line is read
before anything else happens, and every bad line is reported with its
number and what to fix: nothing is graded from a roster with one.
"""
import csv
import os
import re
from typing import Dict
from typing import List
from typing import NamedTuple
from typing import Optional
from typing import Tuple

COLUMNS = ("learner", "repository", "ref", "folder")
REQUIRED = ("learner", "repository")
GITHUB = "https://github.com/{}.git"
OWNER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+$")
URL_SCHEMES = ("https://", "http://", "ssh://", "git://", "file://")
SCP_LIKE = re.compile(r"^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:.")
LOCAL_STARTS = ("/", "./", "../", "~/")
# Characters no name, ref or folder may hold: controls end lines and
# fool terminals; git would refuse most of them in a ref anyway.
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
BAD_REF = re.compile(r"(^[-/.])|\.\.|[\s~^:?*\[\\]|@\{|(\.lock|/|\.)$")


class Learner(NamedTuple):
    """One roster line: who, where their code is, which commit, where in
    it; `line` is the roster's line number, for messages."""

    name: str
    repository: str  # as written in the roster
    url: str  # what git fetches from
    ref: str  # "" for the default branch
    folder: str  # "" to find the solution folder
    line: int


class RosterError(Exception):
    """A roster that cannot be used; `problems` says why, line by line."""

    def __init__(self, path: str, problems: List[str]) -> None:
        """Keep the problems; the message lists them all."""
        super().__init__("{}: {} problem{}:\n{}".format(
            path, len(problems), "" if len(problems) == 1 else "s",
            "\n".join("  " + problem for problem in problems)))
        self.path = path
        self.problems = problems


def read_roster(path: str) -> List[Learner]:
    """Read a roster file; raise RosterError listing every bad line."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as stream:
            text = stream.read()
    except (OSError, UnicodeDecodeError) as problem:
        raise RosterError(path, ["cannot read it: {}".format(problem)])
    return parse_roster(text, path)


def parse_roster(text: str, path: str) -> List[Learner]:
    """Parse a roster's text; raise RosterError listing every bad line."""
    reader = csv.reader(text.lstrip("\ufeff").splitlines(keepends=True))
    problems: List[str] = []
    header: Optional[List[str]] = None
    learners: List[Learner] = []
    lines_of: Dict[str, int] = {}
    base = os.path.dirname(os.path.abspath(path))
    try:
        for cells in reader:
            line = reader.line_num
            if skipped(cells):
                continue
            if header is None:
                header = [cell.strip().lower() for cell in cells]
                problems += header_problems(header)
                if problems:
                    break
                continue
            learner, found = read_line(cells, header, line, base)
            problems += found
            if learner is None:
                continue
            if learner.name in lines_of:
                problems.append(
                    "line {}: learner {!r} is on line {} already: give each "
                    "learner a name of their own".format(
                        line, learner.name, lines_of[learner.name]))
                continue
            lines_of[learner.name] = line
            learners.append(learner)
    except csv.Error as problem:
        problems.append("line {}: not CSV: {}".format(reader.line_num,
                                                      problem))
    if header is None:
        problems.append("line 1: no header line: start with "
                        "learner,repository,ref,folder")
    elif not learners and not problems:
        problems.append("no learners: add one line per learner below the "
                        "header")
    if problems:
        raise RosterError(path, problems)
    return learners


def skipped(cells: List[str]) -> bool:
    """Tell whether a line is blank or a comment."""
    return not any(cell.strip() for cell in cells) or \
        cells[0].strip().startswith("#")


def header_problems(header: List[str]) -> List[str]:
    """Return what is wrong with the header line, if anything."""
    problems = []
    for name in header:
        if name not in COLUMNS:
            problems.append(
                "line 1: unknown column {!r}: the columns are {}".format(
                    name, ", ".join(COLUMNS)))
    for name in COLUMNS:
        if header.count(name) > 1:
            problems.append("line 1: column {!r} is there twice".format(
                name))
    for name in REQUIRED:
        if name not in header:
            problems.append("line 1: no {!r} column: the header needs at "
                            "least learner,repository".format(name))
    return problems


def read_line(cells: List[str], header: List[str], line: int, base: str
              ) -> Tuple[Optional[Learner], List[str]]:
    """Read one learner's line: the learner, or None and the problems."""
    if len(cells) > len(header):
        return None, ["line {}: {} cells, but the header has {} columns: "
                      "quote a cell that holds a comma".format(
                          line, len(cells), len(header))]
    value = dict(zip(header, (cell.strip() for cell in cells)))
    name, repository = value.get("learner", ""), value.get("repository", "")
    ref, folder = value.get("ref", ""), value.get("folder", "")
    problems = []
    if not name:
        problems.append("line {}: no learner name".format(line))
    elif CONTROL.search(name):
        problems.append("line {}: the learner's name holds a control "
                        "character".format(line))
    url = ""
    if not repository:
        problems.append("line {}: no repository for {!r}: give owner/name,"
                        " a git URL or a path".format(line, name))
    else:
        url = clone_url(repository, base)
        if not url:
            problems.append(
                "line {}: repository {!r} is not owner/name, a git URL "
                "(https://, ssh://, git://, file://, user@host:path) or a "
                "path starting with /, ./, ../ or ~/".format(
                    line, repository))
    if ref and (BAD_REF.search(ref) or CONTROL.search(ref)):
        problems.append("line {}: ref {!r} is not a branch, tag or commit "
                        "name".format(line, ref))
    problems += folder_problems(folder, line)
    if problems:
        return None, problems
    return Learner(name, repository, url, ref, folder.strip("/"), line), []


def folder_problems(folder: str, line: int) -> List[str]:
    """Return what is wrong with a folder inside a repository."""
    if not folder:
        return []
    if folder.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", folder):
        return ["line {}: folder {!r} is absolute: give it relative to the "
                "repository's root".format(line, folder)]
    parts = re.split(r"[/\\]", folder)
    if ".." in parts:
        return ["line {}: folder {!r} climbs out with '..': give a folder "
                "inside the repository".format(line, folder)]
    if CONTROL.search(folder) or "\\" in folder:
        return ["line {}: folder {!r} holds a backslash or a control "
                "character: separate folders with /".format(line, folder)]
    return []


def clone_url(repository: str, base: str) -> str:
    """Return what git fetches for a roster's repository cell, or "" when
    it is none of the forms the roster takes."""
    if repository.startswith("-") or CONTROL.search(repository):
        return ""  # git would read it as an option
    if repository.startswith(URL_SCHEMES) or SCP_LIKE.match(repository):
        return repository
    if repository.startswith(LOCAL_STARTS):
        return os.path.normpath(os.path.join(
            base, os.path.expanduser(repository)))
    if OWNER_NAME.match(repository) and not repository.endswith(
            ("/.", "/..")):
        name = repository[:-len(".git")] if repository.endswith(".git") \
            else repository
        return GITHUB.format(name)
    return ""
