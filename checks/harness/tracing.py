"""Which lines of the learner's app.py a run of their main.py reached.

Task 20 reports this as information, beside the routes reached: an
integration test that never logs out, or never sends a wrong password,
leaves whole branches of the app untested. The server's worker traces
app.py's lines (checks/runtime/serving.py); here, the lines it could have
reached are counted from app.py's syntax tree.
"""
import ast
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
