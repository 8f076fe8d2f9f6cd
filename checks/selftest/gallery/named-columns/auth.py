#!/usr/bin/env python3
"""Authentication: password hashing, registration, sessions, resets.

This is the only module the web app talks to; the database stays behind it.
"""
import uuid
from typing import Optional

import bcrypt
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import NoResultFound

from db import DB
from user import User

# bcrypt only reads the first 72 bytes of a password: longer ones are refused
# rather than silently truncated (bcrypt 4.x) or crashing (bcrypt 5.x).
MAX_PASSWORD_BYTES = 72


class PasswordTooLongError(ValueError):
    """Raised for a password longer than bcrypt's 72-byte limit."""


def _check_password_length(password: str) -> None:
    """Raise PasswordTooLongError when bcrypt could not use all of it."""
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        raise PasswordTooLongError(
            "Passwords are limited to {} bytes".format(MAX_PASSWORD_BYTES))


def _hash_password(password: str) -> bytes:
    """Return a salted bcrypt hash of the password."""
    _check_password_length(password)
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt())


def _generate_uuid() -> str:
    """Return a new random UUID as a string, for sessions and resets."""
    return str(uuid.uuid4())


def _as_bytes(hashed_password: object) -> bytes:
    """Return a stored hash as bytes, whichever way the column handed it."""
    if isinstance(hashed_password, bytes):
        return hashed_password
    return str(hashed_password).encode("utf-8")


class Auth:
    """Auth class to interact with the authentication database."""

    def __init__(self) -> None:
        """Open the users' database behind this authentication service."""
        self._db = DB()
        self._dummy_hash = b""

    def register_user(self, email: str, password: str) -> User:
        """Register a new user, or raise ValueError if the email is taken."""
        hashed_password = _hash_password(password)
        try:
            self._db.find_user_by(email=email)
        except NoResultFound:
            try:
                return self._db.add_user(email, hashed_password.decode())
            except IntegrityError:
                # Another request registered this email since our look-up.
                pass
        raise ValueError("User {} already exists".format(email))

    def valid_login(self, email: str, password: str) -> bool:
        """Tell whether the password is the one registered for this email.

        An unknown email costs a bcrypt check too, so the response time does
        not reveal which emails are registered.
        """
        if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
            return False
        try:
            stored = _as_bytes(self._db.find_user_by(email=email)
                               .hashed_password)
        except NoResultFound:
            bcrypt.checkpw(password.encode("utf-8"), self._unknown_user_hash())
            return False
        return bcrypt.checkpw(password.encode("utf-8"), stored)

    def create_session(self, email: str) -> Optional[str]:
        """Start a session for this email and return its id (None if unknown).
        """
        try:
            user = self._db.find_user_by(email=email)
        except NoResultFound:
            return None
        session_id = _generate_uuid()
        self._db.update_user(user.id, session_id=session_id)
        return session_id

    def get_user_from_session_id(self, session_id: Optional[str]
                                 ) -> Optional[User]:
        """Return the user this session id belongs to, or None.

        A missing or empty id matches nobody, not the logged-out users.
        """
        if not session_id:
            return None
        try:
            return self._db.find_user_by(session_id=session_id)
        except NoResultFound:
            return None

    def destroy_session(self, user_id: int) -> None:
        """End the session of the user with this id."""
        self._db.update_user(user_id, session_id=None)

    def get_reset_password_token(self, email: str) -> str:
        """Give this email a new reset token, or raise ValueError if unknown.
        """
        try:
            user = self._db.find_user_by(email=email)
        except NoResultFound:
            raise ValueError("No user is registered with this email")
        reset_token = _generate_uuid()
        self._db.update_user(user.id, reset_token=reset_token)
        return reset_token

    def update_password(self, reset_token: str, password: str) -> None:
        """Set a new password for the holder of this reset token.

        The token then stops working, and any open session of the user ends.
        Raises ValueError for a missing or unknown token.
        """
        hashed_password = _hash_password(password)
        if not reset_token:
            raise ValueError("A reset token is required")
        try:
            user = self._db.find_user_by(reset_token=reset_token)
        except NoResultFound:
            raise ValueError("Unknown reset token")
        self._db.update_user(user.id,
                             hashed_password=hashed_password.decode(),
                             reset_token=None,
                             session_id=None)

    def _unknown_user_hash(self) -> bytes:
        """Return a hash to check passwords of unknown emails against."""
        if not self._dummy_hash:
            self._dummy_hash = _hash_password("no user has this password")
        return self._dummy_hash
