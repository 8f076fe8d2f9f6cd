#!/usr/bin/env python3
"""The User model of the authentication service, in SQLAlchemy 2.0 style.

The model is declared with `DeclarativeBase`, `Mapped[...]` annotations and
`mapped_column`, so it needs SQLAlchemy 2.x.
"""
from typing import Optional

from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column


class Base(DeclarativeBase):
    """The declarative base class that every model of the service extends."""


class User(Base):
    """A registered user, stored as one row of the `users` table."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(250), nullable=False)
    hashed_password: Mapped[str] = mapped_column(String(250),
                                                 nullable=False)
    session_id: Mapped[Optional[str]] = mapped_column(String(250),
                                                      nullable=True)
    reset_token: Mapped[Optional[str]] = mapped_column(String(250),
                                                       nullable=True)
