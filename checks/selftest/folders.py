"""Solution folders for the self-tests: edited copies of the reference.

An edit is data (see mutants.py): a text replacement that must match the
reference exactly once, a new docstring for a named definition, or a
whole-file change such as CRLF line endings.
`is_static` proves from the syntax tree that an edit changes nothing but
layout, comments, docstrings and annotations, which only the static checks
can see.
"""
import ast
import hashlib
import io
import os
import shutil
import stat
import tokenize
from typing import Any
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

from checks.harness.catalogue import REFERENCE_FOLDER

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
REFERENCE = os.path.join(REPO_ROOT, REFERENCE_FOLDER)
KINDS = ("replace", "docstring", "chmod-x", "crlf", "no-newline",
         "delete-file", "add-file")


def copy_reference(target: str) -> str:
    """Copy the reference's top-level files (no caches) into a new folder."""
    os.makedirs(target)
    for name in sorted(os.listdir(REFERENCE)):
        source = os.path.join(REFERENCE, name)
        if os.path.isfile(source) and not name.endswith((".db", ".pyc")):
            shutil.copy2(source, os.path.join(target, name))
    return target


def build(edits: List[Any], folder: str,
          tokens: Optional[Dict[str, str]] = None,
          special: Tuple[Tuple[str, str], ...] = ()) -> str:
    """Copy the reference to a folder and apply (kind, file, old, new).

    Each @NAME@ of `tokens` in a new text becomes its value; `special`
    then replaces files with a FIFO, a link or a sparse giant.
    """
    copy_reference(folder)
    for kind, file, old, new in edits:
        for name, value in (tokens or {}).items():
            new = new.replace("@{}@".format(name), value)
        apply_edit(folder, kind, file, old, new)
    for file, kind in special:
        make_special(os.path.join(folder, file), kind)
    return folder


def make_special(path: str, kind: str) -> None:
    """Replace a file with a FIFO, a symbolic link or a 3 GiB sparse file.
    """
    if os.path.lexists(path):
        os.remove(path)
    if kind == "fifo":
        os.mkfifo(path)
    elif kind.startswith("link:"):
        os.symlink(kind[len("link:"):], path)
    elif kind == "sparse":
        with open(path, "wb") as stream:
            stream.truncate(3 * 2**30)
    else:
        raise ValueError("unknown special file: {}".format(kind))


def reference_text(file: str) -> str:
    """Return a reference file's text, exactly as stored."""
    with open(os.path.join(REFERENCE, file), "rb") as stream:
        return stream.read().decode("utf-8")


def edit_text(text: str, old: str, new: str, where: str) -> str:
    """Replace the one occurrence of old, refusing zero or several."""
    count = text.count(old)
    if count != 1:
        raise ValueError("{}: the text to replace occurs {} times, not once:"
                         " {!r}".format(where, count, old[:80]))
    return text.replace(old, new)


def edited(text: str, kind: str, file: str, old: str, new: str) -> str:
    """Return a file's text after a text edit of some kind."""
    if kind == "replace":
        return edit_text(text, old, new, file)
    if kind == "docstring":
        return replace_docstring(text, old, new, file)
    if kind == "crlf":
        return text.replace("\n", "\r\n")
    if kind == "no-newline":
        return text.rstrip("\n")
    raise ValueError("unknown kind of edit: {}".format(kind))


def apply_edit(folder: str, kind: str, file: str, old: str = "",
               new: str = "") -> None:
    """Apply one edit of a given kind to a file of a folder."""
    path = os.path.join(folder, file)
    if kind == "chmod-x":
        mode = os.stat(path).st_mode
        os.chmod(path, mode & ~(stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH))
    elif kind == "delete-file":
        os.remove(path)
    elif kind == "add-file":
        write(path, new)
    elif kind == "add-latin1":  # a file that is not UTF-8
        with open(path, "wb") as stream:
            stream.write(new.encode("latin-1"))
    else:
        write(path, edited(read(path), kind, file, old, new))


