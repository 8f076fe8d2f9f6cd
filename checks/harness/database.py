"""The learner's a.db, read here with sqlite3, never through learner code.

Checks use it to see what was committed, independently of the learner's
own query methods. The file is copied out of the sandbox's scratch folder
(a link planted there is never followed) and opened as a copy; a schema
that is not a plain table, or a query that runs too long, is refused.
"""
import os
import shutil
import sqlite3
import tempfile
import time
from typing import Any
from typing import Dict
from typing import List
from typing import Tuple

from checks.harness.failures import Failure
from checks.harness.remote import Learner
from checks.harness.sandbox import Scratch
from checks.harness.sandbox import temp_base

DB_CAP = 32 * 2**20  # bytes: as large as the sandbox lets a file grow
QUERY_SECONDS = 2.0  # a hostile schema cannot keep the checker longer
ROW_CAP = 1000


def _copy_of(sandbox: Scratch, folder: str) -> str:
    """Copy a.db (and its write-ahead log) into a folder; return the path.
    """
    data = sandbox.read("work/a.db", DB_CAP)
    if data is None:
        raise Failure("there is no a.db in the working directory: DB() "
                      "creates it (sqlite:///a.db)")
    path = os.path.join(folder, "a.db")
    with open(path, "wb") as stream:
        stream.write(data)
    log = sandbox.read("work/a.db-wal", DB_CAP)
    if log:
        with open(path + "-wal", "wb") as stream:
            stream.write(log)
    return path


def _query(sandbox: Scratch, sql: str) -> Tuple[List[str],
                                               List[Tuple[Any, ...]]]:
    """Run one read-only query on a copy of a.db; return names and rows.
    """
    folder = tempfile.mkdtemp(prefix="checks-db-", dir=temp_base())
    connection = None
    try:
        connection = sqlite3.connect(_copy_of(sandbox, folder))
        deadline = time.monotonic() + QUERY_SECONDS
        connection.set_progress_handler(
            lambda: 1 if time.monotonic() > deadline else 0, 10000)
        connection.execute("PRAGMA trusted_schema = OFF")
        kind = connection.execute("SELECT type FROM sqlite_master WHERE "
                                  "name = 'users'").fetchall()
        if kind != [("table",)]:
            raise Failure("a.db has no users table (found {})".format(
                kind or "nothing"))
        cursor = connection.execute(sql)
        names = [column[0] for column in cursor.description or ()]
        return names, cursor.fetchmany(ROW_CAP)
    except sqlite3.Error as error:
        raise Failure("a.db cannot be read: {}".format(error))
    finally:
        if connection is not None:
            connection.close()
        shutil.rmtree(folder, ignore_errors=True)


def rows_in(sandbox: Scratch) -> List[Dict[str, Any]]:
    """Return every row of the users table in a sandbox's a.db, by id."""
    names, rows = _query(sandbox, "SELECT * FROM users ORDER BY id")
    return [dict(zip(names, row)) for row in rows]


def stored_users(learner: Learner) -> List[Dict[str, Any]]:
    """Return every row of the users table in the check's a.db, by id."""
    return rows_in(learner.worker.sandbox)


def stored_user(learner: Learner, email: str) -> Dict[str, Any]:
    """Return the one stored row for an email, failing if there is none."""
    found = [row for row in stored_users(learner)
             if row.get("email") == email]
    if len(found) != 1:
        raise Failure("a.db holds {} rows for {}, expected 1".format(
            len(found), email))
    return found[0]


def users_columns(learner: Learner) -> List[Tuple[str, str, bool, bool]]:
    """Return (name, type, not null, primary key) of each users column."""
    _, rows = _query(learner.worker.sandbox, "PRAGMA table_info(users)")
    return [(str(row[1]), str(row[2]), bool(row[3]), bool(row[5]))
            for row in rows]
