"""The wire between the checker and the processes that run learner code.

A message is a length-prefixed JSON document: four bytes of big-endian
length, then that many bytes of UTF-8 JSON. Nothing else ever crosses: no
pickle, no marshal, nothing that runs code when it is read. Both sides cap a
frame at MAX_FRAME bytes, and the reader refuses a larger length before it
reads a byte of the body, so an endless or oversized report costs nothing.
File descriptors ride along a message as SCM_RIGHTS ancillary data.

Values are plain data: None, bool, int, float and str as JSON has them;
bytes, tuples, lists and dicts tagged (`{"$": "bytes", ...}`); and any other
object as a handle (`{"$": "handle", "id": 7, "type": "user.User"}`), a
number that stands for an object which stays in the worker. An instance of
a subclass of str, bytes, int or float (SQLAlchemy's `quoted_name`, an
IntEnum) is data too: its built-in value crosses, taken by the base type's
own code, with the subclass's name (`{"$": "plain", "value": "id", "type":
"sqlalchemy.sql.elements.quoted_name"}`); none of the subclass's methods
runs on either side. This module is imported on both sides; it imports only
the standard library.
"""
import array
import base64
import json
import os
import select
import socket
import struct
import time
from typing import Any
from typing import Callable
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

MAX_FRAME = 1024 * 1024  # bytes in one message from a worker
REQUEST_FRAME = 4 * MAX_FRAME  # bytes in one message to a worker
MAX_FDS = 4  # file descriptors one message may carry
HEADER = struct.Struct(">I")
INT_DIGITS = 40  # longer integers in JSON text are refused, not parsed
NESTING = 16  # containers deeper than this are not decoded
CONTAINER_ITEMS = 1000  # longer containers travel as handles
TEXT_CAP = 64 * 1024  # characters (or bytes) of one string sent whole
CUT = " [cut: {} in all]"
TYPE_CAP = 200  # characters of a type's name
PLAIN_TYPES = (str, bytes, int, float)  # whose subclasses cross as data
EXACT = (str, bytes, int, float, bool)  # plain already, no subclass


class ProtocolError(Exception):
    """The other side sent something that is not a valid message."""


class Closed(ProtocolError):
    """The other side closed the connection before a whole message."""


class TimedOut(Exception):
    """No whole message arrived before the deadline."""


def _bounded_int(text: str) -> int:
    """Parse a JSON integer, refusing absurdly long digit strings."""
    if len(text) > INT_DIGITS:
        raise ProtocolError("an integer of {} digits".format(len(text)))
    return int(text)


def loads(data: bytes) -> Any:
    """Parse JSON from the other side, turning every failure into one error.
    """
    try:
        return json.loads(data.decode("utf-8"), parse_int=_bounded_int)
    except (ValueError, RecursionError, UnicodeDecodeError) as error:
        raise ProtocolError("not a JSON message ({})".format(
            type(error).__name__))


def dumps(message: Any, limit: int = MAX_FRAME) -> bytes:
    """Serialise a message, refusing one larger than a frame may be."""
    data = json.dumps(message, separators=(",", ":")).encode("utf-8")
    if len(data) > limit:
        raise ProtocolError("a message of {} bytes".format(len(data)))
    return data


def send(sock: socket.socket, message: Any, fds: Tuple[int, ...] = (),
         limit: int = MAX_FRAME) -> None:
    """Send one message (a dict if fds are given, which it then counts)."""
    if fds:
        message = dict(message, fds=len(fds))
    data = dumps(message, limit)
    frame = HEADER.pack(len(data)) + data
    if fds:
        ancillary = [(socket.SOL_SOCKET, socket.SCM_RIGHTS,
                      array.array("i", fds).tobytes())]
        sent = sock.sendmsg([frame], ancillary)
        frame = frame[sent:]
    sock.sendall(frame)


