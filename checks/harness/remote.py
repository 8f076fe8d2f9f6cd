"""The learner's code as a check sees it: a worker in a sandbox.

A check reads like the contract, `user = learner.auth().register_user(
EMAIL, "pwd")`, but nothing of the learner's runs here: each attribute
read and each call is a request to the worker, whose answer is plain data
or a Handle, a stand-in for an object that stays in the worker. A Handle
never runs learner code in this process: its repr, equality and truth are
its own. An instance of a subclass of str, bytes, int or float (a library's
`quoted_name`, an IntEnum) comes back as its built-in value, in a class of
ours that names the subclass (values.py): data, compared as data. What
the learner's code raised comes back as Raised, a failure that names the
call, the exception and the learner's line.
"""
import time
from typing import Any
from typing import Dict
from typing import List
from typing import NamedTuple
from typing import Optional
from typing import Tuple

from checks.harness import diagnose
from checks.harness.failures import Failure
from checks.harness.failures import Timeout
from checks.harness.failures import shorten
from checks.harness.sandbox import Garbled
from checks.harness.sandbox import Gone
from checks.harness.sandbox import Late
from checks.harness.sandbox import Worker
from checks.harness.values import Plain
from checks.harness.values import plain_of
from checks.runtime import protocol

# Dunder attributes a check may read through a handle; any other dunder
# is looked up on the Handle itself, as Python and pytest expect.
FORWARDED_DUNDERS = ("__tablename__", "__table__", "__doc__", "__name__",
                     "__module__")
OUTPUT_CAP = 64 * 1024  # bytes of captured output a check reads
GARBLED_RAISED = "an exception described in fields of the wrong types"


class Raised(Failure):
    """The learner's code raised an exception during a request."""

    def __init__(self, action: str, raised: Dict[str, Any]) -> None:
        """Say what was done and what it raised, where, with a hint."""
        self.type_name = str(raised.get("type", "?"))
        self.mro = [str(name) for name in raised.get("mro", [])]
        self.message = str(raised.get("message", ""))
        self.frames = [str(frame) for frame in raised.get("frames", [])]
        self.exit_code = raised.get("exit_code")
        self.traceback = str(raised.get("traceback", ""))
        where = " (at {})".format(self.frames[-1]) if self.frames else ""
        self.hint = diagnose.hint_for(self.traceback)
        super().__init__("{} raised {}: {}{}".format(
            action, self.type_name, shorten(self.message.strip(), 300),
            where), self.hint)

    def is_a(self, qualified: str) -> bool:
        """Tell whether the exception's class or a base is this class.

        A bare name ("ValueError") is the builtin: a learner's own class of
        that name (auth.ValueError) is another class, which a caller
        catching ValueError would not catch.
        """
        wanted = qualified if "." in qualified else "builtins." + qualified
        return wanted in self.mro


def texts(value: Any) -> List[str]:
    """Return a list field of a worker's reply as strings; a field of
    another type (the worker's to garble) as none."""
    return [str(each) for each in value] if isinstance(value, list) else []


def is_raised(raised: Any) -> bool:
    """Tell whether a reply's "raised" has the worker's shape: text where
    text belongs, lists of text where lists do (a Raised reads them)."""
    return isinstance(raised, dict) and all(
        isinstance(raised.get(field, ""), str)
        for field in ("type", "message", "traceback")) and all(
        isinstance(raised.get(field, []), list) and all(
            isinstance(each, str) for each in raised.get(field, []))
        for field in ("mro", "frames"))


class Description(NamedTuple):
    """What kind of object a handle stands for."""

    kind: str  # module, class, function, method, builtin or other
    type: str  # "module.Qualname" of its type
    mro: Tuple[str, ...]  # of the class itself for a class, else its type
    module: Optional[str]
    callable: bool

    @property
    def name(self) -> str:
        """Return the bare name of the object's type."""
        return self.type.rsplit(".", 1)[-1]


