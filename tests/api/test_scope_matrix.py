"""Every role against every endpoint, in and out of scope, in one table.

Out of scope (another unit's or another department's id) is 404; in scope but not allowed for the
role is 403; both with the error shape.
"""

from __future__ import annotations

import pytest

from tests.api.conftest import make_draft, make_submitted

pytestmark = pytest.mark.django_db

ROLES = ["admin", "compiler", "leader", "inspector", "viewer", "reporter_a", "reporter_b", "other_compiler"]
READ_ALL = {r: 200 for r in ROLES} | {"other_compiler": 404}
READ_UNIT_A = READ_ALL | {"reporter_b": 404}
RECEIVERS_ONLY = READ_ALL | {"reporter_a": 404, "reporter_b": 404}
REVIEW = {"admin": 200, "compiler": 200, "leader": 200, "inspector": 403, "viewer": 403, "reporter_a": 403,
          "reporter_b": 404, "other_compiler": 404}
EDIT_A = {"admin": 200, "compiler": 403, "leader": 403, "inspector": 403, "viewer": 403, "reporter_a": 200,
          "reporter_b": 404, "other_compiler": 404}

GETS = [
    ("/units/{unit_a}", READ_UNIT_A),
    ("/regimes/{regime}", READ_ALL),
    ("/regimes/{regime}/periods/2022S2", READ_ALL),
    ("/regimes/{regime}/monitor?period=2022S2", RECEIVERS_ONLY),
    ("/form-versions/{form_version}", READ_ALL),
    ("/submissions/{sub}", READ_UNIT_A),
    ("/submissions/{sub}/history", READ_UNIT_A),
]


def ids(world, sub) -> dict:
    return {"unit_a": world.unit_a.pk, "regime": world.regime.pk, "form_version": world.form_version.pk,
            "sub": sub.pk}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path,expected", GETS, ids=[g[0] for g in GETS])
def test_reads(world, api, role, path, expected):
    sub = make_submitted(world)
    r = api(getattr(world, role)).get(path.format(**ids(world, sub)))
    assert r.status_code == expected[role], (role, path, r.content)
    if r.status_code != 200:
        assert set(r.json()) == {"message", "extra"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action,body", [("approve", {}), ("return", {"comment": "Sửa lại số liệu"})])
def test_review_actions(world, api, role, action, body):
    sub = make_submitted(world)
    r = api(getattr(world, role)).post(f"/submissions/{sub.pk}/{action}", body)
    assert r.status_code == REVIEW[role], (role, action, r.content)
    sub.refresh_from_db()
    assert (sub.status == "submitted") == (REVIEW[role] != 200)


@pytest.mark.parametrize("role", ROLES)
def test_edit_and_submit(world, api, role):
    sub = make_draft(world)
    client = api(getattr(world, role))
    r = client.put(f"/submissions/{sub.pk}/draft", {"version": 0, "values": {"A": 1, "B": 2},
                                                    "narratives": {"RESULTS": "Xong"}})
    assert r.status_code == EDIT_A[role], (role, r.content)
    r = client.post(f"/submissions/{sub.pk}/submit")
    if EDIT_A[role] == 200:
        assert r.status_code == 200, r.content
    else:
        assert r.status_code == EDIT_A[role]
        sub.refresh_from_db()
        assert sub.status == "draft" and sub.values.count() == 0


@pytest.mark.parametrize("role", ROLES)
def test_lists_never_leak_other_units(world, api, role):
    make_submitted(world, world.unit_a)
    make_submitted(world, world.unit_b)
    r = api(getattr(world, role)).get("/submissions")
    units = {item["unit"]["code"] if isinstance(item.get("unit"), dict) else item.get("unit_code")
             for item in r.json()["items"]}
    expected = {"admin": {"UA", "UB"}, "reporter_a": {"UA"}, "reporter_b": {"UB"}, "other_compiler": set()}
    assert units == expected.get(role, {"UA", "UB"})
