#!/usr/bin/env python3
"""Authentication logic: password hashing, users, sessions and resets.

The Flask app only talks to the `Auth` class of this module.
"""
import uuid
from typing import Optional

import bcrypt
from sqlalchemy.orm.exc import NoResultFound

from db import DB
from user import User


def _hash_password(password: str) -> bytes:
    """Return the salted bcrypt hash of a password, as bytes."""
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt())


def _generate_uuid() -> str:
    """Return a new random UUID in its string form."""
    return str(uuid.uuid4())


class Auth:
    """Auth class to interact with the authentication database."""

    def __init__(self) -> None:
        """Create the database this authentication service relies on."""
        self._db = DB()

    def register_user(self, email: str, password: str) -> User:
        """Create a user with a hashed password; the email must be new.

        Raises ValueError when a user already has this email.
        """
        try:
            self._db.find_user_by(email=email)
        except NoResultFound:
            hashed = _hash_password(password).decode("utf-8")
            return self._db.add_user(email, hashed)
        raise ValueError("User {} already exists".format(email))

    def valid_login(self, email: str, password: str) -> bool:
        """Tell whether this email and password belong to a known user."""
        try:
            user = self._db.find_user_by(email=email)
        except NoResultFound:
            return False
        return bcrypt.checkpw(password.encode("utf-8"),
                              user.hashed_password.encode("utf-8"))

    def create_session(self, email: str) -> Optional[str]:
        """Give the user a new session ID and return it, or None if unknown.
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
        """Return the user holding this session ID, or None if there is none.
        """
        if session_id is None:
            return None
        try:
            return self._db.find_user_by(session_id=session_id)
        except NoResultFound:
            return None

    def destroy_session(self, user_id: int) -> None:
        """Log the user with this id out by clearing their session ID."""
        self._db.update_user(user_id, session_id=None)

    def get_reset_password_token(self, email: str) -> str:
        """Store and return a new reset token for the user with this email.

        Raises ValueError when no user has this email.
        """
        try:
            user = self._db.find_user_by(email=email)
        except NoResultFound:
            raise ValueError("No user with email {}".format(email))
        token = _generate_uuid()
        self._db.update_user(user.id, reset_token=token)
        return token

    def update_password(self, reset_token: str, password: str) -> None:
        """Set a new password for the holder of the reset token.

        The token can be used only once. Raises ValueError when no user has
        this reset token.
        """
        try:
            user = self._db.find_user_by(reset_token=reset_token)
        except NoResultFound:
            raise ValueError("Invalid reset token")
        hashed = _hash_password(password).decode("utf-8")
        self._db.update_user(user.id, hashed_password=hashed,
                             reset_token=None)
