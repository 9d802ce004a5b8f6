"""Issue 12, the outline side: the opening, assessment, closing and next-period sentences are data of
the regime's outline — validated with their placeholders, edited in the admin and the API (audited),
followed by the built report; saved outlines gain the assessment part and a title that can speak of
the next period (migration 0004)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.test import Client

from baocao.audit.models import AuditEvent
from baocao.consolidation.models import ReportOutline
from baocao.consolidation.outline import outline_validate
from baocao.consolidation.selectors import compose_input
from baocao.core.errors import AppError
from tests.admin_helpers import admin_form_data
from tests.api.conftest import JsonClient, assert_error
from tests.consolidation.test_api import built
from tests.consolidation.test_api import data as data  # noqa: F401 - the fixture
from tests.factories import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db) -> World:
    w = World()
    w.regime.legal_basis = ("Nghị định số 09/2019/NĐ-CP ngày 24/01/2019 của Chính phủ\n"
                            "Kế hoạch số 12/KH-STTTT ngày 05/01/2022 của Sở Thông tin và Truyền thông")
    w.regime.save()
    return w


def url(world: World) -> str:
    return f"/regimes/{world.regime.pk}/outline"


def check(outline: ReportOutline) -> None:
    outline_validate(outline, section_codes=["I"], indicator_codes=["A", "B", "PCT"])


@pytest.mark.parametrize(("fields", "fragment"), [
    ({"closing_template": "Trên đây là {khong_co}./."}, "{khong_co}"),
    ({"next_heading_template": "Phương hướng {unit}"}, "{unit}"),
    ({"assessment_templates": {"rises": "Tăng: {items} {target}."}}, "{target}"),
    ({"assessment_templates": {"loi_khen": "Tốt."}}, "loi_khen"),
    ({"assessment_templates": {"rises": 5}}, "phải là văn bản"),
    ({"assessment_templates": ["rises"]}, "phải là một bảng"),
    ({"next_period_mode": "sometimes"}, "sometimes"),
    ({"summary_template": "{period} {next_year}"}, "{next_year}"),
])
def test_outline_validate_names_the_culprit(world, fields, fragment) -> None:
    outline = ReportOutline(regime=world.regime, **fields)
    with pytest.raises(AppError) as caught:
        check(outline)
    assert fragment in caught.value.message


def test_new_fields_accept_their_placeholders(world) -> None:
    check(ReportOutline(
        regime=world.regime, intro_template="[{legal_basis}, ]{unit} báo cáo {summary}:",
        closing_template="Trên đây là báo cáo {summary} của {unit}./.",
        next_heading_template="Nhiệm vụ {next_period}", summary_template="Kết quả {period}[ và {next_period}]",
        assessment_templates={"difficulties": "{units} nêu khó khăn[ ({reference})].", "rises": ""},
        parts=["intro", "units", "section:I", "tasks", "assessment", "closing:proposals"]))


def test_api_edits_the_new_sentences_and_the_report_follows(data, world):
    client = JsonClient(user=world.admin)
    default = client.get(url(world)).json()
    assert "legal_basis" in default["placeholders"]["intro"]
    assert default["placeholders"]["assessment:difficulties"] == ["count", "reference", "units"]
    assert default["placeholders"]["closing"] == ["next_period", "period", "period_code", "regime", "summary",
                                                  "unit"]
    assert default["assessment_defaults"]["strengths_heading"] == "Ưu điểm"
    assert default["next_period_mode"] == "auto" and "assessment" in default["parts"]
    assert_error(client.put(url(world), {"closing_template": "Hết {abc}."}), 400, "{abc}")
    r = client.put(url(world), {
        "next_period_mode": "never", "closing_template": "Trên đây là báo cáo {period} của {unit}./.",
        "assessment_templates": {"shortcomings_heading": "Tồn tại, hạn chế"},
        "next_heading_template": "Nhiệm vụ {next_period}",
    })
    assert r.status_code == 200, r.content
    assert r.json()["assessment_templates"] == {"shortcomings_heading": "Tồn tại, hạn chế"}
    fields = set(AuditEvent.objects.filter(action="outline.update").values_list("field", flat=True))
    assert {"next_period_mode", "closing_template", "assessment_templates", "next_heading_template"} <= fields
    composed = built(world)["composed"]
    assert composed["meta"]["with_next_period"] is False
    assert composed["parts"][-1]["narrative"] == ["Trên đây là báo cáo 6 tháng đầu năm 2022 của Sở Thông tin và "
                                                  "Truyền thông./."]
    assessment = next(p for p in composed["parts"] if p["key"] == "assessment")
    # Nothing to praise here: the shortcomings alone, numbered 1.
    assert assessment["subheadings"] == ["1. Tồn tại, hạn chế"]
    assert assessment["narrative"] == [
        "1. Tồn tại, hạn chế",
        "Giảm nhiều nhất so với 6 tháng đầu năm 2021 là số đơn tiếp nhận (03, giảm 25%).",
        "Việc chấp hành chế độ báo cáo của một số đơn vị chưa nghiêm: 1 đơn vị gửi báo cáo chậm, 1 đơn vị chưa có "
        "báo cáo được duyệt.",
    ]
    intro = next(p for p in composed["parts"] if p["key"] == "intro")["narrative"][0]
    assert intro.startswith("Căn cứ Nghị định số 09/2019/NĐ-CP ngày 24/01/2019 của Chính phủ; Kế hoạch số "
                            "12/KH-STTTT ngày 05/01/2022 của Sở Thông tin và Truyền thông, Sở Thông tin và Truyền "
                            "thông báo cáo")


def test_compose_input_carries_the_basis_and_the_next_period(world):
    inp = compose_input(regime=world.regime, period="2022S1", unit=world.department)
    assert inp.legal_basis == world.regime.legal_basis and inp.next_period_label == "6 tháng cuối năm 2022"
    assert compose_input(regime=world.regime, period="2022", unit=world.department).next_period_label == "Năm 2023"


def test_admin_edits_the_new_fields(world):
    client = Client()
    client.force_login(world.admin)
    r = client.get("/admin/consolidation/reportoutline/add/")
    form = admin_form_data(r)
    form.update({"regime": world.regime.pk, "type_code": "BC", "next_period_mode": "always",
                 "assessment_templates": '{"rises": "Nổi bật: {items} {khong_co}."}'})
    r = client.post("/admin/consolidation/reportoutline/add/", form)
    assert r.status_code == 200 and "{khong_co}" in r.content.decode()
    form["assessment_templates"] = '{"rises": "Nổi bật: {items}."}'
    r = client.post("/admin/consolidation/reportoutline/add/", form)
    assert r.status_code == 302, r.content.decode()[:3000]
    outline = ReportOutline.objects.get(regime=world.regime)
    assert (outline.next_period_mode, outline.assessment_templates) == ("always", {"rises": "Nổi bật: {items}."})


def test_migration_gives_saved_outlines_the_assessment_and_the_next_period_title(world):
    migration = importlib.import_module("baocao.consolidation.migrations.0004_outline_assessment_next_period")
    outline = ReportOutline.objects.create(
        regime=world.regime, summary_template="Kết quả công tác {period}", intro_template=migration.OLD_DEFAULT_INTRO,
        parts=["intro", "units", "section:I", "tasks", "closing:difficulties", "closing:proposals"])
    custom = ReportOutline.objects.create(
        regime=_other_regime(world), summary_template="{period}[ – {next_period}]",
        intro_template="Mở đầu riêng {period}.", parts=[])
    migration.forwards(apps, None)
    outline.refresh_from_db()
    custom.refresh_from_db()
    assert outline.parts == ["intro", "units", "section:I", "tasks", "assessment", "closing:difficulties",
                             "closing:proposals"]
    assert outline.summary_template == "Kết quả công tác {period}[ và phương hướng, nhiệm vụ {next_period}]"
    assert outline.intro_template == ""  # the old default gives way to the new one
    assert (custom.parts, custom.summary_template, custom.intro_template) == (
        [], "{period}[ – {next_period}]", "Mở đầu riêng {period}.")


def _other_regime(world: World):
    from tests.factories import regime

    return regime(receiving_unit=world.other_department, form_version=world.form_version)
