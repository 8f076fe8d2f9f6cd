"""From pytest's reports to the scorecard, and from it to the artefacts.

The reporter turns each check's report into a CheckResult, then at the end
prints the scorecard, writes the JSON and the GitHub job summary, emits
GitHub annotations for failed checks, and compares with the last run on the
same folder (kept in pytest's cache) to list regressions.
"""
import os
from typing import Any
from typing import List

import pytest

from checks.harness.catalogue import Task
from checks.harness.failures import CheckerError
from checks.harness.scorecard import CheckResult
from checks.harness.scorecard import Scorecard
from checks.harness.scorecard import Status
from checks.harness.scorecard import render_json
from checks.harness.scorecard import render_markdown
from checks.harness.scorecard import render_terminal

ANNOTATION_CAP = 10  # GitHub shows at most ten error annotations per step
SKIP_STATUSES = (("not started", Status.NOT_STARTED),
                 ("blocked", Status.BLOCKED))


class Reporter:
    """Collects check results into a Scorecard and renders it."""

    def __init__(self, config: pytest.Config, settings: Any, stack: str,
                 history_key: str) -> None:
        """Start an empty scorecard for the solution being graded."""
        self.config = config
        self.settings = settings
        self.history_key = history_key
        self.card = Scorecard(settings.solution, stack)

    def wants(self, report: pytest.TestReport) -> bool:
        """Keep call reports, and setup reports that did not pass."""
        return report.when == "call" or (
            report.when == "setup" and not report.passed)

    def label(self, item: pytest.Item) -> str:
        """Return a check's scorecard label: its docstring's first line."""
        doc = (getattr(item, "obj", None).__doc__ or item.name).strip()
        first = doc.splitlines()[0]
        params = getattr(getattr(item, "callspec", None), "params", {})
        try:
            return first.format(**params)
        except (KeyError, IndexError, ValueError):
            return first

    def record(self, item: pytest.Item, task: Task,
               report: pytest.TestReport, call: pytest.CallInfo,
               blamed: bool = False) -> str:
        """Add one check's result to the scorecard; return its status.

        `blamed` marks a check that failed and was then reported blocked,
        because a task it builds on had failed first.
        """
        status, reason = outcome(report, call)
        note = str(dict(report.user_properties).get("note", ""))
        self.card.add(CheckResult(item.nodeid, task.key, self.label(item),
                                  status, reason, str(report.longrepr or ""),
                                  report.duration, note, blamed), task)
        return status.value

    def finish(self, terminal: Any) -> None:
        """Print the scorecard and write every artefact asked for."""
        if not self.card.rows:
            return
        cache = getattr(self.config, "cache", None)
        if cache is not None:
            self.card.note_previous(cache.get(self.history_key, None))
            cache.set(self.history_key, self.card.statuses())
        terminal.write_sep("=", "scorecard")
        terminal.write_line(render_terminal(self.card))
        if self.settings.json_path:
            write(self.settings.json_path, render_json(self.card))
            terminal.write_line("scorecard JSON: {}".format(
                self.settings.json_path))
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:
            write(summary, render_markdown(self.card), mode="a")
            terminal.write_line("scorecard summary: {}".format(summary))
        if os.environ.get("GITHUB_ACTIONS") == "true":
            for line in annotations(self.card):
                terminal.write_line(line)


def outcome(report: pytest.TestReport, call: pytest.CallInfo) -> Any:
    """Return (Status, one-line reason) for a check's report."""
    if report.passed:
        return Status.PASSED, ""
    if report.skipped:
        reason = skip_reason(report)
        for prefix, status in SKIP_STATUSES:
            if reason.startswith(prefix):
                return status, reason
        return Status.NOT_RUN, reason
    excinfo = call.excinfo
    if report.when != "call" or (excinfo is not None and
                                 excinfo.errisinstance(CheckerError)):
        return Status.ERROR, "checker error: " + first_line(
            str(excinfo.value) if excinfo else str(report.longrepr))
    message = getattr(excinfo.value, "msg", None) if excinfo else None
    return Status.FAILED, first_line(message or (
        str(excinfo.value) if excinfo else str(report.longrepr)))


def skip_reason(report: pytest.TestReport) -> str:
    """Return the reason a check was skipped."""
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        reason = str(longrepr[2])
        return reason[len("Skipped: "):] if reason.startswith(
            "Skipped: ") else reason
    return str(longrepr)


def first_line(text: str) -> str:
    """Return the first non-empty line of a text."""
    for line in text.splitlines():
        if line.strip():
            return line.strip()
    return ""


def annotations(card: Scorecard) -> List[str]:
    """Return GitHub `::error` lines for failed checks, within the cap."""
    lines = []
    for row in card.ordered():
        for check in row.checks:
            if check.status in (Status.FAILED, Status.ERROR):
                lines.append("::error title=task {} ({})::{}: {}".format(
                    row.task.key, row.task.title, check.label,
                    check.reason.replace("%", "%25").replace("\n", "%0A")))
    if len(lines) > ANNOTATION_CAP:
        more = len(lines) - ANNOTATION_CAP + 1
        lines = lines[:ANNOTATION_CAP - 1] + [
            "::error title=more failures::{} more failed checks: see the "
            "scorecard in the job summary".format(more)]
    return lines


def write(path: str, text: str, mode: str = "w") -> None:
    """Write an artefact and flush it at once."""
    with open(path, mode, encoding="utf-8") as stream:
        stream.write(text)
        stream.flush()
