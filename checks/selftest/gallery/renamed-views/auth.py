#!/usr/bin/env python3
"""Authentication module, sitting between the web app and the database.
"""
from typing import Optional, Union
from uuid import uuid4

import bcrypt
from sqlalchemy.orm.exc import NoResultFound

from db import DB
from user import User


def _hash_password(password: str) -> bytes:
    """Salt and hash a password with bcrypt, returning the hash bytes.
    """
    salt = bcrypt.gensalt()
    return bcrypt.hashpw(password.encode(), salt)


def _generate_uuid() -> str:
    """Generate a fresh UUID and return it as a string.
    """
    return str(uuid4())


def _to_bytes(value: Union[str, bytes]) -> bytes:
    """Turn a stored password hash into bytes for bcrypt.
    """
    if isinstance(value, str):
        return value.encode()
    return value


class Auth:
    """Auth class to interact with the authentication database.
    """

    def __init__(self) -> None:
        """Set up the private database used by the Auth methods.
        """
        self._db = DB()

    def register_user(self, email: str, password: str) -> User:
        """Sign up a new user; raise ValueError if the email is taken.
        """
        try:
            existing = self._db.find_user_by(email=email)
        except NoResultFound:
            existing = None
        if existing is not None:
            raise ValueError("User {} already exists".format(email))
        hashed = _hash_password(password).decode()
        return self._db.add_user(email, hashed)

    def valid_login(self, email: str, password: str) -> bool:
        """Return True when the password matches the one of the email.
        """
        try:
            user = self._db.find_user_by(email=email)
        except NoResultFound:
            return False
        return bcrypt.checkpw(password.encode(),
                              _to_bytes(user.hashed_password))

    def create_session(self, email: str) -> Optional[str]:
        """Open a session for the email's user and return its ID.
        """
        try:
            user = self._db.find_user_by(email=email)
        except NoResultFound:
            return None
        new_session_id = _generate_uuid()
        self._db.update_user(user.id, session_id=new_session_id)
        return new_session_id

    def get_user_from_session_id(self,
                                 session_id: Optional[str]) -> Optional[User]:
        """Map a session ID back to its user, or None when unknown.
        """
        if not session_id:
            return None
        try:
            return self._db.find_user_by(session_id=session_id)
        except NoResultFound:
            return None

    def destroy_session(self, user_id: int) -> None:
        """Close the session of a user by clearing the session ID.
        """
        self._db.update_user(user_id, session_id=None)

    def get_reset_password_token(self, email: str) -> str:
        """Create and save a reset token for the user with this email.
        """
        try:
            user = self._db.find_user_by(email=email)
        except NoResultFound:
            raise ValueError("Unknown email {}".format(email))
        token = _generate_uuid()
        self._db.update_user(user.id, reset_token=token)
        return token

    def update_password(self, reset_token: str, password: str) -> None:
        """Hash and store a new password for the owner of the reset token.
        """
        if not reset_token:
            raise ValueError("A reset token is required")
        try:
            user = self._db.find_user_by(reset_token=reset_token)
        except NoResultFound:
            raise ValueError("Invalid reset token")
        self._db.update_user(
            user.id,
            hashed_password=_hash_password(password).decode(),
            reset_token=None,
        )
