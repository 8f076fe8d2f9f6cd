"""Is a task started? Found by parsing the learner's files, never by running.

A task is started when its file holds its function or method, or when
app.py serves its route, whatever the view function is called. When neither
is there but something close is (the function written as a method, a
misspelt name, /session for /sessions, the route for another method), the
task is a near miss: failed, with a message that says what was found and
what the page asks for. Otherwise it is not started.
"""
import ast
import difflib
from typing import Dict
from typing import List
from typing import NamedTuple
from typing import Optional

from checks.harness.catalogue import Marker
from checks.harness.catalogue import Route
from checks.harness.catalogue import Task
from checks.harness.failures import Failure

SIMILAR = 0.8  # difflib ratio above which a name or path is a near miss
SHORTCUTS = ("get", "post", "put", "delete", "patch")


class Served(NamedTuple):
    """A route app.py serves, the view function serving it, and where."""

    route: Route
    view: str
    line: int


class Found(NamedTuple):
    """Whether a task is started, and what was found if it is a near miss.
    """

    state: str  # "started", "near" or "absent"
    message: str = ""


def normal_path(path: str) -> str:
    """Return a route's path without its trailing slash ("/" stays)."""
    return path.rstrip("/") or "/"


def _literal(node: Optional[ast.AST]) -> object:
    """Return a literal's value, or None when it is not a literal."""
    if node is None:
        return None
    try:
        return ast.literal_eval(node)
    except ValueError:
        return None


def _methods(call: ast.Call, default: List[str]) -> List[str]:
    """Return the methods= of a route call, upper-case, or the default."""
    for keyword in call.keywords:
        if keyword.arg == "methods":
            value = _literal(keyword.value)
            if isinstance(value, (list, tuple, set)):
                return sorted(str(method).upper() for method in value)
    return default


def _route_of(call: ast.Call) -> Optional[List[Route]]:
    """Read @x.route(path, methods=...) or @x.post(path) as routes."""
    func = call.func
    if not isinstance(func, ast.Attribute) or not call.args:
        return None
    path = _literal(call.args[0])
    if not isinstance(path, str):
        return None
    if func.attr == "route":
        methods = _methods(call, ["GET"])
    elif func.attr in SHORTCUTS:
        methods = [func.attr.upper()]
    else:
        return None
    return [Route(method, normal_path(path)) for method in methods]


def served_routes(tree: ast.Module) -> List[Served]:
    """Return every route app.py serves, from decorators and add_url_rule.
    """
    found: List[Served] = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for decorator in node.decorator_list:
                routes = _route_of(decorator) if isinstance(
                    decorator, ast.Call) else None
                found += [Served(route, node.name, node.lineno)
                          for route in routes or ()]
        call = node.value if isinstance(node, ast.Expr) else None
        if isinstance(call, ast.Call) and isinstance(
                call.func, ast.Attribute) and \
                call.func.attr == "add_url_rule" and call.args:
            path = _literal(call.args[0])
            view = [kw.value for kw in call.keywords
                    if kw.arg == "view_func"] + list(call.args[2:3])
            name = getattr(view[0], "id", "?") if view else "?"
            if isinstance(path, str):
                found += [Served(Route(method, normal_path(path)), name,
                                 node.lineno)
                          for method in _methods(call, ["GET"])]
    return found


def functions_by_name(tree: ast.Module) -> Dict[str, ast.AST]:
    """Return "name" and "Class.name" for every def and class in a module."""
    found: Dict[str, ast.AST] = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef,
                             ast.ClassDef)):
            found[node.name] = node
        if isinstance(node, ast.ClassDef):
            for child in node.body:
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    found["{}.{}".format(node.name, child.name)] = child
    return found


def definitions(tree: ast.Module) -> Dict[str, str]:
    """Return every def and class by name, with its kind: class, function
    (module level) or method ("Class.name")."""
    return {name: "class" if isinstance(node, ast.ClassDef) else
            "method" if "." in name else "function"
            for name, node in functions_by_name(tree).items()}


def expect_view(source: Optional[str], route: Route, name: str) -> None:
    """Fail unless the view of a route is the function the page names."""
    try:
        tree = ast.parse(source or "")
    except (SyntaxError, ValueError) as error:
        raise Failure("app.py does not parse: {}".format(error))
    views = views_of(route, served_routes(tree))
    if not views:
        raise Failure("app.py serves no {}".format(route))
    if views != [name]:
        raise Failure("the view of {} is named `{}`; yours is {}".format(
            route, name, ", ".join("`{}`".format(view) for view in views)),
            help="rename it `{}`: the page names each view function"
            .format(name))


def views_of(route: Route, routes: List[Served]) -> List[str]:
    """Return the names of the view functions that serve a route."""
    return sorted({served.view for served in routes
                   if served.route == route})


def presence(task: Task, source: Optional[str]) -> Found:
    """Tell whether a task is started, a near miss, or not started."""
    marker = task.marker
    if source is None:
        return Found("absent")
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return Found("started")  # its checks fail with the syntax error
    defs = definitions(tree)
    if marker.route is not None:
        routes = served_routes(tree)
        if views_of(marker.route, routes):
            return Found("started")
        near = _near_route(marker, routes)
    elif marker.qualified is None or marker.qualified in defs:
        return Found("started")
    else:
        near = _near_definition(marker, defs)
    if near:
        return Found("near", near)
    # A function with the page's name that serves no route: its checks
    # run, and fail on the route.
    return Found("started" if marker.qualified in defs else "absent")


def _near_definition(marker: Marker, defs: Dict[str, str]) -> str:
    """Describe a def close to the marker's, or return ""."""
    wanted = str(marker.qualified)
    if marker.cls is None:
        as_method = [name for name, kind in defs.items()
                     if kind == "method" and name.endswith("." + wanted)]
        if as_method:
            return ("{} has `{}`, a method; the task asks for a "
                    "module-level function `{}`".format(
                        marker.file, as_method[0], wanted))
    elif defs.get(str(marker.name)) == "function":
        return ("{} has a module-level function `{}`; the task asks for "
                "the method `{}`".format(marker.file, marker.name, wanted))
    same_kind = [name for name, kind in defs.items()
                 if kind == ("method" if marker.cls else "function")]
    close = difflib.get_close_matches(wanted, same_kind, 1, SIMILAR)
    if close:
        return "{} has `{}`; the task asks for `{}`".format(
            marker.file, close[0], wanted)
    return ""


def _near_route(marker: Marker, routes: List[Served]) -> str:
    """Describe a route close to the marker's, or return ""."""
    wanted = marker.route
    assert wanted is not None
    same_path = [served for served in routes
                 if served.route.path == wanted.path]
    if same_path:
        return ("app.py serves {} only for {} (view `{}`); the task asks "
                "for {}".format(wanted.path, ", ".join(sorted(
                    {served.route.method for served in same_path})),
                    same_path[0].view, wanted))
    close = [served for served in routes
             if served.route.method == wanted.method and
             difflib.SequenceMatcher(None, served.route.path,
                                     wanted.path).ratio() >= SIMILAR]
    named = [served for served in routes if served.view == marker.name]
    for served in close + named:
        return "app.py has {} (view `{}`); the task asks for {}".format(
            served.route, served.view, wanted)
    return ""
