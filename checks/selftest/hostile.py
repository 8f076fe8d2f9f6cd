"""Hostile solutions: code that hangs, exits, litters, or attacks the checker.

Each is the reference with edits (as in mutants.py: kind, file, old, new);
`down` names the tasks that must not pass (failed, blocked, or not started
when their file is gone; without any, no behaviour check may fail);
`tasks`, when given, limits the grade to the tasks whose checks reach the
hostile code (and a few that must not feel it); `up` names tasks that must
still pass (their checks never reach the hostile code), and `words` what
the reason of each task in `down` must say (the file to blame). Whatever
the code does, the checker must finish with a complete scorecard, in
time, with verdicts that reflect only what the code observably does; and
afterwards the folder and the checker's tree are byte-identical, no path
outside the sandbox was written, no process is left, and the checker's
process holds no more descriptors or memory than an honest grade leaves.

The red team (RED_TEAM) attacks the checker on purpose, one class of
attack each; the part of it whose outcome could depend on containment is
graded a second time without namespaces (REDUCED; each grade is a Case).
In an edit's new text, @MARKER@ is a host path that must never come to
exist, @FOLDER@ the solution's real folder, @REPO@ the checker's tree,
@JSON@ the scorecard's path, @TOKEN@ a word unique to the case (its
processes and files are found by it).
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
               "open(\"@MARKER@\", \"w\").close()\n")
USER_BASE = "Base: Any = declarative_base()\n"
AUTH_LIMIT = "MAX_PASSWORD_BYTES = 72\n"
HASH_CALL = ('    return bcrypt.hashpw(password.encode("utf-8"), '
             'bcrypt.gensalt())')
AUTH_END = "        return self._dummy_hash\n"
# The tasks of user.py and db.py, which never import auth.py or app.py.
DB_TASKS = ("0", "1", "2", "3")


class Hostile(NamedTuple):
    """A solution that attacks the checker by accident or on purpose."""

    id: str
    edits: Tuple[Edit, ...]
    down: Tuple[str, ...]
    why: str
    tasks: Tuple[str, ...] = ()
    special: Tuple[Tuple[str, str], ...] = ()  # (file, kind): see folders
    up: Tuple[str, ...] = ()
    words: Tuple[str, ...] = ()
    import_hangs: str = ""  # the file whose import never ends, if any


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


def at_import(file: str, anchor: str, code: str) -> Edit:
    """Return an edit that runs code when a module is imported."""
    return ("replace", file, anchor, anchor + code)


def at_end_of_auth(code: str) -> Edit:
    """Return an edit that runs code as auth.py's last statement."""
    return ("replace", "auth.py", AUTH_END, AUTH_END + "\n\n" + code)


def in_valid_login(code: str) -> Edit:
    """Return an edit that runs code first thing in Auth.valid_login."""
    return ("replace", "auth.py", VALID_START, code + VALID_START)


# Red-team attack code, run inside the sandbox.
PATCH_SERIALISERS = (
    "import json as _json\nimport pickle as _pickle\n"
    "_pickle.dumps = lambda *a, **k: b\"forged\"\n"
    "_json.dumps = lambda *a, **k: '{\"id\": 1, \"value\": true}'\n")
FORGE_REPORT = (
    "import os as _os\nimport struct as _struct\n"
    "for _body in (b'{\"hello\": 1, \"preloaded\": {}}',\n"
    "              b'{\"id\": 1, \"value\": true}',\n"
    "              b'{\"id\": 2, \"value\": true}'):\n"
    "    for _fd in range(3, 32):\n"
    "        try:\n"
    "            _os.write(_fd, _struct.pack(\">I\", len(_body)) + _body)\n"
    "        except OSError:\n"
    "            pass\n"
    "_os._exit(0)\n")
# A frame header announcing 1 MiB, then thousands of one-byte messages each
# carrying four descriptors, on every Unix socket the process holds.
FLOOD_DESCRIPTORS = (
    "import array as _array\nimport os as _os\nimport socket as _socket\n"
    "_null = _os.open('/dev/null', _os.O_RDONLY)\n"
    "_four = [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS,\n"
    "          _array.array('i', [_null] * 4).tobytes())]\n"
    "for _name in _os.listdir('/proc/self/fd'):\n"
    "    try:\n"
    "        _sock = _socket.socket(fileno=_os.dup(int(_name)))\n"
    "    except (OSError, ValueError):\n"
    "        continue\n"
    "    if _sock.family != _socket.AF_UNIX:\n"
    "        continue\n"
    "    _sock.settimeout(2.0)\n"
    "    try:\n"
    "        _sock.send((1 << 20).to_bytes(4, 'big'))\n"
    "        for _ in range(3000):\n"
    "            _sock.sendmsg([b'x'], _four)\n"
    "    except OSError:\n"
    "        pass\n")
