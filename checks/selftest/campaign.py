"""The mutant campaign: every mutant graded on the tasks it can affect.

Static mutants (proved so by folders.is_static) are graded on the static
checks of their files' tasks. The others wait for the usage map (usage.py)
and are graded on their own tasks plus those whose checks run the code they
edit. A mutant its own tasks let pass is graded once more, downstream too,
to show where the mistake surfaces instead.
"""
import json
import os
from concurrent.futures import Future
from typing import Dict
from typing import List
from typing import NamedTuple
from typing import Optional

from checks.harness.catalogue import tasks_of_file
from checks.harness.plugin import CHECK_TIMEOUT
from checks.harness.scorecard import CONTRACT
from checks.selftest import folders
from checks.selftest import usage
from checks.selftest.grading import EXERCISE
from checks.selftest.grading import Grade
from checks.selftest.grading import Job
from checks.selftest.grading import affected_tasks
from checks.selftest.grading import canonical
from checks.selftest.grading import dependents
from checks.selftest.mutants import MUTANTS
from checks.selftest.mutants import Mutant
from checks.selftest.pool import Pool


class Run(NamedTuple):
    """How a mutant was graded, its grade, and where it escaped to."""

    job: Job
    grade: Grade
    escape: Optional[Grade] = None


class Campaign(NamedTuple):
    """Every mutant's run, the usage measurement they relied on, and the
    folder holding their folders, scorecards and summary."""

    runs: Dict[str, Run]
    usage_grade: Grade
    used: usage.Usage
    root: str = ""


def killed(mutant: Mutant, grade: Grade) -> bool:
    """Tell whether a grade fails every task of a mutant."""
    statuses = grade.statuses()
    return all(statuses.get(key) == "failed" for key in mutant.tasks)


def contract_failures(grade: Optional[Grade]) -> List[str]:
    """Return the checks a grade failed on what they check.

    A check that failed because the learner's code it runs does not import
    (the scorecard's "failure": "import") proves nothing about what it
    checks: any module with a typo in an import fails it.
    """
    return [canonical(check["id"]) for row in (grade.rows() if grade else [])
            for check in row["checks"] if check["status"] == "failed" and
            check.get("failure") == CONTRACT]


def killers(runs: Dict[str, Run]) -> Dict[str, List[str]]:
    """Return, for each check id, the mutants that made it fail on what it
    checks (in their own grade, or where they escaped to)."""
    found: Dict[str, List[str]] = {}
    for mutant_id, run in runs.items():
        for check in set(contract_failures(run.grade) +
                         contract_failures(run.escape)):
            found.setdefault(check, []).append(mutant_id)
    return found


def graded_tasks(mutant: Mutant, static: bool, used: usage.Usage,
                 escapes: bool = False) -> List[str]:
    """Return the tasks a mutant is graded on, on the exercise's tracks.

    A static mutant can change only the static checks of its files' tasks.
    Otherwise: its own tasks, plus the tasks whose checks run the functions
    it edits (all its files reach, if it edits code outside functions),
    except those that build on its own tasks: a check of theirs that fails
    because of the mistake is reported "blocked" by the mutant's task (it
    passes once the mutant's file is the reference's, or it shares that
    file), so grading them would cost time (a counterfactual run per
    failed check, too) and show nothing. With `escapes`, those are graded
    too: for a mutant its tasks let pass, they show where the mistake
    surfaces instead.
    """
    if static:
        reach = {task.key for file in mutant.files()
                 for task in tasks_of_file(file)}
    else:
        names = usage.touched(mutant.edits())
        reach = set(affected_tasks(mutant.files())) if names is None else {
            key for name in names for key in used.get(name, ())}
        if not escapes:
            reach -= dependents(mutant.tasks)
    return [key for key in EXERCISE if key in reach or key in mutant.tasks]


def usage_job(root: str, log: str) -> Job:
    """Return the grading of an instrumented reference that logs usage."""
    folder = usage.instrumented_copy(os.path.join(root, "usage"))
    return Job(folder, folder + ".json", EXERCISE, "not static",
               timeout=CHECK_TIMEOUT, extra=(
                   "-p", "checks.selftest.usage_plugin", "--usage-log", log))


def run_campaign(pool: Pool, root: str) -> Campaign:
    """Grade every mutant, static ones while usage is being measured."""
    log = os.path.join(root, "usage.log")
    measuring = pool.submit(usage_job(root, log))
    jobs: Dict[str, Job] = {}
    futures: Dict[str, "Future[Grade]"] = {}
    for mutant in MUTANTS:
        if folders.is_static(mutant.edits()):
            folder = folders.build(mutant.edits(),
                                   os.path.join(root, mutant.id))
            jobs[mutant.id] = Job(folder, folder + ".json",
                                  graded_tasks(mutant, True, {}), "static")
            futures[mutant.id] = pool.submit(jobs[mutant.id])
    usage_grade = measuring.result()
    used = usage.read_usage(log)
    for mutant in MUTANTS:
        if mutant.id not in jobs:
            folder = folders.build(mutant.edits(),
                                   os.path.join(root, mutant.id))
            jobs[mutant.id] = Job(folder, folder + ".json",
                                  graded_tasks(mutant, False, used))
            futures[mutant.id] = pool.submit(jobs[mutant.id])
    grades = {key: future.result() for key, future in futures.items()}
    escapes: Dict[str, "Future[Grade]"] = {}
    for mutant in MUTANTS:
        job = jobs[mutant.id]
        if not job.static_only and not killed(mutant, grades[mutant.id]):
            escapes[mutant.id] = pool.submit(job._replace(
                json_path=job.folder + ".escape.json",
                tasks=graded_tasks(mutant, False, used, escapes=True)))
    runs = {key: Run(jobs[key], grades[key], escapes[key].result()
                     if key in escapes else None) for key in jobs}
    write_summary(os.path.join(root, "summary.json"), runs)
    return Campaign(runs, usage_grade, used, root)


def write_summary(path: str, runs: Dict[str, Run]) -> None:
    """Write each mutant's grading, task statuses and failed checks."""
    document = {key: {
        "graded": list(run.job.tasks or ()), "marks": run.job.marks,
        "seconds": round(run.grade.seconds, 2), "rc": run.grade.rc,
        "statuses": run.grade.statuses(),
        "escape": run.escape.statuses() if run.escape else None,
        "failed": sorted(check for check, status in run.grade.checks().items()
                         if status != "passed")} for key, run in runs.items()}
    with open(path, "w", encoding="utf-8") as stream:
        json.dump(document, stream, indent=1, sort_keys=True)
