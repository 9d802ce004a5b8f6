"""The admin's case list gives no oracle on a denunciator's identity: a URL filter, a search or an
ordering on the submitter's fields (or on a denunciation's documents, which name the sender)
answers the same as without it, or a 400 that says nothing, for anyone but the inspectorate."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from baocao.audit.models import AuditEvent
from baocao.cases.admin import CaseAdmin
from baocao.cases.models import TimeLimitRule
from baocao.cases.services import case_attachment_add
from tests.cases.case_fixtures import SECRET_NAME, case_world, logged, make_case, make_denunciation

pytestmark = pytest.mark.django_db

PROBES = [
    {"submitter_name__icontains": "Bí"},
    {"submitter_name__icontains": "zzz"},
    {"submitter_name__startswith": "Nguyễn"},
    {"submitter_name": SECRET_NAME},
    {"submitter_contact__startswith": "Số 9"},
    {"submitter_contact__contains": "0912"},
    {"submitter_name__regex": "^N"},
    {"submitter_name__isnull": "False"},
    {"submitter_name__gt": "M"},
    {"attachments__title__icontains": "Bí"},
    {"attachments__file__icontains": "don"},
    {"kind": "denunciation", "submitter_name__icontains": "Bí"},
]


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    w = case_world()
    w.case = make_denunciation(w, received_on=date(2022, 3, 1))
    case_attachment_add(case=w.case, file=SimpleUploadedFile("don-nguyen-van-bi-mat.pdf", b"%PDF"),
                        title=f"Đơn của {SECRET_NAME}", acting_user=w.inspector)
    make_case(w, code="KN-01", submitter_name="Trần Văn Kiến Nghị")
    return w


def _answer(client, params) -> tuple[int, str]:
    r = client.get("/admin/cases/case/", params)
    text = r.content.decode()
    found = re.search(r'<p class="paginator">(.*?)</p>', text, re.S)
    return r.status_code, re.sub(r"\s+", " ", found.group(1)) if found else ""


@pytest.mark.parametrize("probe", PROBES, ids=lambda p: "&".join(p))
def test_a_filter_on_the_identity_is_no_oracle(world, probe):
    client = logged(world.admin)  # a superuser, not the inspectorate
    status, answer = _answer(client, probe)
    plain_status, plain = _answer(client, {k: v for k, v in probe.items() if k == "kind"})
    assert plain_status == 200
    assert status == 400 or (status, answer) == (plain_status, plain)
    if status == 400:
        body = client.get("/admin/cases/case/", probe).content.decode()
        assert SECRET_NAME not in body and "0912" not in body and "Bí" not in body


def test_the_refusal_is_the_same_whatever_the_guess(world):
    client = logged(world.admin)
    right = client.get("/admin/cases/case/", {"submitter_name__icontains": "Bí"})
    wrong = client.get("/admin/cases/case/", {"submitter_name__icontains": "zzz"})
    assert (right.status_code, _unmasked(right.content)) == (wrong.status_code, _unmasked(wrong.content))


def _unmasked(content: bytes) -> bytes:
    # Django masks the CSRF token afresh on every page: the only difference two answers may have.
    return re.sub(rb'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[A-Za-z0-9]+', rb"\1", content)


@pytest.mark.parametrize("order", ["1", "2", "-1", "0.1", "1.2.3.4.5.6.7"])
def test_ordering_never_uses_the_identity(world, order):
    client = logged(world.admin)
    r = client.get("/admin/cases/case/", {"o": order})
    assert r.status_code == 200
    assert not {"submitter_name", "submitter_contact"} & set(CaseAdmin.list_display)


def test_search_ignores_the_identity(world):
    client = logged(world.admin)
    r = client.get("/admin/cases/case/", {"q": "Bí Mật"})
    assert r.status_code == 200 and "TC-01" not in r.content.decode()
    assert "0 " in _answer(client, {"q": "0912"})[1]


def test_the_inspectorate_staff_still_finds_by_name(world):
    world.inspector.is_staff = True
    world.inspector.save()
    from django.contrib.auth.models import Permission

    world.inspector.user_permissions.add(Permission.objects.get(codename="view_case"))
    client = logged(world.inspector)
    status, answer = _answer(client, {"submitter_name__icontains": "Bí"})
    assert status == 200 and answer.strip().startswith("1 ")
    assert _answer(client, {"submitter_name__icontains": "zzz"})[1].strip().startswith("0 ")


def test_time_limit_rules_edited_in_the_admin_are_audited(world):
    client = logged(world.admin)
    rule = TimeLimitRule.objects.first()
    assert rule is not None  # seeded by the migration
    data = {k: getattr(rule, k) for k in ("kind", "step", "round", "day_type", "days", "counted_from",
                                           "max_extensions", "legal_basis")}
    for k in ("complex_days", "remote_days", "remote_complex_days"):
        data[k] = getattr(rule, k) if getattr(rule, k) is not None else ""
    data["days"] = rule.days + 1
    r = client.post(f"/admin/cases/timelimitrule/{rule.pk}/change/", data)
    assert r.status_code == 302, r.content.decode()[:3000]
    e = AuditEvent.objects.get(entity="timelimitrule", entity_id=rule.pk, field="days")
    assert (e.old_value, e.new_value, e.actor_id) == (str(rule.days), str(rule.days + 1), world.admin.pk)
