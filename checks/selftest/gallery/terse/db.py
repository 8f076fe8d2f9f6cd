#!/usr/bin/env python3
"""The DB class: every SQLAlchemy call of the service lives here."""
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker
from sqlalchemy.orm.session import Session

from user import Base, User


class DB:
    """Store of users in the SQLite file a.db."""

    def __init__(self) -> None:
        """Create the engine (shared by the server's threads), empty tables."""
        self._engine = create_engine(
            "sqlite:///a.db", echo=False,
            connect_args={"check_same_thread": False})
        Base.metadata.drop_all(self._engine)
        Base.metadata.create_all(self._engine)
        self.__session = None

    @property
    def _session(self) -> Session:
        """Return the session, opening it the first time it is needed."""
        if self.__session is None:
            DBSession = sessionmaker(bind=self._engine)
            self.__session = DBSession()
        return self.__session

    def add_user(self, email: str, hashed_password: str) -> User:
        """Add a user with this email and password hash, then return it."""
        user = User(email=email, hashed_password=hashed_password)
        self._session.add(user)
        self._session.commit()
        return user

    def find_user_by(self, **kwargs: Any) -> User:
        """Return the one user matching kwargs; SQLAlchemy raises if none."""
        return self._session.query(User).filter_by(**kwargs).one()

    def update_user(self, user_id: int, **kwargs: Any) -> None:
        """Set the given attributes of the user with this id and commit."""
        user = self.find_user_by(id=user_id)
        if not set(kwargs) <= set(User.__table__.columns.keys()):
            raise ValueError("unknown column in {}".format(list(kwargs)))
        for key, value in kwargs.items():
            setattr(user, key, value)
        self._session.commit()
