"""Beyond B5: the session cookie is HttpOnly and SameSite; logout clears it.

HttpOnly keeps page scripts (and so an injected script) from reading the
session id; SameSite=Lax or Strict keeps browsers from sending it with
cross-site form posts, the usual CSRF. Logout ends the session in the
database and also tells the browser to drop the cookie: a Set-Cookie of
the same name and path that has already expired.
"""
from datetime import datetime
from datetime import timezone
from email.utils import parsedate_to_datetime
from typing import Tuple

import pytest

from checks.harness.failures import Mismatch
from checks.harness.web import Client
from checks.harness.web import Cookie
from checks.harness.remote import Learner
from checks.harness.web import client_of
from checks.harness.web import Reply

pytestmark = pytest.mark.task("B5")

EMAIL = "bob@bob.com"
PASSWORD = "mySuperPwd"
SAMESITE = ("lax", "strict")


def logged_in(learner: Learner) -> Tuple[Client, Reply, Cookie]:
    """Register and log Bob in; return the client, reply and cookie."""
    client = client_of(learner)
    client.register(EMAIL, PASSWORD)
    reply = client.post("/sessions", form={"email": EMAIL,
                                           "password": PASSWORD})
    cookie = reply.expect_status(200).cookie("session_id")
    if cookie is None:
        raise Mismatch(reply.request, "a session_id cookie", "none", None)
    return client, reply, cookie


def header(cookie: Cookie) -> str:
    """Rebuild the Set-Cookie header of a parsed cookie, for messages."""
    parts = ["{}={}".format(cookie["name"], cookie["value"])]
    parts += [key if value is True else "{}={}".format(key, value)
              for key, value in cookie.items() if key not in ("name",
                                                              "value")]
    return "; ".join(parts)


def has_expired(cookie: Cookie) -> bool:
    """Tell whether a Set-Cookie tells the browser to drop the cookie now."""
    if str(cookie.get("max-age", "")).strip() in ("0", "-1"):
        return True
    try:
        expires = parsedate_to_datetime(str(cookie.get("expires", "")))
    except (TypeError, ValueError, IndexError):
        return False
    if expires.tzinfo is None:
        expires = expires.replace(tzinfo=timezone.utc)
    return expires <= datetime.now(timezone.utc)


def test_session_cookie_is_httponly(learner: Learner) -> None:
    """the session_id cookie is HttpOnly"""
    _, reply, cookie = logged_in(learner)
    if cookie.get("httponly") is not True:
        raise Mismatch(reply.request, "Set-Cookie with HttpOnly",
                       header(cookie), "response.set_cookie(\"session_id\", "
                       "session_id, httponly=True, samesite=\"Lax\")")


def test_session_cookie_is_samesite(learner: Learner) -> None:
    """the session_id cookie is SameSite=Lax or Strict"""
    _, reply, cookie = logged_in(learner)
    if str(cookie.get("samesite", "")).lower() not in SAMESITE:
        raise Mismatch(reply.request, "Set-Cookie with SameSite=Lax or "
                       "SameSite=Strict", header(cookie),
                       "response.set_cookie(\"session_id\", session_id, "
                       "httponly=True, samesite=\"Lax\"); SameSite=None "
                       "sends it with every cross-site request")


def test_logout_clears_the_cookie(learner: Learner) -> None:
    """DELETE /sessions expires the session_id cookie in the browser"""
    client, _, cookie = logged_in(learner)
    reply = client.delete("/sessions", cookies={"session_id":
                                                str(cookie["value"])})
    cleared = reply.cookie("session_id")
    expected = "Set-Cookie session_id=; Expires in the past (Path={})" \
        .format(cookie.get("path", "/"))
    if cleared is None:
        raise Mismatch(reply.request, expected, "no session_id cookie",
                       "response.delete_cookie(\"session_id\") on the "
                       "redirect response")
    if not has_expired(cleared) or cleared.get("path") != cookie.get("path"):
        raise Mismatch(reply.request, expected, header(cleared),
                       "response.delete_cookie(\"session_id\") sets an "
                       "expiry in the past, on the path the cookie was "
                       "set with")
