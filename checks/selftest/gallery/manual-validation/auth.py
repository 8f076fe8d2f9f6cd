#!/usr/bin/env python3
"""The authentication service: passwords, registrations and sessions.

Password hashes are kept as the bytes that bcrypt returns.
"""
import uuid
from typing import Optional

import bcrypt
from sqlalchemy.orm.exc import NoResultFound

from db import DB
from user import User


def _hash_password(password: str) -> bytes:
    """Hash a password with bcrypt and a fresh salt and return the bytes."""
    salt = bcrypt.gensalt()
    return bcrypt.hashpw(password.encode("utf-8"), salt)


def _generate_uuid() -> str:
    """Return a new version 4 UUID as a string."""
    new_id = uuid.uuid4()
    return str(new_id)


class Auth:
    """Auth class to interact with the authentication database."""

    def __init__(self) -> None:
        """Set up the service with its own database."""
        self._db = DB()

    def register_user(self, email: str, password: str) -> User:
        """Create a user with this email and password and return it.

        A ValueError is raised when the email is already registered.
        """
        try:
            self._db.find_user_by(email=email)
        except NoResultFound:
            hashed_password = _hash_password(password)
            return self._db.add_user(email, hashed_password)
        raise ValueError("User {} already exists".format(email))

    def valid_login(self, email: str, password: str) -> bool:
        """Return True when the email is registered with this password."""
        try:
            user = self._db.find_user_by(email=email)
        except NoResultFound:
            return False
        try:
            return bcrypt.checkpw(password.encode("utf-8"),
                                  user.hashed_password)
        except ValueError:
            return False

    def create_session(self, email: str) -> Optional[str]:
        """Start a session for the user with this email and return its id.

        None is returned when no user has this email.
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
        """Return the user that owns the session id, or None."""
        if session_id is None:
            return None
        try:
            return self._db.find_user_by(session_id=session_id)
        except NoResultFound:
            return None

    def destroy_session(self, user_id: int) -> None:
        """Forget the session of the user with this id."""
        self._db.update_user(user_id, session_id=None)

    def get_reset_password_token(self, email: str) -> str:
        """Store a new reset token for the user with this email and return it.

        A ValueError is raised when no user has this email.
        """
        try:
            user = self._db.find_user_by(email=email)
        except NoResultFound:
            raise ValueError("Unknown email {}".format(email))
        token = _generate_uuid()
        self._db.update_user(user.id, reset_token=token)
        return token

    def update_password(self, reset_token: str, password: str) -> None:
        """Replace the password of the user holding this reset token.

        The token is cleared afterwards; an unknown token raises ValueError.
        """
        if reset_token is None:
            raise ValueError("A reset token is required")
        try:
            user = self._db.find_user_by(reset_token=reset_token)
        except NoResultFound:
            raise ValueError("Unknown reset token")
        self._db.update_user(user.id,
                             hashed_password=_hash_password(password),
                             reset_token=None)
