"""The scorecard: a model of the run, task by task, and pure renderers.

The model owns every state change; the terminal table, the JSON document
(schema in checks/README.md, "version": 2) and the GitHub Markdown summary
are each one function from the model to a string. A task's checks are of
two kinds, reported apart: behaviour (its code runs as the contract says)
and requirements (the page's rules about the file: shebang, style,
documentation, names); a failed requirement never hides the behaviour.
"""
import json
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

from dataclasses import dataclass
from dataclasses import field

from checks.harness.catalogue import TASKS
from checks.harness.catalogue import Task
from checks.harness.verdict import Blame
from checks.harness.verdict import Status
from checks.harness.version import checker_version

JSON_VERSION = 2
MARKDOWN_LIMIT = 512 * 1024  # well under GitHub's 1 MiB step-summary cap
REASON_WIDTH = 100
BEYOND_NOTE = ("beyond the exercise (B1-B13) is not part of the score: "
               "what the page does not ask for, among it checks that once "
               "counted in tasks 2, 18 and 19 (a missing token matching "
               "nobody, now B6; the first of several matches, now B11)")
WORST_FIRST = (Status.ERROR, Status.FAILED, Status.BLOCKED)
# What a failed check failed on (the JSON's "failure"): the contract it
# checks, or the import of the learner's code it runs (a module its task
# needs does not import: it never reached what it checks). The self-tests
# count a mutant as proving a behaviour check only by a contract failure.
CONTRACT = "contract"
IMPORT = "import"


@dataclass
class CheckResult:
    """One check's outcome with its one-line reason and full details."""

    nodeid: str
    task: str
    label: str
    status: Status
    reason: str = ""
    details: str = ""
    seconds: float = 0.0
    note: str = ""
    blamed_on: str = ""
    kind: str = "behaviour"  # or "requirement"
    blame: Optional[Blame] = None  # whom it is blocked by, and which rule
    failure: str = ""  # a failed check's CONTRACT or IMPORT ("" otherwise)


@dataclass
class TaskRow:
    """A task's checks and the status they add up to."""

    task: Task
    checks: List[CheckResult] = field(default_factory=list)

    def of_kind(self, kind: str) -> List[CheckResult]:
        """Return the checks of one kind."""
        return [check for check in self.checks if check.kind == kind]

    @property
    def status(self) -> Status:
        """Return the task's status: the worst of its checks' outcomes."""
        statuses = {check.status for check in self.checks}
        for status in WORST_FIRST:
            if status in statuses:
                return status
        if statuses == {Status.PASSED}:
            return Status.PASSED
        if Status.NOT_STARTED in statuses:
            return Status.NOT_STARTED
        return Status.NOT_RUN

    @property
    def passed(self) -> int:
        """Return how many checks passed."""
        return sum(check.status is Status.PASSED for check in self.checks)

    def counts(self, kind: str) -> Tuple[int, int]:
        """Return (passed, total) checks of one kind."""
        checks = self.of_kind(kind)
        return (sum(check.status is Status.PASSED for check in checks),
                len(checks))

    @property
    def failed_requirements(self) -> List[str]:
        """Return the first line of each failed requirement."""
        return [check.reason for check in self.of_kind("requirement")
                if check.status is Status.FAILED]

    @property
    def notes(self) -> List[str]:
        """Return the information checks attached to the task."""
        return [check.note for check in self.checks if check.note]

    @property
    def reason(self) -> str:
        """Say why the task has its status: behaviour first, then rules."""
        behaviour = [check for check in self.of_kind("behaviour")
                     if check.status is self.status and check.reason]
        requirements = self.failed_requirements
        if behaviour and requirements:
            return "{} (and requirements: {})".format(
                behaviour[0].reason, "; ".join(requirements))
        if behaviour:
            return behaviour[0].reason
        if requirements:
            passed, total = self.counts("behaviour")
            return "requirements: {}; behaviour {}/{}".format(
                "; ".join(requirements), passed, total)
        for check in self.checks:
            if check.status is self.status and check.reason:
                return check.reason
        return ""


@dataclass
class Scorecard:
    """Every selected task's row, the solution graded, its stack and the
    checker's version (its commit: harness/version.py)."""

    solution: str
    stack: str
    containment: str = ""
    rows: Dict[str, TaskRow] = field(default_factory=dict)
    regressed: List[str] = field(default_factory=list)
    checker_version: str = field(default_factory=checker_version)

    def add(self, result: CheckResult, task: Task) -> None:
        """Record one check's result under its task."""
        self.rows.setdefault(task.key, TaskRow(task)).checks.append(result)

    def ordered(self) -> List[TaskRow]:
        """Return the rows in catalogue order."""
        return [self.rows[task.key] for task in TASKS
                if task.key in self.rows]

    def track(self, name: str) -> Tuple[int, int]:
        """Return (passed, total) checks of one track."""
        rows = [row for row in self.ordered() if row.task.track == name]
        return (sum(row.passed for row in rows),
                sum(len(row.checks) for row in rows))

    def statuses(self) -> Dict[str, str]:
        """Return each task's status, as kept for regression reports."""
        return {row.task.key: row.status.value for row in self.ordered()}

    def note_previous(self, previous: Optional[Dict[str, str]]) -> None:
        """List tasks that passed last time on this folder and not now."""
        if not previous:
            return
        self.regressed = [
            key for key, status in self.statuses().items()
            if previous.get(key) == Status.PASSED.value
            and status != Status.PASSED.value]

    @property
    def failed(self) -> bool:
        """Tell whether any started task failed or hit a checker error."""
        return any(row.status in (Status.FAILED, Status.ERROR)
                   for row in self.ordered())


def percent(counts: Tuple[int, int]) -> float:
    """Return passed/total as a percentage, 0 when nothing ran."""
    passed, total = counts
    return 100.0 * passed / total if total else 0.0


