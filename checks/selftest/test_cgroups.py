"""Each sandbox's budget is its own, where the machine lets us make cgroups.

A learner module that, at import, forks twenty children each touching
almost a gigabyte (under the per-process limit, twenty times over the
sandbox's) fails its own checks only, "over the sandbox's memory", while
the checker stays small and the other tasks pass. Every group a grade
makes is gone after it, whether it ended, was interrupted or its checker
was killed, and the next grade removes those a killed zygote left. Where
no cgroup can be made the scorecard says per-process limits applied.
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from typing import Callable
from typing import Iterator
from typing import List
from typing import Optional
from typing import Tuple

import pytest

from checks.harness.plugin import CHECK_TIMEOUT
from checks.harness.sandbox import BUDGET
from checks.harness.sandbox import CGROUPS_ENV
from checks.harness.sandbox import TEMP_DIR_ENV
from checks.harness.sandbox import temp_base
from checks.runtime import cgroup_places
from checks.runtime import cgroup_tree
from checks.runtime import cgroups
from checks.selftest import folders
from checks.selftest.grading import EXERCISE
from checks.selftest.grading import Grade
from checks.selftest.grading import Job
from checks.selftest.grading import grader_args
from checks.selftest.grading import quiet_env
from checks.selftest.grading import read_grade
from checks.selftest.hostile import AUTH_LIMIT
from checks.selftest.hostile import DB_TASKS
from checks.selftest.hostile import at_import
from checks.selftest.processes import processes_with

# Twenty children of 28 x 32 MiB each, waited for: the import ends only
# when the last has finished or been killed. Each holds its memory for a
# second before it ends, so that they hold it at the same time however
# busy the machine is (the kernel must kill some of them).
HOG = (
    "import os as _os\n"
    "import time as _time\n"
    "_children = []\n"
    "for _ in range(20):\n"
    "    _pid = _os.fork()\n"
    "    if _pid == 0:\n"
    "        try:\n"
    "            _hoard = [b'\\x01' * (32 << 20) for _ in range(28)]\n"
    "            _time.sleep(1)\n"
    "        finally:\n"
    "            _os._exit(0)\n"
    "    _children.append(_pid)\n"
    "for _pid in _children:\n"
    "    _os.waitpid(_pid, 0)\n")
# The same, and then an import that never ends.
HOG_THEN_HANG = HOG + "_time.sleep(3600)\n"
OVER_MEMORY = "over the sandbox's memory ({} MiB)".format(
    BUDGET["memory"] // cgroups.MIB)
RSS_LIMIT_KIB = 300 * 1024
RUN_LIMIT = 300.0  # seconds a grade of these tests may take
GONE_LIMIT = 20.0  # seconds for a grade's groups and processes to go
# The grading command, reporting its own peak memory when it ends.
MEASURED = ("import resource, sys, pytest\n"
            "rc = pytest.main(sys.argv[1:])\n"
            "print('checker max RSS KiB:', resource.getrusage("
            "resource.RUSAGE_SELF).ru_maxrss)\n"
            "sys.exit(rc)\n")
MAX_RSS = re.compile(r"checker max RSS KiB: (\d+)")


# Whether a zygote could make its parent group here, tried as a zygote
# does (it forks a trial child), in a process of its own: this one runs
# threads (the background grades), and a fork beside threads may deadlock.
TRY_CGROUPS = (
    "from checks.harness.sandbox import BUDGET\n"
    "from checks.runtime import cgroup_tree, cgroups\n"
    "tree, why = cgroup_tree.open_tree(cgroups.Budget(**BUDGET))\n"
    "if tree is not None:\n"
    "    tree.remove()\n"
    "print(why)\n")


def no_cgroups_here() -> str:
    """Return why no cgroup can be made here ("" when one can)."""
    if os.environ.get(CGROUPS_ENV) == "off":
        return "{}=off".format(CGROUPS_ENV)
    tried = subprocess.run([sys.executable, "-c", TRY_CGROUPS],
                           cwd=folders.REPO_ROOT, stdout=subprocess.PIPE,
                           check=True, timeout=RUN_LIMIT)
    return tried.stdout.decode("utf-8", "replace").strip()


def start(job: Job, temp: str, **env: str) -> "subprocess.Popen[bytes]":
    """Start the grading command on a job, its temporary files in temp."""
    environment = {key: value for key, value in quiet_env().items()
                   if key != CGROUPS_ENV}
    environment.update(env, **{TEMP_DIR_ENV: temp})
    with open(job.json_path + ".log", "wb") as log:
        return subprocess.Popen(
            [sys.executable, "-c", MEASURED] + grader_args(job),
            cwd=folders.REPO_ROOT, env=environment, stdout=log,
            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True)


def finish(job: Job, process: "subprocess.Popen[bytes]",
           started: float) -> Tuple[Grade, Optional[int]]:
    """Wait for a grade; return it and the checker's peak RSS in KiB."""
    try:
        process.wait(RUN_LIMIT)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    with open(job.json_path + ".log", encoding="utf-8",
              errors="replace") as stream:
        log = stream.read()
    found = MAX_RSS.search(log)
    return read_grade(job, process.returncode, time.monotonic() - started,
                      log), int(found.group(1)) if found else None


