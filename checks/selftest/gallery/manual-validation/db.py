#!/usr/bin/env python3
"""Database access for the authentication service.

The DB class validates the column names it is given itself before it builds
any query, and keeps one memoised session for its whole life.
"""
from typing import Any
from typing import Set

from sqlalchemy import create_engine
from sqlalchemy import inspect
from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.orm import sessionmaker
from sqlalchemy.orm.exc import NoResultFound
from sqlalchemy.orm.session import Session

from user import Base
from user import User


def _user_columns() -> Set[str]:
    """Return the names of the columns that a User has."""
    return {attribute.key for attribute in inspect(User).column_attrs}


class DB:
    """Store and look up users in the SQLite database `a.db`."""

    def __init__(self) -> None:
        """Connect to `a.db` and drop and recreate every table."""
        # The Flask server answers each request in a new thread, and this
        # DB keeps one session (and its connection) for all of them.
        self._engine = create_engine(
            "sqlite:///a.db", echo=False,
            connect_args={"check_same_thread": False})
        Base.metadata.drop_all(self._engine)
        Base.metadata.create_all(self._engine)
        self.__session = None

    @property
    def _session(self) -> Session:
        """Return the session of this DB, creating it the first time."""
        if self.__session is None:
            DBSession = sessionmaker(bind=self._engine,
                                     expire_on_commit=False)
            self.__session = DBSession()
        return self.__session

    def add_user(self, email: str, hashed_password: str) -> User:
        """Insert a user with this email and password hash and return it.

        The hash is stored as given: the Auth layer passes bcrypt's bytes.
        """
        new_user = User(email=email, hashed_password=hashed_password)
        self._session.add(new_user)
        self._session.commit()
        return new_user

    def find_user_by(self, **kwargs: Any) -> User:
        """Return the first user that has all the given column values.

        An argument that is not a column of User raises InvalidRequestError;
        when no user matches, NoResultFound is raised.
        """
        known = _user_columns()
        for name in kwargs:
            if name not in known:
                raise InvalidRequestError(
                    "User has no column named {}".format(name))
        found = self._session.query(User).filter_by(**kwargs).first()
        if found is None:
            raise NoResultFound("No user found for {}".format(kwargs))
        return found

    def update_user(self, user_id: int, **kwargs: Any) -> None:
        """Write the given column values into the user with this id.

        An argument that is not a column of User raises ValueError.
        """
        known = _user_columns()
        for name in kwargs:
            if name not in known:
                raise ValueError("User has no column named {}".format(name))
        self._session.query(User).filter(User.id == user_id).update(kwargs)
        self._session.commit()
