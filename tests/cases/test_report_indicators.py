"""The register feeds the report: kinds without an indicator are refused, mappings are checked
against the form, and figures (with the cases behind them) come from the cases of the window."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from baocao.cases.choices import CaseKind, CaseMetric
from baocao.cases.models import Case, CaseIndicator
from baocao.cases.reporting import case_indicator_problem, case_metrics
from baocao.cases.services import case_resolve
from baocao.consolidation.compose import compose
from baocao.consolidation.selectors import compose_input
from baocao.core.errors import AppError
from tests.cases.case_fixtures import case_world, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = case_world()
    CaseIndicator.objects.create(regime=w.regime, indicator_code="B", metric=CaseMetric.PETITIONS_RECEIVED)
    CaseIndicator.objects.create(regime=w.regime, indicator_code="A", metric=CaseMetric.PETITIONS_RESOLVED)
    return w


def test_a_kind_no_indicator_counts_is_refused_and_nothing_written(world):
    with pytest.raises(AppError, match="chưa có chỉ tiêu nào tính loại vụ việc «Tố cáo»"):
        make_case(world, kind=CaseKind.DENUNCIATION, submitter_name="X")
    assert Case.objects.count() == 0
    make_case(world, kind=CaseKind.PETITION)  # a counted kind goes in
    assert Case.objects.count() == 1


def test_without_any_mapping_every_kind_is_accepted():
    w = case_world()
    make_case(w, kind=CaseKind.MISINFORMATION)
    assert Case.objects.count() == 1


def test_mapping_must_name_an_indicator_of_the_form(world):
    assert case_indicator_problem(regime=world.regime, indicator_code="A") is None
    assert "không có chỉ tiêu mã «ZZZ»" in case_indicator_problem(regime=world.regime, indicator_code="ZZZ")


def test_metrics_count_cases_of_the_window_only(world):
    inside = make_case(world, received_on=date(2022, 3, 1), accepted_on=date(2022, 3, 2))
    make_case(world, received_on=date(2021, 12, 1))  # before the 2022S1 window (15/12/2021)
    case_resolve(case=inside, resolved_on=date(2022, 3, 10), conclusion="Đã trả lời.", acting_user=world.inspector)
    metrics = case_metrics(list(Case.objects.all()), start=date(2021, 12, 15), end=date(2022, 6, 14))
    assert metrics[CaseMetric.PETITIONS_RECEIVED].value == 1
    assert metrics[CaseMetric.PETITIONS_RESOLVED].value == 1
    assert metrics[CaseMetric.PETITIONS_RECEIVED].cases == [inside.pk]


def test_report_figures_come_from_the_cases_not_the_typed_values(world):
    case = make_case(world, received_on=date(2022, 2, 1), accepted_on=date(2022, 2, 2))
    make_case(world, received_on=date(2022, 4, 1))
    case_resolve(case=case, resolved_on=date(2022, 2, 20), conclusion="Đã giải quyết.", acting_user=world.inspector)
    report = compose(compose_input(regime=world.regime, period="2022S1", unit=world.department))
    part = next(p for p in report.parts if p.key.startswith("section:"))
    figures = {f.code: f for f in part.figures}
    assert figures["B"].value == Decimal(2) and len(figures["B"].cases) == 2
    assert figures["A"].value == Decimal(1) and figures["A"].cases[0]["id"] == case.pk
    assert len(part.cases) == 2


def test_cases_beyond_their_legal_limits_reach_the_assessment(world):
    """A petition never answered is beyond its acceptance limit at the end of the window; one answered
    in time, or received after the window, is not. The assessment says so, with the Decree 30 day."""
    from baocao.cases.reporting import cases_beyond_limits

    late = make_case(world, received_on=date(2022, 4, 1), subject_org="Bưu cục Trung tâm")
    make_case(world, received_on=date(2022, 4, 4), accepted_on=date(2022, 4, 5))
    make_case(world, received_on=date(2022, 6, 20))
    found = cases_beyond_limits(owner=world.department, start=date(2021, 12, 15), end=date(2022, 6, 14),
                                as_of=date(2022, 6, 14))
    assert [(c["id"], c["step"], c["kind"], c["subject"]) for c in found] == [
        (late.pk, "acceptance", "Kiến nghị, phản ánh", "Bưu cục Trung tâm")]
    # Judged as it stood on a day before its deadline, it was not late yet.
    assert cases_beyond_limits(owner=world.department, start=date(2021, 12, 15), end=date(2022, 6, 14),
                               as_of=date(2022, 4, 5)) == []
    report = compose(compose_input(regime=world.regime, period="2022S1", unit=world.department))
    assessment = next(p for p in report.parts if p.key == "assessment")
    assert ("Có 01 vụ việc quá thời hạn xử lý theo quy định: kiến nghị, phản ánh ngày 01/4/2022 – Bưu cục Trung "
            "tâm (quá hạn thụ lý).") in assessment.narrative


def test_cases_beyond_limits_in_a_fixed_number_of_queries(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from baocao.cases.reporting import cases_beyond_limits

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            cases_beyond_limits(owner=world.department, start=date(2021, 12, 15), end=date(2022, 6, 14),
                                as_of=date(2022, 6, 14))
        return len(ctx.captured_queries)

    make_case(world, received_on=date(2022, 4, 1))
    few = count()
    for day in range(2, 12):
        make_case(world, received_on=date(2022, 5, day))
    assert count() == few <= 3
