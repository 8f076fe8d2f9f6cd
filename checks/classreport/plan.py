"""The roster workflow's planning job: read the roster, split it into shards.

    python -m checks.classreport.plan --roster roster.csv [--shard-size 10]

Every bad roster line is reported (one line each, and as a GitHub error
annotation in Actions), and the run stops there: nothing is graded from a
roster with a bad line. Otherwise it prints the plan and, under GitHub
Actions, writes the step's outputs: `shards` (the matrix, e.g. [0,1,2]),
`largest` (learners in the largest shard: more than the size asked when
256 jobs would not be enough otherwise), `learners` and `minutes` (a
shard job's time limit). Every later job is given the size asked, and
splits the roster the same way. It needs only Python: the planning job
installs nothing.
"""
import argparse
import json
import os
import sys
from typing import Dict
from typing import List
from typing import Optional

from checks.classreport.roster import RosterError
from checks.classreport.roster import read_roster
from checks.classreport.shards import DEFAULT_SIZE
from checks.classreport.shards import MAX_JOBS
from checks.classreport.shards import plan

USAGE_ERROR = 2
PARALLEL = 2  # grades at once in a shard's job (the class report's --jobs)


def whole_number(value: str) -> int:
    """Parse a positive whole number."""
    if not value.strip().isdigit() or int(value) == 0:
        raise argparse.ArgumentTypeError(
            "a positive whole number, not {!r}".format(value))
    return int(value)


def parser() -> argparse.ArgumentParser:
    """Build the command line."""
    parsing = argparse.ArgumentParser(
        prog="python -m checks.classreport.plan",
        description="Split a roster into shards for GitHub Actions.")
    parsing.add_argument("--roster", required=True, help="the roster CSV")
    parsing.add_argument("--shard-size", type=whole_number,
                         default=DEFAULT_SIZE, metavar="N",
                         help="learners per shard (default: {}; raised when "
                         "{} jobs are not enough)".format(DEFAULT_SIZE,
                                                          MAX_JOBS))
    parsing.add_argument("--jobs", type=whole_number, default=PARALLEL,
                         help="grades at once in a shard's job (default: "
                         "{})".format(PARALLEL))
    return parsing


def main(argv: Optional[List[str]] = None) -> int:
    """Plan the shards, or report every bad roster line."""
    args = parser().parse_args(argv)
    try:
        learners = read_roster(args.roster)
    except RosterError as problem:
        say_problems(problem)
        return USAGE_ERROR
    made = plan(len(learners), args.shard_size)
    outputs = {"shards": json.dumps(made.shards, separators=(",", ":")),
               "largest": str(made.largest()),
               "learners": str(len(learners)),
               "minutes": str(made.job_minutes(args.jobs))}
    print("{} learners in {} shards of at most {} (size asked: {}; at most "
          "{} jobs); each shard's job may take {} minutes".format(
              len(learners), len(made.bounds), made.largest(),
              args.shard_size, MAX_JOBS, outputs["minutes"]))
    write_outputs(outputs)
    return 0


def say_problems(problem: RosterError) -> None:
    """Print a roster's problems, as annotations too under Actions."""
    print("roster {}".format(problem), file=sys.stderr)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for line in problem.problems:
            print("::error title={}::{}".format(
                escaped("roster " + os.path.basename(problem.path), ":,"),
                escaped(line, "")), file=sys.stderr)


def escaped(text: str, also: str) -> str:
    """Escape text for a workflow command (its data, or a property with
    `also` = ":,")."""
    for char in "%\r\n" + also:
        text = text.replace(char, "%{:02X}".format(ord(char)))
    return text


def write_outputs(outputs: Dict[str, str]) -> None:
    """Append the step's outputs to $GITHUB_OUTPUT, when there is one."""
    path = os.environ.get("GITHUB_OUTPUT")
    if not path:
        return
    with open(path, "a", encoding="utf-8") as stream:
        for name, value in outputs.items():
            stream.write("{}={}\n".format(name, value))


if __name__ == "__main__":
    sys.exit(main())