def grade(job: Job, temp: str, **env: str) -> Tuple[Grade, Optional[int]]:
    """Grade a job to the end."""
    return finish(job, start(job, temp, **env), time.monotonic())


def grade_seeing_groups(job: Job, temp: str
                        ) -> Tuple[Grade, Optional[int], List[str]]:
    """Grade a job to the end; also return the parent groups its zygote
    made (seen once it has a sandbox's group), so that a test can tell
    them from the groups of other grades on this machine, which may be
    left stale at any moment by a grade killed on purpose."""
    process, started = start(job, temp), time.monotonic()
    made = groups_of(temp) if wait_for(
        lambda: sandbox_groups(temp), RUN_LIMIT) else []
    done, rss = finish(job, process, started)
    return done, rss, made


def groups_of(temp: str) -> List[str]:
    """Return the parent groups whose zygote runs from temp."""
    mine = []
    for folder in cgroup_places.parent_groups():
        owner = os.path.basename(folder)[len(cgroups.PREFIX):].split(".")[0]
        if any(line.startswith(owner + ":") for line in processes_with(temp)):
            mine.append(folder)
    return mine


def sandbox_groups(temp: str) -> bool:
    """Tell whether the zygote running from temp has sandboxes' groups."""
    for group in groups_of(temp):
        try:
            if any(name.startswith("sandbox-") for name in
                   os.listdir(group)):
                return True
        except OSError:  # removed meanwhile
            continue
    return False


def stale_groups() -> List[str]:
    """Return the parent groups whose zygote is gone."""
    return [folder for folder in cgroup_places.parent_groups()
            if cgroup_tree.is_stale(os.path.basename(folder))]


