"""The class report as one HTML page that opens offline: a heatmap of
learners by tasks, each task's pass rate and behaviour pass rate, and the
checks that fail most, behaviour apart from requirements.

The page has inline CSS only: no script, no font, no image, no link to
anything. A cell's colour is its status, its mark repeats it for those who
cannot tell the colours apart, and its title (shown on hover) is the
task's first failure, or the requirements that failed when its behaviour
passed (a colour of its own). The page names the checker's version that
graded. Every text from a path or a scorecard is escaped: learners write
it.
"""
import statistics
from html import escape
from typing import Callable
from typing import List
from typing import Tuple

from checks.classreport.model import BEHAVIOUR
from checks.classreport.model import ERROR
from checks.classreport.model import REQUIREMENT
from checks.classreport.model import REQUIREMENTS_FAILED
from checks.classreport.model import ClassReport
from checks.classreport.model import LearnerRow
from checks.harness.catalogue import TASKS_BY_KEY

MOST_FAILED = 20
# Each status's CSS class and mark; any other status is shown as "other".
LOOKS = {
    "passed": ("passed", "&#10003;"),
    REQUIREMENTS_FAILED: ("requirements", "&#9888;"),
    "failed": ("failed", "&#10007;"),
    "blocked": ("blocked", "&#8856;"),
    "not started": ("not-started", "&middot;"),
    "checker error": ("checker-error", "!"),
    "not run": ("not-run", "-"),
    "": ("not-graded", ""),
}
STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 2px 6px; }
.heatmap td { text-align: center; min-width: 1.6em; }
.heatmap td.learner { text-align: left; white-space: nowrap; }
.heatmap tr.rates td { font-weight: bold; white-space: nowrap; }
.heatmap td.score { text-align: right; }
.passed { background: #2e7d32; color: #fff; }
.requirements { background: #aed581; color: #1b5e20; }
.failed { background: #c62828; color: #fff; }
.blocked { background: #ef6c00; color: #fff; }
.not-started { background: #e0e0e0; color: #555; }
.checker-error { background: #6a1b9a; color: #fff; }
.error { background: #37474f; color: #fff; }
.not-run, .not-graded { background: #fff; color: #999; }
.other { background: #fdd835; }
.heatmap td.error { text-align: left; }
.failures td { vertical-align: top; }
.legend span { padding: 0 0.5em; margin-right: 0.3em; }
.versions.mixed { background: #fff3e0; padding: 0.3em; }
"""
SHORT_COMMIT = 12


def render_html(report: ClassReport) -> str:
    """Render the report as a self-contained HTML page."""
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en">', "<head>",
        '<meta charset="utf-8">', "<title>Class report</title>",
        "<style>{}</style>".format(STYLE), "</head>", "<body>",
        "<h1>Class report</h1>", "<p>{}</p>".format(summary(report)),
        versions(report), legend(), heatmap(report),
        "<h2>The checks that fail most across the class</h2>",
        "<h3>Behaviour: the code does not do what the page says</h3>",
        failures(report, BEHAVIOUR),
        "<h3>Requirements: shebang, style, documentation, file mode</h3>",
        failures(report, REQUIREMENT), "</body>", "</html>", ""])


def summary(report: ClassReport) -> str:
    """Say how many learners, how many errors, and the median score."""
    scores = [row.score for row in report.rows if row.score is not None]
    errors = sum(bool(row.error) for row in report.rows)
    text = "{} learners; {} without a scorecard (error)".format(
        len(report.rows), errors)
    if scores:
        text += "; median score {:.1f}%".format(statistics.median(scores))
    return text


def versions(report: ClassReport) -> str:
    """Say which checker graded (its commit and stack), or, when the
    report was asked to merge several, each with its learners."""
    found = sorted(report.versions().items(), key=lambda item: -item[1])
    if not found:
        return ""
    names = ['<span title="{}">{}</span> on the {}'.format(
        escape(version), escape(short(version)), escape(stack or
                                                        "unknown stack"))
             + ("" if len(found) == 1 else " ({} learners)".format(count))
             for (version, stack), count in found]
    if len(found) == 1:
        return '<p class="versions">Graded by checker {}.</p>'.format(
            names[0])
    return ('<p class="versions mixed">Graded by {} checker versions or '
            'stacks: {}.</p>'.format(len(found), "; ".join(names)))


def short(version: str) -> str:
    """Shorten a commit for the page; its title keeps it whole."""
    commit, plus, edits = version.partition("+")
    return commit[:SHORT_COMMIT] + plus + edits


def legend() -> str:
    """Show each status's colour and mark."""
    spans = ['<span class="{}">{} {}</span>'.format(css, mark, status)
             for status, (css, mark) in LOOKS.items() if status]
    spans.append('<span class="error">{} (no scorecard)</span>'.format(ERROR))
    return '<p class="legend">{}</p>'.format(" ".join(spans))


def heatmap(report: ClassReport) -> str:
    """Render learners by tasks, and the pass rates under them."""
    keys = report.graded_tasks()
    header = "".join('<th title="{}">{}</th>'.format(
        escape(TASKS_BY_KEY[key].title), key) for key in keys)
    lines = ['<table class="heatmap">',
             "<tr><th>learner</th><th>score</th>{}</tr>".format(header)]
    lines += [learner_row(row, keys) for row in report.rows]
    lines += [rates_row(keys, "pass rate", "passed", report.pass_rate),
              rates_row(keys, "behaviour pass rate",
                        "passed its behaviour checks",
                        report.behaviour_rate), "</table>"]
    return "\n".join(lines)


def learner_row(row: LearnerRow, keys: List[str]) -> str:
    """Render one learner's cells, or the error that stands for them."""
    start = '<tr><td class="learner"{}>{}</td><td class="score">{}</td>' \
        .format(' title="commit {}"'.format(escape(row.commit))
                if row.commit else "", escape(row.learner),
                "" if row.score is None else "{:.1f}%".format(row.score))
    if row.error:
        return start + '<td class="error" colspan="{}">{}: {}</td></tr>' \
            .format(max(len(keys), 1), ERROR, escape(row.error))
    return start + "".join(cell(row, key) for key in keys) + "</tr>"


def cell(row: LearnerRow, key: str) -> str:
    """Render one task of one learner: colour, mark, and why on hover."""
    status = row.shown(key)
    css, mark = LOOKS.get(status, ("other", "?"))
    reason = row.cells[key].reason if key in row.cells else ""
    if status == REQUIREMENTS_FAILED:
        reason = "behaviour passed; requirements failed: {}".format(
            "; ".join(row.cells[key].requirements))
    elif not reason.startswith(status):  # "not started: ..." says it
        reason = "{}: {}".format(status, reason) if reason else status
    why = "{} {}: {}".format(key, TASKS_BY_KEY[key].title,
                             reason or "not graded")
    return '<td class="{}" title="{}">{}</td>'.format(css, escape(why), mark)


def rates_row(keys: List[str], name: str, verb: str,
              rate_of: Callable[[str], Tuple[int, int]]) -> str:
    """Render each task's rate (learners who passed, of those counted),
    shaded from red (0%) to green."""
    cells = []
    for key in keys:
        passed, counted = rate_of(key)
        rate = passed / counted if counted else 0.0
        cells.append('<td title="{} of {} learners {}" style="background:'
                     ' hsl({:.0f}, 70%, 85%)">{:.0f}%</td>'.format(
                         passed, counted, verb, 120 * rate, 100 * rate))
    return '<tr class="rates"><td>{}</td><td></td>{}</tr>'.format(
        name, "".join(cells))


def failures(report: ClassReport, kind: str) -> str:
    """Render the checks of one kind most learners failed, with an
    example message."""
    common = report.most_failed(MOST_FAILED, kind)
    if not common:
        return "<p>No {} check failed.</p>".format(kind)
    lines = ['<table class="failures">', "<tr><th>check</th><th>task</th>"
             "<th>learners</th><th>example message</th></tr>"]
    for failure in common:
        cells: Tuple[str, ...] = (
            escape(failure.label),
            escape("{} {}".format(failure.task,
                                  TASKS_BY_KEY[failure.task].title)),
            "{} of {}".format(failure.learners, len(report.rows)),
            escape(failure.example))
        lines.append("<tr>{}</tr>".format("".join(
            "<td>{}</td>".format(text) for text in cells)))
    return "\n".join(lines + ["</table>"])
