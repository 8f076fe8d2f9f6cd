"""Whom a failed check is blamed on: only an earlier task that explains it.

A behaviour check of task N that fails after some task it builds on had
failed (a *suspect*) is not blamed on that task by default: two independent
failures are two failures. The question is put to a counterfactual: the
check runs again on a copy of the folder in which each suspect's file is
the reference's (the files' contract is fixed, so the reference's db.py
works under the learner's auth.py). If it passes there, the suspects'
failure explains it: *blocked by* the nearest of them. If it fails there
too, the failure is the check's own, with its own message.

A suspect in the check's own file cannot be swapped out without the
check's own code: the reference's methods lean on helpers and state of
their own (`_as_bytes`, `self._dummy_hash`), so a transplant would fail
for reasons of its own. Such a suspect keeps the old rule (*same-file*):
when the other suspects' files do not explain the failure, it is blamed
on the nearest suspect in its file. A counterfactual that cannot be made
(its folder does not import, its run stops) keeps the old rule too, and
says so (*unproven*).
"""
from typing import Callable
from typing import List
from typing import NamedTuple
from typing import Optional
from typing import Tuple

from checks.harness.catalogue import Task
from checks.harness.verdict import COUNTERFACTUAL
from checks.harness.verdict import SAME_FILE
from checks.harness.verdict import UNPROVEN
from checks.harness.verdict import Blame
from checks.harness.verdict import Status
from checks.harness.verdict import Verdict

PASSES = "it passes once {files} {verb} the reference's"
FAILS_TOO = ("not caused by {tasks}: this check fails as well once {files} "
             "{verb} the reference's")
UNPROVEN_LINE = "blamed without proof: {detail}"


class Outcome(NamedTuple):
    """A check's status on a folder with some files from the reference
    (None when it gave none: it was stopped, or could not be made)."""

    status: Optional[Status]
    detail: str = ""  # what stopped it (or how it is known), in our words
    hung: bool = False  # it failed by running out of time there too


# (check id, task, files taken from the reference) -> the check's outcome
Rerun = Callable[[str, Task, Tuple[str, ...]], Outcome]


class Suspect(NamedTuple):
    """An earlier task that failed, and the words that say so."""

    task: Task
    cause: str  # "blocked: needs task 1 (create user), which failed: ..."


def files_to_replace(task: Task, suspects: List[Suspect]
                     ) -> Tuple[str, ...]:
    """Return the files a counterfactual of a task's check takes from the
    reference: those of the suspects outside the task's own file."""
    return tuple(sorted({each.task.file for each in suspects
                         if each.task.file != task.file}))


def _files(files: Tuple[str, ...]) -> Tuple[str, str]:
    """Return files as words, with the verb that agrees with them."""
    return " and ".join(files), "are" if len(files) > 1 else "is"


def _tasks(suspects: List[Suspect]) -> str:
    """Return "task 1" or "tasks 1 and 8"."""
    keys = [suspect.task.key for suspect in suspects]
    return "task{} {}".format("s" if len(keys) > 1 else "",
                              " and ".join(keys))


def judge(task: Task, verdict: Verdict, suspects: List[Suspect],
          rerun: Optional[Rerun], check: str) -> Verdict:
    """Return a failed check's verdict, blamed on the suspect that
    explains it (suspects nearest first), or kept as its own failure."""
    keys = tuple(suspect.task.key for suspect in suspects)
    elsewhere = [each for each in suspects if each.task.file != task.file]
    beside = [each for each in suspects if each.task.file == task.file]
    if not elsewhere:
        return verdict.blamed(beside[0].cause,
                              Blame(beside[0].task.key, SAME_FILE, keys))
    files = files_to_replace(task, suspects)
    outcome = rerun(check, task, files) if rerun is not None else \
        Outcome(None, "no counterfactual is made in this run")
    words, verb = _files(files)
    if outcome.status is Status.PASSED:
        return verdict.blamed(
            elsewhere[0].cause, Blame(elsewhere[0].task.key, COUNTERFACTUAL,
                                      keys, files),
            PASSES.format(files=words, verb=verb))
    if outcome.status is Status.FAILED and beside:
        return verdict.blamed(beside[0].cause, Blame(
            beside[0].task.key, SAME_FILE, keys, files))
    if outcome.status is Status.FAILED:
        return verdict.cleared(
            Blame("", COUNTERFACTUAL, keys, files, outcome.detail),
            FAILS_TOO.format(tasks=_tasks(elsewhere), files=words, verb=verb)
            + (" ({})".format(outcome.detail) if outcome.detail else ""))
    return verdict.blamed(
        suspects[0].cause, Blame(suspects[0].task.key, UNPROVEN, keys, files,
                                 outcome.detail),
        UNPROVEN_LINE.format(detail=outcome.detail))
