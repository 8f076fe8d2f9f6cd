#!/usr/bin/env python3
"""Persistence layer for users, on top of a SQLite file named a.db.

Each public method opens its own short-lived session and closes it before
returning.  Sessions are made with ``expire_on_commit=False`` so that the
User objects handed back keep their loaded values once detached.
"""
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker
from sqlalchemy.orm.exc import NoResultFound
from sqlalchemy.orm.session import Session

from user import Base
from user import User


class DB:
    """Creates, finds and updates users in the a.db database."""

    def __init__(self) -> None:
        """Reset the database to empty tables and make a session factory."""
        self._engine = create_engine("sqlite:///a.db")
        Base.metadata.drop_all(self._engine)
        Base.metadata.create_all(self._engine)
        self.__make_session = sessionmaker(bind=self._engine,
                                           expire_on_commit=False)

    @property
    def _session(self) -> Session:
        """Open and return a new session; the caller has to close it."""
        return self.__make_session()

    def add_user(self, email: str, hashed_password: str) -> User:
        """Insert a user with this email and password hash and return it."""
        session = self._session
        try:
            user = User(email=email, hashed_password=hashed_password)
            session.add(user)
            session.commit()
            return user
        finally:
            session.close()

    def find_user_by(self, **kwargs: Any) -> User:
        """Return the first user whose fields equal the keyword arguments.

        Raises NoResultFound when no user matches them; SQLAlchemy raises
        InvalidRequestError by itself for a keyword that is not a field.
        """
        session = self._session
        try:
            found = session.query(User).filter_by(**kwargs).limit(1).all()
        finally:
            session.close()
        if not found:
            raise NoResultFound("no user with {}".format(kwargs))
        return found[0]

    def update_user(self, user_id: int, **kwargs: Any) -> None:
        """Write the keyword arguments into the fields of user user_id.

        Raises ValueError, before changing anything, when one of the
        keywords is not a column of the users table.
        """
        unknown = [key for key in kwargs if key not in User.__table__.c]
        if unknown:
            raise ValueError("not a user field: {}".format(unknown))
        session = self._session
        try:
            user = session.query(User).filter_by(id=user_id).one()
            for key, value in kwargs.items():
                setattr(user, key, value)
            session.commit()
        finally:
            session.close()