def wait_for(condition: Callable[[], bool], limit: float) -> bool:
    """Poll a condition until it holds or the limit passes."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.fixture
def temp() -> Iterator[str]:
    """A folder for a grade's temporary files that every sandbox can reach
    (pytest's own are private to us), removed afterwards."""
    folder = tempfile.mkdtemp(prefix="cgroups-", dir=temp_base())
    os.chmod(folder, 0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def cgroups_made() -> None:
    """Skip where no cgroup can be made, saying why."""
    why = no_cgroups_here()
    if why:
        pytest.skip("no cgroup can be made here: " + why)


def test_memory_hog_fails_only_its_own_checks(
        tmp_path: "os.PathLike[str]", temp: str) -> None:
    """Twenty children of ~1 GiB at import of auth.py fail task 4 only,
    over the sandbox's memory; the checker stays under 300 MiB, and no
    process or group is left. Where no cgroup can be made (the attack
    would then take 18 GiB), the scorecard must say so instead."""
    root = str(tmp_path)
    why = no_cgroups_here()
    if why:
        reference, _ = grade(Job(folders.REFERENCE, os.path.join(
            root, "reference.json"), tasks=("0",)), temp)
        assert reference.card is not None, reference.log
        assert "per-process limits only" in reference.card["containment"]
        pytest.skip("no cgroup can be made here: " + why)
    folder = folders.build([at_import("auth.py", AUTH_LIMIT, HOG)],
                           os.path.join(root, "hog"))
    done, rss, made = grade_seeing_groups(Job(
        folder, os.path.join(root, "hog.json"), tasks=DB_TASKS + ("4",),
        timeout=CHECK_TIMEOUT), temp)
    assert done.card is not None, done.log
    assert re.match(r"containment: \w+; cgroup v\d", done.card[
        "containment"]), done.card["containment"]
    statuses = done.statuses()
    assert {key: done.reasons(key) for key in DB_TASKS
            if statuses[key] != "passed"} == {}
    # Every check that ran auth.py in a sandbox of its own fails. The
    # import check reads the grade's import probe, one worker importing
    # every module in turn: auth.py does import there (its children are
    # killed, it is not), and whose import the kernel's kills belong to
    # cannot be told.
    task4 = [check for row in done.rows() if row["task"] == "4"
             for check in row["checks"] if check["kind"] == "behaviour"
             and not check["id"].endswith("::test_auth_module_imports")]
    assert task4 and [check["id"] for check in task4
                      if check["status"] != "failed"] == []
    assert any(OVER_MEMORY in check["reason"] for check in task4), task4
    assert rss is not None and rss < RSS_LIMIT_KIB, rss
    assert wait_for(lambda: not processes_with(temp), GONE_LIMIT), \
        processes_with(temp)
    assert made
    assert wait_for(lambda: not any(map(os.path.exists, made)), GONE_LIMIT)


def test_an_import_over_memory_that_then_hangs_names_the_memory(
        cgroups_made: None, tmp_path: "os.PathLike[str]",
        temp: str) -> None:
    """An import that goes over the sandbox's memory and then never ends
    fails its task's checks with a reason that names the memory first, and
    then the hang: the import probe, which waits for it once, says both
    (a busy machine can make the kills alone outlast the limit)."""
    root = str(tmp_path)
    folder = folders.build([at_import("auth.py", AUTH_LIMIT, HOG_THEN_HANG)],
                           os.path.join(root, "hog"))
    done, _ = grade(Job(folder, os.path.join(root, "hog.json"),
                        tasks=DB_TASKS + ("4",), timeout=CHECK_TIMEOUT),
                    temp)
    assert done.card is not None, done.log
    task4 = [check for row in done.rows() if row["task"] == "4"
             for check in row["checks"] if check["kind"] == "behaviour"]
    assert task4 and [check["id"] for check in task4 if check["status"]
                      != "failed" or OVER_MEMORY not in check["reason"] or
                      "did not finish importing" not in check["reason"]
                      ] == [], task4


def test_groups_are_removed_after_a_grade(
        cgroups_made: None, tmp_path: "os.PathLike[str]",
        temp: str) -> None:
    """A grade makes a parent group with a group per sandbox, and none is
    left once it ended."""
    root = str(tmp_path)
    job = Job(folders.REFERENCE, os.path.join(root, "ref.json"),
              tasks=DB_TASKS)
    done, _, made = grade_seeing_groups(job, temp)
    assert done.card is not None and done.rc == 0, done.log
    assert made
    assert wait_for(lambda: not processes_with(temp), GONE_LIMIT)
    assert wait_for(lambda: not any(map(os.path.exists, made)), GONE_LIMIT)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGKILL],
                         ids=["interrupted", "killed"])
def test_groups_are_removed_when_a_grade_stops(
        cgroups_made: None, tmp_path: "os.PathLike[str]", temp: str,
        signum: int) -> None:
    """A grade interrupted (Ctrl-C) or whose checker is killed mid-way
    leaves no group and no process: its zygote removes them as it ends."""
    root = str(tmp_path)
    job = Job(folders.REFERENCE, os.path.join(root, "ref.json"),
              tasks=tuple(EXERCISE))
    process = start(job, temp)
    try:
        assert wait_for(lambda: sandbox_groups(temp), RUN_LIMIT)
        made = groups_of(temp)
        if signum == signal.SIGINT:  # as a terminal does: its whole group
            os.killpg(process.pid, signum)
        else:
            os.kill(process.pid, signum)
        process.wait(RUN_LIMIT)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    assert made
    assert wait_for(lambda: not any(map(os.path.exists, made)), GONE_LIMIT)
    assert wait_for(lambda: not processes_with(temp), GONE_LIMIT)


