"""Acceptance of issue 5 on the demo: the 2022S1 report's inspection figures come from the case
register, still state the seed's figures (01 inspection, 02 petitions received and resolved, no
sanction), list the cases, and move when a case is deleted."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.db import transaction

from baocao.cases.choices import CaseKind
from baocao.cases.models import Case
from baocao.consolidation.compose import compose
from baocao.consolidation.selectors import compose_input
from baocao.orgunits.models import OrgUnit
from baocao.reporting.models import ReportingRegime

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_in_module")]


def inspection_part():
    regime = ReportingRegime.objects.get(code="BC-TTTT")
    report = compose(compose_input(regime=regime, period="2022S1", unit=OrgUnit.objects.get(code="STTTT")))
    return next(p for p in report.parts if p.key == "section:IV")


def figures():
    return {f.code: f for f in inspection_part().figures}


def test_the_seed_figures_come_from_the_cases():
    found = figures()
    assert found["INSP_COUNT"].value == 1 and len(found["INSP_COUNT"].cases) == 1
    assert found["PET_RECEIVED"].value == 2 and len(found["PET_RECEIVED"].cases) == 2
    assert found["PET_RESOLVED"].value == 2
    assert found["SANCTION_DECISIONS"].value == 0 and found["SANCTION_AMOUNT"].value == Decimal(0)
    assert found["INSP_COUNT"].line.startswith("Cuộc thanh tra: 01 cuộc")
    assert re.search(r"tiếp nhận: 02 đơn\b", found["PET_RECEIVED"].line)


def test_the_inspection_part_lists_its_cases():
    cases = inspection_part().cases
    assert [c["kind"] for c in cases].count("Thanh tra") == 1
    assert [c["kind"] for c in cases].count("Kiến nghị, phản ánh") == 2
    assert any("bưu chính" in c["summary"] for c in cases)
    assert any("mạng xã hội" in c["summary"] for c in cases)


def test_deleting_a_case_changes_the_figure():
    petition = Case.objects.filter(kind=CaseKind.PETITION, received_on__year=2022,
                                   received_on__month__lte=6).order_by("received_on").first()
    with transaction.atomic():
        petition.delete()
        found = figures()
        assert found["PET_RECEIVED"].value == 1 and found["PET_RESOLVED"].value == 1
        transaction.set_rollback(True)
    assert figures()["PET_RECEIVED"].value == 2