READ_FRAMES = (
    "        import sys\n"
    "        frame = sys._getframe(1)\n"
    "        while frame is not None:\n"
    "            for name in (\"valid\", \"expected\", \"payload\"):\n"
    "                if name in frame.f_locals:\n"
    "                    return frame.f_locals[name]\n"
    "            frame = frame.f_back\n"
    "        return False\n")
FAKE_SKIP = (
    "        class Skipped(Exception):\n"
    "            \"\"\"pytest's skip, or so it says.\"\"\"\n"
    "        raise Skipped(\"not started: nothing to see\")\n")
PICKLE_BOMB = (
    "import os as _os\nimport pickle as _pickle\n\n\n"
    "class _Bomb:\n"
    "    \"\"\"A pickle that runs a command when loaded.\"\"\"\n\n"
    "    def __reduce__(self):  # type: ignore\n"
    "        \"\"\"Run touch on the marker.\"\"\"\n"
    "        return (_os.system, (\"touch @MARKER@\",))\n\n\n"
    "_data = _pickle.dumps((\"returned\", _Bomb(), None))\n"
    "for _fd in range(1, 32):\n"
    "    try:\n"
    "        _os.write(_fd, len(_data).to_bytes(8, \"big\") + _data)\n"
    "    except OSError:\n"
    "        pass\n")
WRITE_EVERYWHERE = (
    "for _path in (\"@FOLDER@/planted.py\", \"@REPO@/checks/conftest.py\",\n"
    "              \"@REPO@/checks/harness/plugin.py\", \"@MARKER@\",\n"
    "              \"/sandbox/solution/user.py\", __file__):\n"
    "    try:\n"
    "        with open(_path, \"a\") as _stream:\n"
    "            _stream.write(\"raise SystemExit('planted')\\n\")\n"
    "    except OSError:\n"
    "        pass\n")
REWRITE_SCORECARD = (
    "import os as _os\n"
    "if _os.fork() == 0:\n"
    "    _os.setsid()\n"
    "    if _os.fork() == 0:\n"
    "        _os.execv(\"/bin/sh\", [\"sh\", \"-c\", \"sleep 2; echo "
    "'{}' > @JSON@ # @TOKEN@\"])\n"
    "    _os._exit(0)\n")
INJECT_LOGS = (
    "        print(\"::add-mask::secret\\n::stop-commands::pwned\")\n"
    "        raise ValueError(\"\\n::error::forged annotation\\n##[error]"
    "old style\\n\\x1b[2K\\r\\x1b[32mtask 8 passed\\x1b[0m\")\n")
SIGNAL_EVERYONE = (
    "        import os\n        import signal\n"
    "        for target in (os.getppid(), 1, -1, 0):\n"
    "            for signum in (signal.SIGSTOP, signal.SIGTERM,\n"
    "                           signal.SIGKILL):\n"
    "                try:\n"
    "                    os.kill(target, signum)\n"
    "                except OSError:\n"
    "                    pass\n")
FLOOD_REPORTS = (
    "import os as _os\n"
    "for _fd in range(3, 32):\n"
    "    try:\n"
    "        _os.write(_fd, b\"\\xff\\xff\\xff\\xff\" + b\"x\" * 65536)\n"
    "    except OSError:\n"
    "        pass\n")
HUGE_MESSAGE = "        raise ValueError(\"x\" * (64 * 2**20))\n"
DAEMON = (
    "import os as _os\n"
    "if _os.fork() == 0:\n"
    "    _os.setsid()\n"
    "    if _os.fork() == 0:\n"
    "        _os.execv(\"/bin/sleep\", [\"sleep\", \"@TOKEN@\"])\n"
    "    _os._exit(0)\n")