class Handle:
    """A stand-in for an object that stays in the worker.

    Its own attributes have names no learner would give theirs, so that
    `user.type` or `user.label` still reach the learner's object.
    """

    __slots__ = ("_h_learner", "_h_id", "_h_type", "_h_label")

    def __init__(self, learner: "Learner", number: int, kind: str,
                 label: str) -> None:
        """Remember which object this is, and how the check got it."""
        self._h_learner = learner
        self._h_id = number
        self._h_type = kind
        self._h_label = label

    def __getattr__(self, name: str) -> Any:
        """Read the object's attribute in the worker."""
        if name.startswith("__") and name not in FORWARDED_DUNDERS:
            raise AttributeError(name)
        return self._h_learner.getattr(self, name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Call the object in the worker with plain arguments."""
        return self._h_learner.call(self, args, kwargs)

    def __repr__(self) -> str:
        """Describe the handle without asking the worker anything."""
        return "<{} object>".format(self._h_type)

    def __eq__(self, other: object) -> bool:
        """Tell whether two handles stand for the very same object."""
        return isinstance(other, Handle) and \
            other._h_learner is self._h_learner and other._h_id == self._h_id

    def __hash__(self) -> int:
        """Hash by identity in the worker, as __eq__ compares."""
        return hash((id(self._h_learner), self._h_id))


def type_of(value: Any) -> str:
    """Return "module.Qualname" of a value's type in the worker, handles
    and the values of subclasses included."""
    if isinstance(value, Handle):
        return value._h_type
    if isinstance(value, Plain):
        return value.of_type
    return "{}.{}".format(type(value).__module__, type(value).__qualname__)


def label_of(handle: Handle) -> str:
    """Return how the check got a handle, e.g. "Auth().register_user"."""
    return handle._h_label


def _argument_text(args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> str:
    """Render call arguments for a label, short."""
    parts = [label_of(arg) if isinstance(arg, Handle) else shorten(arg, 60)
             for arg in args]
    parts += ["{}={}".format(key, label_of(value) if isinstance(
        value, Handle) else shorten(value, 60))
        for key, value in kwargs.items()]
    return ", ".join(parts)


class Learner:
    """The requests a check sends to its worker, within its deadline."""

    def __init__(self, worker: Worker, deadline: float,
                 limit: float) -> None:
        """Talk to this worker until the monotonic deadline."""
        self.worker = worker
        self.deadline = deadline
        self.limit = limit
        self.hung = False
        self.hung_file: Optional[str] = None  # a module that hung importing
        self.issued = 0  # the highest handle number the worker gave out

    def request(self, op: str, action: str, fds: Tuple[int, ...] = (),
                **fields: Any) -> Any:
        """Send a request; return its decoded value, or raise a Failure."""
        try:
            reply = self.worker.request(op, self.deadline, fds, **fields)
            if type(reply.get("id")) is not int:  # 7.0 == 7, True == 1
                raise Garbled("a reply whose id is not an int")
            if "raised" in reply and not is_raised(reply["raised"]):
                raise Garbled(GARBLED_RAISED)
        except Late:
            raise self.timed_out(action)
        except Gone as gone:
            importing = self.worker.importing()
            raise Failure(diagnose.ended(gone.status, action if importing
                                         is None else "import " + importing,
                                         self.stderr()))
        except Garbled as error:
            raise Failure("{}: the worker's answer is not valid ({}): does "
                          "the code write to descriptors it does not own?"
                          .format(action, error))
        if "raised" in reply:
            raise Raised(action, reply["raised"])
        if "value" not in reply:
            raise Failure("{}: the worker could not do it ({})".format(
                action, shorten(reply.get("error"), 200)))
        try:
            return protocol.decode(reply["value"], lambda tagged: self.handle(
                tagged, action), plain=plain_of)
        except protocol.ProtocolError as error:
            raise Failure("{}: the worker's answer is not valid ({})".format(
                action, error))

    def handle(self, tagged: Dict[str, Any], action: str) -> Handle:
        """Return the Handle a reply names: one the worker gave out before,
        or the next new one (it numbers its objects 1, 2, 3... in the order
        they are sent); any other number is not the worker's."""
        number = tagged["id"]
        if type(number) is not int or not 0 < number <= self.issued + 1:
            raise protocol.ProtocolError("a handle the worker never issued "
                                         "({})".format(shorten(number, 40)))
        self.issued = max(self.issued, number)
        return Handle(self, number, str(tagged.get("type", "?"))[:200],
                      action)

    def timed_out(self, action: str) -> Timeout:
        """End the sandbox of a check whose time is up; say where it hung:
        in a module its worker imports first, or in the request."""
        self.hung = True
        importing = self.worker.importing()
        time.sleep(min(0.2, max(0.0, self.deadline + 0.05 -
                                time.monotonic())))
        trace = (self.worker.sandbox.read("out/{}-{}".format(
            "hang" if importing is None else "import", self.worker.number),
            OUTPUT_CAP) or b"").decode("utf-8", "replace")
        self.worker.sandbox.close()
        if importing is not None:
            self.hung_file = importing + ".py"
            return Timeout(diagnose.import_hung(self.limit, importing, trace))
        return Timeout(diagnose.timed_out(self.limit, action, trace))

    def stderr(self) -> str:
        """Return what the worker wrote to stderr, decoded."""
        return self.worker.read_output("stderr", OUTPUT_CAP).decode(
            "utf-8", "replace")

    def output(self) -> str:
        """Return what the worker wrote to stdout so far."""
        return self.worker.read_output("stdout", OUTPUT_CAP + 1).decode(
            "utf-8", "replace")

    def getattr(self, handle: Handle, name: str) -> Any:
        """Read an attribute of an object in the worker."""
        return self.request("getattr", "{}.{}".format(label_of(handle), name),
                            target=ref(handle), name=name)

    def call(self, handle: Handle, args: Tuple[Any, ...],
             kwargs: Dict[str, Any]) -> Any:
        """Call an object in the worker."""
        return self.request(
            "call", "{}({})".format(label_of(handle), _argument_text(
                args, kwargs)), target=ref(handle), args=encode(list(args)),
            kwargs=[[key, encode(value)] for key, value in kwargs.items()])

    def module(self, name: str) -> Handle:
        """Import one of the learner's modules."""
        value = self.request("import", "import {}".format(name), module=name)
        if not isinstance(value, Handle):
            raise Failure("import {} gave {!r}, not a module".format(
                name, value))
        value._h_label = name
        return value

    def attribute(self, module: str, name: str) -> Any:
        """Return module.name, failing clearly when it is missing."""
        loaded = self.module(module)
        try:
            return self.getattr(loaded, name)
        except Raised as error:
            if error.is_a("AttributeError"):
                raise Failure("{}.py defines no {}".format(module, name))
            raise

    def describe(self, value: Any) -> Description:
        """Say what kind of object a value is (plain values too)."""
        if not isinstance(value, Handle):
            kind = type_of(value)
            return Description("other", kind, (kind,), None, False)
        found = self.request("describe", "describe " + label_of(value),
                             target=ref(value))
        if not isinstance(found, dict):
            raise Failure("describe {}: not a description".format(
                label_of(value)))
        module = found.get("module")
        return Description(str(found.get("kind")), str(found.get("type")),
                           tuple(texts(found.get("mro"))),
                           module if isinstance(module, str) else None,
                           found.get("callable") is True)

    def text(self, value: Any) -> str:
        """Return str() of an object, computed in the worker."""
        if not isinstance(value, Handle):
            return str(value)
        return str(self.request("text", "str({})".format(label_of(value)),
                                target=ref(value)))

    def items(self, value: Any) -> List[Any]:
        """Return list() of an iterable in the worker (or of plain data)."""
        if not isinstance(value, Handle):
            return list(value) if isinstance(value, (list, tuple, dict,
                                                     str)) else []
        found = self.request("items", "list({})".format(label_of(value)),
                             target=ref(value))
        return list(found) if isinstance(found, list) else []

    def is_instance(self, value: Any, cls: Handle) -> bool:
        """Tell whether a value is an instance of a learner's class."""
        if not isinstance(value, Handle):
            return False
        return self.request("isinstance", "isinstance({}, {})".format(
            label_of(value), label_of(cls)), target=ref(value),
            cls=ref(cls)) is True

    def stub(self, module: str, name: str, returns: Any) -> None:
        """Replace module.name with a function returning a plain value."""
        self.request("stub", "{}.{} = (a stub)".format(module, name),
                     target=ref(self.module(module)), name=name,
                     returns=encode(returns))

    def auth(self) -> Handle:
        """Return a fresh Auth() (its DB starts with empty tables)."""
        return self.attribute("auth", "Auth")()

    def db(self) -> Handle:
        """Return a fresh DB() (empty tables)."""
        return self.attribute("db", "DB")()


def ref(handle: Handle) -> Dict[str, Any]:
    """Return the reference to a handle's object, for a request."""
    return protocol.tag("ref", id=handle._h_id)


def encode(value: Any) -> Any:
    """Encode an argument: plain data, or handles as references."""
    def other(item: Any) -> Dict[str, Any]:
        """Pass a handle by reference; refuse anything else."""
        if isinstance(item, Handle):
            return ref(item)
        raise TypeError("cannot send a {} to the worker".format(
            type(item).__name__))
    return protocol.encode(value, other)


def expect_type(value: Any, qualified: str, action: str) -> None:
    """Fail unless a value (plain or handle) is of this exact type, or, for
    a built-in type, of a subclass of it (its value crossed as one).

    `qualified` is "module.Name": "builtins.bytes", "user.User".
    """
    got = type_of(value)
    if got != qualified and not (isinstance(value, Plain) and
                                 value.base == qualified):
        raise Failure("{}: expected a {}, got a {}: {}".format(
            action, qualified.replace("builtins.", ""),
            got.replace("builtins.", ""), shorten(value, 120)))


def raised_by(action: str, call: Any) -> Raised:
    """Return what a call of learner code raised, failing if it returned."""
    try:
        value = call()
    except Raised as error:
        return error
    raise Failure("{} returned {} instead of raising".format(
        action, shorten(value, 120)))


def expect_raises(action: str, call: Any, name: str,
                  help: Optional[str] = None) -> Raised:
    """Fail unless a call raises an exception of this class (or a subclass).
    """
    error = raised_by(action, call)
    if not error.is_a(name):
        raise Failure("{} raised {}: {}, expected {}".format(
            action, error.type_name, shorten(error.message, 200), name),
            help)
    return error
