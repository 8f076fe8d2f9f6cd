"""Blame is causal: each rule of blame.py, on made-up verdicts.

The gallery's near misses prove the rules end to end (a real grade, a real
counterfactual); these pin each branch down without a grade: which rule
decides, whom it names, which files the counterfactual takes over, and
that a check is run again only when a suspect lives in another file.
"""
import ast
import os
import shutil
import sys
from typing import List
from typing import Optional
from typing import Tuple

import pytest

from checks.harness.blame import Outcome
from checks.harness.blame import Suspect
from checks.harness.blame import files_to_replace
from checks.harness.blame import judge
from checks.harness.catalogue import MODULE_IMPORTS
from checks.harness.catalogue import TASKS
from checks.harness.catalogue import TASKS_BY_KEY
from checks.harness.catalogue import Task
from checks.harness.counterfactual import Counterfactuals
from checks.harness.counterfactual import read_answer
from checks.harness.policy import Policy
from checks.harness.solution import Solution
from checks.harness.places import REFERENCE
from checks.harness.verdict import Status
from checks.harness.verdict import Verdict

FAILED = Verdict(Status.FAILED, "no session_id cookie")
# What the page gives rather than asks for: its db.py skeleton imports Base.
GIVEN = {"user": {"Base"}}


def suspects(*keys: str) -> List[Suspect]:
    """Return suspects for these task keys, nearest first."""
    return [Suspect(TASKS_BY_KEY[key], "blocked: needs task {}".format(key))
            for key in keys]


class Rerun:
    """A stand-in for the counterfactual runs, which records its calls."""

    def __init__(self, status: Optional[Status], hung: bool = False
                 ) -> None:
        """Answer every run with this status (timed out, if hung)."""
        self.status = status
        self.hung = hung
        self.calls: List[Tuple[str, str, Tuple[str, ...]]] = []

    def __call__(self, check: str, task: Task, files: Tuple[str, ...]
                 ) -> Outcome:
        """Record the call and answer."""
        self.calls.append((check, task.key, files))
        return Outcome(self.status, "" if self.status else "it stopped",
                       self.hung)


def test_a_failure_explained_elsewhere_is_blocked_by_its_cause() -> None:
    """Passing with db.py from the reference: blocked by task 1."""
    rerun = Rerun(Status.PASSED)
    verdict = judge(TASKS_BY_KEY["11"], FAILED, suspects("1"), rerun, "c")
    assert verdict.status is Status.BLOCKED and verdict.blamed_on == "1"
    assert verdict.blame is not None
    assert verdict.blame.as_json() == {
        "by": "1", "rule": "counterfactual", "suspects": ["1"],
        "replaced": ["db.py"]}
    assert rerun.calls == [("c", "11", ("db.py",))]
    assert verdict.message.endswith("it passes once db.py is the "
                                    "reference's")


def test_an_independent_failure_stays_the_checks_own() -> None:
    """Failing with db.py from the reference too: failed, own message."""
    verdict = judge(TASKS_BY_KEY["11"], FAILED, suspects("1"),
                    Rerun(Status.FAILED), "c")
    assert verdict.status is Status.FAILED and verdict.blamed_on == ""
    assert verdict.reason == "no session_id cookie"
    assert verdict.blame is not None and verdict.blame.by == ""
    assert "not caused by task 1" in verdict.message


def test_a_suspect_in_the_same_file_keeps_the_old_rule() -> None:
    """Only a suspect beside the check: blocked by it, never run again."""
    rerun = Rerun(Status.FAILED)
    verdict = judge(TASKS_BY_KEY["14"], FAILED, suspects("11"), rerun, "c")
    assert (verdict.status, verdict.blamed_on) == (Status.BLOCKED, "11")
    assert verdict.blame is not None and verdict.blame.rule == "same-file"
    assert rerun.calls == []


def test_other_files_cleared_then_the_same_file_is_blamed() -> None:
    """Fails with db.py from the reference: the app.py suspect is left."""
    verdict = judge(TASKS_BY_KEY["14"], FAILED, suspects("11", "1"),
                    Rerun(Status.FAILED), "c")
    assert (verdict.status, verdict.blamed_on) == (Status.BLOCKED, "11")
    assert verdict.blame is not None
    assert (verdict.blame.rule, verdict.blame.replaced) == (
        "same-file", ("db.py",))


@pytest.mark.parametrize("status", [None, Status.BLOCKED])
def test_a_counterfactual_that_cannot_run_keeps_the_old_rule(
        status: Optional[Status]) -> None:
    """No answer: blocked by the nearest suspect, said to be unproven."""
    verdict = judge(TASKS_BY_KEY["11"], FAILED, suspects("8", "1"),
                    Rerun(status), "c")
    assert (verdict.status, verdict.blamed_on) == (Status.BLOCKED, "8")
    assert verdict.blame is not None and verdict.blame.rule == "unproven"
    assert "blamed without proof" in verdict.message


