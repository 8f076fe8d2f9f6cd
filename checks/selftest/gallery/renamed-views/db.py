#!/usr/bin/env python3
"""Database module: all the SQL work of the service happens here.
"""
from typing import Any, Dict

from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker
from sqlalchemy.orm.exc import NoResultFound
from sqlalchemy.orm.session import Session

from user import Base, User


class DB:
    """Wraps the SQLite database that stores the users.
    """

    def __init__(self) -> None:
        """Create the engine and start from fresh, empty tables.
        """
        # The Flask server answers each request in its own thread, while
        # the memoized session below is shared by all of them.
        self._engine = create_engine(
            "sqlite:///a.db",
            echo=False,
            connect_args={"check_same_thread": False},
        )
        Base.metadata.drop_all(self._engine)
        Base.metadata.create_all(self._engine)
        self.__session = None

    @property
    def _session(self) -> Session:
        """Return the session of this DB, creating it the first time.
        """
        if self.__session is None:
            self.__session = sessionmaker(bind=self._engine)()
        return self.__session

    def add_user(self, email: str, hashed_password: str) -> User:
        """Create a user row from an email and a hashed password.
        """
        new_user = User(email=email, hashed_password=hashed_password)
        self._session.add(new_user)
        self._session.commit()
        return new_user

    def find_user_by(self, **kwargs: Any) -> User:
        """Find the first user matching every keyword filter given.
        """
        found = self._session.query(User).filter_by(**kwargs).first()
        if found is None:
            raise NoResultFound("No user found for {}".format(kwargs))
        return found

    def update_user(self, user_id: int, **kwargs: Any) -> None:
        """Save new values for some attributes of the user with user_id.
        """
        user = self.find_user_by(id=user_id)
        changes: Dict[str, Any] = {}
        for attribute, value in kwargs.items():
            if attribute not in User.__table__.columns:
                raise ValueError("Unknown attribute {}".format(attribute))
            changes[attribute] = value
        for attribute, value in changes.items():
            setattr(user, attribute, value)
        self._session.commit()
