"""The requirement gates ask what the page asks, and no more (issue #16).

The page's own code and the habits it teaches pass every gate: the Auth
skeleton's bare `def __init__(self):`, a docstring that speaks of "the DB",
`type(x) == bytes` (which pycodestyle 2.5.0 accepts), and f-strings on
Python 3.12 and later. Each gate still fails the breach it is there for.
"""
import ast
import io
import tokenize
from typing import List
from typing import Tuple

import pytest

from checks.harness import markers
from checks.harness import static
from checks.harness import style
from checks.harness.failures import CheckerError
from checks.selftest.folders import build
from checks.selftest.grading import Grade
from checks.selftest.grading import Job
from checks.selftest.grading import canonical
from checks.selftest.grading import run_grader

GATE = "checks/gates/test_requirements.py::test_{}[task-{:0>2}]"
REFERENCE_INIT = ("    def __init__(self) -> None:\n        \"\"\"Open the "
                  "users' database behind this authentication service.\"\"\""
                  "\n")
APP_DOC = "never touches the database itself.\n"
URL = "BASE_URL = \"http://localhost:5000\"\n"
PAGE_CODE = (
    ("replace", "auth.py", REFERENCE_INIT, "    def __init__(self):\n"),
    ("replace", "app.py", APP_DOC, "never touches the DB itself: AUTH keeps "
     "its _db and the\n_session of the DB hidden.\n"),
    ("replace", "app.py", "AUTH = Auth()\n",
     "AUTH = Auth()  # the DB stays behind AUTH\n"),
    ("replace", "auth.py", "isinstance(hashed_password, bytes)",
     "type(hashed_password) == bytes"),
    ("replace", "main.py", URL,
     "HOST = \"localhost\"\nBASE_URL = f\"http://{HOST}:5000\"\n"),
)
BROKEN_CODE = (
    ("replace", "auth.py", REFERENCE_INIT, REFERENCE_INIT.replace(
        "(self)", "(self, echo=False)")),
    ("replace", "app.py", "from auth import Auth\n",
     "from auth import Auth\nfrom db import DB\n"),
    ("replace", "auth.py", "isinstance(hashed_password, bytes)",
     "type(hashed_password) == type(b\"\")"),
    ("replace", "main.py", URL,
     "HOST = \"localhost\"\nBASE_URL=f\"http://{HOST}:5000\"\n"),
)
GRADED = ("4", "5", "6", "20")


def grade_of(edits: Tuple[Tuple[str, str, str, str], ...], folder: str
             ) -> Grade:
    """Grade the static checks of the edited tasks of a reference copy."""
    build(list(edits), folder)
    return run_grader(Job(folder, folder + ".json", GRADED, "static"))


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Grade:
    """The reference, written as the page writes it."""
    return grade_of(PAGE_CODE, str(tmp_path_factory.mktemp("gates") /
                                   "page"))


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Grade:
    """The reference with one breach per gate."""
    return grade_of(BROKEN_CODE, str(tmp_path_factory.mktemp("gates") /
                                     "broken"))


def reason(grade: Grade, gate: str, task: str) -> str:
    """Return "passed", or why a task's gate check did not pass."""
    wanted = GATE.format(gate, task)
    for row in grade.rows():
        for check in row["checks"]:
            if canonical(check["id"]) == wanted:
                return "passed" if check["status"] == "passed" else \
                    check["reason"]
    raise AssertionError("{} was not graded: {}".format(wanted, grade.log))


@pytest.mark.parametrize("gate", ["definitions_are_documented",
                                  "functions_are_annotated"])
def test_the_pages_auth_init_passes(page: Grade, gate: str) -> None:
    """The Auth skeleton's bare __init__ is documented and annotated enough.
    """
    assert reason(page, gate, "5") == "passed"


def test_an_init_with_parameters_annotates_them(broken: Grade) -> None:
    """An __init__ the learner gives parameters annotates them."""
    assert "Auth.__init__ lacks annotations for echo" in reason(
        broken, "functions_are_annotated", "5")


def test_words_about_the_db_pass_the_layers_gate(page: Grade) -> None:
    """DB, _db and _session in a docstring or a comment break no layer."""
    assert reason(page, "layers_are_respected", "6") == "passed"


def test_importing_db_in_app_fails_the_layers_gate(broken: Grade) -> None:
    """`from db import DB` in app.py still fails the layers gate."""
    assert "app.py uses DB" in reason(broken, "layers_are_respected", "6")


def test_type_compared_with_eq_passes_pycodestyle(page: Grade) -> None:
    """`type(x) == bytes` passes, as pycodestyle 2.5.0 judges it."""
    assert reason(page, "code_passes_pycodestyle", "4") == "passed"


def test_a_type_comparison_2_5_0_reports_fails(broken: Grade) -> None:
    """`type(x) == type(y)` fails: pycodestyle 2.5.0 reports E721."""
    assert "E721" in reason(broken, "code_passes_pycodestyle", "4")


def test_an_fstring_url_passes_pycodestyle(page: Grade) -> None:
    """f"http://{HOST}:5000" passes pycodestyle on every Python."""
    assert reason(page, "code_passes_pycodestyle", "20") == "passed"


def test_an_error_beside_an_fstring_still_fails(broken: Grade) -> None:
    """A missing space beside an f-string fails, with no E231 inside it."""
    found = reason(broken, "code_passes_pycodestyle", "20")
    assert "E225" in found and "E231" not in found, found


