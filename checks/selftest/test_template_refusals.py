"""What a template refuses before any check's worker is forked from it.

A refused template sends its checks to fresh imports; a refusal that never
fired would let every check inherit what the template's import left: a
thread, a descriptor, a pooled connection to its a.db, a file in /tmp.
Each refusal is proven here on the helpers the template runs
(checks/runtime/template.py), each test in a forked child of its own: a
child has one thread, as a template has, and what it opens or disposes
stays there.
"""
import os
import select
import signal
import threading
from typing import Callable

import pytest
import sqlalchemy

from checks.runtime import template
from checks.runtime.template import Refused

CHILD_LIMIT = 60.0  # seconds a child may take, however busy the machine
pytestmark = pytest.mark.filterwarnings(
    "ignore:This process .* is multi-threaded:DeprecationWarning")


def in_child(action: Callable[[], None]) -> str:
    """Run action in a forked child; return "passed", "refused: why" or
    the error it raised.

    The self-tests' process has threads of its own (thread pools of
    earlier tests), hence Python 3.12's warning at the fork, ignored
    below. The child runs only the template's helpers and a short-lived
    SQLite engine; should it ever hang on a lock that some thread held,
    it is killed at the deadline and the test fails saying so.
    """
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child reports on the pipe, then exits
        os.close(read)
        said = "passed"
        try:
            action()
        except Refused as refused:
            said = "refused: {}".format(refused)
        except BaseException as error:
            said = "error: {!r}".format(error)
        os.write(write, said.encode("utf-8", "replace")[:4000])
        os._exit(0)
    os.close(write)
    answered = False
    try:
        waiting = select.poll()
        waiting.register(read, select.POLLIN)
        answered = bool(waiting.poll(CHILD_LIMIT * 1000))
        said = os.read(read, 4096).decode("utf-8", "replace") if \
            answered else "error: no answer within {:g} s".format(
                CHILD_LIMIT)
    finally:
        os.close(read)
        if not answered:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    return said


def test_one_thread_and_its_own_descriptors_pass() -> None:
    """A template alone with the descriptors it opened is forked from."""
    assert in_child(lambda: template.check_alone(
        template.open_fds())) == "passed"


def test_a_thread_left_running_is_refused() -> None:
    """An import that started a thread (a scheduler, a watcher) is refused:
    a forked child would not have it, where a fresh import would."""
    def start_a_thread() -> None:
        kept = template.open_fds()
        threading.Thread(target=threading.Event().wait, daemon=True).start()
        template.check_alone(kept)
    assert in_child(start_a_thread) == \
        "refused: the import started a thread"


def test_a_descriptor_left_open_is_refused() -> None:
    """A descriptor the import left open (here a pipe) is refused, naming
    what it is: every child would share it."""
    def open_a_pipe() -> None:
        kept = template.open_fds()
        os.pipe()
        template.check_alone(kept)
    said = in_child(open_a_pipe)
    assert said.startswith("refused: the import left a descriptor open "
                           "(pipe:"), said


def test_a_file_in_tmp_is_refused(tmp_path: "os.PathLike[str]") -> None:
    """A file the import wrote to /tmp is refused: each check's /tmp
    starts empty, where a fresh import would find its file."""
    layout = {"tmp": str(tmp_path)}
    template.check_tmp(layout)
    with open(os.path.join(str(tmp_path), "cache"), "w") as stream:
        stream.write("left by the import")
    with pytest.raises(Refused, match="the import wrote to /tmp"):
        template.check_tmp(layout)


def test_an_in_memory_database_is_refused() -> None:
    """An engine on an in-memory SQLite database is refused: its data
    lives in the template's memory, and no child could be given a copy."""
    def memory_engine() -> None:
        engine = sqlalchemy.create_engine("sqlite://")
        template.settle_engines()
        engine.dispose()
    assert in_child(memory_engine) == \
        "refused: the import made an in-memory SQLite database"


def test_a_connection_in_use_is_refused(
        tmp_path: "os.PathLike[str]") -> None:
    """A connection the import still holds is refused: as a pooled one
    (SQLAlchemy 1.4 and later count it) or as an open descriptor of a.db
    (1.3's SQLite pool counts nothing)."""
    path = os.path.join(str(tmp_path), "a.db")

    def hold_a_connection() -> None:
        kept = template.open_fds()
        engine = sqlalchemy.create_engine("sqlite:///" + path)
        connection = engine.connect()
        connection.execute(sqlalchemy.text("select 1"))
        template.settle_engines()
        template.check_alone(kept)
    said = in_child(hold_a_connection)
    assert said in ("refused: the import left a database connection in "
                    "use", "refused: the import left a descriptor open "
                    "({})".format(path)), said


def test_idle_connections_are_closed_before_a_fork(
        tmp_path: "os.PathLike[str]") -> None:
    """A connection returned to its pool is closed, not refused: each child
    then opens its own, on its own copy of a.db."""
    path = os.path.join(str(tmp_path), "a.db")

    def pool_a_connection() -> None:
        kept = template.open_fds()
        engine = sqlalchemy.create_engine("sqlite:///" + path)
        with engine.connect() as connection:
            connection.execute(sqlalchemy.text("select 1"))
        template.settle_engines()
        template.check_alone(kept)
        assert engine in template.engines()
    assert in_child(pool_a_connection) == "passed"


def test_a_copy_of_the_working_folder_keeps_links_as_links(
        tmp_path: "os.PathLike[str]") -> None:
    """What the import left in its working folder reaches each check as a
    copy: files, folders, and links as links (never what they point to)."""
    source = os.path.join(str(tmp_path), "work")
    target = os.path.join(str(tmp_path), "check")
    os.makedirs(os.path.join(source, "instance"))
    os.makedirs(target)
    with open(os.path.join(source, "a.db"), "wb") as stream:
        stream.write(b"rows")
    with open(os.path.join(source, "instance", "log"), "w") as stream:
        stream.write("line")
    os.symlink("/etc/passwd", os.path.join(source, "outside"))
    template._copy_folder(source, target)
    with open(os.path.join(target, "a.db"), "rb") as stream:
        assert stream.read() == b"rows"
    with open(os.path.join(target, "instance", "log")) as stream:
        assert stream.read() == "line"
    assert os.readlink(os.path.join(target, "outside")) == "/etc/passwd"
    assert template._same_folder(source, source)
    assert not template._same_folder(source, target)
    assert not template._same_folder(source, os.path.join(target, "none"))
