"""From verdicts to the scorecard, and from it to the artefacts.

The reporter adds each check's verdict to the scorecard; at the end it
prints the scorecard, writes the JSON and the GitHub job summary, emits
GitHub annotations for failed checks, and compares with the last run on the
same folder (history.py) to list regressions. Every text that
may hold learner output was made safe when its verdict was decided; the
renderers escape it once more for their own format.
"""
import os
from typing import Any
from typing import List
from typing import Optional

import pytest

from checks.harness import history
from checks.harness.catalogue import Task
from checks.harness.scorecard import CheckResult
from checks.harness.scorecard import Scorecard
from checks.harness.scorecard import render_json
from checks.harness.scorecard import render_markdown
from checks.harness.scorecard import render_terminal
from checks.harness.verdict import Status
from checks.harness.verdict import Verdict

ANNOTATION_CAP = 10  # GitHub shows at most ten error annotations per step


def label_of(item: pytest.Item) -> str:
    """Return a check's scorecard label: its docstring's first line."""
    doc = (getattr(item, "obj", None).__doc__ or item.name).strip()
    first = doc.splitlines()[0]
    params = getattr(getattr(item, "callspec", None), "params", {})
    try:
        return first.format(**params)
    except (KeyError, IndexError, ValueError, AttributeError):
        return first


class Reporter:
    """Collects verdicts into a Scorecard and renders it."""

    def __init__(self, config: pytest.Config, json_path: Optional[str],
                 card: Scorecard) -> None:
        """Start an empty scorecard for the solution being graded."""
        self.config = config
        self.json_path = json_path
        self.card = card

    def record(self, item: pytest.Item, task: Task, verdict: Verdict,
               seconds: float, note: str, kind: str,
               failure: str = "") -> None:
        """Add one check's verdict to the scorecard (`failure`: what a
        failed check failed on, scorecard.CONTRACT or IMPORT)."""
        self.card.add(CheckResult(item.nodeid, task.key, label_of(item),
                                  verdict.status, verdict.reason,
                                  verdict.message, seconds, note,
                                  verdict.blamed_on, kind, verdict.blame,
                                  failure), task)

    def finish(self, terminal: Any) -> None:
        """Print the scorecard and write every artefact asked for."""
        if not self.card.rows:
            return
        previous = history.load(self.card.solution, self.card.stack)
        self.card.note_previous(previous)
        # A subset run keeps the other tasks' last statuses.
        history.save(self.card.solution, self.card.stack,
                     dict(previous or {}, **self.card.statuses()))
        terminal.write_sep("=", "scorecard")
        terminal.write_line(render_terminal(self.card))
        if self.json_path:
            write(self.json_path, render_json(self.card))
            terminal.write_line("scorecard JSON: {}".format(self.json_path))
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:
            write(summary, render_markdown(self.card), mode="a")
            terminal.write_line("scorecard summary: {}".format(summary))
        if os.environ.get("GITHUB_ACTIONS") == "true":
            for line in annotations(self.card):
                terminal.write_line(line)


def escape_data(text: str) -> str:
    """Escape an annotation's message as GitHub's runner reads it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace(
        "\n", "%0A")


def escape_property(text: str) -> str:
    """Escape an annotation's property (e.g. its title)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotations(card: Scorecard) -> List[str]:
    """Return GitHub `::error` lines for failed checks, within the cap.

    A failure blamed on an earlier task is annotated too, marked so.
    """
    lines = []
    for row in card.ordered():
        for check in row.checks:
            if check.status in (Status.FAILED, Status.ERROR) or \
                    check.blamed_on:
                title = "task {} ({})".format(row.task.key, row.task.title)
                lines.append("::error title={}::{}: {}".format(
                    escape_property(title), escape_data(check.label),
                    escape_data(check.details or check.reason)))
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
