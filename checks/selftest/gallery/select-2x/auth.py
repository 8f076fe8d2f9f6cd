#!/usr/bin/env python3
"""Authentication logic: hashing passwords, registering users, sessions.

The web app talks only to the `Auth` class; `Auth` talks to the database
through the public methods of `DB`.
"""
import uuid
from typing import Any
from typing import Optional

import bcrypt
from sqlalchemy.exc import NoResultFound

from db import DB
from user import User


def _hash_password(password: str) -> bytes:
    """Return the salted bcrypt hash of a password, as bytes."""
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt())


def _generate_uuid() -> str:
    """Return the string form of a new random UUID."""
    return str(uuid.uuid4())


class Auth:
    """Auth class to interact with the authentication database."""

    def __init__(self) -> None:
        """Create the authentication service on top of a fresh database."""
        self._db = DB()

    def _user_or_none(self, **kwargs: Any) -> Optional[User]:
        """Return the user matching the given columns, or None if none does."""
        try:
            return self._db.find_user_by(**kwargs)
        except NoResultFound:
            return None

    def register_user(self, email: str, password: str) -> User:
        """Register a new user, or raise ValueError if the email is taken."""
        if self._user_or_none(email=email) is not None:
            raise ValueError("User {} already exists".format(email))
        hashed = _hash_password(password).decode("utf-8")
        return self._db.add_user(email, hashed)

    def valid_login(self, email: str, password: str) -> bool:
        """Tell whether the password is the right one for this email."""
        user = self._user_or_none(email=email)
        if user is None:
            return False
        try:
            return bcrypt.checkpw(password.encode("utf-8"),
                                  user.hashed_password.encode("utf-8"))
        except ValueError:
            return False

    def create_session(self, email: str) -> Optional[str]:
        """Give the user a new session id and return it (None if unknown)."""
        user = self._user_or_none(email=email)
        if user is None:
            return None
        session_id = _generate_uuid()
        self._db.update_user(user.id, session_id=session_id)
        return session_id

    def get_user_from_session_id(self,
                                 session_id: Optional[str]) -> Optional[User]:
        """Return the user who owns this session id, or None if nobody does."""
        if not session_id:
            return None
        return self._user_or_none(session_id=session_id)

    def destroy_session(self, user_id: int) -> None:
        """End the session of the user with this id, if there is one."""
        try:
            self._db.update_user(user_id, session_id=None)
        except NoResultFound:
            return None

    def get_reset_password_token(self, email: str) -> str:
        """Give the user a new reset token and return it.

        It raises ValueError when no user has this email.
        """
        user = self._user_or_none(email=email)
        if user is None:
            raise ValueError("No user with email {}".format(email))
        reset_token = _generate_uuid()
        self._db.update_user(user.id, reset_token=reset_token)
        return reset_token

    def update_password(self, reset_token: str, password: str) -> None:
        """Set a new password for the owner of the reset token.

        The token can be used only once; an unknown token raises ValueError.
        """
        user = None
        if reset_token:
            user = self._user_or_none(reset_token=reset_token)
        if user is None:
            raise ValueError("Invalid reset token")
        hashed = _hash_password(password).decode("utf-8")
        self._db.update_user(user.id, hashed_password=hashed,
                             reset_token=None)
