"""The values of instances of subclasses of built-in types, as checks see
them.

A worker sends an instance of a subclass of str, bytes, int or float (a
library's `quoted_name`, an IntEnum, a Markup) as its built-in value and
its type's name (runtime/protocol.py). Here it becomes an instance of one
of the classes below: data whose every method is the built-in type's own,
so it compares, hashes and prints as its value does, and whose `of_type`
still names the learner's type for expect_type and for messages.
"""
from typing import Any


class PlainStr(str):
    """The text of an instance of a subclass of str; `of_type` names the
    subclass. Every method is str's own."""

    base = "builtins.str"
    of_type = base


class PlainBytes(bytes):
    """The bytes of an instance of a subclass of bytes, and its type."""

    base = "builtins.bytes"
    of_type = base


class PlainInt(int):
    """The int of an instance of a subclass of int (an IntEnum...), and
    its type. bool has no subclasses: a PlainInt is never a bool."""

    base = "builtins.int"
    of_type = base


class PlainFloat(float):
    """The float of an instance of a subclass of float, and its type."""

    base = "builtins.float"
    of_type = base


PLAIN = {str: PlainStr, bytes: PlainBytes, int: PlainInt, float: PlainFloat}
Plain = (PlainStr, PlainBytes, PlainInt, PlainFloat)


def plain_of(value: Any, type_name: str) -> Any:
    """Return the built-in value of a subclass's instance, in our class of
    its base, naming the subclass."""
    made = PLAIN[type(value)](value)
    made.of_type = type_name
    return made