def auth_init(signature: str, file: str = "auth.py") -> ast.AST:
    """Return the __init__ def of a class Auth (or DB) with a signature."""
    name = "Auth" if file == "auth.py" else "DB"
    tree = ast.parse("class {}:\n    def __init__{}\n        self._db = 1\n"
                     .format(name, signature))
    return markers.functions_by_name(tree)[name + ".__init__"]


@pytest.mark.parametrize("signature, file, missing, bare", [
    ("(self):", "auth.py", [], True),
    ("(self) -> None:", "auth.py", [], True),
    ("(self, echo=False):", "auth.py", ["echo", "the return value"], False),
    ("(self, echo: bool = False):", "auth.py", ["the return value"], False),
    ("(self, *args: int):", "auth.py", ["the return value"], False),
    ("(self):", "db.py", ["the return value"], False),
], ids=["page", "page-with-none", "unannotated-parameter",
        "parameter-without-none", "varargs-without-none", "db-skeleton"])
def test_only_the_pages_auth_init_may_stay_bare(
        signature: str, file: str, missing: List[str], bare: bool) -> None:
    """Auth.__init__(self) alone is excused its annotations and docstring.
    """
    node = auth_init(signature, file)
    name = "Auth.__init__" if file == "auth.py" else "DB.__init__"
    assert static.unannotated(file, name, node) == missing
    assert static.page_gives_bare(file, name, node) == bare


@pytest.mark.parametrize("file, source, found", [
    ("app.py", "\"\"\"Save it in the DB, never its _session.\"\"\"\n", []),
    ("app.py", "AUTH = Auth()  # not DB() nor AUTH._db\n", []),
    ("app.py", "NAME = \"_generate_uuid\"\n", []),
    ("app.py", "from db import DB\n", ["app.py uses DB"]),
    ("app.py", "import db\nSTORE = db.DB()\n", ["app.py uses DB"]),
    ("app.py", "USER = AUTH._db.find_user_by(id=1)\n", ["app.py uses _db"]),
    ("app.py", "STORE = getattr(AUTH, \"_db\")\n", ["app.py uses _db"]),
    ("app.py", "from auth import _generate_uuid as new\n",
     ["app.py uses _generate_uuid"]),
    ("auth.py", "ROWS = AUTH._db._session.query(User)\n",
     ["auth.py uses _session outside DB"]),
    ("auth.py", "self._db._DB__session.commit()\n",
     ["auth.py uses _DB__session outside DB"]),
    ("user.py", "STORE = AUTH._db\n", ["user.py uses _db outside Auth"]),
    ("db.py", "ROWS = self._session.query(User)\n", []),
], ids=["docstring", "comment", "string", "import-db", "db-module",
        "private-db", "getattr-db", "uuid-helper", "session-in-auth",
        "mangled-session-in-auth", "db-in-user", "session-in-db"])
def test_layers_are_read_from_the_syntax_tree(file: str, source: str,
                                              found: List[str]) -> None:
    """Names, imports and attributes break layers; words in text do not."""
    assert [finding.text for finding in static.architecture_findings(
        ast.parse(source), file)] == ["line {}: {}".format(
            source.count("\n"), text) for text in found]


@pytest.mark.parametrize("source, codes", [
    ("X = f\"{A}:{B}\"\n", []),
    ("X = f\"{{A}}:{B!r:>{A}}\"\n", []),
    ("X = f'{f\"{A}:{B}\"}:{C}'\n", []),
    ("X = f\"http://{HOST}:5000\" + f'{A}'\n", []),
    ("X = f\"\"\"{A}:\n{B}:{C}\"\"\"\n", []),
    ("X = f\"\"\"{A}:  \n{B}\"\"\"\n", ["W291"]),
    ("print(f\"{A}:{B}\",A)\n", ["E231"]),
    ("X=f\"{A}:{B}\"\n", ["E225"]),
    ("if type(A) == bytes:\n    pass\n", []),
    ("if type(A) == type(\"\"):\n    pass\n", ["E721"]),
], ids=["colon", "escaped-braces", "nested", "url", "multi-line",
        "multi-line-trailing-space", "comma", "equals", "type-eq",
        "type-eq-type"])
def test_pycodestyle_judges_as_2_5_0_on_3_11(source: str,
                                             codes: List[str]) -> None:
    """pycodestyle 2.5.0 reports what it reports on 3.11, on any Python."""
    found = style.style_findings("main.py", "A = B = C = HOST = 1\n" +
                                  source)
    assert [finding.text.split()[2] for finding in found] == codes, found


def test_fstrings_are_joined_into_one_string_token() -> None:
    """Each f-string reaches pycodestyle as one STRING, as 3.11 made it."""
    lines = ["X = f\"{A}:{B}\" + f'{f\"{C}\"}'\n", "Y = f\"\"\"{A}\n",
             "{B}\"\"\"\n"]
    tokens = style.joined_strings(tokenize.generate_tokens(io.StringIO(
        "".join(lines)).readline), lines)
    strings = [(token.string, token.start, token.end, token.line)
               for token in tokens if token.type == tokenize.STRING]
    assert strings == [
        ("f\"{A}:{B}\"", (1, 4), (1, 14), lines[0]),
        ("f'{f\"{C}\"}'", (1, 17), (1, 28), lines[0]),
        ("f\"\"\"{A}\n{B}\"\"\"", (2, 4), (3, 6), lines[1] + lines[2])]


def test_another_pycodestyle_is_a_checker_error(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A pycodestyle other than 2.5.0 never judges: the checker says so."""
    monkeypatch.setattr(style.pycodestyle, "__version__", "2.15.0")
    with pytest.raises(CheckerError, match="pycodestyle==2.5.0"):
        style.style_findings("main.py", "X = 1\n")