def test_stale_groups_are_removed_by_the_next_grade(
        cgroups_made: None, tmp_path: "os.PathLike[str]",
        temp: str) -> None:
    """Groups a killed zygote left, with a frozen process still in one,
    are removed by the next grade, and the process killed."""
    made = subprocess.run(
        [sys.executable, "-c", LEAVE_STALE], cwd=folders.REPO_ROOT,
        stdout=subprocess.PIPE, check=True, timeout=60).stdout.split()
    sleeper, parents = int(made[0]), [word.decode() for word in made[1:]]
    assert parents and set(parents) <= set(stale_groups())
    root = str(tmp_path)
    done, _ = grade(Job(folders.REFERENCE, os.path.join(root, "ref.json"),
                        tasks=("0",)), temp)
    assert done.card is not None and done.rc == 0, done.log
    assert not any(map(os.path.exists, parents))
    assert wait_for(lambda: not alive(sleeper), GONE_LIMIT)


# A zygote killed while it ended a sandbox: its parent group stays, with a
# process in a sandbox's group, frozen (a frozen process dies only once
# thawed). Prints that process's pid, then the parent's folders.
LEAVE_STALE = (
    "import os, time\n"
    "from checks.harness.sandbox import BUDGET\n"
    "from checks.runtime import cgroup_tree, cgroups\n"
    "tree, why = cgroup_tree.open_tree(cgroups.Budget(**BUDGET))\n"
    "group = tree.make('sandbox-1')\n"
    "pid = os.fork()\n"
    "if pid == 0:\n"
    "    os.setsid()\n"
    "    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)\n"
    "    group.join()\n"
    "    os.execv('/bin/sleep', ['sleep', '300'])\n"
    "while pid not in group.members():\n"
    "    time.sleep(0.01)\n"
    "controller, file, frozen, _ = group.version.freeze\n"
    "cgroups.write_file(os.path.join(group.dirs[controller], file), frozen)\n"
    "print(pid, *tree.parent.folders(), flush=True)\n"
    "os._exit(0)\n")


def alive(pid: int) -> bool:
    """Tell whether a process runs (a zombie does not)."""
    try:
        with open("/proc/{}/stat".format(pid)) as stream:
            return stream.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:
        return False


def test_switched_off_says_per_process_limits(
        tmp_path: "os.PathLike[str]", temp: str) -> None:
    """With cgroups switched off, the scorecard says that each process had
    its own limits, and why."""
    root = str(tmp_path)
    done, _ = grade(Job(folders.REFERENCE, os.path.join(root, "ref.json"),
                        tasks=("0",)), temp,
                    **{CGROUPS_ENV: "off"})
    assert done.card is not None and done.rc == 0, done.log
    assert done.card["containment"].endswith(
        "per-process limits only: no cgroup delegated (switched off)"), \
        done.card["containment"]


def test_golden_grade_names_its_containment(golden: Grade) -> None:
    """The reference's full grade passes with each sandbox in a cgroup of
    its own where one can be made, and its scorecard says which applied.
    """
    assert golden.card is not None, golden.log
    assert {key: status for key, status in golden.statuses().items()
            if status != "passed"} == {}
    why = no_cgroups_here()
    line = golden.card["containment"]
    assert ("per-process limits only" in line) if why else re.match(
        r"containment: \w+; cgroup v\d: {} MiB, {} processes per sandbox$"
        .format(BUDGET["memory"] // cgroups.MIB, BUDGET["pids"]), line), line


def test_limits_are_written_by_each_version(
        tmp_path: "os.PathLike[str]") -> None:
    """Each version writes its own files: v2 memory.max and no swap, v1
    memory.limit_in_bytes and memory+swap alike; pids.max on both."""
    budget = cgroups.Budget(64 * cgroups.MIB, 32)
    written = {}
    for version in (cgroups.V2, cgroups.V1):
        folder = os.path.join(str(tmp_path), version.name)
        os.makedirs(folder)
        for _, file, _, required in version.limits:
            if not required:  # optional files are written where they exist
                open(os.path.join(folder, file), "w").close()
        cgroups.Group(version, {name: folder for name in (
            "memory", "pids")}).limit(budget)
        written[version.name] = {name: cgroups.read_file(os.path.join(
            folder, name)) for name in os.listdir(folder)}
    assert written == {
        "v2": {"memory.max": str(64 * cgroups.MIB), "memory.swap.max": "0",
               "pids.max": "32"},
        "v1": {"memory.limit_in_bytes": str(64 * cgroups.MIB),
               "memory.memsw.limit_in_bytes": str(64 * cgroups.MIB),
               "memory.swappiness": "0", "pids.max": "32"}}
