#!/usr/bin/env python3
"""Benchmark the grader: wall time of a full grade and of one task.

Each figure is the median of several warm runs in fresh pytest processes,
printed beside pytest's own start-up (collection only) and the floor (the
same Python importing Flask, SQLAlchemy and bcrypt, which no grade can
beat) in the same run, so that the ratios stay meaningful on a noisy
machine (a speed budget is a multiple of the floor). With `--baseline DIR`
(another checkout, e.g. `git worktree add /tmp/old REF`), each case is
also timed with that checkout's checker, interleaved, and the ratio
printed. Not a test: run it by hand from a tox environment, e.g.
`.tox/grade/bin/python checks/bench/grading.py --repeat 5`.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time
from typing import List
from typing import Tuple

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
CASES: Tuple[Tuple[str, List[str]], ...] = (
    ("pytest start-up (collect only)", ["--collect-only"]),
    ("exercise (--task 0-20: tasks, gates)", ["--task", "0-20"]),
    ("full grade (and the beyond track)", []),
    ("one task (--task 7)", ["--task", "7"]),
)


FLOOR = "import flask, sqlalchemy, bcrypt"


def floor() -> float:
    """Return the wall time of a fresh Python importing the stack."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", FLOOR], check=True)
    return time.perf_counter() - started


def wall(extra: List[str], solution: str, checker: str = REPO) -> float:
    """Return the wall time of one grading run in a fresh process."""
    command = [sys.executable, "-m", "pytest", "checks", "-q",
               "-p", "no:cacheprovider", "--solution", solution] + extra
    env = dict(os.environ, CHECKS_HISTORY_DIR="off")
    started = time.perf_counter()
    subprocess.run(command, cwd=checker, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False, env=env)
    return time.perf_counter() - started


def line(label: str, times: List[float]) -> str:
    """Format one case's median, minimum and maximum."""
    return "{:<36} median {:6.2f} s  (min {:.2f}, max {:.2f}, n={})".format(
        label, statistics.median(times), min(times), max(times), len(times))


def main() -> None:
    """Time each case and print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--solution", default=os.path.join(
        REPO, "0x03-user_authentication_service"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--baseline", help="another checkout to compare")
    args = parser.parse_args()
    wall([], args.solution)  # warm the file system cache
    floors: List[float] = []  # taken between the cases, as loaded as they
    medians = []
    for label, extra in CASES:
        times: List[float] = []
        before: List[float] = []
        for _ in range(args.repeat):
            floors.append(floor())
            times.append(wall(extra, args.solution))
            if args.baseline:
                before.append(wall(extra, args.solution, args.baseline))
        medians.append(statistics.median(times))
        print(line(label, times))
        if before:
            print(line("  baseline", before) + "  this / baseline: "
                  "{:.2f}".format(medians[-1] / statistics.median(before)))
    print("exercise / start-up: {:.1f}x;  full / start-up: {:.1f}x;  "
          "one task / start-up: {:.1f}x".format(
              medians[1] / medians[0], medians[2] / medians[0],
              medians[3] / medians[0]))
    print(line("floor (" + FLOOR + ")", floors))
    lowest = statistics.median(floors)
    print("exercise / floor: {:.1f}x;  full / floor: {:.1f}x;  "
          "one task / floor: {:.1f}x".format(
              medians[1] / lowest, medians[2] / lowest, medians[3] / lowest))
    version = "{}.{}".format(*sys.version_info[:2])
    print("cores: {}; python {}".format(os.cpu_count(), version))


if __name__ == "__main__":
    main()
