"""The fixtures checks ask for: the solution, the learner's worker, its app.

`learner` is the check's own worker, in a sandbox of its own (often made
ahead by the pipeline); `client` is the learner's Flask app through it.
Everything a check does with them runs in the worker; every comparison
runs here. `sandboxes` makes further sandboxes, for the checks that run
servers; `note` attaches a line of information to the scorecard. The
sandboxes a check used are kept on it: one that went over its memory fails
the check (over_memory).
"""
import time
from typing import Any
from typing import Callable
from typing import Dict
from typing import Iterator
from typing import List
from typing import NamedTuple

import pytest

from checks.harness.catalogue import TASKS_BY_KEY
from checks.harness.catalogue import Task
from checks.harness.catalogue import modules_needed
from checks.harness.failures import OVER_MEMORY
from checks.harness.failures import safe_text
from checks.harness.grade import Grade
from checks.harness.pipeline import Prepared
from checks.harness.pipeline import Spec
from checks.harness.probes import Probes
from checks.harness.remote import Handle
from checks.harness.remote import Learner
from checks.harness.sandbox import Sandbox
from checks.harness.sandbox import Scratch
from checks.harness.solution import Solution
from checks.harness.tools import Tools
from checks.harness.verdict import Status
from checks.harness.verdict import Verdict
from checks.harness.web import Client
from checks.harness.web import client_of

GRADE = pytest.StashKey[Grade]()
NOTE = pytest.StashKey[str]()
SANDBOXES = pytest.StashKey[List[Scratch]]()  # those a check used


def task_of(item: pytest.Item) -> Task:
    """Return the catalogue task a check is marked with."""
    marker = item.get_closest_marker("task")
    if marker is None:
        raise LookupError("{} has no task marker".format(item.nodeid))
    return TASKS_BY_KEY[str(marker.args[0])]


def is_behaviour(item: pytest.Item) -> bool:
    """Tell whether a check runs learner code (else it reads files)."""
    return item.get_closest_marker("static") is None


def runs_learner_code(item: pytest.Item) -> bool:
    """Tell whether a check runs the learner's code (a worker of its own,
    or servers), rather than judging what the import probe found."""
    names = getattr(item, "fixturenames", ())
    return "learner" in names or "sandboxes" in names


def spec_of(item: pytest.Item, grade: Grade) -> Spec:
    """Return what a check's worker needs, from its task and its marks."""
    preload: List[str] = []
    if item.get_closest_marker("bare") is None:
        preload = [module for module in modules_needed(task_of(item))
                   if grade.solution.source(module + ".py") is not None]
    cost = item.get_closest_marker("bcrypt_cost")
    return Spec(tuple(preload), cost.args[0] if cost else 4)


@pytest.fixture
def solution(request: pytest.FixtureRequest) -> Solution:
    """The solution folder being graded, as read at the start."""
    return request.config.stash[GRADE].solution


@pytest.fixture
def learner(request: pytest.FixtureRequest) -> Iterator[Learner]:
    """The learner's code in a fresh sandbox: modules, objects, a.db."""
    grade = request.config.stash[GRADE]
    item = request.node
    prepared = grade.pipeline.take(item.nodeid, spec_of(item, grade),
                                   grade.runs)
    item.stash.setdefault(SANDBOXES, []).append(prepared.sandbox)
    limit = grade.limit(task_of(item))
    contact = Learner(prepared.worker, time.monotonic() + limit, limit)
    try:
        yield contact
    finally:
        _end(prepared)
        if contact.hung:
            grade.hung_files.add(contact.hung_file or task_of(item).file)


@pytest.fixture
def client(learner: Learner) -> Client:
    """The learner's Flask app (app.py's `app`), through the worker."""
    return client_of(learner)


class Sandboxes:
    """Sandboxes a check makes for itself; all end with the check."""

    def __init__(self, grade: Grade, item: pytest.Item) -> None:
        """Make sandboxes for this grade's check `item`."""
        self.grade = grade
        self.made = item.stash.setdefault(SANDBOXES, [])

    def new(self) -> Sandbox:
        """Return a new sandbox (no worker yet)."""
        sandbox = self.grade.zygote.sandbox(self.grade.pipeline.solution_copy)
        self.made.append(sandbox)
        return sandbox

    def close(self) -> None:
        """End every sandbox made."""
        for sandbox in self.made:
            sandbox.close()


@pytest.fixture
def sandboxes(request: pytest.FixtureRequest) -> Iterator[Sandboxes]:
    """A maker of sandboxes, for checks that run servers."""
    made = Sandboxes(request.config.stash[GRADE], request.node)
    try:
        yield made
    finally:
        made.close()


@pytest.fixture
def note(request: pytest.FixtureRequest) -> Callable[[str], None]:
    """Attach a line of information to this check on the scorecard."""
    def add(text: str) -> None:
        """Keep the line for the reporter."""
        request.node.stash[NOTE] = text
    return add


def over_memory(item: pytest.Item, verdict: Verdict) -> Verdict:
    """Fail a check whose sandbox went over its memory, whatever its code
    did then: the kernel killed some of the processes the check's code
    started, and a check may pass only on code that kept to its budget."""
    used = item.stash.get(SANDBOXES, [])
    kills = sum(sandbox.killed_for_memory() for sandbox in used)
    if not kills or verdict.status not in (Status.PASSED, Status.FAILED):
        return verdict
    applied = used[0].zygote.containment.cgroups
    message = OVER_MEMORY.format(action="", count=kills, mib=(
        applied.memory if applied else 0) // 2**20)
    if verdict.message:
        message += "; the check then failed with: " + verdict.message
    return verdict._replace(status=Status.FAILED, message=safe_text(message))


def _end(prepared: Prepared) -> None:
    """End a check's worker and sandbox."""
    prepared.worker.close()
    prepared.sandbox.close()


def grade_of(config: Any) -> Grade:
    """Return the grade of a pytest config."""
    return config.stash[GRADE]


class Person(NamedTuple):
    """A user the checks register: an email and a password."""

    email: str
    password: str

    @property
    def form(self) -> Dict[str, str]:
        """Return the form that registers or logs in this person."""
        return {"email": self.email, "password": self.password}


BOB = Person("bob@bob.com", "mySuperPwd")
AMY = Person("amy@me.com", "amyPwd")


class LoggedIn(NamedTuple):
    """A client, and the session id Bob's login set in a cookie."""

    client: Client
    session_id: str

    @property
    def cookies(self) -> Dict[str, str]:
        """Return the cookie that carries the session."""
        return {"session_id": self.session_id}


@pytest.fixture
def auth(learner: Learner) -> Handle:
    """A fresh Auth() of the learner's (its tables start empty)."""
    return learner.auth()


@pytest.fixture
def db(learner: Learner) -> Handle:
    """A fresh DB() of the learner's (its tables start empty)."""
    return learner.db()


@pytest.fixture
def registered(client: Client) -> Client:
    """The app's client after Bob registered through POST /users."""
    client.register(BOB.email, BOB.password)
    return client


@pytest.fixture
def logged_in(registered: Client) -> LoggedIn:
    """Bob registered and logged in through the app."""
    return LoggedIn(registered, registered.log_in(BOB.email, BOB.password))


@pytest.fixture
def tools(request: pytest.FixtureRequest) -> Tools:
    """The static analysers (mypy, bandit), started with the grade."""
    return request.config.stash[GRADE].tools


@pytest.fixture
def probes(request: pytest.FixtureRequest) -> Probes:
    """The import probes of the solution's modules (and their docstrings).
    """
    return request.config.stash[GRADE].probes
