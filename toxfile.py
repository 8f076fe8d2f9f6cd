"""tox finds the stacks' interpreters in pyenv by itself.

`tox -e grade-py37` needs `python3.7`. With pyenv, that name on PATH is a
shim which fails unless 3.7 is the selected version, and pyenv's own
folder is not on PATH at all. Before tox looks for interpreters, this
links each missing `python3.X` that pyenv has (its newest patch release)
into one folder of its own, put first on tox's PATH; `python3` and the
rest of PATH stay as they were. Nothing changes where the name already
works, or where pyenv is absent.
"""
import glob
import os
import re
import shutil
import subprocess
from typing import List
from typing import Optional

from tox.config.cli.parser import ToxParser
from tox.plugin import impl

VERSIONS = ("3.7", "3.11", "3.12", "3.13")


def runs(program: str) -> bool:
    """Tell whether `program` starts as a Python interpreter."""
    try:
        return subprocess.run([program, "-c", ""], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL,
                              timeout=20).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def patch_release(path: str) -> List[int]:
    """Return the numbers of a pyenv version folder, to sort releases."""
    name = os.path.basename(os.path.dirname(os.path.dirname(path)))
    return [int(part) for part in re.findall(r"\d+", name)]


def pyenv_interpreter(version: str) -> Optional[str]:
    """Return pyenv's newest working `pythonX.Y` of a version, if any."""
    root = os.environ.get("PYENV_ROOT") or os.path.expanduser("~/.pyenv")
    pattern = os.path.join(root, "versions", version + ".*", "bin",
                           "python" + version)
    for candidate in sorted(glob.glob(pattern), key=patch_release,
                            reverse=True):
        if re.fullmatch(re.escape(version) + r"\.\d+", os.path.basename(
                os.path.dirname(os.path.dirname(candidate)))) and \
                runs(candidate):
            return candidate
    return None


@impl
def tox_add_option(parser: ToxParser) -> None:
    """Link pyenv's interpreters before tox resolves any environment."""
    del parser
    folder = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                          ".tox", ".pythons")
    linked = False
    for version in VERSIONS:
        name = "python" + version
        link = os.path.join(folder, name)
        if os.path.lexists(link):
            os.unlink(link)
        if shutil.which(name) and runs(name):
            continue
        found = pyenv_interpreter(version)
        if found:
            os.makedirs(folder, exist_ok=True)
            try:
                os.symlink(found, link)
            except FileExistsError:  # another tox, at the same moment
                pass
            linked = True
    if linked:
        os.environ["PATH"] = folder + os.pathsep + os.environ.get("PATH", "")