def _definition_line(tree: ast.Module, name: str) -> int:
    """Return the line of "name" or "Class.name" (0 for the module)."""
    if not name:
        return 0
    scope: List[ast.stmt] = tree.body
    node = None
    for part in name.split("."):
        found = [each for each in scope if getattr(each, "name", None) == part
                 and isinstance(each, (ast.ClassDef, ast.FunctionDef))]
        if not found:
            raise ValueError("no definition named {}".format(name))
        node = found[0]
        scope = node.body
    return getattr(node, "lineno", 0)


def replace_docstring(text: str, name: str, new: str, where: str) -> str:
    """Replace the docstring of a definition ("" is the module) with new.

    Tokens find the string's exact extent on every Python version (3.7's
    ast has no end positions, and starts a decorated def at its decorator).
    """
    line = _definition_line(ast.parse(text), name)
    awaiting = "def" if name else "string"
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.start[0] < line:
            continue
        if awaiting == "def":
            if token.string in ("def", "class"):
                awaiting = "newline"
            continue
        if awaiting == "newline":
            if token.type == tokenize.NEWLINE:
                awaiting = "string"
            continue
        if token.type in (tokenize.NL, tokenize.INDENT, tokenize.COMMENT):
            continue
        if token.type != tokenize.STRING:
            break
        lines = text.splitlines(True)
        start = sum(len(each) for each in lines[:token.start[0] - 1]) + \
            token.start[1]
        end = sum(len(each) for each in lines[:token.end[0] - 1]) + \
            token.end[1]
        return text[:start] + new + text[end:]
    raise ValueError("{}: {} has no docstring".format(where, name or
                                                      "the module"))


def read(path: str) -> str:
    """Read a file as UTF-8 text, line endings untouched."""
    with open(path, "rb") as stream:
        return stream.read().decode("utf-8")


def write(path: str, text: str) -> None:
    """Write UTF-8 text, line endings untouched, keeping the file's mode."""
    with open(path, "wb") as stream:
        stream.write(text.encode("utf-8"))


def digest(folder: str, skip: Tuple[str, ...] = ()) -> Dict[str, Tuple[
        int, str]]:
    """Return every entry under a folder with its mode and a SHA-256 of a
    regular file's first MiB (of a link, its target), skipping the named
    folders (such as __pycache__) and never reading a FIFO."""
    found = {}
    for root, dirs, names in os.walk(folder):
        dirs[:] = [name for name in dirs if name not in skip]
        for name in names:
            path = os.path.join(root, name)
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode):
                data = os.readlink(path).encode()
            elif stat.S_ISREG(info.st_mode):
                with open(path, "rb") as stream:
                    data = stream.read(1 << 20) + str(info.st_size).encode()
            else:
                data = b""
            found[os.path.relpath(path, folder)] = (
                info.st_mode, hashlib.sha256(data).hexdigest())
    return found


def _strip(tree: ast.AST) -> ast.AST:
    """Drop docstrings and annotations, in place, and return the tree."""
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef,
                             ast.AsyncFunctionDef)) and body and \
                ast.get_docstring(node, clean=False) is not None:
            node.body = body[1:] or [ast.Pass()]
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            node.returns = None
        if isinstance(node, ast.arg):
            node.annotation = None
        if isinstance(node, ast.AnnAssign):
            node.annotation = ast.Name(id="_", ctx=ast.Load())
    return tree


def semantics(source: str) -> Optional[str]:
    """Return the code's tree without layout, docs and annotations."""
    try:
        return ast.dump(_strip(ast.parse(source)))
    except (SyntaxError, ValueError):
        return None


def is_static(edits: List[Tuple[str, str, str, str]]) -> bool:
    """Tell whether (kind, file, old, new) edits leave every behaviour alone.

    Changing a file's mode, line endings or final newline never does, nor
    does any edit of a file that is not Python; a text edit does not when
    the module's tree, stripped of docstrings and annotations, is unchanged.
    """
    for kind, file, old, new in edits:
        if kind in ("chmod-x", "crlf", "no-newline") or \
                not file.endswith(".py"):
            continue
        if kind not in ("replace", "docstring"):
            return False
        before = reference_text(file)
        after = semantics(edited(before, kind, file, old, new))
        if after is None or after != semantics(before):
            return False
    return True
