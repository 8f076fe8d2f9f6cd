#!/usr/bin/env python3
"""The database layer of the authentication service, in SQLAlchemy 2.0 style.

Every public method opens its own short-lived `Session` in a `with` block.
Sessions are built with `expire_on_commit=False`, so the users they return
stay readable after the session is closed.
"""
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy import inspect
from sqlalchemy import select
from sqlalchemy.exc import NoResultFound
from sqlalchemy.orm import Session

from user import Base
from user import User


class DB:
    """The users' database, kept in the SQLite file `a.db`."""

    def __init__(self) -> None:
        """Open `a.db` and recreate its tables, so every DB starts empty."""
        self._engine = create_engine("sqlite:///a.db", echo=False)
        Base.metadata.drop_all(self._engine)
        Base.metadata.create_all(self._engine)

    def add_user(self, email: str, hashed_password: str) -> User:
        """Save a new user with this email and password hash; return it."""
        user = User(email=email, hashed_password=hashed_password)
        with Session(self._engine, expire_on_commit=False) as session:
            session.add(user)
            session.commit()
        return user

    def find_user_by(self, **kwargs: Any) -> User:
        """Return the first user whose columns match all the given values.

        It raises NoResultFound when no user matches, and SQLAlchemy raises
        InvalidRequestError by itself for a keyword that is not a column.
        """
        statement = select(User).filter_by(**kwargs)
        with Session(self._engine, expire_on_commit=False) as session:
            user = session.scalars(statement).first()
        if user is None:
            raise NoResultFound("No user matches {}".format(kwargs))
        return user

    def update_user(self, user_id: int, **kwargs: Any) -> None:
        """Set the given columns of the user with this id and save them.

        It raises ValueError when a keyword is not a column of User, and
        NoResultFound when there is no user with this id.
        """
        columns = {column.key for column in inspect(User).column_attrs}
        for key in kwargs:
            if key not in columns:
                raise ValueError("User has no column {}".format(key))
        with Session(self._engine, expire_on_commit=False) as session:
            user = session.get(User, user_id)
            if user is None:
                raise NoResultFound("No user with id {}".format(user_id))
            for key, value in kwargs.items():
                setattr(user, key, value)
            session.commit()
