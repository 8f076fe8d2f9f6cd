"""Grade a class, or read its scorecards, into a CSV and an HTML report.

    python -m checks.classreport class/ [--task 0-2] [--jobs 2]
    python -m checks.classreport --from-json artifacts/

Run it from the repository root (`tox -e report -- ARGS` does). What the
paths may be is in inputs.py. The exit status is 0 when the report was
written, even if some folders could not be graded (their rows say why),
and 2 on a usage error, said in one line.
"""
import argparse
import os
import sys
import tempfile
from typing import List
from typing import Optional
from typing import Tuple

import pytest

from checks.classreport.csvfile import render_csv
from checks.classreport.grading import Settings
from checks.classreport.grading import grade_all
from checks.classreport.htmlpage import render_html
from checks.classreport.inputs import InputError
from checks.classreport.inputs import Source
from checks.classreport.inputs import find
from checks.classreport.model import Graded
from checks.classreport.model import build
from checks.classreport.model import read_row
from checks.harness.plugin import parse_tasks

USAGE_ERROR = 2
INTERRUPTED = 130  # as a shell reports Ctrl-C
PATHS_HELP = ("solution folders, class folders (one child per learner) or "
              "folders of scorecard JSON files")
FROM_JSON_HELP = "read scorecard JSON files found below DIR (repeatable)"
TASK_HELP = "grade only these tasks, e.g. 0-2 (passed to the checker)"
JOBS_HELP = "folders graded at the same time (default: 2)"
TIMEOUT_HELP = "seconds one folder's grade may take (default: 600)"
CSV_HELP = "where to write the CSV (default: class-report.csv)"
HTML_HELP = "where to write the HTML (default: class-report.html)"
NO_INPUT = ("give solution folders, a class folder, or --from-json DIR "
            "(a folder of scorecard JSON files)")


def positive_int(value: str) -> int:
    """Parse a positive whole number, for --jobs."""
    if not value.isdigit() or int(value) == 0:
        raise argparse.ArgumentTypeError(
            "a positive whole number, not {!r}".format(value))
    return int(value)


def positive_float(value: str) -> float:
    """Parse a positive number of seconds, for --folder-timeout."""
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0.0
    if not seconds > 0:
        raise argparse.ArgumentTypeError(
            "a positive number of seconds, not {!r}".format(value))
    return seconds


def parser() -> argparse.ArgumentParser:
    """Build the command line."""
    parsing = argparse.ArgumentParser(
        prog="python -m checks.classreport",
        description=__doc__.splitlines()[0])
    parsing.add_argument("paths", nargs="*", metavar="PATH", help=PATHS_HELP)
    parsing.add_argument("--from-json", action="append", default=[],
                         metavar="DIR", help=FROM_JSON_HELP)
    parsing.add_argument("--task", action="append", default=[],
                         metavar="KEYS", help=TASK_HELP)
    parsing.add_argument("--jobs", type=positive_int, default=2,
                         help=JOBS_HELP)
    parsing.add_argument("--folder-timeout", type=positive_float,
                         default=600.0, metavar="SECONDS", help=TIMEOUT_HELP)
    parsing.add_argument("--csv", default="class-report.csv", help=CSV_HELP)
    parsing.add_argument("--html", default="class-report.html",
                         help=HTML_HELP)
    return parsing


def main(argv: Optional[List[str]] = None) -> int:
    """Find the inputs, grade the folders, write both reports."""
    args = parser().parse_args(argv)
    try:
        sources, warnings = usable_inputs(args)
    except (InputError, pytest.UsageError) as problem:
        print("class report: {}".format(problem), file=sys.stderr)
        return USAGE_ERROR
    for warning in warnings:
        print("warning: {}".format(warning), file=sys.stderr)
    try:
        report = build(collect(sources, args))
    except KeyboardInterrupt:  # every grade was killed (grading.py)
        print("class report: interrupted; no report written",
              file=sys.stderr)
        return INTERRUPTED
    write(args.csv, render_csv(report))
    write(args.html, render_html(report))
    print("CSV: {}\nHTML: {}".format(args.csv, args.html))
    return 0


def usable_inputs(args: argparse.Namespace
                  ) -> Tuple[List[Source], List[str]]:
    """Return the sources and warnings, or raise before any grading if
    the options cannot work: better now than after an hour of grading."""
    for keys in args.task:
        parse_tasks(keys)
    for option, path in (("--csv", args.csv), ("--html", args.html)):
        if not os.path.isdir(os.path.dirname(os.path.abspath(path))):
            raise InputError("{} {}: its folder does not exist".format(
                option, path))
    if not args.paths and not args.from_json:
        raise InputError(NO_INPUT)
    sources, warnings = find(args.paths, args.from_json)
    if not sources:
        raise InputError("nothing to report: " + NO_INPUT)
    return sources, warnings


def collect(sources: List[Source], args: argparse.Namespace
            ) -> List[Graded]:
    """Grade the folders among the sources; return every grade in order."""
    folders = [source for source in sources if source.document is None]
    with tempfile.TemporaryDirectory(prefix="class-report-") as workdir:
        settings = Settings(args.jobs, args.folder_timeout, args.task,
                            workdir)
        grades = grade_all(folders, settings,
                           Progress(len(folders)).finished)
    # Learners' names are unique (inputs.py): they pair grades to sources.
    graded = {grade.learner: grade for grade in grades}
    return [graded[source.learner] if source.document is None
            else Graded(source.learner, source.document)
            for source in sources]


class Progress:
    """Prints one line per graded folder: its score, or its error."""

    def __init__(self, total: int) -> None:
        """Start counting at zero of `total`."""
        self.total = total
        self.done = 0

    def finished(self, graded: Graded) -> None:
        """Print the line of one more finished folder."""
        self.done += 1
        row = read_row(graded)
        outcome = ("error: " + row.error if row.error else
                   "{:.1f}%".format(row.score or 0.0))
        print("[{}/{}] {}: {}".format(self.done, self.total, row.learner,
                                      outcome), flush=True)


def write(path: str, text: str) -> None:
    """Write a report file (newline="" keeps the CSV's own line ends)."""
    with open(path, "w", encoding="utf-8", newline="") as stream:
        stream.write(text)


if __name__ == "__main__":
    sys.exit(main())
