#!/usr/bin/env python3
"""Authentication service: the only way the web app reaches user data.

It hashes passwords with bcrypt, hands out session IDs and reset tokens
(random UUIDs), and checks them against the database of users.
"""
from typing import Optional
from uuid import uuid4

import bcrypt
from sqlalchemy.orm.exc import NoResultFound

from db import DB
from user import User


def _hash_password(password: str) -> bytes:
    """Salt and hash a password with bcrypt, returning the hash bytes."""
    salt = bcrypt.gensalt()
    return bcrypt.hashpw(password.encode("utf-8"), salt)


def _generate_uuid() -> str:
    """Generate a random UUID and return its usual string form."""
    return str(uuid4())


class Auth:
    """Auth class to interact with the authentication database."""

    def __init__(self) -> None:
        """Start the authentication service on a fresh user database."""
        self._db = DB()

    def register_user(self, email: str, password: str) -> User:
        """Create the user with this email and password and return it.

        Raises ValueError when a user already has this email.
        """
        try:
            existing = self._db.find_user_by(email=email)
        except NoResultFound:
            existing = None
        if existing is not None:
            raise ValueError("User {} already exists".format(email))
        return self._db.add_user(email, _hash_password(password))

    def valid_login(self, email: str, password: str) -> bool:
        """Check an email and password pair against the stored hash."""
        try:
            user = self._db.find_user_by(email=email)
        except NoResultFound:
            return False
        stored = user.hashed_password
        if isinstance(stored, str):
            stored = stored.encode("utf-8")
        try:
            return bcrypt.checkpw(password.encode("utf-8"), stored)
        except ValueError:
            return False

    def create_session(self, email: str) -> Optional[str]:
        """Open a session for the user with this email and return its ID.

        Returns None when no user has this email.
        """
        try:
            user = self._db.find_user_by(email=email)
        except NoResultFound:
            return None
        session_id = _generate_uuid()
        self._db.update_user(user.id, session_id=session_id)
        return session_id

    def get_user_from_session_id(self,
                                 session_id: Optional[str]) -> Optional[User]:
        """Return the user who owns this session ID, or None if none does."""
        if not session_id:
            return None
        try:
            return self._db.find_user_by(session_id=session_id)
        except NoResultFound:
            return None

    def destroy_session(self, user_id: int) -> None:
        """Close the session of the user with this id (log them out)."""
        self._db.update_user(user_id, session_id=None)

    def get_reset_password_token(self, email: str) -> str:
        """Give the user with this email a new reset token and return it.

        Raises ValueError when no user has this email.
        """
        try:
            user = self._db.find_user_by(email=email)
        except NoResultFound:
            raise ValueError("no user has the email {}".format(email))
        reset_token = _generate_uuid()
        self._db.update_user(user.id, reset_token=reset_token)
        return reset_token

    def update_password(self, reset_token: str, password: str) -> None:
        """Replace the password of the holder of a reset token.

        The token can be used once only.  Raises ValueError when the token
        does not belong to any user.
        """
        if not reset_token:
            raise ValueError("a reset token is required")
        try:
            user = self._db.find_user_by(reset_token=reset_token)
        except NoResultFound:
            raise ValueError("invalid reset token")
        self._db.update_user(user.id,
                             hashed_password=_hash_password(password),
                             reset_token=None)
