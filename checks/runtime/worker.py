"""The worker: runs inside a sandbox, beside the learner's code.

It imports the learner's modules and answers the checker's requests about
them, one at a time: import a module, read an attribute, call something
with plain arguments, send an HTTP request to the Flask app, run an example
main or a script. Every answer is plain data (protocol.py); objects stay
here and the checker gets a handle, a number, to refer to them later. The
worker decides nothing: it does not know what the checker expects.
"""
import builtins
import faulthandler
import importlib
import inspect
import io
import os
import runpy
import socket
import sys
import traceback
from typing import Any
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional

from . import protocol
from . import template
from .protocol import qualified

FAST_BCRYPT_ROUNDS = 4
MESSAGE_CAP = 2000  # characters of an exception's message sent back
TRACE_CAP = 8000  # characters of a formatted traceback sent back
BODY_CAP = 64 * 1024  # bytes of an HTTP response body sent back
HANG_MARGIN = 0.3  # seconds before the deadline to dump the stacks
IMPORT_DUMP_AFTER = 1.0  # seconds into a preload import to note where it is
ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8",
       "PYTHONDONTWRITEBYTECODE": "1"}


class Stop(Exception):
    """Raised by the stand-in for app.run's server: app.py stops there."""


def warm_up() -> None:
    """Import what a worker uses, in the zygote, so no worker pays it."""
    for name in ("runpy", "werkzeug.test", "werkzeug.serving",
                 "flask.testing", "requests.adapters"):
        try:
            importlib.import_module(name)
        except Exception:
            continue
    from . import model_app
    from . import serving
    serving.warm_up()
    model_app.make_app()


def use_bcrypt_rounds(rounds: int) -> None:
    """Make bcrypt.gensalt() give this cost, whatever cost is asked: cheap,
    as test suites do outside hashing checks."""
    try:
        import bcrypt
    except ImportError:
        return
    from . import serving
    real = bcrypt.gensalt
    serving.REAL_GENSALT[:] = [real]
    chosen = rounds

    def gensalt(rounds: int = rounds, prefix: bytes = b"2b") -> bytes:
        """Return a salt of the chosen cost, whatever cost is asked."""
        return real(chosen, prefix)

    bcrypt.gensalt = gensalt


def _text(value: Any, cap: int) -> str:
    """Return str(value), cut, or a note if str() itself fails."""
    try:
        text = str(value)
    except BaseException:  # learner __str__ may raise anything
        text = "(str() of this {} raised)".format(qualified(type(value)))
    return text[:cap]


def learner_frames(tb: Any, folders: List[str]) -> List[str]:
    """Return "file:line in function" for each frame in these folders."""
    return ["{}:{} in {}".format(os.path.basename(frame.filename),
                                 frame.lineno, frame.name)
            for frame in traceback.extract_tb(tb)
            if any(frame.filename.startswith(folder) for folder in folders)]


def describe_raised(error: BaseException, folders: List[str]
                    ) -> Dict[str, Any]:
    """Describe an exception in plain data."""
    kind = type(error)
    frames = learner_frames(error.__traceback__, folders)
    try:
        text = "".join(traceback.format_exception(kind, error,
                                                  error.__traceback__))
    except BaseException:
        text = ""
    described: Dict[str, Any] = {"type": kind.__name__, "mro": [
        qualified(each) for each in kind.__mro__[:20]],
        "message": _text(error, MESSAGE_CAP), "frames": frames[-5:],
        "traceback": text[-TRACE_CAP:]}
    if isinstance(error, SystemExit):
        code = error.code
        described["exit_code"] = code if code is None or isinstance(
            code, int) else _text(code, 200)
    return described


