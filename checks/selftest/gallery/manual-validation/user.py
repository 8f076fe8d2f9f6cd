#!/usr/bin/env python3
"""SQLAlchemy model of a user of the authentication service."""
from sqlalchemy import Column
from sqlalchemy import Integer
from sqlalchemy import String

try:
    from sqlalchemy.orm import declarative_base
except ImportError:
    from sqlalchemy.ext.declarative import declarative_base

Base = declarative_base()


class User(Base):
    """A user account, one row of the `users` table."""

    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    email = Column(String(250), nullable=False)
    hashed_password = Column(String(250), nullable=False)
    session_id = Column(String(250), nullable=True)
    reset_token = Column(String(250), nullable=True)
