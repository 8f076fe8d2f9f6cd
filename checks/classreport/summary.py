"""The class report as a GitHub job summary (Markdown): who graded, each
task's pass rate beside its behaviour pass rate, then one line per
learner, cut well under GitHub's 1 MiB summary limit. Text from learners
and scorecards is made inert: no Markdown, no HTML.
"""
import statistics
from typing import List

from checks.classreport.model import ClassReport
from checks.classreport.model import REQUIREMENTS_FAILED
from checks.classreport.model import LearnerRow
from checks.harness.catalogue import TASKS_BY_KEY

MARKDOWN_LIMIT = 512 * 1024
CELL_WIDTH = 120
MARKS = "\\`*_[]()#!|~<>&"


def render_markdown(report: ClassReport) -> str:
    """Render the summary: versions, tasks, learners."""
    lines = ["## Class report", "", headline(report), ""]
    for (version, stack), count in sorted(report.versions().items(),
                                          key=lambda item: -item[1]):
        lines.append("- graded by checker `{}` on the {} ({} learners)"
                     .format(inert(version), inert(stack or "unknown stack"),
                             count))
    lines += ["", "| task | title | pass rate | behaviour pass rate |",
              "|---:|---|---:|---:|"]
    for key in report.graded_tasks():
        lines.append("| {} | {} | {} | {} |".format(
            key, TASKS_BY_KEY[key].title, rate(*report.pass_rate(key)),
            rate(*report.behaviour_rate(key))))
    lines += ["", "| learner | score | requirements only | error |",
              "|---|---:|---|---|"]
    lines += [learner_line(row, report.graded_tasks())
              for row in report.rows]
    text = "\n".join(lines) + "\n"
    if len(text.encode("utf-8")) > MARKDOWN_LIMIT:
        text = text.encode("utf-8")[:MARKDOWN_LIMIT].decode(
            "utf-8", "ignore") + "\n\n(cut to stay under GitHub's limit: "\
            "the CSV and HTML artifact hold every learner)\n"
    return text


def headline(report: ClassReport) -> str:
    """Say how many learners, how many errors, and the median score."""
    scores = [row.score for row in report.rows if row.score is not None]
    text = "{} learners; {} without a scorecard (error)".format(
        len(report.rows), sum(bool(row.error) for row in report.rows))
    if scores:
        text += "; median score {:.1f}%".format(statistics.median(scores))
    return text


def rate(passed: int, counted: int) -> str:
    """Format a pass rate with its counts."""
    if not counted:
        return ""
    return "{:.0f}% ({}/{})".format(100.0 * passed / counted, passed,
                                    counted)


def learner_line(row: LearnerRow, keys: List[str]) -> str:
    """Render one learner: score, the tasks that failed on requirements
    alone, and the error."""
    score = "" if row.score is None else "{:.1f}%".format(row.score)
    only = ", ".join(key for key in keys
                     if row.shown(key) == REQUIREMENTS_FAILED)
    return "| {} | {} | {} | {} |".format(inert(row.learner), score, only,
                                          inert(row.error))


def inert(text: str) -> str:
    """Make text safe in a Markdown table cell: one line, no markup."""
    line = " ".join(text.split())[:CELL_WIDTH]
    return "".join("\\" + char if char in MARKS else char for char in line)
