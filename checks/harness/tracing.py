"""Which lines of the learner's app.py a run of their main.py reached.

Task 20 reports this as information, beside the routes reached: an
integration test that never logs out, or never sends a wrong password,
leaves whole branches of the app untested. The server child runs a line
tracer limited to app.py (the server is single-threaded, so one trace
function sees every request) and writes the lines it saw after each
request; the checker compares them with the statements inside app.py's
functions.
"""
import ast
import json
import os
import sys
from typing import Any
from typing import Callable
from typing import Set


def executable_lines(source: str) -> Set[int]:
    """Return the first lines of the statements inside functions.

    Docstrings and `try:` lines (which Python 3.11 never reports) are left
    out, so that a fully exercised function counts as fully covered.
    """
    lines: Set[int] = set()
    for node in ast.parse(source).body:
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for child in ast.walk(node):
            if child is node or not isinstance(child, ast.stmt) or \
                    isinstance(child, ast.Try):
                continue
            if isinstance(child, ast.Expr) and is_text(child.value):
                continue
            lines.add(child.lineno)
    return lines


def is_text(node: ast.AST) -> bool:
    """Tell whether a node is a string literal (ast.Str on Python 3.7)."""
    if type(node).__name__ == "Str":
        return True
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def traced(load_app: Callable[[], Any], path: str,
           lines_path: str) -> Callable[[], Any]:
    """Wrap an app loader so that the app's lines in `path` are recorded."""
    target = os.path.abspath(path)

    def load() -> Any:
        """In the server child: trace app.py, then load the app."""
        seen: Set[int] = set()

        def local(frame: Any, event: str, arg: Any) -> Any:
            """Record each line run in a frame of app.py."""
            if event == "line":
                seen.add(frame.f_lineno)
            return local

        def calls(frame: Any, event: str, arg: Any) -> Any:
            """Trace frames of app.py only."""
            if os.path.abspath(frame.f_code.co_filename) == target:
                return local
            return None

        sys.settrace(calls)
        app = load_app()

        def wsgi(environ: Any, start_response: Any) -> Any:
            """Answer, then save the lines seen so far."""
            try:
                return app(environ, start_response)
            finally:
                with open(lines_path, "w") as stream:
                    json.dump(sorted(seen), stream)
        return wsgi
    return load


def read_lines(lines_path: str) -> Set[int]:
    """Return the lines a traced server recorded (none if it saved none)."""
    try:
        with open(lines_path) as stream:
            return set(json.load(stream))
    except (OSError, ValueError):
        return set()