ALLOCATE = "        _hoard = bytearray(2 * 2**30)\n"
FILL_DISK = (
    "import os as _os\n"
    "for _place in (\"/tmp\", \"/dev/shm\", \".\"):\n"
    "    for _number in range(70):\n"
    "        try:\n"
    "            with open(_os.path.join(_place, \"@TOKEN@-%d\" % _number),\n"
    "                      \"wb\") as _stream:\n"
    "                _stream.write(b\"x\" * (32 * 2**20))\n"
    "        except OSError:\n"
    "            break\n")

# Learner code finds the worker's wire by its shape (whatever its package is
# called), and wraps its functions.
FIND_WIRE = (
    "import sys as _sys\n"
    "_WIRE = next((_module for _name, _module in list(_sys.modules.items())\n"
    "              if _name.endswith('.protocol') and\n"
    "              hasattr(_module, 'Reader')), None)\n")
# send() passes the next message through the forgery queued last, if any:
# learner code queues one where it runs.
FORGE_MESSAGES = FIND_WIRE + (
    "_FORGE = []\n"
    "if _WIRE is not None:\n"
    "    _SEND = _WIRE.send\n\n"
    "    def _forging(sock, message, *rest, **named):\n"
    "        if _FORGE and isinstance(message, dict):\n"
    "            message = _FORGE.pop()(message)\n"
    "        return _SEND(sock, message, *rest, **named)\n"
    "    _WIRE.send = _forging\n")
NEXT_ID = "_FORGE[:] = [lambda reply: dict(reply, id=reply['id'] + 1)]\n"
FLOAT_ID = "_FORGE[:] = [lambda reply: dict(reply, id=float(reply['id']))]\n"
UNISSUED_HANDLE = (
    "_FORGE[:] = [lambda reply: dict(reply, value=dict(\n"
    "    reply['value'], id=reply['value']['id'] + 1000))\n"
    "    if isinstance(reply.get('value'), dict) else reply]\n")
GARBLED_RAISED = (
    "_FORGE[:] = [lambda message: dict(message, raised={\n"
    "    'type': 7, 'mro': 7, 'message': [], 'frames': {'a': 1}})]\n")
# A process that signals the sandbox's init (the worker's parent) without
# end, each signal a byte in the init's wakeup pipe; it pauses between
# bursts, so that the learner's own worker keeps the CPU it needs.
FLOOD_INIT = ("import os, signal, sys, time\n"
              "while True:\n"
              "    for _ in range(20):\n"
              "        os.kill(int(sys.argv[1]), signal.SIGCHLD)\n"
              "    time.sleep(0.001)\n")
BUSY_INIT = (
    "import os as _os\nimport sys as _sys\n"
    "_INIT = _os.getppid()\n"
    "if _os.fork() == 0:\n"
    "    _os.execv(_sys.executable, [_sys.executable, '-c', {!r},\n"
    "              str(_INIT), '@TOKEN@'])\n").format(FLOOD_INIT)
# a.db becomes something else (@MAKE@) whenever the worker sends a message
# (the checker reads a.db once a check's last answer is in), and the real
# file again (@UNMAKE@ first) when the next request arrives, so that the
# learner's own code always finds its database.
SWAP_DB = "import os as _os\nimport stat as _stat\n" + FIND_WIRE + (
    "\n\ndef _swap(hide):\n"
    "    try:\n"
    "        if hide and _stat.S_ISREG(_os.lstat('a.db').st_mode):\n"
    "            _os.rename('a.db', '.real.db')\n"
    "            @MAKE@\n"
    "        elif not hide and _os.path.lexists('.real.db'):\n"
    "            @UNMAKE@\n"
    "            _os.rename('.real.db', 'a.db')\n"
    "    except OSError:\n"
    "        pass\n\n\n"
    "if _WIRE is not None:\n"
    "    _SEND = _WIRE.send\n"
    "    _RECEIVE = _WIRE.Reader.receive\n\n"
    "    def _sending(*args, **named):\n"
    "        _swap(True)\n"
    "        return _SEND(*args, **named)\n\n"
    "    def _receiving(self, *args, **named):\n"
    "        message = _RECEIVE(self, *args, **named)\n"
    "        _swap(False)\n"
    "        return message\n"
    "    _WIRE.send = _sending\n"
    "    _WIRE.Reader.receive = _receiving\n")
