"""The processes running on this machine, as the self-tests look for them.
"""
import os
from typing import List


def processes_with(word: str) -> List[str]:
    """Return "pid: command line" of each running process (not this one)
    whose command line holds a word: a hostile case's token, or the
    temporary folder a zygote and its sandboxes run from."""
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            with open("/proc/{}/cmdline".format(pid), "rb") as stream:
                line = stream.read().replace(b"\0", b" ").decode(
                    "utf-8", "replace")
        except OSError:
            continue
        if word in line:
            found.append("{}: {}".format(pid, line[:200]))
    return found