def score(card: Scorecard) -> Tuple[float, float, float]:
    """Return (mandatory%, optional%, score) by the original's formula."""
    mandatory = percent(card.track("mandatory"))
    optional = percent(card.track("advanced"))
    return mandatory, optional, mandatory + mandatory * optional / 100.0


def one_line(text: str, width: int = REASON_WIDTH) -> str:
    """Return the first line of a text, cut to a width."""
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= width else line[:width - 3] + "..."


def totals_lines(card: Scorecard) -> List[str]:
    """Return the totals as lines of text."""
    lines = []
    names = (("mandatory", "mandatory (0-19)"), ("advanced", "advanced (20)"),
             ("beyond", "beyond the exercise"))
    for track, label in names:
        passed, total = card.track(track)
        if total:
            lines.append("{}: {}/{} checks ({:.1f}%)".format(
                label, passed, total, percent((passed, total))))
    if card.track("beyond")[1]:
        lines.append(BEYOND_NOTE)
    mandatory, optional, total_score = score(card)
    if card.track("mandatory")[1] and card.track("advanced")[1]:
        lines.append("score: {:.1f}% + {:.1f}% x {:.1f}% = {:.1f}%".format(
            mandatory, mandatory, optional, total_score))
    elif card.track("mandatory")[1]:
        lines.append("score: {:.1f}% (task 20 was not graded in this run)"
                     .format(mandatory))
    if card.regressed:
        lines.append("regressed since the last run: " + ", ".join(
            "{} ({})".format(key, card.rows[key].task.title)
            for key in card.regressed))
    if card.containment:
        lines.append(card.containment)
    return lines


def render_terminal(card: Scorecard) -> str:
    """Render the scorecard as a plain-text table."""
    lines = ["Scorecard for {}".format(card.solution),
             "on the {}".format(card.stack), "",
             "{:>4}  {:<30} {:>7}  {:<12} {}".format(
                 "task", "title", "checks", "status", "first failure")]
    for row in card.ordered():
        lines.append("{:>4}  {:<30} {:>7}  {:<12} {}".format(
            row.task.key, row.task.title[:30],
            "{}/{}".format(row.passed, len(row.checks)), row.status.value,
            one_line(row.reason)))
    notes = ["task {}: {}".format(row.task.key, note)
             for row in card.ordered() for note in row.notes]
    return "\n".join(lines + [""] + notes + totals_lines(card))


def _kind_json(row: TaskRow, kind: str) -> Dict[str, object]:
    """Return one kind's counts for the JSON document."""
    passed, total = row.counts(kind)
    document: Dict[str, object] = {"passed": passed, "total": total}
    if kind == "requirement":
        document["failed"] = row.failed_requirements
    return document


def render_json(card: Scorecard) -> str:
    """Render the scorecard as the versioned JSON document."""
    mandatory, optional, total_score = score(card)
    tracks = {}
    for track in ("mandatory", "advanced", "beyond"):
        passed, total = card.track(track)
        tracks[track] = {"passed": passed, "total": total,
                         "percent": round(percent((passed, total)), 1)}
    document = {
        "version": JSON_VERSION,
        "solution": card.solution,
        "stack": card.stack,
        "checker_version": card.checker_version,
        "containment": card.containment,
        "tasks": [{
            "task": row.task.key, "title": row.task.title,
            "track": row.task.track, "status": row.status.value,
            "passed": row.passed, "total": len(row.checks),
            "behaviour": _kind_json(row, "behaviour"),
            "requirements": _kind_json(row, "requirement"),
            "reason": one_line(row.reason, 500),
            "notes": row.notes,
            "checks": [{"id": check.nodeid, "label": check.label,
                        "kind": check.kind,
                        "status": check.status.value,
                        "blamed_on": check.blamed_on,
                        "blame": check.blame.as_json() if check.blame
                        else None,
                        "failure": check.failure or None,
                        "reason": check.reason,
                        "seconds": round(check.seconds, 3)}
                       for check in row.checks],
        } for row in card.ordered()],
        "tracks": tracks,
        "score": {"mandatory_percent": round(mandatory, 1),
                  "optional_percent": round(optional, 1),
                  "score": round(total_score, 1)},
        "regressed": card.regressed,
    }
    return json.dumps(document, indent=2)


def _cell(text: str) -> str:
    """Make text safe inside a Markdown table cell: no markup, no HTML."""
    escaped = one_line(text).replace("&", "&amp;").replace(
        "<", "&lt;").replace(">", "&gt;")
    for mark in "\\`*_[]()#!|~":
        escaped = escaped.replace(mark, "\\" + mark)
    return escaped


def render_markdown(card: Scorecard) -> str:
    """Render the scorecard as a GitHub job-summary Markdown table."""
    heading = "{} on the {}".format(_cell(card.solution), _cell(card.stack))
    lines = ["## Scorecard", "", heading, "",
             "| task | title | checks | status | first failure |",
             "|---:|---|---:|---|---|"]
    for row in card.ordered():
        lines.append("| {} | {} | {}/{} | {} | {} |".format(
            row.task.key, row.task.title, row.passed, len(row.checks),
            row.status.value, _cell(row.reason)))
    notes = ["task {}: {}".format(row.task.key, note)
             for row in card.ordered() for note in row.notes]
    lines += [""] + ["- " + _cell(line) for line in
                     notes + totals_lines(card)]
    text = "\n".join(lines) + "\n"
    if len(text.encode("utf-8")) > MARKDOWN_LIMIT:
        text = text.encode("utf-8")[:MARKDOWN_LIMIT].decode(
            "utf-8", "ignore") + "\n\n(summary cut to stay under 1 MiB)\n"
    return text
