"""One grade: the solution, its sandboxes, the policy and the scorecard.

Made when pytest is configured, ended when it unconfigures (or, if the
checker is killed, by the zygote, which removes the grade's folder when its
owner goes away).
"""
import os
import shutil
import tempfile
from typing import Dict
from typing import NamedTuple
from typing import Optional
from typing import Set

from checks.harness.catalogue import Task
from checks.harness.pipeline import Pipeline
from checks.harness.policy import Policy
from checks.harness.probes import Probes
from checks.harness.sandbox import Zygote
from checks.harness.sandbox import temp_base
from checks.harness.solution import Solution
from checks.harness.tools import Tools

FAST_FAIL_TIMEOUT = 3.0  # after a timeout, its file's hung code fails sooner


class Settings(NamedTuple):
    """The options of one run, resolved once."""

    solution: str
    tasks: Optional[Set[str]]
    json_path: Optional[str]
    timeout: float
    contain: bool = True
    zygote: Optional[str] = None  # a running zygote's socket, to share


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
        self.policy = Policy(self.solution, self.probes.failure,
                             settings.tasks)
        self.tools = Tools()
        self.hung_files: Set[str] = set()  # files whose code timed out
        self.behaviour_tasks: Dict[str, Task] = {}  # node id -> task

    def start_tools(self, keys: Set[str]) -> None:
        """Start the analysers that the selected tasks read (B9, B10)."""
        wanted = [name for key, name in (("B9", "bandit"), ("B10", "mypy"))
                  if key in keys]
        files = [name for name in self.solution.names()
                 if name.endswith(".py")]
        self.tools.start(self.pipeline.solution_copy, files, self.root,
                         wanted)

    def runs(self, nodeid: str) -> bool:
        """Tell whether a behaviour check would run if it started now."""
        task = self.behaviour_tasks.get(nodeid)
        return task is not None and self.policy.runs(task, True)

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
        self.probes.close()
        self.tools.close()
        self.pipeline.close()
        self.zygote.close()
        shutil.rmtree(self.root, ignore_errors=True)
