#!/usr/bin/env python3
"""The database layer: the only module that opens SQLAlchemy sessions.

Each thread gets its own session (a `scoped_session`), and every public
method hands its session back when it is done, so Flask's threaded server
never shares one session between two requests.
"""
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.orm import scoped_session
from sqlalchemy.orm import sessionmaker
from sqlalchemy.orm.exc import NoResultFound
from sqlalchemy.orm.session import Session

from user import Base
from user import User


class DB:
    """The users' database, stored in the SQLite file `a.db`."""

    def __init__(self) -> None:
        """Open `a.db` and start from empty tables, as the exercise asks."""
        # check_same_thread=False: a pooled connection may be handed to a
        # different thread of the server than the one that opened it.
        self._engine = create_engine(
            "sqlite:///a.db",
            echo=False,
            connect_args={"check_same_thread": False},
        )
        Base.metadata.drop_all(self._engine)
        Base.metadata.create_all(self._engine)
        # expire_on_commit=False keeps a returned user's fields readable
        # after its session has been handed back.
        self.__session = scoped_session(
            sessionmaker(bind=self._engine, expire_on_commit=False))

    @property
    def _session(self) -> Session:
        """Return the calling thread's session, creating it on first use."""
        return self.__session()

    def add_user(self, email: str, hashed_password: str) -> User:
        """Store a new user with this email and hashed password."""
        user = User(email=email, hashed_password=hashed_password)
        try:
            self._session.add(user)
            self._session.commit()
        finally:
            self.__session.remove()
        return user

    def find_user_by(self, **kwargs: Any) -> User:
        """Return the first user whose columns equal the given values.

        Raises NoResultFound when no user matches, and InvalidRequestError
        when a keyword does not name a column.
        """
        try:
            user = self._session.query(User).filter_by(**kwargs).first()
        finally:
            self.__session.remove()
        if user is None:
            raise NoResultFound("No user matches {}".format(kwargs))
        return user

    def update_user(self, user_id: int, **kwargs: Any) -> None:
        """Set the given columns of the user with this id, then commit.

        Raises ValueError, and changes nothing, when a keyword does not name
        a column of `users`.
        """
        unknown = set(kwargs) - set(User.__table__.columns.keys())
        if unknown:
            raise ValueError("Not a user column: {}".format(
                ", ".join(sorted(unknown))))
        try:
            user = self._session.query(User).filter_by(id=user_id).first()
            if user is None:
                raise NoResultFound("No user has id {}".format(user_id))
            for column, value in kwargs.items():
                setattr(user, column, value)
            self._session.commit()
        finally:
            self.__session.remove()
