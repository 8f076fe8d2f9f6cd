#!/usr/bin/env python3
"""Database layer of the authentication service.

The DB class owns the SQLite engine and a thread-local session registry;
it is the only part of the project that touches SQLAlchemy sessions.
Each public method ends its unit of work by removing the calling thread's
session, after loading everything the returned User needs, so no thread
keeps a database connection once its request is over.
"""
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.orm import scoped_session, sessionmaker
from sqlalchemy.orm.exc import NoResultFound
from sqlalchemy.orm.session import Session

from user import Base, User


class DB:
    """Gateway to the users table kept in the SQLite file a.db."""

    def __init__(self) -> None:
        """Start from an empty users table and prepare the session registry."""
        self._engine = create_engine("sqlite:///a.db", echo=False)
        Base.metadata.drop_all(self._engine)
        Base.metadata.create_all(self._engine)
        self.__sessions = scoped_session(sessionmaker(bind=self._engine))

    @property
    def _session(self) -> Session:
        """Return the session that belongs to the calling thread."""
        return self.__sessions()

    def add_user(self, email: str, hashed_password: str) -> User:
        """Save a new user with this email and password hash and return it."""
        try:
            user = User(email=email, hashed_password=hashed_password)
            self._session.add(user)
            self._session.commit()
            # The commit expired the user: load it again before letting go.
            self._session.refresh(user)
            return user
        finally:
            self.__sessions.remove()

    def find_user_by(self, **kwargs: Any) -> User:
        """Return the first user whose columns match all the keywords given.

        An unknown column name makes SQLAlchemy raise InvalidRequestError;
        when no row matches, NoResultFound is raised.
        """
        try:
            user = self._session.query(User).filter_by(**kwargs).first()
        finally:
            self.__sessions.remove()
        if user is None:
            raise NoResultFound("no user matches {}".format(kwargs))
        return user

    def update_user(self, user_id: int, **kwargs: Any) -> None:
        """Change the given columns of the user with this id and commit.

        A keyword that is not a column of the users table raises ValueError
        and nothing is changed.
        """
        user = self.find_user_by(id=user_id)
        columns = User.__table__.columns.keys()
        for name in kwargs:
            if name not in columns:
                raise ValueError("users has no column {}".format(name))
        try:
            self._session.add(user)
            for name, value in kwargs.items():
                setattr(user, name, value)
            self._session.commit()
        finally:
            self.__sessions.remove()
