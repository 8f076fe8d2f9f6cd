"""One grade: the solution, its sandboxes, the policy and the scorecard,
and the counterfactual folders its blame may ask about.

Made when pytest is configured, ended when it unconfigures (or, if the
checker is killed, by the zygote, which removes the grade's folder when its
owner goes away).
"""
import itertools
import os
import shutil
import tempfile
from typing import Dict
from typing import Iterator
from typing import List
from typing import NamedTuple
from typing import Optional
from typing import Set
from typing import Tuple

from checks.harness.blame import files_to_replace
from checks.harness.catalogue import Task
from checks.harness.counterfactual import Counterfactuals
from checks.harness.counterfactual import replay_command
from checks.harness.counterfactual import wanted_keys
from checks.harness.pipeline import Pipeline
from checks.harness.policy import Policy
from checks.harness.probes import Probes
from checks.harness.sandbox import Zygote
from checks.harness.sandbox import temp_base
from checks.harness.solution import Solution
from checks.harness.tools import Tools

FAST_FAIL_TIMEOUT = 3.0  # after a timeout, its file's hung code fails sooner
REPLAYS_AHEAD = 2  # checks named to a replay server as likely next


class Settings(NamedTuple):
    """The options of one run, resolved once."""

    solution: str
    tasks: Optional[Set[str]]
    json_path: Optional[str]
    timeout: float
    contain: bool = True
    zygote: Optional[str] = None  # a running zygote's socket, to share
    replay: Optional[int] = None  # a replay server's socket (replay.py)


class Grade:
    """The state of one grade, shared by the hooks and the fixtures."""

    def __init__(self, settings: Settings) -> None:
        """Read the solution and start (or join) the zygote."""
        self.settings = settings
        self.root = tempfile.mkdtemp(prefix="checks-", dir=temp_base())
        try:
            os.chmod(self.root, 0o755)
            self.solution = Solution(settings.solution)
            copy = self.solution.write_copy(os.path.join(self.root,
                                                         "solution"))
            self.zygote = Zygote.join(settings.zygote) if \
                settings.zygote else Zygote.start(self.root,
                                                  settings.contain)
        except BaseException:  # no zygote to remove the folder for us
            shutil.rmtree(self.root, ignore_errors=True)
            raise
        self.pipeline = Pipeline(self.zygote, copy)
        self.probes = Probes(self.pipeline, self.solution, settings.timeout)
        self.hung_files: Set[str] = set()  # files whose code timed out
        self.counterfactuals = self.make_counterfactuals()
        self.policy = Policy(self.solution, self.probes.failure,
                             settings.tasks, self.counterfactuals.run
                             if self.counterfactuals else None,
                             self.probes.hang)
        self.tools = Tools()
        self.behaviour_tasks: Dict[str, Task] = {}  # node id -> task
        self.order: List[Tuple[str, Task]] = []  # (check id, task) to run

    def make_counterfactuals(self) -> Optional[Counterfactuals]:
        """Return the maker of counterfactual folders, which share our
        zygote (none in a replay server: it answers, it never asks)."""
        keys = wanted_keys(self.settings.tasks)
        if self.settings.replay is not None or not keys:
            return None
        zygote = self.settings.zygote or os.path.join(self.root,
                                                      "zygote.sock")
        return Counterfactuals(self.solution, self.root, replay_command(
            self.settings.timeout, zygote, self.settings.contain, keys),
            self.settings.timeout, self.upcoming, self.hung_files)

    def later(self, check: str) -> Iterator[Tuple[str, Tuple[str, ...]]]:
        """Yield the checks after `check`, each with the files its replay
        would take from the reference if it failed now (maybe none)."""
        ids = [each for each, _ in self.order]
        start = ids.index(check) + 1 if check in ids else len(ids)
        files: Dict[str, Tuple[str, ...]] = {}  # a task's, said once
        for each, task in self.order[start:]:
            if task.key not in files:
                files[task.key] = files_to_replace(
                    task, self.policy.suspects(task))
            yield each, files[task.key]

    def upcoming(self, check: str, files: Tuple[str, ...]) -> List[str]:
        """Return the next checks after `check` that would be replayed on
        the same files if they failed (its server makes them ready)."""
        found = (each for each, wanted in self.later(check)
                 if wanted == files)
        return list(itertools.islice(found, REPLAYS_AHEAD))

    def foresee(self, check: str) -> None:
        """After a failure, start the replay server that the next check
        built on a failed task of another file would need, so that it is
        up by the time that check asks (a start costs a second)."""
        if self.counterfactuals is None:
            return
        files = next((wanted for _, wanted in self.later(check) if wanted),
                     None)
        if files:
            self.counterfactuals.prepare(files)

    def start_tools(self, keys: Set[str]) -> None:
        """Start the analysers that the selected tasks read (B9, B10)."""
        wanted = [name for key, name in (("B9", "bandit"), ("B10", "mypy"))
                  if key in keys]
        files = [name for name in self.solution.names()
                 if name.endswith(".py")]
        self.tools.start(self.pipeline.solution_copy, files, self.root,
                         wanted)

    def runs(self, nodeid: str) -> bool:
        """Tell whether a behaviour check would run if it started now, as
        far as is known without waiting: while the import probe has not
        reported a module the check imports, it is not known yet (the
        check's own start waits for it, so that a hang's wait is charged
        to the first check that needs the file, not to the one before)."""
        task = self.behaviour_tasks.get(nodeid)
        return task is not None and all(
            self.probes.answered(module)
            for module in self.policy.present_modules(task)) and \
            self.policy.runs(task, True)

    def limit(self, task: Optional[Task] = None) -> float:
        """Return the time limit of a task's next check: shorter once code
        of its file has hung (other files keep the full limit, so that a
        slow machine does not fail an innocent task); without a task,
        shorter once any code has hung."""
        hung = self.hung_files if task is None else \
            self.hung_files & {task.file}
        if hung:
            return min(self.settings.timeout, FAST_FAIL_TIMEOUT)
        return self.settings.timeout

    def close(self) -> None:
        """End every sandbox and the zygote; remove the grade's folder."""
        if self.counterfactuals is not None:
            self.counterfactuals.close()
        self.probes.close()
        self.tools.close()
        self.pipeline.close()
        self.zygote.close()
        shutil.rmtree(self.root, ignore_errors=True)