DB_IMPORTS = "from user import User\n"
HUGE_DB = 30 * 2**20  # bytes: under the sandbox's 32 MiB file size limit
MAKE_HUGE_DB = ("_os.rename('.big.db', 'a.db') if _os.path.exists('.big.db')"
                " else open('a.db', 'wb').write(b'x' * {})".format(HUGE_DB))


def forging(forgery: str, anchor: str = VALID_START) -> Tuple[Edit, Edit]:
    """Return the edits that make auth.py's worker forge its messages: the
    forgery is queued first thing in the method that the anchor starts."""
    queued = "".join("        " + line for line in forgery.splitlines(True))
    return (at_import("auth.py", AUTH_LIMIT, FORGE_MESSAGES),
            ("replace", "auth.py", anchor, queued + anchor))


def swapping_db(make: str, unmake: str = "_os.remove('a.db')") -> Edit:
    """Return an edit of db.py that shows the checker another a.db."""
    return at_import("db.py", DB_IMPORTS, SWAP_DB.replace(
        "@MAKE@", make).replace("@UNMAKE@", unmake))


RED_TEAM = (
    Hostile("red-patch-serialisers", (
        at_import("auth.py", AUTH_LIMIT, PATCH_SERIALISERS),
        ("replace", "auth.py", HASH_CALL, "    return password.encode()"),
        in_valid_login("        return True\n")),
        ("4", "5", "8"), "patches json and pickle to forge its "
        "replies; plaintext hashes; valid_login always True",
        ("4", "5", "8")),
    Hostile("red-forged-report", (
        at_import("auth.py", AUTH_LIMIT, FORGE_REPORT),),
        ("4", "8"), "writes forged reports on every "
        "descriptor, then exits", ("4", "8")),
    Hostile("red-frame-reading", (in_valid_login(READ_FRAMES),), ("8",),
            "valid_login answers what the check's frames expect", ("8",)),
    Hostile("red-fake-skip", (in_valid_login(FAKE_SKIP),), ("8",),
            "valid_login raises its own exception named Skipped", ("8",)),
    Hostile("red-pickle-bomb", (
        ("delete-file", "db.py", "", ""), ("delete-file", "auth.py", "", ""),
        ("delete-file", "app.py", "", ""), ("delete-file", "main.py", "", ""),
        at_import("user.py", USER_BASE, PICKLE_BOMB)), ("0",),
        "user.py alone, writing a pickle that runs a command when loaded",
        ("0", "1")),
    Hostile("red-writes-everywhere", (
        at_import("user.py", USER_BASE, WRITE_EVERYWHERE),), (),
        "writes into its folder, the checker's tree, its own file",
        ("0", "1")),
    Hostile("red-rewrites-scorecard", (
        at_import("user.py", USER_BASE, REWRITE_SCORECARD),), (),
        "a detached grandchild rewrites the scorecard after the grade",
        ("0",)),
    Hostile("red-injects-logs", (in_valid_login(INJECT_LOGS),), ("8",),
            "workflow commands and terminal escapes in its output and "
            "exception messages", ("8",)),
    Hostile("red-signals-everyone", (in_valid_login(SIGNAL_EVERYONE),),
            ("8",), "SIGSTOP, SIGTERM and SIGKILL to its parent, init, "
            "everyone and its group", ("8",)),
    Hostile("red-floods-reports", (
        at_import("auth.py", AUTH_LIMIT, FLOOD_REPORTS),),
        ("4", "8"), "an endless report with a 4 GiB length "
        "prefix on every descriptor", ("4", "8")),
    Hostile("red-floods-descriptors", (
        at_import("auth.py", AUTH_LIMIT, FLOOD_DESCRIPTORS),),
        ("4", "5", "8", "9"), "at import, thousands of messages carrying "
        "descriptors (SCM_RIGHTS) on every socket it holds",
        ("0", "1", "2", "3", "4", "5", "8", "9"), up=DB_TASKS),
    Hostile("red-huge-message", (in_valid_login(HUGE_MESSAGE),), ("8",),
            "an exception with a 64 MiB message", ("8",)),
    Hostile("red-escaped-daemon", (
        at_import("user.py", USER_BASE, DAEMON),), (),
        "a double-forked, setsid daemon that outlives its worker",
        ("0", "1")),
    Hostile("red-allocates", (in_valid_login(ALLOCATE),), ("8",),
            "valid_login allocates 2 GiB", ("8",)),
    # Its own example fails for want of room to print ("No space left"),
    # or, on a loaded machine, for want of time once its writes filled
    # every disk it sees: either is honest, so no words are asked of it.
    Hostile("red-fills-disk", (
        at_import("user.py", USER_BASE, FILL_DISK),), ("0",),
        "writes 2 GiB to /tmp, /dev/shm and its working directory (its "
        "own example then has no room to print)", ("0",)),
    Hostile("red-special-files", (), ("1", "2", "3", "4"),
            "a FIFO for auth.py, a link for db.py, 3 GiB sparse README.md "
            "and a.db", ("0", "1", "2", "3", "4"),
            (("auth.py", "fifo"), ("db.py", "link:/etc/passwd"),
             ("README.md", "sparse"), ("a.db", "sparse"))),
    Hostile("red-reply-other-id", forging(NEXT_ID), ("8",),
            "valid_login's reply goes out as the reply to the next request",
            ("0", "5", "8"), up=("0", "5"), words=("another request",)),
    Hostile("red-reply-id-not-int", forging(FLOAT_ID), ("8",),
            "valid_login's reply carries its id as a float (7.0 == 7)",
            ("0", "5", "8"), up=("0", "5"), words=("not an int",)),
    Hostile("red-reply-unissued-handle", forging(
        UNISSUED_HANDLE, FROM_SESSION), ("12",),
        "get_user_from_session_id's User comes back as a handle the worker "
        "never issued", ("0", "5", "12"), up=("0", "5"),
        words=("never issued",)),
    Hostile("red-reply-garbled-raised", forging(GARBLED_RAISED), ("8",),
            "valid_login's reply says it raised, in fields of the wrong "
            "types", ("0", "5", "8"), up=("0", "5"), words=("not valid",)),
    Hostile("red-garbled-import-report", (
        at_end_of_auth(FORGE_MESSAGES + GARBLED_RAISED),),
        ("4", "5", "8", "9"),
        "auth.py's import report says it raised, in fields of the wrong "
        "types", ("0", "4", "5", "8", "9"), up=("0",),
        words=("not valid",)),
    Hostile("red-garbled-main", (
        at_import("main.py", "import requests\n", FORGE_MESSAGES +
                  GARBLED_RAISED + "raise ValueError('garbled')\n"),), ("20",),
        "main.py raises, and its reply says so in fields of the wrong "
        "types", ("0", "20"), up=("0",), words=("not valid",)),
    Hostile("red-keeps-init-busy", (
        at_import("user.py", USER_BASE, BUSY_INIT),), (),
        "at import, a process signals the sandbox's init without end, a "
        "byte in its wakeup pipe each", DB_TASKS),
    Hostile("red-db-as-fifo", (swapping_db("_os.mkfifo('a.db')"),),
            ("1", "3"), "between requests, a.db is a FIFO",
            DB_TASKS, up=("0", "2"), words=("no a.db",)),
    Hostile("red-db-links-to-zero", (swapping_db(
        "_os.symlink('/dev/zero', 'a.db')"),), ("1", "3"),
        "between requests, a.db is a link to /dev/zero", DB_TASKS,
        up=("0", "2"), words=("no a.db",)),
    Hostile("red-db-links-outside", (swapping_db(
        "_os.symlink('/etc/passwd', 'a.db')"),), ("1", "3"),
        "between requests, a.db is a link to a file outside the sandbox",
        DB_TASKS, up=("0", "2"), words=("no a.db",)),
    Hostile("red-db-of-30-mib", (swapping_db(
        MAKE_HUGE_DB, "_os.rename('a.db', '.big.db')"),), ("1", "3"),
        "between requests, a.db is 30 MiB of junk", DB_TASKS,
        up=("0", "2"), words=("cannot be read",)),
)

