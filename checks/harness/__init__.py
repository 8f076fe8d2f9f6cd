"""The checker's machinery: catalogue, sandbox, solution, scorecard, plugin.

The checker runs in an environment that tox makes with one of the two
stacks. Run from any other Python, it would fail later with an import
traceback through its own modules; this says in one line what to run.
"""
import importlib.util

STACK_PACKAGES = ("bcrypt", "flask", "pycodestyle", "sqlalchemy")
MISSING = [name for name in STACK_PACKAGES
           if importlib.util.find_spec(name) is None]
if MISSING:
    raise ImportError(
        "this Python lacks {}: run the checker through tox from the "
        "repository root, e.g. `tox -e grade -- --solution PATH` (README.md)"
        .format(", ".join(MISSING)))