class Reader:
    """Reads whole messages from a stream socket, within deadlines.

    Received bytes go into one growing buffer (never re-joined chunks), so
    a trickle of small writes costs linear time; the length is checked as
    soon as the four header bytes are in.
    """

    def __init__(self, sock: socket.socket, limit: int = MAX_FRAME,
                 max_fds: int = MAX_FDS) -> None:
        """Read messages of at most limit bytes, each carrying at most
        max_fds descriptors (0: a peer that has none to send)."""
        self.sock = sock
        self.limit = limit
        self.max_fds = max_fds
        self.buffer = bytearray()
        self.arrived: List[int] = []  # descriptors not yet given out
        self.fds: List[int] = []  # those of the last message returned
        self.refused = 0  # descriptors closed on arrival: none belonged

    def _complete(self) -> Optional[bytes]:
        """Return the first whole message's body if it is all here."""
        if len(self.buffer) < HEADER.size:
            return None
        length = HEADER.unpack_from(self.buffer)[0]
        if length > self.limit:
            raise ProtocolError("a message announced as {} bytes".format(
                length))
        if len(self.buffer) < HEADER.size + length:
            return None
        body = bytes(self.buffer[HEADER.size:HEADER.size + length])
        del self.buffer[:HEADER.size + length]
        return body

    def _fill(self, timeout: Optional[float]) -> None:
        """Wait up to timeout seconds for bytes, and take what came."""
        if timeout is not None and not _readable(self.sock, timeout):
            return
        room = socket.CMSG_LEN(MAX_FDS * 4)
        data, ancillary, _, _ = self.sock.recvmsg(65536, room)
        for level, kind, payload in ancillary:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                fds = array.array("i")
                fds.frombytes(payload[:len(payload) - len(payload) % 4])
                self._keep(list(fds))
        if not data:
            raise Closed("the connection closed")
        self.buffer.extend(data)

    def _keep(self, fds: List[int]) -> None:
        """Hold descriptors that arrived, up to what the peer may send.

        A peer sends descriptors with the first bytes of a message that
        claims them, so an honest one never has more than one message's
        worth waiting. Any beyond that is closed at once, and the next
        receive() fails: the checker's descriptor table is not the
        learner's to fill.
        """
        for fd in fds:
            if len(self.arrived) < self.max_fds:
                self.arrived.append(fd)
            else:
                _close(fd)
                self.refused += 1

    def receive(self, deadline: Optional[float] = None) -> Any:
        """Return the next message; wait until the deadline (None: forever).

        Raises TimedOut at the deadline, Closed at the end of the stream,
        ProtocolError for anything that is not a valid message.
        """
        while True:
            body = self._complete()
            if body is not None:
                return self._with_fds(loads(body))
            if self.refused:  # after the messages that came before them
                raise ProtocolError("{} file descriptors where none "
                                    "belong".format(self.refused))
            if deadline is None:
                self._fill(None)
                continue
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimedOut()
            self._fill(left)

    def _with_fds(self, message: Any) -> Any:
        """Give a message the descriptors it says it carries ("fds": n).

        They arrive with its first bytes, so they are here by now, after
        those of every earlier message, which took theirs in turn.
        """
        count = message.get("fds", 0) if isinstance(message, dict) else 0
        if not isinstance(count, int) or not 0 <= count <= len(
                self.arrived):
            raise ProtocolError("descriptors missing")
        self.close_fds(self.fds)
        self.fds, self.arrived = self.arrived[:count], self.arrived[count:]
        if not self.buffer:  # no message is under way to claim the rest
            self.close_fds(self.arrived)
        return message

    def buffered(self) -> bool:
        """Tell whether a whole message is already read and waiting.

        A select() loop must ask this before waiting again: two messages
        that arrived together leave the socket with nothing to signal.
        """
        if len(self.buffer) < HEADER.size:
            return False
        length = HEADER.unpack_from(self.buffer)[0]
        return len(self.buffer) >= HEADER.size + min(length, self.limit)

    def take_fds(self) -> List[int]:
        """Return the descriptors that came with the last message returned,
        and forget them (the caller now owns them)."""
        fds, self.fds = self.fds, []
        return fds

    def close_fds(self, fds: List[int]) -> None:
        """Close descriptors this reader holds, and forget them."""
        while fds:
            _close(fds.pop())

    def close(self) -> None:
        """Close every descriptor no one took: the reader is done with."""
        self.close_fds(self.fds)
        self.close_fds(self.arrived)

    def __del__(self) -> None:
        """A reader dropped without close() still gives back what it held.
        """
        self.close()


def _close(fd: int) -> None:
    """Close a descriptor that arrived, whatever it is."""
    try:
        os.close(fd)
    except OSError:
        pass


def _readable(sock: socket.socket, timeout: float) -> bool:
    """Wait up to timeout seconds for the socket to be readable.

    poll() and not select(): select fails outright once a descriptor's
    number passes 1023, which a process with many open files reaches.
    """
    poller = select.poll()
    poller.register(sock.fileno(), select.POLLIN | select.POLLPRI)
    return bool(poller.poll(max(0.0, timeout) * 1000.0))


def ready_to_read(fds: List[int], timeout: Optional[float]) -> List[int]:
    """Wait for any of these descriptors to be readable (or closed), up to
    timeout seconds (None: no limit); return those that are.

    poll(), as _readable: a zygote with a thousand clients stays served.
    """
    poller = select.poll()
    for fd in fds:
        poller.register(fd, select.POLLIN | select.POLLPRI)
    wait = None if timeout is None else max(0.0, timeout) * 1000.0
    return [fd for fd, _ in poller.poll(wait)]


def tag(kind: str, **fields: Any) -> Dict[str, Any]:
    """Return a tagged value: {"$": kind, ...fields}."""
    fields["$"] = kind
    return fields


def encode_bytes(data: bytes) -> Dict[str, Any]:
    """Tag bytes for JSON."""
    return tag("bytes", b64=base64.b64encode(data).decode("ascii"))


def qualified(kind: type) -> str:
    """Return "module.Qualname" of a type, cut to TYPE_CAP characters."""
    module = getattr(kind, "__module__", None)
    name = getattr(kind, "__qualname__", None)
    return "{}.{}".format(module if type(module) is str else "?",
                          name if type(name) is str else "?")[:TYPE_CAP]


