#!/usr/bin/env python3
"""The database layer of the authentication service.

Every public method opens its own short-lived session and closes it before
returning, so no session (and no SQLite connection) outlives one call.
Sessions are made with `expire_on_commit=False`, so the users returned stay
readable once their session is closed.
"""
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from user import Base
from user import User


class DB:
    """Access to the `users` table of the SQLite file `a.db`."""

    def __init__(self) -> None:
        """Connect to `a.db` and recreate the tables empty."""
        self._engine = create_engine("sqlite:///a.db", echo=False)
        Base.metadata.drop_all(self._engine)
        Base.metadata.create_all(self._engine)
        self._make_session = sessionmaker(bind=self._engine,
                                          expire_on_commit=False)

    def add_user(self, email: str, hashed_password: str) -> User:
        """Insert a user with this email and hashed password, and return it."""
        session = self._make_session()
        try:
            user = User(email=email, hashed_password=hashed_password)
            session.add(user)
            session.commit()
            return user
        finally:
            session.close()

    def find_user_by(self, **kwargs: Any) -> User:
        """Return the first user whose columns have the given values.

        SQLAlchemy itself raises NoResultFound when no user matches and
        InvalidRequestError when a keyword is not a column of the table.
        """
        session = self._make_session()
        try:
            return session.query(User).filter_by(**kwargs).limit(1).one()
        finally:
            session.close()

    def update_user(self, user_id: int, **kwargs: Any) -> None:
        """Change the given columns of the user with this id and save them.

        A keyword that is not a column of `users` raises ValueError before
        anything is changed.
        """
        columns = User.__table__.columns.keys()
        for key in kwargs:
            if key not in columns:
                raise ValueError("users has no column {}".format(key))
        user = self.find_user_by(id=user_id)
        session = self._make_session()
        try:
            session.add(user)
            for key, value in kwargs.items():
                setattr(user, key, value)
            session.commit()
        finally:
            session.close()
