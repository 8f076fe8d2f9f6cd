#!/usr/bin/env python3
"""Benchmark the class report: the wall time of grading a whole class.

It makes a class of N copies of the reference (default 40), some with a
task's file removed so that their grades differ, runs `python -m
checks.classreport` on it as a teacher would (`--jobs 2` unless told),
and prints the wall time, the time per folder, the reports' sizes and
the statuses the CSV holds. Not a test: run it by hand from a tox
environment, e.g. `.tox/report/bin/python checks/bench/classreport.py`.
"""
import argparse
import collections
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from typing import List
from typing import Optional

REPO = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
REFERENCE_FOLDER = "0x03-user_authentication_service"
# The file each learner lacks, in turn: half the class is complete.
REMOVED: List[Optional[str]] = [None, "main.py", None, "app.py", None,
                                "auth.py", None, "db.py"]


def make_class(root: str, learners: int) -> str:
    """Copy the reference once per learner, removing a file from some."""
    classroom = os.path.join(root, "class")
    for index in range(learners):
        folder = os.path.join(classroom, "learner-{:02d}".format(index + 1),
                              REFERENCE_FOLDER)
        shutil.copytree(os.path.join(REPO, REFERENCE_FOLDER), folder,
                        ignore=shutil.ignore_patterns("__pycache__", "*.db"))
        removed = REMOVED[index % len(REMOVED)]
        if removed:
            os.remove(os.path.join(folder, removed))
    return classroom


def main() -> None:
    """Grade a made-up class and print how long it took."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=40)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--task", help="only these tasks, e.g. 0-20")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-class-") as root:
        classroom = make_class(root, args.learners)
        out = os.path.join(root, "class-report")
        command = [sys.executable, "-m", "checks.classreport", classroom,
                   "--jobs", str(args.jobs), "--csv", out + ".csv",
                   "--html", out + ".html"]
        command += ["--task", args.task] if args.task else []
        started = time.perf_counter()
        result = subprocess.run(command, cwd=REPO, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT,
                                universal_newlines=True, check=False)
        seconds = time.perf_counter() - started
        if result.returncode != 0:
            sys.exit("the class report failed:\n" + result.stdout)
        with open(out + ".csv", newline="", encoding="utf-8") as stream:
            rows = list(csv.DictReader(stream))
        statuses = collections.Counter(
            value for row in rows for key, value in row.items()
            if key not in ("learner", "score", "mandatory percent", "error")
            and value)
        print("{} folders, --jobs {}: {:.1f} s in all, {:.2f} s per folder"
              .format(args.learners, args.jobs, seconds,
                      seconds / args.learners))
        print("CSV {} bytes, HTML {} bytes, {} rows ({} errors)".format(
            os.path.getsize(out + ".csv"), os.path.getsize(out + ".html"),
            len(rows), sum(bool(row["error"]) for row in rows)))
        print("task cells: " + ", ".join(
            "{} {}".format(count, status)
            for status, count in statuses.most_common()))
    print("cores: {}; python {}.{}".format(os.cpu_count(),
                                           *sys.version_info[:2]))


if __name__ == "__main__":
    main()