def plain_value(value: Any) -> Any:
    """Return the built-in value of an instance of a subclass of str,
    bytes, int or float; None for any other object (exact ones included).

    The value is taken by the base type's own C code, called on the base
    type itself (`str.__getitem__(value, slice(None))`), so no method the
    subclass defines (__str__, __getitem__, __int__, __eq__...) runs; for a
    subclass, these return a new object of the exact base type.
    """
    kind = type(value)
    if any(kind is each for each in EXACT):
        return None
    if issubclass(kind, str):
        plain: Any = str.__getitem__(value, slice(None))
    elif issubclass(kind, bytes):
        plain = bytes.__getitem__(value, slice(None))
    elif issubclass(kind, int):  # bool is final: it has no subclasses
        plain = int.__int__(value)
    elif issubclass(kind, float):
        plain = float.__float__(value)
    else:
        return None
    return plain if any(type(plain) is each for each in PLAIN_TYPES) \
        else None


def _int_fits(value: int) -> bool:
    """Tell whether an int's JSON text has at most INT_DIGITS characters
    (measured without making the text: str() of a huge int may raise)."""
    return -10 ** (INT_DIGITS - 1) < value < 10 ** INT_DIGITS


def encode(value: Any, other: Callable[[Any], Dict[str, Any]],
           depth: int = 0) -> Any:
    """Turn a value into JSON data; `other` tags what is not plain data.

    The exact built-in types are plain, and a container only while it is
    small and shallow. An instance of a subclass of str, bytes, int or
    float crosses as its built-in value and its type's name (see
    plain_value); everything else goes to `other`.
    """
    kind = type(value)
    if value is None or kind in (bool, float):
        return value
    if kind is str:
        return value if len(value) <= TEXT_CAP else tag(
            "cut", text=value[:TEXT_CAP], length=len(value))
    if kind is int:
        return value if _int_fits(value) else other(value)
    if kind is bytes:
        return encode_bytes(value[:TEXT_CAP]) if len(value) <= TEXT_CAP \
            else tag("cut", b64=encode_bytes(value[:TEXT_CAP])["b64"],
                     length=len(value))
    if depth < NESTING and kind in (list, tuple, dict) and \
            len(value) <= CONTAINER_ITEMS:
        if kind is dict:
            return tag("dict", items=[[encode(key, other, depth + 1),
                                       encode(item, other, depth + 1)]
                                      for key, item in value.items()])
        items = [encode(item, other, depth + 1) for item in value]
        return items if kind is list else tag("tuple", items=items)
    plain = plain_value(value)
    if plain is None or type(plain) is int and not _int_fits(plain):
        return other(value)
    return tag("plain", value=encode(plain, other, depth),
               type=qualified(kind))


def _as_is(value: Any, type_name: str) -> Any:
    """Return a plain value without its subclass's name."""
    return value


def _nested(value: Any, type_name: str) -> Any:
    """Refuse a plain value inside another (no encoder makes one)."""
    raise ProtocolError("a plain value inside a plain value")


def decode(value: Any, handle: Callable[[Dict[str, Any]], Any],
           depth: int = 0,
           plain: Callable[[Any, str], Any] = _as_is) -> Any:
    """Turn a received value into Python data; `handle` makes handles,
    `plain` the values of subclasses (by default, the built-in value).

    Anything that does not fit the schema raises ProtocolError.
    """
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if depth > NESTING:
        raise ProtocolError("values nested too deep")
    if isinstance(value, list):
        return [decode(item, handle, depth + 1, plain) for item in value]
    if not isinstance(value, dict):
        raise ProtocolError("an unknown value")
    kind = value.get("$")
    if kind == "bytes" and isinstance(value.get("b64"), str):
        try:
            return base64.b64decode(value["b64"], validate=True)
        except ValueError:
            raise ProtocolError("bytes that are not base64")
    if kind == "tuple" and isinstance(value.get("items"), list):
        return tuple(decode(item, handle, depth + 1, plain)
                     for item in value["items"])
    if kind == "dict" and isinstance(value.get("items"), list):
        pairs = [decode(pair, handle, depth + 1, plain)
                 for pair in value["items"]]
        if not all(isinstance(pair, list) and len(pair) == 2 and
                   isinstance(pair[0], (str, int, bool, type(None)))
                   for pair in pairs):
            raise ProtocolError("a dict with unusable keys")
        return {pair[0]: pair[1] for pair in pairs}
    if kind == "cut" and isinstance(value.get("length"), int):
        if isinstance(value.get("text"), str):
            return value["text"] + CUT.format(
                "{} characters".format(value["length"]))
        if isinstance(value.get("b64"), str):
            return decode(tag("bytes", b64=value["b64"]), handle) + \
                CUT.format("{} bytes".format(value["length"])).encode()
    if kind == "plain" and isinstance(value.get("type"), str):
        inner = decode(value.get("value"), handle, depth + 1, _nested)
        if not any(type(inner) is each for each in PLAIN_TYPES):
            raise ProtocolError("a plain value that is not one")
        return plain(inner, value["type"][:TYPE_CAP])
    if kind in ("handle", "ref") and isinstance(value.get("id"), int):
        return handle(value)
    raise ProtocolError("an unknown tagged value")