HOSTILES = (
    Hostile("syntax-error", (
        ("replace", "auth.py", "def _generate_uuid() -> str:",
         "def _generate_uuid() -> str"),), downstream_of("auth.py"),
        "auth.py does not parse", up=DB_TASKS),
    Hostile("import-error", (
        ("replace", "db.py", "from sqlalchemy import create_engine\n",
         "from sqlalchemy import create_engine\nimport flask_sqlalchemy_x\n"),
    ), downstream_of("db.py"), "db.py imports a module that is absent"),
    Hostile("missing-file", (("delete-file", "db.py", "", ""),),
            downstream_of("db.py"), "db.py is missing"),
    Hostile("loop-at-import", (
        ("replace", "user.py", USER_BASE,
         USER_BASE + "while True:\n    pass\n"),),
        downstream_of("user.py"), "user.py never finishes importing",
        import_hangs="user.py"),
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
        downstream_of("app.py"), "app.run() without the __main__ guard",
        up=DB_TASKS, import_hangs="app.py"),
    Hostile("sys-exit-at-import", (
        ("replace", "auth.py", AUTH_LIMIT, AUTH_LIMIT + "sys.exit(0)\n"),
        ("replace", "auth.py", "import uuid\n", "import sys\nimport uuid\n"),
    ), downstream_of("auth.py"), "auth.py calls sys.exit() on import",
        up=DB_TASKS),
    Hostile("os-exit-at-import", (
        ("replace", "app.py", "AUTH = Auth()\n", "AUTH = Auth()\n"
         "os._exit(3)\n"),
        ("replace", "app.py", "from typing import Optional\n",
         "import os\nfrom typing import Optional\n"),
    ), downstream_of("app.py"), "app.py calls os._exit() on import",
        up=DB_TASKS),
    Hostile("sleep-at-end-of-import", (
        ("replace", "auth.py", "import uuid\n", "import time\nimport uuid\n"),
        at_end_of_auth("time.sleep(3600)\n")), ("4", "5", "8", "9"),
        "auth.py sleeps an hour as its last statement",
        ("0", "1", "2", "3", "4", "5", "8", "9"), up=DB_TASKS,
        words=("auth.py did not finish importing",), import_hangs="auth.py"),
    Hostile("input-at-import", (
        at_end_of_auth("input(\"Press Enter to go on\")\n"),),
        ("4", "5", "8", "9"), "auth.py waits for a line on stdin",
        ("0", "1", "2", "3", "4", "5", "8", "9"), up=DB_TASKS,
        words=("import auth raised EOFError",)),
    Hostile("os-exit-at-end-of-auth", (
        ("replace", "auth.py", "import uuid\n", "import os\nimport uuid\n"),
        at_end_of_auth("os._exit(3)\n")), ("4", "5", "8", "9"),
        "auth.py ends its process as its last statement",
        ("0", "1", "2", "3", "4", "5", "8", "9"), up=DB_TASKS,
        words=("import auth: the process ended (exit status 3)",)),
    Hostile("endless-printing", (
        ("replace", "auth.py", VALID_START, "        while True:\n"
         "            print(\"checking \" * 100)\n" + VALID_START),),
        downstream_of_task("8"), "valid_login prints forever",
        downstream_of_task("8")),
    Hostile("writes-files", (
        ("replace", "user.py", USER_BASE, USER_BASE +
         "open(\"junk.txt\", \"w\").write(\"x\")\n"
         "try:\n    open(__file__ + \".bak\", \"w\").write(\"x\")\n"
         "except OSError:\n    pass\n"),),
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
) + RED_TEAM

