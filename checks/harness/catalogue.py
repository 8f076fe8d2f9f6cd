"""The task catalogue: the one table every other part of the checker reads.

A task names its file and the marker that tells whether a learner has
started it: a file, a function, a method, or a route with the view the page
names for it. A task is started when its file holds the function or method,
or app.py serves the route (whatever its view is called). Each task also
names the tasks whose behaviour it builds on, and its track: "mandatory"
(0-19), "advanced" (task 20, the original's optional score) or "beyond"
(the robustness and security track, reported apart from the score).
"""
from typing import Dict
from typing import List
from typing import NamedTuple
from typing import Optional
from typing import Set
from typing import Tuple

REFERENCE_FOLDER = "0x03-user_authentication_service"

# The learner's modules that checks import, each with the modules it
# imports by bare name (main.py is only ever run, as a script).
MODULE_IMPORTS: Dict[str, Tuple[str, ...]] = {
    "user": (),
    "db": ("user",),
    "auth": ("db", "user"),
    "app": ("auth", "db", "user"),
}


class Route(NamedTuple):
    """An HTTP method and path, e.g. POST /users."""

    method: str
    path: str

    def __str__(self) -> str:
        """Return "METHOD /path"."""
        return "{} {}".format(self.method, self.path)


class Marker(NamedTuple):
    """Where a started task leaves a trace: a file, and a def or a route.
    """

    file: str
    name: Optional[str] = None
    cls: Optional[str] = None
    route: Optional[Route] = None

    @property
    def qualified(self) -> Optional[str]:
        """Return "name" or "Class.name", or None for a file marker."""
        if self.name is None:
            return None
        return "{}.{}".format(self.cls, self.name) if self.cls else \
            self.name

    def describe(self) -> str:
        """Say in words what the marker is, for "not started" reasons."""
        if self.route is not None:
            return "{} (view {}) in {}".format(self.route, self.name,
                                               self.file)
        if self.name is None:
            return self.file
        return "{} in {}".format(self.qualified, self.file)


class Task(NamedTuple):
    """One task of the exercise, or one check group of the beyond track."""

    key: str
    title: str
    marker: Marker
    depends_on: Tuple[str, ...] = ()
    track: str = "mandatory"
    functions: Tuple[str, ...] = ()

    @property
    def file(self) -> str:
        """Return the file this task is graded on."""
        return self.marker.file

    @property
    def module(self) -> str:
        """Return the module name of the task's file."""
        return self.marker.file[:-len(".py")]


def _m(file: str, name: Optional[str] = None, cls: Optional[str] = None,
       route: Optional[str] = None) -> Marker:
    """Build a marker; a short name keeps the table below readable."""
    method_path = Route(*route.split(" ")) if route else None
    return Marker(file, name, cls, method_path)


TASKS: Tuple[Task, ...] = (
    Task("0", "User model", _m("user.py"), functions=("User",)),
    Task("1", "create user", _m("db.py", "add_user", "DB"), ("0",),
         functions=("DB", "DB.__init__", "DB._session", "DB.add_user")),
    Task("2", "Find user", _m("db.py", "find_user_by", "DB"), ("1",),
         functions=("DB.find_user_by",)),
    Task("3", "update user", _m("db.py", "update_user", "DB"), ("2",),
         functions=("DB.update_user",)),
    Task("4", "Hash password", _m("auth.py", "_hash_password"),
         functions=("_hash_password",)),
    Task("5", "Register user", _m("auth.py", "register_user", "Auth"),
         ("1", "2", "4"),
         functions=("Auth", "Auth.__init__", "Auth.register_user")),
    Task("6", "Basic Flask app", _m("app.py")),
    Task("7", "Register user", _m("app.py", "users", route="POST /users"),
         ("5", "6"), functions=("users",)),
    Task("8", "Credentials validation", _m("auth.py", "valid_login", "Auth"),
         ("5",), functions=("Auth.valid_login",)),
    Task("9", "Generate UUIDs", _m("auth.py", "_generate_uuid"),
         functions=("_generate_uuid",)),
    Task("10", "Get session ID", _m("auth.py", "create_session", "Auth"),
         ("3", "5", "9"), functions=("Auth.create_session",)),
    Task("11", "Log in", _m("app.py", "login", route="POST /sessions"),
         ("7", "8", "10"), functions=("login",)),
    Task("12", "Find user by session ID",
         _m("auth.py", "get_user_from_session_id", "Auth"), ("10",),
         functions=("Auth.get_user_from_session_id",)),
    Task("13", "Destroy session", _m("auth.py", "destroy_session", "Auth"),
         ("10",), functions=("Auth.destroy_session",)),
    Task("14", "Log out", _m("app.py", "logout", route="DELETE /sessions"),
         ("11", "12", "13"), functions=("logout",)),
    Task("15", "User profile", _m("app.py", "profile", route="GET /profile"),
         ("11", "12"), functions=("profile",)),
    Task("16", "Generate reset password token",
         _m("auth.py", "get_reset_password_token", "Auth"), ("3", "5", "9"),
         functions=("Auth.get_reset_password_token",)),
    Task("17", "Get reset password token",
         _m("app.py", "get_reset_password_token",
            route="POST /reset_password"), ("7", "16"),
         functions=("get_reset_password_token",)),
    Task("18", "Update password", _m("auth.py", "update_password", "Auth"),
         ("8", "16"), functions=("Auth.update_password",)),
    Task("19", "Update password end-point",
         _m("app.py", "update_password", route="PUT /reset_password"),
         ("11", "17", "18"), functions=("update_password",)),
    Task("20", "End-to-end integration test", _m("main.py"),
         ("14", "15", "19"), track="advanced",
         functions=("register_user", "log_in_wrong_password", "log_in",
                    "profile_unlogged", "profile_logged", "log_out",
                    "reset_password_token", "update_password")),
)

