"""Acceptance test of issue 5, "Confidentiality": a denunciator's identity is visible only to the
inspectorate role (Law on Denunciations 2018, art. 8(1)(b), 47 and 48: the denunciator's name,
address and handwriting are kept secret by those who receive and settle the denunciation).

Every role (admin, compiler, leader, inspectorate, viewer, unit reporter, the inspectorate of
another department) tries the list page, its HTMX fragment, the detail page, a search by the name,
the API list, detail and search, the CSV export and the audit history (page and API) of a
denunciation that went through every step. "Nguyễn Văn Bí Mật" and the contact appear only for the
inspectorate. Then the other ways out: error messages, the admin site, the log itself, the digest.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from baocao.audit.models import AuditEvent
from baocao.cases.models import Case
from baocao.cases.services import case_attachment_add, case_extend, case_resolve, case_update, cases_digest
from tests.api.conftest import JsonClient
from tests.cases.case_fixtures import (
    SECRET_CONTACT,
    SECRET_NAME,
    case_world,
    logged,
    make_case,
    make_denunciation,
)

pytestmark = pytest.mark.django_db

SECRETS = (SECRET_NAME, "Bí Mật", "0912 000 111", "ngõ Kín")
ROLES = ["admin", "compiler", "leader", "inspector", "viewer", "reporter_a", "other_inspector"]
NOTICE = "[Thông tin người tố cáo được giữ bí mật]"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def world(media):
    w = case_world()
    case = make_denunciation(w, received_on=date(2022, 3, 1), accepted_on=date(2022, 3, 2))
    # Every step that writes history: an identity edit, an extension, a document named after the
    # denunciator, the resolution.
    case_update(acting_user=w.inspector, case=case, submitter_contact=SECRET_CONTACT + " (mới)",
                is_complex=True)
    case_extend(case=case, decision_number="7/QĐ-TTr", decided_on=date(2022, 3, 25), days=30,
                reason="Vụ việc phức tạp", acting_user=w.inspector)
    case_attachment_add(case=case, file=SimpleUploadedFile("don.pdf", b"%PDF"),
                        title=f"Đơn tố cáo của {SECRET_NAME}", acting_user=w.inspector)
    case_resolve(case=case, resolved_on=date(2022, 4, 20), conclusion="Tố cáo đúng một phần",
                 acting_user=w.inspector)
    w.case = Case.objects.get(pk=case.pk)
    return w


def leaks(text: str) -> bool:
    return any(secret in text for secret in SECRETS)


def surfaces(world, role) -> dict[str, tuple[int, str]]:
    """(status, text) of every way a role can read the case."""
    u = getattr(world, role)
    page, api = logged(u), JsonClient(user=u)
    pk = world.case.pk
    out = {}
    for name, response in {
        "list page": page.get("/cases/"),
        "list fragment": page.get("/cases/", HTTP_HX_REQUEST="true"),
        "detail page (with history)": page.get(f"/cases/{pk}/"),
        "search page by name": page.get("/cases/", {"q": SECRET_NAME}),
        "search page without accents": page.get("/cases/", {"q": "nguyen van bi mat"}),
        "CSV": page.get("/cases/", {"format": "csv"}),
        "CSV searched by name": page.get("/cases/", {"format": "csv", "q": SECRET_NAME}),
        "API list": api.get("/cases"),
        "API search by name": api.get("/cases", {"q": SECRET_NAME}),
        "API detail": api.get(f"/cases/{pk}"),
        "API history": api.get(f"/cases/{pk}/history"),
        "edit page": page.get(f"/cases/{pk}/edit/"),
    }.items():
        text = response.content.decode("utf-8")
        if response["Content-Type"].startswith("application/json"):
            text = json.dumps(response.json(), ensure_ascii=False)  # JSON escapes "ễ" as \u1ec5
        # The search box shows back what the user typed: that is not the register speaking.
        if "search" in name:
            text = text.replace(f'value="{SECRET_NAME}"', 'value=""')
        out[name] = (response.status_code, text)
    return out


@pytest.mark.parametrize("role", ROLES)
def test_only_the_inspectorate_sees_the_denunciator(world, role):
    for name, (status, text) in surfaces(world, role).items():
        # The history never holds it, for anyone (see test_the_log_itself_never_holds_the_identity).
        if role == "inspector" and name != "API history":
            assert status == 200 and SECRET_NAME in text, name
        else:
            assert not leaks(text), f"{role}: {name} shows the denunciator"


@pytest.mark.parametrize("role", ["admin", "compiler", "leader", "viewer"])
def test_other_roles_see_the_case_but_not_who_sent_it(world, role):
    result = surfaces(world, role)
    assert result["detail page (with history)"][0] == 200
    assert NOTICE in result["detail page (with history)"][1] and NOTICE in result["list page"][1]
    assert NOTICE in result["CSV"][1] and "TC-01" in result["CSV"][1]
    api_detail = JsonClient(user=getattr(world, role)).get(f"/cases/{world.case.pk}").json()
    assert (api_detail["submitter_name"], api_detail["submitter_contact"], api_detail["identity_hidden"],
            api_detail["attachments"]) == (None, None, True, None)
    # Searching by the name finds nothing (the fields are not searched), not even "no such name".
    assert "TC-01" not in result["search page by name"][1]
    assert JsonClient(user=getattr(world, role)).get("/cases", {"q": SECRET_NAME}).json()["items"] == []


def test_the_inspectorate_finds_it_by_name(world):
    result = surfaces(world, "inspector")
    assert "TC-01" in result["search page by name"][1] and "TC-01" in result["search page without accents"][1]
    assert [c["code"] for c in JsonClient(user=world.inspector).get("/cases", {"q": "bi mat"}).json()["items"]] == [
        "TC-01"]
    assert SECRET_CONTACT in result["CSV"][1]


@pytest.mark.parametrize("role", ["reporter_a", "other_inspector"])
def test_outside_the_register_everything_is_404(world, role):
    result = surfaces(world, role)
    for name in ("detail page (with history)", "API detail", "API history", "edit page"):
        assert result[name][0] == 404, name


def test_the_log_itself_never_holds_the_identity(world):
    rows = AuditEvent.objects.filter(entity="case", entity_id=world.case.pk)
    assert rows.count() >= 8
    for e in rows:
        assert not leaks(f"{e.field} {e.old_value} {e.new_value} {e.comment}"), e
    edit = rows.get(action="case.update", field="submitter_contact")
    assert (edit.old_value, edit.new_value) == ("[bảo mật]", "[bảo mật]")
    # Even the inspectorate reads "[bảo mật]" there: the values were never written.
    history = JsonClient(user=world.inspector).get(f"/cases/{world.case.pk}/history").json()
    assert not any(leaks(f"{h['old']} {h['new']} {h['comment']} {h['text']}") for h in history)


def test_error_messages_never_echo_the_submitter(world):
    too_long = f"{SECRET_NAME} {'x' * 300}"
    api = JsonClient(user=world.inspector)
    body = {"kind": "denunciation", "received_on": "2022-03-01", "summary": "Tố cáo", "submitter_name": too_long,
            "submitter_contact": SECRET_CONTACT}
    r = api.post("/cases", body)
    assert r.status_code == 400 and not leaks(r.content.decode())
    r = api.post("/cases", body | {"submitter_name": SECRET_NAME * 80})  # beyond the schema's limit: 422
    assert r.status_code == 422 and not leaks(r.content.decode())
    r = api.post("/cases", body | {"submitter_name": SECRET_NAME, "officer": world.other_inspector.pk})
    assert r.status_code == 400 and not leaks(r.content.decode())
    assert Case.objects.count() == 1
    # The admin may not change a denunciator's identity, and the refusal names nobody.
    try:
        case_update(acting_user=world.admin, case=world.case, submitter_name=SECRET_NAME + " 2")
    except Exception as exc:  # noqa: BLE001 - the message is what is checked
        assert not leaks(str(exc)) and not leaks(str(getattr(exc, "extra", "")))
    else:
        raise AssertionError("the admin changed a denunciator's identity")


def test_the_admin_site_leaves_the_identity_out(world):
    client = logged(world.admin)  # a superuser
    for url in ("/admin/cases/case/", f"/admin/cases/case/{world.case.pk}/change/",
                f"/admin/cases/case/?q={SECRET_NAME}", "/admin/audit/auditevent/"):
        r = client.get(url)
        assert r.status_code == 200, url
        text = r.content.decode().replace(f'value="{SECRET_NAME}"', 'value=""')  # the search box
        assert not leaks(text), url
    assert "TC-01" not in client.get(f"/admin/cases/case/?q={SECRET_NAME}").content.decode()


def test_the_digest_names_nobody(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_denunciation(world, code="TC-02", received_on=date(2022, 3, 1))
    cases_digest(today=date(2022, 3, 16))
    assert len(mail.outbox) == 1 and "TC-02" in mail.outbox[0].body
    assert not leaks(mail.outbox[0].subject + mail.outbox[0].body)


def test_other_kinds_show_their_sender_to_every_reader(world):
    make_case(world, code="KN-01", submitter_name="Trần Văn Kiến Nghị")
    html = logged(world.compiler).get("/cases/").content.decode()
    assert "Trần Văn Kiến Nghị" in html
