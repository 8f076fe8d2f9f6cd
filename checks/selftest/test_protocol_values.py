"""Values of subclasses of built-in types cross as data, and only as data.

A library's str subclass (SQLAlchemy's `quoted_name`, a column's name
given again as in `Column("id", Integer, ...)`), an IntEnum or a bytes
subclass is plain data a check may compare: its built-in value crosses,
with its type's name. None of the subclass's methods runs to get it, on
either side, so a subclass cannot make its value look like another; and
the checker never holds the learner's object.
"""
import enum
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from typing import Dict
from typing import List

import pytest

from checks.harness.failures import Failure
from checks.harness.plugin import CHECK_TIMEOUT
from checks.harness.remote import Raised
from checks.harness.remote import expect_type
from checks.harness.remote import type_of
from checks.harness.values import PlainBytes
from checks.harness.values import PlainFloat
from checks.harness.values import PlainInt
from checks.harness.values import PlainStr
from checks.harness.values import plain_of
from checks.runtime import protocol
from checks.selftest.folders import build
from checks.selftest.grading import Grade
from checks.selftest.grading import Job
from checks.selftest.grading import run_grader

CALLED: List[str] = []  # the hostile methods that ran (none may)
GENERATE = ('    """Return a new random UUID as a string, for sessions and '
            'resets."""\n    return str(uuid.uuid4())\n')
HONEST_TOKEN = (
    "class Token(str):\n"
    "    \"\"\"The text of a UUID, as a str of a kind of its own.\"\"\"\n\n\n")
FAKING_TOKEN = (
    "class Token(str):\n"
    "    \"\"\"A str whose text, equality and hash say: a new UUID.\"\"\"\n"
    "\n"
    "    def __eq__(self, other: object) -> bool:\n"
    "        \"\"\"Claim to equal anything.\"\"\"\n"
    "        return True\n\n"
    "    def __ne__(self, other: object) -> bool:\n"
    "        \"\"\"Claim to differ from nothing.\"\"\"\n"
    "        return False\n\n"
    "    def __hash__(self) -> int:\n"
    "        \"\"\"Hash as a fresh UUID would.\"\"\"\n"
    "        return hash(str(uuid.uuid4()))\n\n"
    "    def __str__(self) -> str:\n"
    "        \"\"\"Show a fresh UUID.\"\"\"\n"
    "        return str(uuid.uuid4())\n\n"
    "    def __getitem__(self, index: object) -> str:  # type: ignore\n"
    "        \"\"\"Answer every slice with a fresh UUID.\"\"\"\n"
    "        return str(uuid.uuid4())\n\n"
    "    __repr__ = __str__\n\n\n")
TOKENS = {"honest": (HONEST_TOKEN, "Token(uuid.uuid4())"),
          "faking": (FAKING_TOKEN, "Token(\"not-a-uuid\")")}


class Hostile(str):
    """A str subclass whose every method would lie, and notes that it ran.
    """

    def __eq__(self, other: object) -> bool:
        """Claim to equal anything."""
        CALLED.append("__eq__")
        return True

    def __ne__(self, other: object) -> bool:
        """Claim to differ from nothing."""
        CALLED.append("__ne__")
        return False

    def __hash__(self) -> int:
        """Hash as "id" does."""
        CALLED.append("__hash__")
        return hash("id")

    def __str__(self) -> str:
        """Say "id"."""
        CALLED.append("__str__")
        return "id"

    def __repr__(self) -> str:
        """Say 'id'."""
        CALLED.append("__repr__")
        return "'id'"

    def __getitem__(self, index: Any) -> str:
        """Answer every index or slice with "id"."""
        CALLED.append("__getitem__")
        return "id"

    def __len__(self) -> int:
        """Claim two characters."""
        CALLED.append("__len__")
        return 2

    def __iter__(self) -> Any:
        """Iterate over "id"."""
        CALLED.append("__iter__")
        return iter("id")


class Lying(int):
    """An int subclass that converts to another number."""

    def __int__(self) -> int:
        """Claim to be 1."""
        CALLED.append("__int__")
        return 1

    def __index__(self) -> int:
        """Claim to be 1."""
        CALLED.append("__index__")
        return 1


class Raw(bytes):
    """A bytes subclass."""


class Real(float):
    """A float subclass."""


class Answer(enum.IntEnum):
    """An IntEnum, where a bool is asked for."""

    YES = 1


def refuse(value: Any) -> Dict[str, Any]:
    """Stand for `other`: nothing here may become a handle."""
    raise AssertionError("a handle for {!r}".format(type(value)))


def crossed(value: Any) -> Any:
    """Send a value from a worker to the checker, through JSON text."""
    text = protocol.dumps(protocol.encode(value, refuse))
    return protocol.decode(protocol.loads(text), refuse, plain=plain_of)


@pytest.fixture(autouse=True)
def nothing_called() -> Any:
    """Start each test with no hostile method noted."""
    CALLED.clear()
    yield
    CALLED.clear()


def test_str_subclass_crosses_as_its_value() -> None:
    """A hostile str subclass arrives as its own text, no method run."""
    value = crossed(Hostile("user_id"))
    assert CALLED == []
    assert type(value) is PlainStr
    assert str.__eq__(value, "user_id") is True
    assert value != "id"
    assert type_of(value) == "{}.Hostile".format(__name__)
    assert repr(value) == "'user_id'"


