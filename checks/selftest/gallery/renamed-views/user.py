#!/usr/bin/env python3
"""Declares the `User` model (table `users`) and the declarative `Base`.
"""
try:
    from sqlalchemy.orm import declarative_base
except ImportError:  # SQLAlchemy 1.3 only has it in the ext package
    from sqlalchemy.ext.declarative import declarative_base
from sqlalchemy import Column, Integer, String

Base = declarative_base()


class User(Base):
    """Represents one account of the authentication service.
    """
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    email = Column(String(250), nullable=False)
    hashed_password = Column(String(250), nullable=False)
    session_id = Column(String(250), nullable=True)
    reset_token = Column(String(250), nullable=True)
