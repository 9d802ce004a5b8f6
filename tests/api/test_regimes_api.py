"""Regimes, periods (Decree 09/2019/NĐ-CP Art. 12 windows), form versions and the monitor."""

from __future__ import annotations

from decimal import Decimal

import pytest

from baocao.reporting.choices import FormVersionStatus
from baocao.reporting.models import FormVersion, Indicator
from tests import factories
from tests.api.conftest import assert_error, make_draft, make_submitted

pytestmark = pytest.mark.django_db


class TestRegimes:
    def test_list_in_scope(self, world, api):
        for who in ("reporter_a", "compiler", "viewer", "admin"):
            assert [r["code"] for r in api(getattr(world, who)).get("/regimes").json()] == ["BC-TEST"], who
        assert api(world.other_compiler).get("/regimes").json() == []

    def test_detail_has_every_decree09_item(self, world, api):
        group = factories.group(code="VT", members=[world.unit_a])
        world.regime.reporting_groups.add(group)
        body = api(world.reporter_a).get(f"/regimes/{world.regime.pk}").json()
        assert body["code"] == "BC-TEST"
        assert body["receiving_unit"] == {"id": world.department.pk, "code": "DEPT", "name": world.department.name}
        assert body["reporting_unit_ids"] == sorted([world.unit_a.pk, world.unit_b.pk])
        assert body["reporting_group_ids"] == [group.pk]
        assert body["method"] == "system" and body["method_label"]
        assert body["frequencies"] == [{"code": "six_month", "label": "6 tháng"},
                                       {"code": "annual", "label": "Hằng năm"}]
        assert body["cutoff"] == {"start_day": 15, "end_day": 14, "is_decree09": True, "is_calendar": False}
        assert body["deadline_rules"] == {"six_month": {"month_offset": 0, "day": 20},
                                          "annual": {"month_offset": 0, "day": 20}}
        assert body["form_id"] == world.form_version.form_id
        assert body["current_form_version_id"] == world.form_version.pk
        assert {"legal_basis", "content", "outline", "name", "is_active"} <= set(body)

    @pytest.mark.parametrize("who", ["other_compiler"])
    def test_detail_out_of_scope_404(self, world, api, who):
        assert_error(api(getattr(world, who)).get(f"/regimes/{world.regime.pk}"), 404)

    def test_period_of_regime(self, world, api):
        # Decree 09 Art. 12: first half = 15/12 of the previous year to 14/6.
        body = api(world.reporter_a).get(f"/regimes/{world.regime.pk}/periods/2022s1").json()
        assert body == {"code": "2022S1", "label": "6 tháng đầu năm 2022", "frequency": "six_month",
                        "window_start": "2021-12-15", "window_end": "2022-06-14", "deadline": "2022-06-20"}

    def test_period_not_in_regime_400(self, world, api):
        body = assert_error(api(world.reporter_a).get(f"/regimes/{world.regime.pk}/periods/2022Q1"), 400,
                            "không thuộc chế độ báo cáo")
        assert body["extra"] == {"period": "2022Q1", "regime": "BC-TEST"}

    def test_bad_period_code_400(self, world, api):
        assert_error(api(world.reporter_a).get(f"/regimes/{world.regime.pk}/periods/2022X"), 400,
                     "Mã kỳ báo cáo không hợp lệ")


class TestPeriods:
    def test_decree09_window_without_deadline(self, world, api):
        # Decree 09 Art. 12: annual = 15/12 of the previous year to 14/12.
        body = api(world.viewer).get("/periods/2022").json()
        assert body == {"code": "2022", "label": "Năm 2022", "frequency": "annual", "window_start": "2021-12-15",
                        "window_end": "2022-12-14", "deadline": None}

    def test_bad_code_400_in_vietnamese(self, world, api):
        body = assert_error(api(world.viewer).get("/periods/2022M13"), 400, "Mã kỳ báo cáo không hợp lệ")
        assert body["extra"] == {"period": "2022M13"}


