"""The class report as CSV, for a spreadsheet: one row per learner.

Columns: learner, score, mandatory percent, one per task key (0-20, then
B1-B13, always all of them, so that reports of different runs line up),
then error, the learner's commit graded (from a roster), and the checker's
version and stack that graded. A task's cell is its status (passed,
failed, blocked, not started, ...; "requirements failed" when its
behaviour passed and only requirements failed), empty when the task was
not graded, and "error" on every task when the learner's grade failed
(the error column says why). A text cell that a spreadsheet would run as
a formula gets a leading quote: names and reasons come from learners.
"""
import csv
import io
from typing import List
from typing import Optional

from checks.classreport.model import TASK_KEYS
from checks.classreport.model import ClassReport

HEADER = ["learner", "score", "mandatory percent"] + list(TASK_KEYS) + [
    "error", "commit", "checker version", "stack"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def render_csv(report: ClassReport) -> str:
    """Render the report as CSV text (write it with newline="")."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for row in report.rows:
        cells: List[str] = [row.learner]
        cells += [number(row.score), number(row.mandatory)]
        cells += [row.shown(key) for key in TASK_KEYS]
        cells += [row.error, row.commit, row.checker_version, row.stack]
        writer.writerow([inert(cell) for cell in cells])
    return buffer.getvalue()


def number(value: Optional[float]) -> str:
    """Format a percentage with one decimal; empty when there is none."""
    return "" if value is None else "{:.1f}".format(value)


def inert(cell: str) -> str:
    """Quote a cell that a spreadsheet would read as a formula."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell
