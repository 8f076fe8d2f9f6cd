"""Grade a class, or read its scorecards, into a CSV and an HTML report.

    python -m checks.classreport class/ [--task 0-2] [--jobs 2]
    python -m checks.classreport --from-json artifacts/
    python -m checks.classreport --roster roster.csv [--cache DIR]
    python -m checks.classreport --roster roster.csv --from-shards DIR

Run it from the repository root (`tox -e report -- ARGS` does). What the
paths may be is in inputs.py; the roster's format in roster.py; how a
roster is fetched, graded and cached here in rosterrun.py, and how the
roster workflow's shards are merged in merge.py. Scorecards of different
checker versions are refused unless --mixed-versions is given. The exit
status is 0 when the report was written, even if some folders could not
be graded (their rows say why), and 2 on a usage error, said in one line
(a bad roster: one line per bad roster line).
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
from checks.classreport.merge import MIXED_FLAG
from checks.classreport.merge import MixedVersions
from checks.classreport.merge import check_versions
from checks.classreport.merge import merge_shards
from checks.classreport.merge import versions
from checks.classreport.model import Graded
from checks.classreport.model import build
from checks.classreport.model import read_row
from checks.classreport.roster import Learner
from checks.classreport.roster import RosterError
from checks.classreport.roster import read_roster
from checks.classreport.rosterrun import default_cache
from checks.classreport.rosterrun import grade_roster
from checks.classreport.rosterrun import usable_cache
from checks.classreport.shards import DEFAULT_SIZE
from checks.classreport.shards import plan
from checks.classreport.summary import render_markdown
from checks.harness.plugin import parse_tasks
from checks.harness.version import checker_version

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
ROSTER_HELP = ("a roster CSV (learner,repository,ref,folder): fetch each "
               "learner's repository and grade it")
CACHE_HELP = ("--roster: where repositories and results are kept between "
              "runs (default: {})".format(default_cache()))
SHARDS_HELP = ("--roster: read the roster workflow's downloaded shard "
               "artifacts below DIR instead of grading")
SIZE_HELP = ("--from-shards: the workflow's shard size (default: {})"
             .format(DEFAULT_SIZE))
MIXED_HELP = "merge scorecards graded by different checker versions"
SUMMARY_HELP = "also append a Markdown summary to this file"
NO_INPUT = ("give solution folders, a class folder, --from-json DIR "
            "(a folder of scorecard JSON files) or --roster CSV")


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
    parsing.add_argument("--roster", metavar="CSV", help=ROSTER_HELP)
    parsing.add_argument("--cache", metavar="DIR", help=CACHE_HELP)
    parsing.add_argument("--from-shards", metavar="DIR", help=SHARDS_HELP)
    parsing.add_argument("--shard-size", type=positive_int,
                         default=DEFAULT_SIZE, metavar="N", help=SIZE_HELP)
    parsing.add_argument(MIXED_FLAG, action="store_true", help=MIXED_HELP)
    parsing.add_argument("--summary", metavar="PATH", help=SUMMARY_HELP)
    return parsing


def main(argv: Optional[List[str]] = None) -> int:
    """Find the inputs, grade the folders, write both reports."""
    args = parser().parse_args(argv)
    try:
        check_outputs(args)
        if args.roster:
            graded = from_roster(args)
        else:
            sources, warnings = usable_inputs(args)
            for warning in warnings:
                print("warning: {}".format(warning), file=sys.stderr)
            graded = collect(sources, args)
    except (InputError, pytest.UsageError, MixedVersions) as problem:
        print("class report: {}".format(problem), file=sys.stderr)
        return USAGE_ERROR
    except RosterError as problem:
        print("class report: roster {}".format(problem), file=sys.stderr)
        return USAGE_ERROR
    except KeyboardInterrupt:  # every grade was killed (grading.py)
        print("class report: interrupted; no report written",
              file=sys.stderr)
        return INTERRUPTED
    report = build(graded)
    write(args.csv, render_csv(report))
    write(args.html, render_html(report))
    print("CSV: {}\nHTML: {}".format(args.csv, args.html))
    if args.summary:
        with open(args.summary, "a", encoding="utf-8") as stream:
            stream.write(render_markdown(report))
    return 0


def check_outputs(args: argparse.Namespace) -> None:
    """Raise before any grading if the options cannot work: better now
    than after an hour of grading."""
    for keys in args.task:
        parse_tasks(keys)
    for option, path in (("--csv", args.csv), ("--html", args.html)):
        if not os.path.isdir(os.path.dirname(os.path.abspath(path))):
            raise InputError("{} {}: its folder does not exist".format(
                option, path))
    if args.roster and (args.paths or args.from_json):
        raise InputError("--roster names every learner: give no folder "
                         "and no --from-json with it")
    if (args.cache or args.from_shards) and not args.roster:
        raise InputError("--cache and --from-shards go with --roster CSV")


def usable_inputs(args: argparse.Namespace
                  ) -> Tuple[List[Source], List[str]]:
    """Return the sources and warnings, or raise if there are none or
    their scorecards were graded by different checkers."""
    if not args.paths and not args.from_json:
        raise InputError(NO_INPUT)
    sources, warnings = find(args.paths, args.from_json)
    if not sources:
        raise InputError("nothing to report: " + NO_INPUT)
    found = versions([source.document for source in sources
                      if source.document is not None])
    to_grade = sum(source.document is None for source in sources)
    if to_grade:
        version = checker_version()
        found[version] = found.get(version, 0) + to_grade
    check_versions(found, args.mixed_versions)
    return sources, warnings


def from_roster(args: argparse.Namespace) -> List[Graded]:
    """Grade a roster here, or merge its workflow's shards."""
    learners: List[Learner] = read_roster(args.roster)
    if args.from_shards:
        if not os.path.isdir(args.from_shards):
            raise InputError("--from-shards {}: no such folder".format(
                args.from_shards))
        merged = merge_shards(learners, plan(len(learners), args.shard_size),
                              args.from_shards)
        for warning in merged.warnings:
            print("warning: {}".format(warning), file=sys.stderr)
        check_versions(versions([graded.document for graded in
                                 merged.graded]), args.mixed_versions)
        return merged.graded
    cache = usable_cache(args.cache or default_cache())
    with tempfile.TemporaryDirectory(prefix="class-report-") as workdir:
        return grade_roster(learners, cache, Settings(
            args.jobs, args.folder_timeout, args.task, workdir))


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
