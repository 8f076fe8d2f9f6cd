#!/usr/bin/env python3
"""DB module: the SQLite storage behind the authentication service."""
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.ext.declarative import declarative_base
from sqlalchemy.orm import sessionmaker
from sqlalchemy.orm.exc import NoResultFound
from sqlalchemy.orm.session import Session

from user import Base, User


class DB:
    """DB class that stores the users in the SQLite file `a.db`."""

    def __init__(self) -> None:
        """Initialize a new DB instance with freshly created tables."""
        self._engine = create_engine("sqlite:///a.db", echo=False,
                                     connect_args={
                                         "check_same_thread": False})
        Base.metadata.drop_all(self._engine)
        Base.metadata.create_all(self._engine)
        self.__session = None

    @property
    def _session(self) -> Session:
        """Return the memoized session, creating it on first use."""
        if self.__session is None:
            DBSession = sessionmaker(bind=self._engine)
            self.__session = DBSession()
        return self.__session

    def add_user(self, email: str, hashed_password: str) -> User:
        """Add a user to the database and return the new User object."""
        user = User(email=email, hashed_password=hashed_password)
        try:
            self._session.add(user)
            self._session.commit()
        except Exception:
            self._session.rollback()
            raise
        return user

    def find_user_by(self, **kwargs: Any) -> User:
        """Find the first user matching the keyword arguments.

        Raises NoResultFound if there is no match, and lets SQLAlchemy's
        InvalidRequestError through for an argument that is not a column.
        """
        user = self._session.query(User).filter_by(**kwargs).first()
        if user is None:
            raise NoResultFound
        return user

    def update_user(self, user_id: int, **kwargs: Any) -> None:
        """Update the attributes of a user and commit the change.

        Raises ValueError if an argument is not a column of the users table.
        """
        for key in kwargs:
            if key not in User.__table__.columns:
                raise ValueError("Invalid attribute: {}".format(key))
        user = self.find_user_by(id=user_id)
        for key, value in kwargs.items():
            setattr(user, key, value)
        self._session.commit()
