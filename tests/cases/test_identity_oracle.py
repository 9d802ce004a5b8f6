"""No entry point answers differently depending on a denunciator's identity for anyone but the
inspectorate: the case pages (list, fragment, CSV) and the API list, with a URL filter, an
ordering or a search naming the submitter, answer exactly as they do with a wrong guess (or with
no such parameter at all). The inspectorate still finds a denunciation by its sender's name."""

from __future__ import annotations

import json
import re
from datetime import date
from urllib.parse import quote, quote_plus

import pytest

from tests.api.conftest import JsonClient
from tests.cases.case_fixtures import SECRET_NAME, case_world, logged, make_case, make_denunciation

pytestmark = pytest.mark.django_db

OTHERS = ["admin", "compiler", "leader", "viewer"]
RIGHT, WRONG = "Bí Mật", "Zzz Khác"
# Parameters someone might try; the right and the wrong guess must give the same answer.
PROBES = [
    lambda g: {"q": g},
    lambda g: {"submitter_name__icontains": g},
    lambda g: {"submitter_name": g},
    lambda g: {"submitter_contact__startswith": g},
    lambda g: {"submitter_name__icontains": g, "q": "TC"},
    lambda g: {"sort": "submitter_name", "q": g},
    lambda g: {"o": "submitter_name", "ordering": "-submitter_contact", "q": g},
]


@pytest.fixture
def world():
    w = case_world()
    make_denunciation(w, received_on=date(2022, 3, 1))
    make_case(w, code="KN-01", submitter_name="Trần Văn Kiến Nghị")
    return w


def _echo_removed(text: str) -> str:
    # What the page shows back of what was typed (the search box, its links) is not the register.
    for guess in (RIGHT, WRONG):
        for form in (quote_plus(guess), quote(guess), guess):
            text = text.replace(form, "")
    return text


def _page(client, params) -> str:
    text = client.get("/cases/", params).content.decode()
    return _echo_removed(re.sub(r'csrfmiddlewaretoken" value="[^"]*"|"X-CSRFToken": "[^"]*"', "", text))


def _surfaces(user, params) -> dict[str, str]:
    page, api = logged(user), JsonClient(user=user)
    return {
        "page": _page(page, params),
        "fragment": _echo_removed(page.get("/cases/", params, HTTP_HX_REQUEST="true").content.decode()),
        "csv": page.get("/cases/", {**params, "format": "csv"}).content.decode(),
        "api": json.dumps(api.get("/cases", params).json(), ensure_ascii=False),
    }


@pytest.mark.parametrize("role", OTHERS)
@pytest.mark.parametrize("probe", range(len(PROBES)))
def test_a_right_guess_answers_like_a_wrong_one(world, role, probe):
    user = getattr(world, role)
    right = _surfaces(user, PROBES[probe](RIGHT))
    wrong = _surfaces(user, PROBES[probe](WRONG))
    for name in right:
        assert right[name] == wrong[name], f"{role}: {name}"
        assert SECRET_NAME not in right[name], f"{role}: {name}"


@pytest.mark.parametrize("role", OTHERS)
def test_filters_on_the_identity_are_ignored(world, role):
    user = getattr(world, role)
    assert _surfaces(user, {"submitter_name__icontains": RIGHT}) == _surfaces(user, {})


def test_the_inspectorate_finds_by_name_and_only_the_right_name(world):
    right = JsonClient(user=world.inspector).get("/cases", {"q": RIGHT}).json()["items"]
    wrong = JsonClient(user=world.inspector).get("/cases", {"q": WRONG}).json()["items"]
    assert [c["code"] for c in right] == ["TC-01"] and wrong == []
    assert "TC-01" in logged(world.inspector).get("/cases/", {"q": RIGHT, "format": "csv"}).content.decode()
