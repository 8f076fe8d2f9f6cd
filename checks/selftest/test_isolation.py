"""What one check leaves behind never reaches the next check.

Every check gets its learner from the grade's pipeline (the `learner`
fixture's path, `Pipeline.take`). Here a first check leaves three kinds of
state in the reference's code: a row in a.db (Bob registered through
app.py's AUTH), a module global (auth.LEFT_BY_ONE) and a patched function
(auth._hash_password stubbed). Then the checks after it, one made ahead
while it ran and one made after it had left its state, must each find the
modules as a fresh import leaves them: no row, no global, the real
function. Both ways of making workers are held to it: a fresh import per
sandbox, and a fork of a template that imported the modules once
(harness/templates.py), each check's scratch and namespaces its own.
"""
import os
import shutil
import tempfile
import time
from typing import Iterator
from typing import List
from typing import Tuple

import pytest

from checks.harness.database import rows_in
from checks.harness.pipeline import AHEAD
from checks.harness.pipeline import Pipeline
from checks.harness.pipeline import Spec
from checks.harness.places import REFERENCE
from checks.harness.remote import Learner
from checks.harness.remote import Raised
from checks.harness.remote import expect_raises
from checks.harness.sandbox import Zygote
from checks.harness.sandbox import temp_base
from checks.harness.solution import Solution
from checks.harness.templates import ChildSandbox

LIMIT = 30.0  # seconds a check's requests may take here (a loaded CI)
SPEC = Spec(("user", "db", "auth", "app"))
EMAIL = "bob@bob.com"
GLOBAL = "LEFT_BY_ONE"
STUBBED = "stubbed by check one"
# The first check, the one made ahead while it runs, and one made after
# it left its state (the pipeline makes AHEAD checks ahead).
CHECKS = ["check-{}".format(number) for number in range(AHEAD + 2)]


@pytest.fixture(params=["fresh", "forked"])
def pipeline(request: pytest.FixtureRequest) -> Iterator[Pipeline]:
    """A pipeline of sandboxes over a copy of the reference; "forked": its
    template made and ready before the first check."""
    root = tempfile.mkdtemp(prefix="checks-isolation-", dir=temp_base())
    os.chmod(root, 0o755)
    copy = Solution(REFERENCE).write_copy(os.path.join(root, "solution"))
    zygote = Zygote.start(root)
    forked = request.param == "forked"
    made = Pipeline(zygote, copy, forking=forked)
    made.schedule([(check, SPEC) for check in CHECKS])
    try:
        if forked:
            if zygote.containment.mode != "namespaces":
                pytest.skip("no namespaces here: templates are not used")
            ready_template(made)
        yield made
    finally:
        made.close()
        zygote.close()
        shutil.rmtree(root, ignore_errors=True)


def ready_template(pipeline: Pipeline) -> None:
    """Have the pipeline make SPEC's template, and wait until it is ready.
    """
    assert pipeline.templates is not None
    first = pipeline.prepare(SPEC)  # the first of a spec makes the template
    first.worker.close()
    first.sandbox.close()
    template = pipeline.templates.by_spec[SPEC]
    deadline = time.monotonic() + LIMIT
    while not template.usable() and not template.refused and \
            time.monotonic() < deadline:
        time.sleep(0.05)
    assert template.usable(), template.refused or "not ready in time"


def take(pipeline: Pipeline, check: str) -> Learner:
    """Return a check's learner, as the `learner` fixture does; with
    templates, one forked from SPEC's."""
    prepared = pipeline.take(check, SPEC, lambda nodeid: True)
    if pipeline.templates is not None:
        assert isinstance(prepared.sandbox, ChildSandbox), \
            pipeline.templates.refusals()
    return Learner(prepared.worker, time.monotonic() + LIMIT, LIMIT)


def end(learner: Learner) -> None:
    """End a check's worker and sandbox, as the fixture does."""
    learner.worker.close()
    learner.worker.sandbox.close()


def leave_state(learner: Learner) -> None:
    """Leave a row, a module global and a patched function; prove each is
    there in this check (else the test would prove nothing)."""
    auth = learner.module("auth")
    learner.getattr(learner.module("app"), "AUTH").register_user(
        EMAIL, "pwd")
    assert [row["email"] for row in rows_in(learner.worker.sandbox)] == \
        [EMAIL]
    learner.request("exec", "set a global", code="import auth\n"
                    "auth.{} = 1\n".format(GLOBAL))
    assert learner.getattr(auth, GLOBAL) == 1
    learner.stub("auth", "_hash_password", STUBBED)
    assert learner.getattr(auth, "_hash_password")("pwd") == STUBBED


def found_state(learner: Learner) -> List[str]:
    """Return the state of an earlier check that this check can see."""
    found = []
    try:  # the first request: the worker has imported its modules now
        learner.getattr(learner.module("app"), "AUTH")._db.find_user_by(
            email=EMAIL)
        found.append("Bob through app.AUTH")
    except Raised as error:
        assert error.type_name == "NoResultFound", error
    if rows_in(learner.worker.sandbox):
        found.append("a row in a.db")
    auth = learner.module("auth")
    expect_raises("auth.{}".format(GLOBAL),
                  lambda: learner.getattr(auth, GLOBAL), "AttributeError")
    hashed = learner.getattr(auth, "_hash_password")("pwd")
    if hashed == STUBBED or not isinstance(hashed, bytes):
        found.append("the stub of _hash_password: {!r}".format(hashed))
    return found


def test_state_left_by_a_check_reaches_no_later_check(
        pipeline: Pipeline) -> None:
    """A row, a global and a stub of check one: no later check sees them,
    neither the one made ahead while it ran nor one made after."""
    first = take(pipeline, CHECKS[0])
    try:
        leave_state(first)
        later: List[Tuple[str, List[str]]] = []
        for check in CHECKS[1:]:
            learner = take(pipeline, check)
            try:
                later.append((check, found_state(learner)))
            finally:
                end(learner)
    finally:
        end(first)
    assert later == [(check, []) for check in CHECKS[1:]]
