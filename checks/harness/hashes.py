"""bcrypt hashes a learner stored or returned, checked here, safely.

A hash is checked only after its form is: `$2b$`, a cost the checks can
afford, and the right length. A hostile "hash" with a cost of 31 would
otherwise keep bcrypt.checkpw busy for days in the checker's process.
"""
import re
from typing import Any

import bcrypt

FORM = re.compile(rb"\$2[aby]\$(\d\d)\$[./A-Za-z0-9]{53}")
MAX_COST = 13  # the checks hash at 4, the hashing example at 12


def as_bytes(value: Any) -> bytes:
    """Return a stored hash as bytes, whichever way it was stored."""
    if isinstance(value, bytes):
        return value
    return str(value).encode("utf-8", "replace")


def is_bcrypt_of(hashed: Any, password: str) -> bool:
    """Tell whether a value is a bcrypt hash of this password."""
    data = as_bytes(hashed)
    form = FORM.fullmatch(data)
    if form is None or int(form.group(1)) > MAX_COST:
        return False
    return bool(bcrypt.checkpw(password.encode("utf-8"), data))


def is_bcrypt_form(hashed: Any) -> bool:
    """Tell whether a value has the form of a bcrypt $2b$ hash."""
    return FORM.fullmatch(as_bytes(hashed)) is not None and \
        as_bytes(hashed).startswith(b"$2b$")