# The robustness and security track, beyond the exercise's contract: graded
# against the solution's own app, reported apart from the score.
APP_TASKS = ("7", "11", "14", "15", "17", "19")
BEYOND: Tuple[Task, ...] = tuple(
    Task(key, title, _m(file), depends, track="beyond")
    for key, title, file, depends in (
        ("B1", "Missing or empty form fields", "app.py", APP_TASKS),
        ("B2", "Passwords over 72 bytes", "app.py", APP_TASKS),
        ("B3", "Concurrent clients", "app.py", APP_TASKS),
        # Its fix is in auth.py (valid_login), but it registers through
        # POST /users and times refusals of POST /sessions, which create no
        # session: it builds on the app (7), not on task 10 (11 would
        # bring it, and blame B4's timing on create_session in auth.py).
        ("B4", "Login timing", "auth.py", ("7", "8")),
        ("B5", "Session cookie flags", "app.py", APP_TASKS),
        ("B6", "A missing id matches nobody", "app.py", APP_TASKS),
        ("B7", "Single-use reset tokens", "app.py", APP_TASKS),
        ("B8", "Body size limit; no debugger", "app.py", APP_TASKS),
        ("B9", "Security scan (bandit)", "app.py", ()),
        ("B10", "Types check (mypy)", "user.py", ()),
        ("B11", "Look-ups matching several rows", "db.py", ("2",)),
        ("B12", "Ids from _generate_uuid", "auth.py", ("10", "16")),
        ("B13", "main.py's asserts are exact", "main.py", ("20",)),
    ))

TASKS = TASKS + BEYOND
TASKS_BY_KEY: Dict[str, Task] = {task.key: task for task in TASKS}
# The tasks of the exercise itself (0-20), which the score counts.
EXERCISE: Tuple[str, ...] = tuple(task.key for task in TASKS
                                  if task.track != "beyond")

# The files a solution is made of, in the order the tasks create them.
SOLUTION_FILES: Tuple[str, ...] = tuple(
    dict.fromkeys(task.file for task in TASKS))

# Functions of the task-20 main.py, with their parameters and return types.
MAIN_SIGNATURES: Dict[str, Tuple[Tuple[str, ...], str]] = {
    "register_user": (("email: str", "password: str"), "None"),
    "log_in_wrong_password": (("email: str", "password: str"), "None"),
    "log_in": (("email: str", "password: str"), "str"),
    "profile_unlogged": ((), "None"),
    "profile_logged": (("session_id: str",), "None"),
    "log_out": (("session_id: str",), "None"),
    "reset_password_token": (("email: str",), "str"),
    "update_password": (("email: str", "reset_token: str",
                         "new_password: str"), "None"),
}


def tasks_of_file(file: str) -> Tuple[Task, ...]:
    """Return the tasks graded on one file, in task order."""
    return tuple(task for task in TASKS if task.file == file)


def first_task_of(file: str) -> Task:
    """Return the task that creates a file; it owns the file's import check."""
    return tasks_of_file(file)[0]


def prerequisites(task: Task) -> List[Task]:
    """Return every task a task builds on, nearest first, without repeats."""
    seen: List[Task] = []
    pending = list(task.depends_on)
    while pending:
        key = pending.pop(0)
        if all(key != known.key for known in seen):
            seen.append(TASKS_BY_KEY[key])
            pending.extend(TASKS_BY_KEY[key].depends_on)
    return seen


def dependents(keys: Tuple[str, ...]) -> List[Task]:
    """Return the tasks that build on these, transitively, in task order."""
    found: Set[str] = set()
    pending = set(keys)
    while pending:
        more = {task.key for task in TASKS
                if pending & set(task.depends_on)} - found
        found |= more
        pending = more
    return [task for task in TASKS if task.key in found]


def modules_needed(task: Task) -> List[str]:
    """Return the learner modules a task's behaviour checks import, in the
    order they import each other (user, db, auth, app)."""
    wanted = set()
    for each in [task] + prerequisites(task):
        wanted.add(each.module)
        wanted.update(MODULE_IMPORTS.get(each.module, ()))
    return [module for module in MODULE_IMPORTS if module in wanted]
