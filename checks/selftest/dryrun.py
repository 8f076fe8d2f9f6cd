"""Run a GitHub Actions workflow's jobs here, step by step, as the runner
would: each `run:` step's script with bash, in its working directory, with
the variables GitHub sets (GITHUB_WORKSPACE, RUNNER_TEMP, GITHUB_OUTPUT,
GITHUB_STEP_SUMMARY) and the step's `env:`, its expressions replaced from
a table of known values. An expression missing from the table fails the
test: the dry run never guesses.

`uses:` steps stand for GitHub's own actions and are played by hand:
checkout (the teacher's repository: a folder holding the roster; the
checker: this repository), setup-python (this interpreter), and
upload-artifact / download-artifact (folders copied to and from an
artifacts folder, one per artifact name, as download-artifact lays them
out). `python`, `python3` and `sudo` are shims on PATH: Python is this
interpreter, `python -m pip install` and `sudo` only say what they would
have done (the stack is installed already; the namespaces' sysctl is the
machine's business).
"""
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from typing import Any
from typing import Callable
from typing import Dict
from typing import List
from typing import NamedTuple

EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
STEP_LIMIT = 600  # seconds one step may take
SHIM = """#!/bin/sh
if [ "$1" = "-m" ] && [ "$2" = "pip" ]; then
    echo "dry run: pip $*"
    exit 0
fi
exec {python} "$@"
"""
SUDO = """#!/bin/sh
echo "dry run: sudo $*"
"""


class UnknownExpression(AssertionError):
    """An expression the dry run has no value for."""


class StepRun(NamedTuple):
    """What one `run:` step did."""

    name: str
    returncode: int
    output: str
    outputs: Dict[str, str]


class Machine:
    """A runner's folders for one job: workspace, temp, artifacts, shims.
    """

    def __init__(self, root: str, artifacts: str, checker: str,
                 roster: str) -> None:
        """Make a fresh workspace below `root`; artifacts are shared."""
        self.workspace = os.path.join(root, "work")
        self.temp = os.path.join(root, "temp")
        self.bin = os.path.join(root, "bin")
        for folder in (self.workspace, self.temp, self.bin, artifacts):
            os.makedirs(folder, exist_ok=True)
        self.artifacts = artifacts
        self.checker = checker
        self.roster = roster
        self.summary = os.path.join(root, "summary.md")
        for name, text in (("python", SHIM), ("python3", SHIM),
                           ("sudo", SUDO)):
            path = os.path.join(self.bin, name)
            with open(path, "w") as stream:
                stream.write(text.format(python=sys.executable))
            os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)


def substitute(text: Any, values: Dict[str, str]) -> str:
    """Replace every ${{ expression }} with its value from the table; a
    YAML true or false is the text GitHub passes ("true", "false")."""
    if isinstance(text, bool):
        return "true" if text else "false"
    def value(match: "re.Match[str]") -> str:
        if match.group(1) not in values:
            raise UnknownExpression("no value for ${{{{ {} }}}}".format(
                match.group(1)))
        return values[match.group(1)]
    return EXPRESSION.sub(value, str(text))


def run_job(job: Dict[str, Any], machine: Machine, values: Dict[str, str],
            conditions: Dict[str, bool], workflow_env: Dict[str, str]
            ) -> List[StepRun]:
    """Run a job's steps in order; `values` gains steps.ID.outputs.NAME.
    A failed `run:` step stops the job, as on GitHub."""
    done: List[StepRun] = []
    for step in job["steps"]:
        condition = step.get("if")
        if condition is not None and not conditions[condition]:
            continue
        if "uses" in step:
            play_action(step, machine, values)
            continue
        ran = run_step(step, machine, values, workflow_env)
        done.append(ran)
        for name, value in ran.outputs.items():
            values["steps.{}.outputs.{}".format(step.get("id"), name)] = value
        if ran.returncode != 0:
            break
    return done


def run_step(step: Dict[str, Any], machine: Machine, values: Dict[str, str],
             workflow_env: Dict[str, str]) -> StepRun:
    """Run one `run:` step with bash, as GitHub runs it."""
    outputs = os.path.join(machine.temp, "output")
    open(outputs, "w").close()
    env = dict(os.environ)
    env.update({"GITHUB_WORKSPACE": machine.workspace,
                "RUNNER_TEMP": machine.temp, "GITHUB_OUTPUT": outputs,
                "GITHUB_STEP_SUMMARY": machine.summary,
                "GITHUB_ACTIONS": "true",
                "PATH": machine.bin + os.pathsep + env["PATH"]})
    env.update(workflow_env)
    env.update({name: substitute(value, values)
                for name, value in step.get("env", {}).items()})
    script = os.path.join(machine.temp, "step.sh")
    with open(script, "w") as stream:
        stream.write(substitute(step["run"], values))
    cwd = os.path.join(machine.workspace, step.get("working-directory", ""))
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", script],
        cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, universal_newlines=True,
        timeout=STEP_LIMIT)
    with open(outputs) as stream:
        pairs = [line.rstrip("\n").partition("=") for line in stream
                 if "=" in line]
    return StepRun(step.get("name", ""), done.returncode, done.stdout,
                   {name: value for name, _, value in pairs})


def play_action(step: Dict[str, Any], machine: Machine,
                values: Dict[str, str]) -> None:
    """Do by hand what one of GitHub's actions does."""
    action = step["uses"].partition("@")[0]
    given = {name: substitute(value, values)
             for name, value in step.get("with", {}).items()}
    ACTIONS[action](given, machine)


def checkout(given: Dict[str, str], machine: Machine) -> None:
    """The teacher's repository holds the roster; the checker is this
    repository (a link to it)."""
    target = os.path.join(machine.workspace, given["path"])
    assert given.get("persist-credentials") == "false", (
        "a checkout leaves its token in .git/config, where graded code "
        "could read it")
    if "repository" in given:
        os.symlink(machine.checker, target)
    else:
        os.makedirs(target)
        shutil.copy(machine.roster, os.path.join(target, "roster.csv"))


def setup_python(given: Dict[str, str], machine: Machine) -> None:
    """This interpreter stands for the one set up (the shims are on PATH).
    """
    assert given["python-version"], given


def upload(given: Dict[str, str], machine: Machine) -> None:
    """Keep a folder as the artifact of its name (none if it is missing,
    as if-no-files-found: warn does)."""
    source = os.path.join(machine.workspace, given["path"])
    if os.path.isdir(source):
        shutil.copytree(source, os.path.join(machine.artifacts,
                                             given["name"]))


def download(given: Dict[str, str], machine: Machine) -> None:
    """Copy every artifact matching the pattern to PATH/NAME/."""
    prefix = given["pattern"].rstrip("*")
    for name in sorted(os.listdir(machine.artifacts)):
        if name.startswith(prefix):
            shutil.copytree(os.path.join(machine.artifacts, name),
                            os.path.join(machine.workspace, given["path"],
                                         name))


ACTIONS: Dict[str, Callable[[Dict[str, str], Machine], None]] = {
    "actions/checkout": checkout,
    "actions/setup-python": setup_python,
    "actions/upload-artifact": upload,
    "actions/download-artifact": download,
}


def job_outputs(job: Dict[str, Any], values: Dict[str, str]
                ) -> Dict[str, str]:
    """Return a job's outputs from its steps' outputs."""
    return {name: substitute(value, values)
            for name, value in job.get("outputs", {}).items()}


def matrix_values(text: str) -> List[Any]:
    """Parse a matrix given as JSON (fromJSON of a job output)."""
    parsed: List[Any] = json.loads(text)
    return parsed
