"""Hostile solutions: code that hangs, exits, prints, binds or litters.

Each is the reference with edits (as in mutants.py: kind, file, old, new);
`down` names the tasks that must not pass (failed, blocked, or not started
when their file is gone); `tasks`, when given, limits the grade to the
tasks whose checks reach the hostile code, where a full grade would spend
its time on tasks the hostile code never touches. The checker must still
finish with a complete scorecard, within its time limits, and leave the
folder untouched.
`{marker}` in a new file's text stands for a path the test watches: a file
the checker must never cause to exist.
"""
from typing import NamedTuple
from typing import Tuple

from checks.harness.catalogue import TASKS
from checks.selftest.grading import affected_tasks
from checks.selftest.grading import dependents

Edit = Tuple[str, str, str, str]
DESTROY = "        self._db.update_user(user_id, session_id=None)"
FROM_SESSION = ("        if not session_id:\n"
                "            return None\n")
VALID_START = ("        if len(password.encode(\"utf-8\")) > "
               "MAX_PASSWORD_BYTES:\n            return False\n        try:\n")
RUN_AT_IMPORT = 'app.run(host="0.0.0.0", port=5000)\n\n\n'
MAIN_GUARD = 'if __name__ == "__main__":\n'
MARKER_CODE = ("import os\n\n"
               "open({marker!r}, \"w\").close()\n")


class Hostile(NamedTuple):
    """A solution that attacks the checker by accident or on purpose."""

    id: str
    edits: Tuple[Edit, ...]
    down: Tuple[str, ...]
    why: str
    tasks: Tuple[str, ...] = ()


def graded(keys: Tuple[str, ...]) -> Tuple[str, ...]:
    """Keep the tasks of the exercise's tracks, those a scorecard scores."""
    return tuple(task.key for task in TASKS if task.key in keys and
                 task.track != "beyond")


def downstream_of(file: str) -> Tuple[str, ...]:
    """Return the graded tasks an edit of a file can reach."""
    return graded(tuple(affected_tasks([file])))


def downstream_of_task(key: str) -> Tuple[str, ...]:
    """Return a task and the graded tasks building on it."""
    return graded(tuple({key} | dependents([key])))


HOSTILES = (
    Hostile("syntax-error", (
        ("replace", "auth.py", "def _generate_uuid() -> str:",
         "def _generate_uuid() -> str"),), downstream_of("auth.py"),
        "auth.py does not parse"),
    Hostile("import-error", (
        ("replace", "db.py", "from sqlalchemy import create_engine\n",
         "from sqlalchemy import create_engine\nimport flask_sqlalchemy_x\n"),
    ), downstream_of("db.py"), "db.py imports a module that is absent"),
    Hostile("missing-file", (("delete-file", "db.py", "", ""),),
            downstream_of("db.py"), "db.py is missing"),
    Hostile("loop-at-import", (
        ("replace", "user.py", "Base: Any = declarative_base()\n",
         "Base: Any = declarative_base()\nwhile True:\n    pass\n"),),
        downstream_of("user.py"), "user.py never finishes importing"),
    Hostile("loop-in-method", (
        ("replace", "auth.py", DESTROY, "        while True:\n"
         "            pass"),), downstream_of_task("13"),
        "destroy_session never returns", downstream_of_task("13")),
    Hostile("loop-catching-everything", (
        ("replace", "auth.py", FROM_SESSION, "        while True:\n"
         "            try:\n                session_id = 1 // 0\n"
         "            except Exception:\n                continue\n"
         "            except BaseException:\n                continue\n"),),
        downstream_of_task("12"),
        "get_user_from_session_id loops, catching every exception",
        downstream_of_task("12")),
    Hostile("app-run-at-import", (
        ("replace", "app.py", MAIN_GUARD, RUN_AT_IMPORT + MAIN_GUARD),),
        downstream_of("app.py"), "app.run() without the __main__ guard"),
    Hostile("sys-exit-at-import", (
        ("replace", "auth.py", "MAX_PASSWORD_BYTES = 72\n",
         "MAX_PASSWORD_BYTES = 72\nsys.exit(0)\n"),
        ("replace", "auth.py", "import uuid\n", "import sys\nimport uuid\n"),
    ), downstream_of("auth.py"), "auth.py calls sys.exit() on import"),
    Hostile("os-exit-at-import", (
        ("replace", "app.py", "AUTH = Auth()\n", "AUTH = Auth()\n"
         "os._exit(3)\n"),
        ("replace", "app.py", "from typing import Optional\n",
         "import os\nfrom typing import Optional\n"),
    ), downstream_of("app.py"), "app.py calls os._exit() on import"),
    Hostile("endless-printing", (
        ("replace", "auth.py", VALID_START, "        while True:\n"
         "            print(\"checking \" * 100)\n" + VALID_START),),
        downstream_of_task("8"), "valid_login prints forever",
        downstream_of_task("8")),
    Hostile("writes-files", (
        ("replace", "user.py", "Base: Any = declarative_base()\n",
         "Base: Any = declarative_base()\n"
         "open(\"junk.txt\", \"w\").write(\"x\")\n"
         "open(__file__ + \".bak\", \"w\").write(\"x\")\n"),),
        (), "user.py writes into its working directory and its folder",
        ("0",)),
    Hostile("echo-logging", (("replace", "db.py", "echo=False,",
                              "echo=True,"),),
            ("1",), "SQL logging on stdout (echo=True)", ("1", "2")),
    Hostile("conftest-and-tests", (
        ("add-file", "conftest.py", "", MARKER_CODE),
        ("add-file", "test_solution.py", "",
         MARKER_CODE + "\n\ndef test_fails() -> None:\n"
         "    \"\"\"Fail, if anything ever runs this.\"\"\"\n"
         "    assert False\n"),
    ), (), "a conftest.py and a test module in the folder", ("0",)),
)