class Worker:
    """The requests a worker serves, and the objects it holds for them."""

    def __init__(self, sock: socket.socket, layout: Dict[str, str],
                 number: int, extra_fds: List[int]) -> None:
        """Serve on this socket; folders are where the layout says."""
        self.sock = sock
        self.reader = protocol.Reader(sock, protocol.REQUEST_FRAME)
        self.layout = layout
        self.number = number
        self.extra_fds = extra_fds
        self.objects: Dict[int, Any] = {}
        self.ids: Dict[int, int] = {}
        self.failed_imports: Dict[str, BaseException] = {}
        self.hang = open(os.path.join(layout["out"], "hang-{}".format(
            number)), "w")
        self.import_dump = open(os.path.join(layout["out"], "import-{}"
                                             .format(number)), "w")
        self.folders = [layout["solution"] + "/", "example_main.py"]
        # A template (template.py) keeps what its preload reported, for
        # each child to report as its own.
        self.is_template = False
        self.reports: List[Dict[str, Any]] = []
        self.outcome: Dict[str, Any] = {}
        self.settled = ""  # why the template may not be forked, once known
        self.own_fds: List[int] = []  # open before the learner's imports

    def handle(self, value: Any) -> Dict[str, Any]:
        """Keep an object here and return its handle."""
        key = id(value)
        if key not in self.ids:
            self.ids[key] = len(self.objects) + 1
            self.objects[self.ids[key]] = value
        return protocol.tag("handle", id=self.ids[key],
                            type=qualified(type(value)))

    def resolve(self, value: Dict[str, Any]) -> Any:
        """Return the object a reference in a request stands for."""
        if value.get("$") != "ref" or value["id"] not in self.objects:
            raise protocol.ProtocolError("no such object")
        return self.objects[value["id"]]

    def decode(self, value: Any) -> Any:
        """Decode a value of a request, references included."""
        return protocol.decode(value, self.resolve)

    def preload(self, modules: List[str], docs: bool) -> Dict[str, Any]:
        """Import modules now, in order, until one fails; say how it went.

        Each module's outcome is sent as soon as it is known (with its
        docstrings when asked), so that the checker can tell which module
        hung or ended the process, and use those imported before it.
        Faulthandler notes where an import that takes long is, in the
        "import" file.
        """
        outcome: Dict[str, Any] = {}
        self.own_fds = template.open_fds()
        for name in modules:
            faulthandler.dump_traceback_later(IMPORT_DUMP_AFTER,
                                              file=self.import_dump)
            try:
                module = importlib.import_module(name)
            except BaseException as error:
                self.failed_imports[name] = error
                outcome[name] = describe_raised(error, self.folders)
            else:
                outcome[name] = None
            finally:
                faulthandler.cancel_dump_traceback_later()
                flush()
            report: Dict[str, Any] = {"imported": name,
                                      "raised": outcome[name]}
            if docs and outcome[name] is None:
                report["docs"] = documented(module)
            self.report(report)
            self.reports.append(report)
            if outcome[name] is not None:
                break
        return outcome

    def report(self, message: Dict[str, Any]) -> None:
        """Send a message of the worker's own; without its docstrings if
        they make it larger than a message may be."""
        try:
            protocol.send(self.sock, message)
        except protocol.ProtocolError:
            message.pop("docs", None)
            protocol.send(self.sock, message)

    def serve(self) -> None:
        """Answer requests until the checker closes the connection."""
        while True:
            try:
                request = self.reader.receive(None)
            except protocol.ProtocolError:
                return
            fds = self.reader.take_fds()
            issued = len(self.objects)
            reply = self.answer(request, fds)
            try:
                protocol.send(self.sock, reply)
            except protocol.ProtocolError as error:
                self.forget_after(issued)
                protocol.send(self.sock, {"id": reply.get("id"),
                                          "error": str(error)})
            except OSError:
                return

    def forget_after(self, issued: int) -> None:
        """Take back the handles numbered after `issued`: their reply was
        never sent, and the checker takes a number it has not seen for the
        next one (any other is a handle the worker never issued)."""
        while len(self.objects) > issued:
            value = self.objects.pop(len(self.objects))
            self.ids.pop(id(value), None)

    def answer(self, request: Any, fds: List[int]) -> Dict[str, Any]:
        """Run one request; return the reply with its id."""
        if not isinstance(request, dict) or not isinstance(
                request.get("id"), int):
            return {"id": None, "error": "a request needs an id"}
        number = request["id"]
        operation = OPERATIONS.get(str(request.get("op")))
        if operation is None:
            return {"id": number, "error": "unknown operation"}
        budget = request.get("budget")
        if isinstance(budget, (int, float)) and budget > HANG_MARGIN:
            faulthandler.dump_traceback_later(budget - HANG_MARGIN,
                                              file=self.hang)
        try:
            value = operation(self, request, fds)
        except protocol.ProtocolError as error:
            return {"id": number, "error": str(error)}
        except BaseException as error:  # the worker's one boundary
            return {"id": number, "raised": describe_raised(error,
                                                            self.folders)}
        finally:
            faulthandler.cancel_dump_traceback_later()
            flush()
        return {"id": number, "value": protocol.encode(value, self.handle)}

    def target(self, request: Dict[str, Any]) -> Any:
        """Return the object a request is about."""
        return self.decode(request.get("target"))

    def do_import(self, request: Dict[str, Any], fds: List[int]) -> Any:
        """Import a learner module (a failed preload raises again)."""
        name = str(request.get("module"))
        if name in self.failed_imports:
            raise self.failed_imports[name]
        return importlib.import_module(name)

    def do_getattr(self, request: Dict[str, Any], fds: List[int]) -> Any:
        """Read an attribute."""
        return getattr(self.target(request), str(request.get("name")))

    def do_call(self, request: Dict[str, Any], fds: List[int]) -> Any:
        """Call something with plain arguments (and references)."""
        args = self.decode(request.get("args", []))
        kwargs = self.decode(protocol.tag("dict", items=request.get(
            "kwargs", [])))
        return self.target(request)(*args, **kwargs)

    def do_text(self, request: Dict[str, Any], fds: List[int]) -> Any:
        """Return str() of an object."""
        return str(self.target(request))

    def do_items(self, request: Dict[str, Any], fds: List[int]) -> Any:
        """Return the items of an iterable, as a list."""
        return list(self.target(request))

    def do_describe(self, request: Dict[str, Any], fds: List[int]) -> Any:
        """Say what kind of object something is."""
        value = self.target(request)
        kind = "other"
        for name, test in (("module", inspect.ismodule),
                           ("class", inspect.isclass),
                           ("function", inspect.isfunction),
                           ("method", inspect.ismethod),
                           ("builtin", inspect.isbuiltin)):
            if test(value):
                kind = name
                break
        mro = value.__mro__ if inspect.isclass(value) else type(
            value).__mro__
        return {"kind": kind, "type": qualified(type(value)),
                "mro": [qualified(each) for each in mro[:20]],
                "module": getattr(value, "__module__", None)
                if kind in ("class", "function", "method") else None,
                "callable": callable(value)}

    def do_isinstance(self, request: Dict[str, Any], fds: List[int]) -> Any:
        """Tell whether an object is an instance of a class."""
        return isinstance(self.target(request),
                          self.decode(request.get("cls")))

    def do_stub(self, request: Dict[str, Any], fds: List[int]) -> Any:
        """Replace an attribute with a function that returns a value."""
        value = self.decode(request.get("returns"))

        def stub(*args: Any, **kwargs: Any) -> Any:
            """Return the value the checker chose."""
            return value

        setattr(self.target(request), str(request.get("name")), stub)

    def do_exec(self, request: Dict[str, Any], fds: List[int]) -> Any:
        """Run an example main as __main__; its output goes to stdout."""
        code = compile(str(request.get("code")), "example_main.py", "exec")
        exec(code, {"__name__": "__main__", "__builtins__": builtins})

    def do_run_path(self, request: Dict[str, Any], fds: List[int]) -> Any:
        """Run one of the learner's files as __main__ (main.py, app.py)."""
        from . import serving
        os.environ.update({str(key): str(value) for key, value in dict(
            request.get("env", {})).items()})
        recorded: List[Dict[str, Any]] = []
        if request.get("record_run_simple"):
            serving.record_run_simple(recorded, Stop)
        if isinstance(request.get("redirect_port"), int):
            serving.redirect_requests(request["redirect_port"])
        name = os.path.basename(str(request.get("file")))
        sys.argv = [name]
        try:
            runpy.run_path(os.path.join(self.layout["solution"], name),
                           run_name="__main__")
        except Stop:
            pass
        except SystemExit as error:
            if error.code not in (None, 0):
                raise
        return {"run_simple": recorded}

    def do_request(self, request: Dict[str, Any], fds: List[int]) -> Any:
        """Send one HTTP request to a Flask app through its test client."""
        from . import serving
        return serving.test_request(self.target(request), request,
                                    BODY_CAP)

    def do_serve(self, request: Dict[str, Any], fds: List[int]) -> Any:
        """Serve an app until killed; answer first that it listens."""
        from . import serving
        app = serving.load_app(request, self.layout)
        listening = serving.bind(request, fds)
        protocol.send(self.sock, {"id": request["id"],
                                  "value": {"listening": True}})
        serving.serve_forever(app, listening, request, self.layout,
                              self.number)

    def do_fork(self, request: Dict[str, Any], fds: List[int]) -> Any:
        """As a template: fork the worker of a check (template.py), which
        serves on the first descriptor and reports its end on the second.
        """
        # The hang dump's watchdog is a thread: none may run at the fork.
        faulthandler.cancel_dump_traceback_later()
        try:
            if not self.is_template or len(fds) != 2:
                raise template.Refused("not a template")
            self.check_forkable(fds)
            number = int(request.get("worker", 0))
            template.fork_child(number, self.number, fds[0], fds[1],
                                self.layout,
                                self.leave,
                                lambda conn: self.child(conn, number))
            return {"forked": number}
        except template.Refused as why:
            return {"refused": str(why)}
        finally:
            for fd in fds:
                os.close(fd)
            fds.clear()
            template.reap_children()

    def check_forkable(self, fds: List[int]) -> None:
        """Raise Refused unless a child would start as a fresh import."""
        if not self.settled:
            self.settled = "ok"
            try:
                failed = [name for name, raised in self.outcome.items()
                          if raised is not None]
                if failed:
                    raise template.Refused("{}.py did not import".format(
                        failed[0]))
                template.check_tmp(self.layout)
                template.settle_engines()
                template.freeze_heap()
            except template.Refused as why:
                self.settled = str(why)
        if self.settled != "ok":
            raise template.Refused(self.settled)
        template.check_alone(self.own_fds + fds)

    def leave(self) -> None:
        """In a child of this template: close the template's connection
        and files (their objects, so that none closes a reused number)."""
        self.reader.close()
        self.sock.close()
        self.hang.close()
        self.import_dump.close()

    def child(self, conn: int, number: int) -> int:
        """In a check's worker forked from this template: take the check's
        output files (they hold what the import printed), report the
        template's preload as its own, serve."""
        for fd, stream in ((1, "stdout"), (2, "stderr")):
            _capture(fd, os.path.join(self.layout["out"], "{}-{}".format(
                stream, number)), os.O_APPEND)
        served = Worker(socket.socket(fileno=conn), self.layout, number, [])
        for report in self.reports:
            served.report(dict(report))
        protocol.send(served.sock, {"hello": number,
                                    "preloaded": self.outcome})
        served.serve()
        flush()
        return 0

    def do_bye(self, request: Dict[str, Any], fds: List[int]) -> Any:
        """End the worker normally (so that coverage data is saved)."""
        raise SystemExit(0)