class TestFormVersions:
    def test_structure(self, world, api):
        fv = world.form_version
        body = api(world.reporter_a).get(f"/form-versions/{fv.pk}").json()
        assert (body["form_id"], body["number"], body["status"]) == (fv.form_id, 1, "published")
        [section] = body["sections"]
        assert [i["code"] for i in section["indicators"]] == ["A", "B", "PCT", "NOTE"]
        pct = section["indicators"][2]
        assert pct | {"id": 0} == {"id": 0, "code": "PCT", "name": "Tỷ lệ hồ sơ trực tuyến", "unit_of_measure": "%",
                                   "value_type": "percent", "aggregation": "sum", "min": 0, "max": 100,
                                   "required": False, "help_text": ""}
        assert section["narratives"][0] | {"id": 0} == {"id": 0, "code": "RESULTS", "kind": "results",
                                                         "label": "Kết quả thực hiện", "required": True}
        assert body["rules"] == [{"code": "R1", "expression": "A <= B", "severity": "error",
                                  "message": "Số đơn đã giải quyết không được lớn hơn số đơn tiếp nhận."}]

    def test_decimal_bounds_are_numbers(self, world, api):
        Indicator.objects.filter(code="PCT").update(max_value=Decimal("99.5"))
        body = api(world.admin).get(f"/form-versions/{world.form_version.pk}").json()
        assert body["sections"][0]["indicators"][2]["max"] == 99.5

    def test_by_form_and_number(self, world, api):
        fv = world.form_version
        body = api(world.compiler).get(f"/forms/{fv.form_id}/versions/1").json()
        assert body["id"] == fv.pk
        assert_error(api(world.compiler).get(f"/forms/{fv.form_id}/versions/2"), 404)

    def test_out_of_scope_404(self, world, api):
        fv = world.form_version
        assert_error(api(world.other_compiler).get(f"/form-versions/{fv.pk}"), 404)
        assert_error(api(world.other_compiler).get(f"/forms/{fv.form_id}/versions/1"), 404)

    def test_drafts_only_for_reviewers(self, world, api):
        draft = FormVersion.objects.create(form=world.form_version.form, number=2, status=FormVersionStatus.DRAFT)
        assert_error(api(world.reporter_a).get(f"/form-versions/{draft.pk}"), 404)
        assert api(world.compiler).get(f"/form-versions/{draft.pk}").status_code == 200


class TestMonitor:
    def url(self, world, **params):
        query = "&".join(f"{k}={v}" for k, v in {"period": "2022S2", **params}.items())
        return f"/regimes/{world.regime.pk}/monitor?{query}"

    def test_summary_and_rows(self, world, api):
        submitted = make_submitted(world, world.unit_a)
        body = api(world.compiler).get(self.url(world)).json()
        assert body["regime"]["code"] == "BC-TEST"
        assert body["period"]["deadline"] == "2022-12-20"
        # Unit A sent after the 20/12/2022 deadline (today), unit B never did.
        assert body["summary"] == {"expected": 2, "submitted": 1, "approved": 0, "on_time": 0, "late": 1,
                                   "missing": 1, "completeness": 50.0, "timeliness": 0.0}
        rows = {row["unit"]["code"]: row for row in body["rows"]}
        assert rows["UA"]["submission_id"] == submitted.pk
        assert (rows["UA"]["status"], rows["UA"]["timeliness"]) == ("submitted", "late")
        assert rows["UA"]["submitted_at"] is not None
        assert (rows["UB"]["submission_id"], rows["UB"]["status"], rows["UB"]["timeliness"]) == (None, None, "missing")
        assert rows["UB"]["status_label"] == "Chưa lập"

    def test_filters(self, world, api):
        make_submitted(world, world.unit_a)
        make_draft(world, world.unit_b)
        client = api(world.leader)
        assert [r["unit"]["code"] for r in client.get(self.url(world, status="draft")).json()["rows"]] == ["UB"]
        assert [r["unit"]["code"] for r in client.get(self.url(world, q="huyen an")).json()["rows"]] == ["UA"]
        group = factories.group(code="VT", members=[world.unit_b])
        assert [r["unit"]["code"] for r in client.get(self.url(world, group=group.pk)).json()["rows"]] == ["UB"]
        assert client.get(self.url(world, kind="enterprise")).json()["rows"] == []

    @pytest.mark.parametrize("who", ["compiler", "leader", "viewer", "inspector", "admin"])
    def test_reviewers_and_receivers_may_read(self, world, api, who):
        assert api(getattr(world, who)).get(self.url(world)).status_code == 200

    @pytest.mark.parametrize("who", ["reporter_a", "other_compiler"])
    def test_others_get_404(self, world, api, who):
        assert_error(api(getattr(world, who)).get(self.url(world)), 404)

    def test_period_required_and_checked(self, world, api):
        client = api(world.compiler)
        assert_error(client.get(f"/regimes/{world.regime.pk}/monitor"), 422)
        assert_error(client.get(self.url(world, period="2022Q1")), 400, "không thuộc chế độ báo cáo")
