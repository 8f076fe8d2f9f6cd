#!/usr/bin/env python3
"""Authentication logic: password hashing, sessions and reset tokens.

Password hashes are kept in the database as text (the decoded bcrypt
hash) and turned back into bytes whenever bcrypt needs them.
"""
import uuid
from typing import Any, Optional

import bcrypt
from sqlalchemy.orm.exc import NoResultFound

from db import DB
from user import User


def _hash_password(password: str) -> bytes:
    """Return the salted bcrypt hash of the given password."""
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt())


def _generate_uuid() -> str:
    """Return the string form of a new random UUID."""
    return str(uuid.uuid4())


class Auth:
    """Auth class to interact with the authentication database."""

    def __init__(self) -> None:
        """Open the database of users this object authenticates against."""
        self._db = DB()

    def _lookup(self, **criteria: Any) -> Optional[User]:
        """Return the user matching the criteria, or None if there is none."""
        try:
            return self._db.find_user_by(**criteria)
        except NoResultFound:
            return None

    def register_user(self, email: str, password: str) -> User:
        """Create and return a new user; an email already taken is refused."""
        if self._lookup(email=email) is not None:
            raise ValueError("User {} already exists".format(email))
        hashed = _hash_password(password).decode("utf-8")
        return self._db.add_user(email, hashed)

    def valid_login(self, email: str, password: str) -> bool:
        """Tell whether the email belongs to a user with this password."""
        user = self._lookup(email=email)
        if user is None:
            return False
        try:
            return bcrypt.checkpw(password.encode("utf-8"),
                                  user.hashed_password.encode("utf-8"))
        except ValueError:
            return False

    def create_session(self, email: str) -> Optional[str]:
        """Give the user a new session ID and return it (None if unknown)."""
        user = self._lookup(email=email)
        if user is None:
            return None
        session_id = _generate_uuid()
        self._db.update_user(user.id, session_id=session_id)
        return session_id

    def get_user_from_session_id(self,
                                 session_id: Optional[str]) -> Optional[User]:
        """Return the user owning this session ID, or None if nobody does."""
        if session_id is None:
            return None
        return self._lookup(session_id=session_id)

    def destroy_session(self, user_id: int) -> None:
        """Log the user with this id out by clearing their session ID."""
        self._db.update_user(user_id, session_id=None)

    def get_reset_password_token(self, email: str) -> str:
        """Store a new reset token for the user and return it.

        An email that belongs to no user raises ValueError.
        """
        user = self._lookup(email=email)
        if user is None:
            raise ValueError("no user with email {}".format(email))
        token = _generate_uuid()
        self._db.update_user(user.id, reset_token=token)
        return token

    def update_password(self, reset_token: str, password: str) -> None:
        """Set a new password for the holder of a reset token.

        The token is used up; an unknown token raises ValueError.
        """
        user = None
        if reset_token:
            user = self._lookup(reset_token=reset_token)
        if user is None:
            raise ValueError("invalid reset token")
        hashed = _hash_password(password).decode("utf-8")
        self._db.update_user(user.id, hashed_password=hashed,
                             reset_token=None)
