"""Beyond B9: bandit finds nothing above low severity in the solution.

bandit scans the solution's Python files (their copy) in a subprocess
started with the grade (tools.py).
Low-severity findings (the asserts of main.py, its password constants)
are not graded. One medium finding is forced by the contract and allowed:
B104, binding to all interfaces, for `app.run(host="0.0.0.0", ...)` under
`if __name__ == "__main__":` in app.py; the scorecard lists it in a note.
"""
import ast
import importlib.util
import json
import os
from typing import Any
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

import pytest

from checks.harness.failures import CheckerError
from checks.harness.failures import Failure
from checks.harness.solution import Solution
from checks.harness.tools import Tools

pytestmark = [pytest.mark.task("B9"), pytest.mark.static]

GRADED = ("MEDIUM", "HIGH")
CONTRACT = ("B104", "app.py")  # host="0.0.0.0" in app.run, asked for
SHOWN = 3
NO_BANDIT = ("bandit is not installed in this environment (pip install "
             "bandit), so the scan did not run")


def main_block_lines(source: Optional[str]) -> Tuple[int, int]:
    """Return the first and last line of `if __name__ == "__main__":`."""
    try:
        tree = ast.parse(source or "")
    except (SyntaxError, ValueError):
        return 0, -1
    for node in tree.body:
        if isinstance(node, ast.If) and "__main__" in ast.dump(node.test):
            return node.lineno, max(getattr(child, "lineno", node.lineno)
                                    for child in ast.walk(node))
    return 0, -1


def scan(tools: Tools, folder: str) -> List[Dict[str, Any]]:
    """Return bandit's findings, each with its file relative to the folder.
    """
    output = tools.result("bandit")
    if output is None:
        raise CheckerError("bandit did not finish")
    try:
        report = json.loads(output[output.find("{"):])
    except ValueError:
        raise CheckerError("bandit gave no report: {}".format(output[-300:]))
    unscanned = [error for error in report.get("errors", [])
                 if isinstance(error, dict)]
    if unscanned:
        raise Failure("bandit could not scan {} file{}: {}".format(
            len(unscanned), "s" if len(unscanned) > 1 else "", "; ".join(
                "{}: {}".format(os.path.relpath(str(error.get("filename")),
                                                folder),
                                str(error.get("reason", ""))[:200])
                for error in unscanned[:SHOWN])),
            help="a file bandit cannot read (not UTF-8, or not Python) is "
                 "not scanned at all: fix it first")
    results = [finding for finding in report.get("results", [])
               if isinstance(finding, dict)]
    for finding in results:
        finding["file"] = os.path.relpath(str(finding.get("filename")),
                                          folder)
    return results


def describe(finding: Dict[str, Any]) -> str:
    """Say where a finding is, what it is and how severe."""
    return "{}:{} {} ({}): {}".format(
        finding["file"], finding["line_number"], finding["test_id"],
        finding["issue_severity"], finding["issue_text"])


def test_bandit_finds_nothing_above_low(solution: Solution, tools: Tools,
                                        note: Callable[[str], None]) -> None:
    """bandit finds nothing above low severity but the contract's 0.0.0.0"""
    if importlib.util.find_spec("bandit") is None:
        pytest.skip(NO_BANDIT)
    first, last = main_block_lines(solution.source("app.py"))
    allowed, graded = [], []
    for finding in scan(tools, solution.copy):
        if finding["issue_severity"] not in GRADED:
            continue
        if (finding["test_id"], finding["file"]) == CONTRACT and \
                first <= finding["line_number"] <= last:
            allowed.append(finding)
        else:
            graded.append(finding)
    if allowed:
        note("bandit: {} (binding to all interfaces) "
                        "allowed: the contract asks for host=\"0.0.0.0\""
                        .format(", ".join("{} at {}:{}".format(
                            each["test_id"], each["file"],
                            each["line_number"]) for each in allowed)))
    if graded:
        more = len(graded) - SHOWN
        raise Failure("bandit finds {} issue{} above low severity: {}{}"
                      .format(len(graded), "s" if len(graded) > 1 else "",
                              "; ".join(describe(each)
                                        for each in graded[:SHOWN]),
                              "; and {} more".format(more) if more > 0
                              else ""),
                      help="fix each one (bandit's docs explain every test "
                           "id); only B104 on app.run's host=\"0.0.0.0\" "
                           "under __main__ is allowed, as the contract "
                           "asks for it")