def test_the_counterfactual_takes_every_file_but_the_checks() -> None:
    """Suspects in db.py, auth.py and app.py: app.py's own check keeps
    app.py and takes the other two, once each, sorted."""
    found = files_to_replace(TASKS_BY_KEY["14"], suspects("11", "8", "1",
                                                          "2"))
    assert found == ("auth.py", "db.py")


def test_an_answer_that_did_not_run_gives_no_status() -> None:
    """A replay blocked or stopped is no proof either way; its reason is
    made safe and short."""
    assert read_answer({"status": "passed"}) == Outcome(Status.PASSED)
    blocked = read_answer({"status": "blocked", "reason": "\x1b[31m" +
                           "x" * 500})
    assert blocked.status is None
    assert "\x1b" not in blocked.detail and len(blocked.detail) < 400
    assert read_answer("nonsense").status is None


def test_a_cleared_failure_makes_its_task_a_suspect() -> None:
    """Task 1 fails, task 11 fails on its own: task 14 then suspects both,
    and task 1's failure alone no longer speaks for task 11."""
    policy = Policy(Solution(REFERENCE), lambda module: "", None,
                    Rerun(Status.FAILED))
    policy.after(TASKS_BY_KEY["1"], FAILED, "the example", True, "a")
    eleven = policy.after(TASKS_BY_KEY["11"], FAILED, "the cookie", True,
                          "b")
    assert eleven.status is Status.FAILED
    assert [each.task.key for each in policy.suspects(TASKS_BY_KEY["14"])
            ] == ["11", "1"]


def test_a_counterfactual_folder_takes_only_the_files_asked(
        tmp_path: "os.PathLike[str]") -> None:
    """db.py from the reference, the learner's auth.py kept; a server that
    ends at once gives no outcome and is never started again."""
    learner = os.path.join(str(tmp_path), "learner")
    shutil.copytree(REFERENCE, learner)
    with open(os.path.join(learner, "auth.py"), "a") as stream:
        stream.write("# the learner's own\n")
    with open(os.path.join(learner, "db.py"), "a") as stream:
        stream.write("# the learner's broken db.py\n")
    made = Counterfactuals(Solution(learner), str(tmp_path),
                           [sys.executable, "-c", "pass"], 1.0,
                           lambda check, files: [], set())
    first = made.run("a", TASKS_BY_KEY["11"], ("db.py",))
    second = made.run("b", TASKS_BY_KEY["11"], ("db.py",))
    made.close()
    assert first.status is None and second == first
    assert len(made.servers) == 1
    folder = os.path.join(str(tmp_path), "counterfactual-db")
    for name, source in (("db.py", REFERENCE), ("auth.py", learner)):
        with open(os.path.join(folder, name), "rb") as made_file, \
                open(os.path.join(source, name), "rb") as expected:
            assert made_file.read() == expected.read(), name


def test_a_task_that_hangs_there_is_not_waited_for_twice() -> None:
    """Task 11's code times out with db.py from the reference: its next
    timeout is its own at once; a failure that is no timeout still runs
    again."""
    rerun = Rerun(Status.FAILED, hung=True)
    policy = Policy(Solution(REFERENCE), lambda module: "", None, rerun)
    policy.after(TASKS_BY_KEY["1"], FAILED, "the example", True, "a")
    hung = FAILED._replace(hung=True)
    verdicts = [policy.after(TASKS_BY_KEY["11"], verdict, "x", True, check)
                for check, verdict in (("b", hung), ("c", hung),
                                       ("d", FAILED))]
    assert [verdict.status for verdict in verdicts] == [Status.FAILED] * 3
    assert [call[0] for call in rerun.calls] == ["b", "d"]
    assert "not waited for again" in verdicts[1].message


def contract_names(module: str) -> List[str]:
    """Return the names the page's tasks (and its skeletons) define at the
    top level of a learner module."""
    names = set(GIVEN.get(module, ()))
    for task in TASKS:
        if task.module == module:
            names.update(name.split(".")[0] for name in task.functions)
    return sorted(names)


def test_the_references_files_use_only_each_others_contract() -> None:
    """A counterfactual puts reference files beside the learner's: each
    reference file may import from the others only what the page's tasks
    define, or it would not import beside an auth.py that keeps the
    contract (a reference app.py that imported an exception of its own
    auth.py left every replay with it "unproven")."""
    beyond: List[str] = []
    for module in MODULE_IMPORTS:
        with open(os.path.join(REFERENCE, module + ".py")) as stream:
            tree = ast.parse(stream.read())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and \
                    node.module in MODULE_IMPORTS:
                beyond += ["{}.py: from {} import {}".format(
                    module, node.module, alias.name) for alias in node.names
                    if alias.name not in contract_names(node.module)]
    assert beyond == []