def test_values_inside_containers_cross_too() -> None:
    """Subclasses in lists, tuples and dict keys arrive as their values."""
    sent = {Hostile("k"): [Hostile("a"), (Lying(7),)]}
    CALLED.clear()  # making the dict hashed its key: that was us
    value = crossed(sent)
    assert CALLED == []
    assert value == {"k": ["a", (7,)]}


def test_int_subclasses_keep_their_value_and_name() -> None:
    """An int subclass arrives as its own number; a bool stays a bool."""
    assert crossed(Lying(7)) == 7 and CALLED == []
    answer = crossed(Answer.YES)
    assert type(answer) is PlainInt and answer == 1
    assert type_of(answer).endswith(".Answer")
    expect_type(answer, "builtins.int", "an IntEnum")
    with pytest.raises(Failure, match="expected a bool, got a .*Answer"):
        expect_type(answer, "builtins.bool", "valid_login(...)")
    expect_type(crossed(True), "builtins.bool", "valid_login(...)")
    assert crossed(True) is True


def test_bytes_and_float_subclasses() -> None:
    """Subclasses of bytes and float arrive as their values."""
    data, number = crossed(Raw(b"$2b$")), crossed(Real(0.5))
    assert (type(data), data) == (PlainBytes, b"$2b$")
    assert (type(number), number) == (PlainFloat, 0.5)
    expect_type(data, "builtins.bytes", "_hash_password(...)")


def test_library_subclasses() -> None:
    """SQLAlchemy's quoted_name and markupsafe's Markup arrive as text."""
    from markupsafe import Markup
    from sqlalchemy.sql.elements import quoted_name
    assert crossed([quoted_name("id", None)]) == ["id"]
    assert crossed(Markup("<b>")) == "<b>"


def test_checker_values_go_back_as_exact_ones() -> None:
    """A value the checker got back is sent on as the built-in value."""
    sent = protocol.encode([PlainStr("abc")], refuse)
    received = protocol.decode(protocol.loads(protocol.dumps(sent)), refuse)
    assert received == ["abc"] and type(received[0]) is str


def test_huge_int_subclass_stays_a_handle() -> None:
    """An int subclass too long for JSON is an object, as a huge int is."""
    handles: List[Any] = []

    def keep(value: Any) -> Dict[str, Any]:
        """Keep the object, as a worker keeps what it sends a handle for."""
        handles.append(value)
        return protocol.tag("handle", id=len(handles), type="?")

    protocol.encode(Lying(10 ** 50), keep)
    assert [type(value) for value in handles] == [Lying]


@pytest.mark.parametrize("inner", [True, [1], {"$": "handle", "id": 1},
                                   {"$": "plain", "value": 1, "type": "x"}],
                         ids=["bool", "list", "handle", "nested"])
def test_a_plain_value_must_be_one(inner: Any) -> None:
    """A plain tag around anything but a str, bytes, int or float is
    refused."""
    with pytest.raises(protocol.ProtocolError):
        protocol.decode(protocol.tag("plain", value=inner, type="x"),
                        lambda tagged: object(), plain=plain_of)


@pytest.fixture(scope="session")
def token_grades(tmp_path_factory: pytest.TempPathFactory
                 ) -> Dict[str, Grade]:
    """Task 9 graded with _generate_uuid returning a str subclass: an
    honest one, and one whose methods all fake a new UUID."""
    root = str(tmp_path_factory.mktemp("tokens"))
    jobs = {}
    for name, (cls, call) in TOKENS.items():
        folder = build([("replace", "auth.py", "def _generate_uuid() -> str:",
                         cls + "def _generate_uuid() -> str:"),
                        ("replace", "auth.py", GENERATE, GENERATE.replace(
                            "str(uuid.uuid4())", call))],
                       os.path.join(root, name))
        jobs[name] = Job(folder, folder + ".json", ("9",),
                         timeout=CHECK_TIMEOUT)
    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(jobs, pool.map(run_grader, jobs.values())))


def test_honest_str_subclass_is_a_str(token_grades: Dict[str, Grade]
                                      ) -> None:
    """_generate_uuid returning a str subclass holding a UUID passes."""
    grade = token_grades["honest"]
    assert grade.statuses() == {"9": "passed"}, grade.reasons("9")


def test_faking_str_subclass_is_judged_by_its_value(
        token_grades: Dict[str, Grade]) -> None:
    """A str subclass faking a UUID in every method fails as its value."""
    grade = token_grades["faking"]
    assert grade.statuses() == {"9": "failed"}, grade.log
    assert any("'not-a-uuid'" in reason for reason in grade.reasons("9")), \
        grade.reasons("9")


@pytest.mark.parametrize("mro, wanted, expected", [
    (["auth.ValueError", "builtins.Exception"], "ValueError", False),
    (["auth.Errors.ValueError", "builtins.Exception"], "ValueError", False),
    (["auth.TakenError", "builtins.ValueError"], "ValueError", True),
    (["mine.NoResultFound", "builtins.Exception"],
     "sqlalchemy.orm.exc.NoResultFound", False),
    (["sqlalchemy.orm.exc.NoResultFound"],
     "sqlalchemy.orm.exc.NoResultFound", True),
])
def test_a_raised_class_is_matched_exactly(mro: List[str], wanted: str,
                                           expected: bool) -> None:
    """A learner's own class named ValueError is not the builtin that the
    page's callers catch; a subclass of the builtin is."""
    raised = Raised("a call", {"type": mro[0], "mro": mro, "message": ""})
    assert raised.is_a(wanted) is expected
