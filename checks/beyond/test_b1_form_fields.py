"""Beyond B1: missing, empty and repeated form fields never cause a 5xx.

Every route that reads a form gets the same treatment: no body at all,
each field left out, each field empty, and each field sent twice. The
answer may be any status below 500 (the mandatory contract does not say
which 4xx), but never a server error: a missing field is the client's
mistake, and a 500 tells an attacker where the code breaks.
"""
from typing import Dict
from typing import List
from typing import Optional
from typing import Tuple

import pytest

from checks.harness.failures import Failure
from checks.harness.web import Client
from checks.harness.remote import Learner
from checks.harness.web import client_of

pytestmark = pytest.mark.task("B1")

EMAIL = "bob@bob.com"
PASSWORD = "mySuperPwd"
# The form fields each route reads.
ROUTES: Dict[str, Tuple[str, ...]] = {
    "POST /users": ("email", "password"),
    "POST /sessions": ("email", "password"),
    "POST /reset_password": ("email",),
    "PUT /reset_password": ("email", "reset_token", "new_password"),
}
RAISED = "the app raised"  # how the test client reports a crash
SHOWN = 3  # offending requests quoted in a failure message
FIX = ("read each field with request.form.get(name) and, when it is "
       "missing or empty, answer a 4xx (400, or 401/403 as the route's "
       "contract has it) before calling AUTH")

Pairs = List[Tuple[str, str]]


def good_values(client: Client, fields: Tuple[str, ...]) -> Dict[str, str]:
    """Register Bob and return well-formed values of every form field.

    A route that reads reset_token gets a real one: with a made-up token
    its view could refuse every form before reading the other fields.
    """
    client.register(EMAIL, PASSWORD)
    good = {"email": EMAIL, "password": PASSWORD, "new_password": "newPwd"}
    if "reset_token" in fields:
        asked = client.post("/reset_password", form={"email": EMAIL})
        token = (asked.expect_status(200).json or {}).get("reset_token")
        if not isinstance(token, str) or not token:
            raise Failure("{} gave no reset_token to send in the malformed "
                          "forms: {}".format(asked.request,
                                             asked.text.strip()[:200]))
        good["reset_token"] = token
    return good


def variants(fields: Tuple[str, ...], good: Dict[str, str]
             ) -> List[Optional[Pairs]]:
    """Return the malformed forms: none, and each field missing/empty/twice.
    """
    forms: List[Optional[Pairs]] = [None, [(name, "") for name in fields]]
    for name in fields:
        others = [(other, good[other]) for other in fields if other != name]
        forms.append(others)
        forms.append(others + [(name, "")])
        forms.append(others + [(name, good[name]), (name, "x" + good[name])])
    return forms


def describe(route: str, form: Optional[Pairs]) -> str:
    """Say which request was sent, repeated fields included."""
    if form is None:
        return "{} with no body".format(route)
    return "{} with form {}".format(route, ", ".join(
        "{}={}".format(name, value) for name, value in form) or "(empty)")


def server_error(client: Client, route: str, form: Optional[Pairs]
                 ) -> Optional[str]:
    """Send one malformed form; say what went wrong if it got a 5xx."""
    method, path = route.split()
    try:
        status = client.send(method, path, form=form).status
    except Failure as crash:  # the app raised: a 500 for a real client
        text = str(crash).split(" (a 500")[0]
        return text[text.find(RAISED):] if RAISED in text else text
    return "status {}".format(status) if status >= 500 else None


@pytest.mark.parametrize("route", sorted(ROUTES), ids=lambda route: route
                         .replace(" /", "-"))
def test_malformed_forms_get_no_5xx(learner: Learner, route: str) -> None:
    """{route} gets no 5xx for missing, empty or repeated fields"""
    client = client_of(learner)
    forms = variants(ROUTES[route], good_values(client, ROUTES[route]))
    errors = [(describe(route, form), error) for form, error in (
        (form, server_error(client, route, form)) for form in forms) if error]
    if errors:
        others = [request for request, _ in errors[1:SHOWN]]
        if len(errors) > SHOWN:
            others.append("{} more".format(len(errors) - SHOWN))
        raise Failure("{} of {} malformed forms got a server error: {} -> "
                      "{}{}".format(len(errors), len(forms), errors[0][0],
                                    errors[0][1], "; also " + "; ".join(
                                        others) if others else ""),
                      help=FIX)
