"""Beyond B2: passwords over bcrypt's 72-byte limit are refused, not cut.

bcrypt reads only a password's first 72 bytes: bcrypt 4 silently ignores
the rest (two passwords sharing those bytes become interchangeable) and
bcrypt 5 raises ValueError (a 500 unless handled). A solution counts UTF-8
bytes, not characters: 25 x "€" is 25 characters but 75 bytes.
"""
from typing import Dict

import pytest

from checks.harness.failures import Failure
from checks.harness.failures import Mismatch
from checks.harness.web import Client
from checks.harness.remote import Learner
from checks.harness.web import client_of
from checks.harness.web import Reply

pytestmark = pytest.mark.task("B2")

EMAIL = "bob@bob.com"
PASSWORD = "mySuperPwd"
LONGEST = "€" * 24           # 72 bytes: the most bcrypt reads
TOO_LONG = "€" * 25          # 75 bytes
SAME_PREFIX = LONGEST + "x"  # 73 bytes, the first 72 equal to LONGEST
REFUSE_HELP = ("check len(password.encode(\"utf-8\")) > 72 before hashing "
               "and answer a 4xx: bcrypt would ignore the rest (bcrypt 4) "
               "or raise ValueError (bcrypt 5)")
LIMIT_HELP = ("bcrypt uses all of a 72-byte password: refuse only passwords "
              "whose UTF-8 encoding is longer than 72 bytes")
LOGIN_HELP = ("in valid_login, return False for a password over 72 UTF-8 "
              "bytes before calling bcrypt: no stored password is that "
              "long, bcrypt 4 would compare only its first 72 bytes and "
              "bcrypt 5 raises ValueError")


def send(client: Client, method: str, path: str, form: Dict[str, str],
         help: str) -> Reply:
    """Send a form; a crash of the app fails with this help."""
    try:
        return client.send(method, path, form=form)
    except Failure as crash:
        raise Failure(str(crash), help=help)


def login(client: Client, password: str) -> Reply:
    """Send POST /sessions for Bob with this password."""
    return send(client, "POST", "/sessions", {"email": EMAIL,
                                              "password": password},
                LOGIN_HELP)


def expect_4xx(reply: Reply) -> None:
    """Fail unless the reply is a client error."""
    if not 400 <= reply.status < 500:
        raise Mismatch(reply.request, "a 4xx refusal", "{} {}".format(
            reply.status, reply.text[:120]), REFUSE_HELP)


def expect_no_cut_copy(client: Client, after: str) -> None:
    """Fail if the first 72 bytes of the refused password log Bob in."""
    reply = login(client, LONGEST)
    if reply.status == 200:
        raise Mismatch("{}, then {}".format(after, reply.request),
                       "status 401", "200: the refused password was "
                       "stored cut to its first 72 bytes", REFUSE_HELP)


def test_72_bytes_are_accepted(learner: Learner) -> None:
    """a password of exactly 72 UTF-8 bytes registers and logs in"""
    client = client_of(learner)
    for reply in (send(client, "POST", "/users", {
            "email": EMAIL, "password": LONGEST}, LIMIT_HELP),
            login(client, LONGEST)):
        if reply.status != 200:
            raise Mismatch(reply.request, "status 200", "{} {}".format(
                reply.status, reply.text[:120]), LIMIT_HELP)


def test_registration_refuses_75_bytes(learner: Learner) -> None:
    """POST /users with a 75-byte password (25 x "€") answers a 4xx"""
    client = client_of(learner)
    reply = send(client, "POST", "/users", {"email": EMAIL,
                                            "password": TOO_LONG},
                 REFUSE_HELP)
    expect_4xx(reply)
    expect_no_cut_copy(client, reply.request)


def test_login_refuses_73_bytes(learner: Learner) -> None:
    """POST /sessions with 72 right bytes plus one more answers 401"""
    client = client_of(learner)
    client.register(EMAIL, LONGEST)
    for password in (SAME_PREFIX, TOO_LONG):
        reply = login(client, password)
        if reply.status != 401:
            got = "{} {}".format(reply.status, reply.text[:120])
            if reply.status == 200:
                got += " (the password was cut to its first 72 bytes)"
            raise Mismatch(reply.request + " after registering 24 x \"€\"",
                           "status 401", got, LOGIN_HELP)


def test_reset_refuses_75_bytes(learner: Learner) -> None:
    """PUT /reset_password with a 75-byte new password answers a 4xx"""
    client = client_of(learner)
    client.register(EMAIL, PASSWORD)
    asked = client.post("/reset_password", form={"email": EMAIL})
    token = (asked.expect_status(200).json or {}).get("reset_token")
    if not isinstance(token, str) or not token:
        raise Failure("{} gave no reset_token to try the new password "
                      "with: {}".format(asked.request, asked.text.strip()
                                        [:200]))
    reply = send(client, "PUT", "/reset_password", {
        "email": EMAIL, "reset_token": token, "new_password": TOO_LONG},
        REFUSE_HELP)
    expect_4xx(reply)
    expect_no_cut_copy(client, reply.request)
    login(client, PASSWORD).expect_status(200)
