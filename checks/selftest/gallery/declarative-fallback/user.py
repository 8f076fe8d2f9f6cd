#!/usr/bin/env python3
"""SQLAlchemy model of the users of the authentication service.

The declarative base moved to ``sqlalchemy.orm`` in SQLAlchemy 1.4; older
releases (1.3) only have it in ``sqlalchemy.ext.declarative``, so both are
tried in turn.
"""
from sqlalchemy import Column, Integer, String

try:
    from sqlalchemy.orm import declarative_base
except ImportError:
    from sqlalchemy.ext.declarative import declarative_base

Base = declarative_base()


class User(Base):
    """A registered user, stored as one row of the users table."""

    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    email = Column(String(250), nullable=False)
    hashed_password = Column(String(250), nullable=False)
    session_id = Column(String(250), nullable=True)
    reset_token = Column(String(250), nullable=True)