OPERATIONS: Dict[str, Callable[[Worker, Dict[str, Any], List[int]], Any]] = {
    "import": Worker.do_import, "getattr": Worker.do_getattr,
    "call": Worker.do_call, "text": Worker.do_text,
    "items": Worker.do_items, "describe": Worker.do_describe,
    "isinstance": Worker.do_isinstance, "stub": Worker.do_stub,
    "exec": Worker.do_exec, "run_path": Worker.do_run_path,
    "request": Worker.do_request, "serve": Worker.do_serve,
    "fork": Worker.do_fork, "bye": Worker.do_bye,
}


def module_docs(module: Any) -> Dict[str, Optional[str]]:
    """Return the __doc__ of a module and of its own classes and functions.

    Keys are "" for the module, "Name" and "Class.name", as the original
    grader's `__import__(m).Name.__doc__` one-liners would reach them.
    """
    docs: Dict[str, Optional[str]] = {"": _doc(module)}
    for name, value in list(vars(module).items()):
        if getattr(value, "__module__", None) != module.__name__:
            continue
        if inspect.isfunction(value) or inspect.isclass(value):
            docs[name] = _doc(value)
        if inspect.isclass(value):
            for attr, member in list(vars(value).items()):
                if isinstance(member, (staticmethod, classmethod)):
                    member = member.__func__
                if inspect.isfunction(member) or isinstance(member, property):
                    docs["{}.{}".format(name, attr)] = _doc(member)
    return docs