# The red team graded again with --no-namespaces (reduced containment, the
# fallback of macOS and of containers without namespaces): the attacks whose
# outcome could depend on containment, on processes (daemons, descendants,
# the init), limits, descriptors and the files the checker reads. Left out:
# those that act on the host, which reduced containment does not promise to
# stop (learner code then shares the machine's files, /tmp, network and
# process table: red-signals-everyone, red-fills-disk, red-writes-everywhere),
# and those decided on the wire or in the worker alone, whatever contains it.
REDUCED = ("red-forged-report", "red-pickle-bomb", "red-rewrites-scorecard",
           "red-floods-reports", "red-floods-descriptors",
           "red-escaped-daemon", "red-allocates", "red-special-files",
           "red-keeps-init-busy", "red-db-links-outside", "red-db-of-30-mib")


class Case(NamedTuple):
    """A hostile solution and how its grade contains it."""

    hostile: Hostile
    reduced: bool = False  # graded with --no-namespaces

    @property
    def key(self) -> str:
        """Return the case's name: the hostile's id, marked if reduced."""
        return self.hostile.id + ("-reduced" if self.reduced else "")


CASES = tuple(Case(hostile) for hostile in HOSTILES) + tuple(
    Case(hostile, True) for hostile in RED_TEAM if hostile.id in REDUCED)
