#!/usr/bin/env python3
"""Declarative SQLAlchemy mapping of the users table.

``Base`` is exported too, because the database module creates and drops
the tables through ``Base.metadata``.
"""
from sqlalchemy import Column
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy.ext.declarative import declarative_base

Base = declarative_base()


class User(Base):
    """Mapped class for one account of the authentication service."""

    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    email = Column(String(250), nullable=False)
    hashed_password = Column(String(250), nullable=False)
    session_id = Column(String(250), nullable=True)
    reset_token = Column(String(250), nullable=True)

    def __repr__(self) -> str:
        """Show the user's id and email, which is handy when debugging."""
        return "<User {} {}>".format(self.id, self.email)
