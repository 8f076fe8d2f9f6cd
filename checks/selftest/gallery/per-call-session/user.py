#!/usr/bin/env python3
"""The SQLAlchemy model for the users of the authentication service.

`Base` is exported too, because the database module creates the tables
from its metadata.
"""
from sqlalchemy import Column
from sqlalchemy import Integer
from sqlalchemy import String
from sqlalchemy.ext.declarative import declarative_base

Base = declarative_base()


class User(Base):
    """A user account, stored as one row of the `users` table."""

    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    email = Column(String(250), nullable=False)
    hashed_password = Column(String(250), nullable=False)
    session_id = Column(String(250), nullable=True)
    reset_token = Column(String(250), nullable=True)
