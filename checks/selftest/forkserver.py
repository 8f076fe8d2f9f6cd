"""The self-tests' warm grader, as a process that serves grade requests.

The self-tests grade a few hundred folders; a warm grader
(checks/harness/warm.py) grades each in a forked child of one process that
imported the checker and started a zygote once. This process is one warm
grader: it reads JSON requests from stdin, one a line (`{"args": [...],
"log": PATH, "limit": SECONDS}`), grades each, and answers each with a JSON
line `{"rc": N}` (-9 when the child ran past its limit and was killed).
Run it as `python -m checks.selftest.forkserver` from the repository root.
"""
import json
import sys

from checks.harness.warm import WarmGrader


def main() -> None:
    """Start the warm grader, then serve until stdin closes."""
    grader = WarmGrader()
    try:
        for line in sys.stdin:
            if line.strip():
                request = json.loads(line)
                status = grader.run(request["args"], request["log"],
                                    float(request["limit"]))
                print(json.dumps({"rc": status}), flush=True)
    finally:
        grader.close()


if __name__ == "__main__":
    main()