def documented(module: Any) -> Optional[Dict[str, Optional[str]]]:
    """Return module_docs(module), or None if reading them raised."""
    try:
        return module_docs(module)
    except BaseException:  # a learner's metaclass may raise anything
        return None


def _doc(value: Any) -> Optional[str]:
    """Return a __doc__ if it is a str, cut; else None."""
    doc = getattr(value, "__doc__", None)
    return doc[:protocol.TEXT_CAP] if type(doc) is str else None


def flush() -> None:
    """Push buffered output to the capture files."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BaseException:
            continue


def _capture(fd: int, path: str, mode: int = os.O_TRUNC) -> None:
    """Point a standard descriptor at a new file (or one to append to)."""
    target = os.open(path, os.O_WRONLY | os.O_CREAT | mode, 0o644)
    os.dup2(target, fd)
    os.close(target)


def main(request: Dict[str, Any], fds: List[int],
         layout: Dict[str, str]) -> int:
    """Become worker number N: set up the process, preload, then serve."""
    number = int(request.get("worker", 0))
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    _capture(1, os.path.join(layout["out"], "stdout-{}".format(number)))
    _capture(2, os.path.join(layout["out"], "stderr-{}".format(number)))
    sys.stdin = io.TextIOWrapper(open(0, "rb", closefd=False))
    sys.stdout = io.TextIOWrapper(open(1, "wb", closefd=False),
                                  line_buffering=True,
                                  errors="backslashreplace")
    sys.stderr = io.TextIOWrapper(open(2, "wb", closefd=False),
                                  line_buffering=True,
                                  errors="backslashreplace")
    os.environ.clear()
    os.environ.update(ENV)
    os.environ.update({"HOME": layout["work"], "TMPDIR": layout["tmp"]})
    os.chdir(layout["work"])
    sys.path.insert(0, layout["solution"])
    sys.dont_write_bytecode = True
    sys.argv = [""]
    rounds = request.get("bcrypt_rounds", FAST_BCRYPT_ROUNDS)
    if isinstance(rounds, int):
        use_bcrypt_rounds(rounds)
    served = Worker(socket.socket(fileno=fds[0]), layout, number, fds[1:])
    preloaded = served.preload([str(name) for name in request.get(
        "preload", [])], request.get("docs") is True)
    served.outcome = preloaded
    served.is_template = request.get("template") is True
    protocol.send(served.sock, {"hello": number, "preloaded": preloaded})
    served.serve()
    flush()
    return 0
