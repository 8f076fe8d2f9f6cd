"""A roster workflow's shard job: fetch its learners' code, then grade it.

    python -m checks.classreport.shard fetch --roster R --shard I --work W
    python -m checks.classreport.shard grade --roster R --shard I --work W \\
        --out OUT [--task 0-19] [--jobs 2] [--folder-timeout 600]

Both take the same --shard-size as the planning job, and so grade the
same learners. Two steps, two processes: `fetch` alone sees the read-only
token (LEARNERS_TOKEN, for github.com), and is done before any learner
code runs; `grade` never has it. `fetch` writes W/fetched.json (each
learner's commit and folder, or why none); `grade` grades those folders
and writes OUT/shard.json, {"shard": I, "results": [...]} (results.py),
again after each learner, so that a job stopped midway still uploads
what it graded. The file's name and place are the workflow's: a
learner's code runs in the checker's sandbox and cannot reach it.
"""
import argparse
import os
import sys
import tempfile
from typing import Dict
from typing import List
from typing import Optional

import pytest

from checks.classreport.clone import TOKEN_ENV
from checks.classreport.clone import checkout
from checks.classreport.grading import Settings
from checks.classreport.grading import grade_all
from checks.classreport.inputs import Source
from checks.classreport.merge import SHARD_FILE
from checks.classreport.model import Graded
from checks.classreport.plan import whole_number
from checks.classreport.results import Result
from checks.classreport.results import read_json
from checks.classreport.results import result_of
from checks.classreport.results import write_json
from checks.classreport.roster import Learner
from checks.classreport.roster import RosterError
from checks.classreport.roster import read_roster
from checks.classreport.rosterrun import Progress
from checks.classreport.shards import DEFAULT_SIZE
from checks.classreport.shards import plan
from checks.classreport.shards import shard_of
from checks.harness.plugin import parse_tasks

USAGE_ERROR = 2
FETCHED = "fetched.json"
REPOSITORIES = "repositories"


def parser() -> argparse.ArgumentParser:
    """Build the command line: two steps sharing the shard's options."""
    parsing = argparse.ArgumentParser(
        prog="python -m checks.classreport.shard",
        description="Fetch, then grade, one shard of a roster.")
    parsing.add_argument("step", choices=("fetch", "grade"))
    parsing.add_argument("--roster", required=True)
    parsing.add_argument("--shard-size", type=whole_number,
                         default=DEFAULT_SIZE, metavar="N")
    parsing.add_argument("--shard", type=int, required=True, metavar="I")
    parsing.add_argument("--work", required=True, metavar="DIR",
                         help="where fetch puts the code and grade finds it")
    parsing.add_argument("--out", metavar="DIR",
                         help="grade: where to write " + SHARD_FILE)
    parsing.add_argument("--task", default="",
                         help="grade: tasks to grade (empty: all)")
    parsing.add_argument("--jobs", type=whole_number, default=2)
    parsing.add_argument("--folder-timeout", type=float, default=600.0,
                         metavar="SECONDS")
    return parsing


def main(argv: Optional[List[str]] = None) -> int:
    """Run one step of a shard's job."""
    args = parser().parse_args(argv)
    try:
        learners = read_roster(args.roster)
        mine = shard_of(learners, plan(len(learners), args.shard_size),
                        args.shard)
        tasks = [args.task.strip()] if args.task.strip() else []
        for keys in tasks:
            parse_tasks(keys)
    except (RosterError, IndexError, pytest.UsageError) as problem:
        print("shard {}: {}".format(args.shard, problem), file=sys.stderr)
        return USAGE_ERROR
    if args.step == "fetch":
        fetch(mine, args.work)
        return 0
    if not args.out:
        print("shard {}: grade needs --out DIR".format(args.shard),
              file=sys.stderr)
        return USAGE_ERROR
    grade(mine, args, tasks)
    return 0


def fetch(learners: List[Learner], work: str) -> None:
    """Fetch every learner's code; write what was fetched, or why not."""
    token = os.environ.pop(TOKEN_ENV, "")
    root = os.path.join(work, REPOSITORIES)
    os.makedirs(root, exist_ok=True)
    fetched: Dict[str, Dict[str, str]] = {}
    for number, learner in enumerate(learners, 1):
        got = checkout(learner, root, token)
        fetched[learner.name] = got._asdict()
        print("[{}/{}] {}: {}".format(
            number, len(learners), learner.name,
            "error: " + got.error if got.error else "fetched " +
            got.commit[:12]), flush=True)
    write_json(os.path.join(work, FETCHED), fetched)


def grade(learners: List[Learner], args: argparse.Namespace,
          tasks: List[str]) -> None:
    """Grade every fetched folder; write the shard's results as it goes.
    """
    fetched = read_json(os.path.join(args.work, FETCHED)) or {}
    os.makedirs(args.out, exist_ok=True)
    results: Dict[str, Result] = {}
    progress = Progress(len(learners), print)
    out = os.path.join(args.out, SHARD_FILE)

    def keep(learner: Learner, commit: str, graded: Graded,
             action: str) -> None:
        results[learner.name] = result_of(learner, commit, tasks, graded)
        write_json(out, {"shard": args.shard, "results": [
            results[each.name] for each in learners
            if each.name in results]})
        progress.done(results[learner.name], action)

    waiting = []
    for learner in learners:
        got = fetched.get(learner.name)
        if not isinstance(got, dict) or got.get("error") or \
                not got.get("folder"):
            why = got.get("error") if isinstance(got, dict) else ""
            keep(learner, "", Graded(learner.name, None, why or
                                     "not fetched"), "graded")
        else:
            waiting.append((learner, got))
    by_name = {learner.name: (learner, got) for learner, got in waiting}
    with tempfile.TemporaryDirectory(prefix="shard-") as workdir:
        grade_all([Source(learner.name, got["folder"])
                   for learner, got in waiting],
                  Settings(args.jobs, args.folder_timeout, tasks, workdir),
                  lambda graded: keep(by_name[graded.learner][0],
                                      by_name[graded.learner][1]["commit"],
                                      graded, "graded"))
    if not learners:
        write_json(out, {"shard": args.shard, "results": []})


if __name__ == "__main__":
    sys.exit(main())
