"""The compiler splits and merges groups of the units' sentences: a new version, audited, whose part
reads from the new groups; a recompute keeps them while the sentences are the same."""

from __future__ import annotations

import io

import docx
import pytest

from baocao.accounts.models import User
from baocao.audit.models import AuditEvent
from baocao.consolidation.services import (
    consolidated_report_build,
    consolidated_report_recompute,
    consolidated_report_regroup,
    regroup_partition,
)
from baocao.core.errors import AppError
from baocao.orgunits.models import OrgUnit
from baocao.reporting.models import ReportingRegime


@pytest.fixture
def demo_report(demo_in_module):
    compiler = User.objects.get(username="tonghop")
    version = consolidated_report_build(regime=ReportingRegime.objects.get(code="BC-TTTT"), period="2022S1",
                                        unit=OrgUnit.objects.get(code="STTTT"), acting_user=compiler)
    return version.report, compiler


def test_partition_split_and_merge():
    assert regroup_partition([[0, 2], [1]], split=2) == [[0], [1], [2]]
    assert regroup_partition([[0], [1], [2]], merge=[0, 2]) == [[0, 2], [1]]
    with pytest.raises(AppError):
        regroup_partition([[0], [1]], split=1)
    with pytest.raises(AppError):
        regroup_partition([[0], [1]], merge=[1])
    with pytest.raises(AppError):
        regroup_partition([[0], [1]], merge=[0, 5])


@pytest.mark.django_db
def test_split_then_merge_back_on_the_demo_report(demo_report):
    report, compiler = demo_report
    latest = report.versions.order_by("-number").first()
    part = next(p for p in latest.composed["parts"] if p["key"] == "section:V")
    shared = next(g for g in part["grouping"]["groups"] if len(g) == 8)
    before = list(part["narrative"])
    version = consolidated_report_regroup(report=report, acting_user=compiler, base_version=latest.number,
                                          part="section:V", split=shared[-1])
    after = next(p for p in version.composed["parts"] if p["key"] == "section:V")
    assert after["narrative"] != before
    assert after["grouping"]["custom"] is True
    assert "(trừ huyện" in after["narrative"][0]  # one district taken out of the shared sentence
    assert AuditEvent.objects.filter(action="report.regroup", entity_id=report.pk).count() == 1
    groups = after["grouping"]["groups"]
    positions = [i for i, g in enumerate(groups) if g == [shared[-1]] or g == sorted(set(shared) - {shared[-1]})]
    merged = consolidated_report_regroup(report=report, acting_user=compiler, base_version=version.number,
                                         part="section:V", merge=positions)
    again = next(p for p in merged.composed["parts"] if p["key"] == "section:V")
    assert again["narrative"] == before
    # A recompute over unchanged sentences keeps the compiler's groups.
    kept = consolidated_report_recompute(report=report, acting_user=compiler)
    assert next(p for p in kept.composed["parts"] if p["key"] == "section:V")["grouping"].get("custom") is True


@pytest.mark.django_db
def test_regroup_refuses_a_part_without_units_texts_and_leaves_nothing(demo_report):
    report, compiler = demo_report
    latest = report.versions.order_by("-number").first()
    count = report.versions.count()
    with pytest.raises(AppError):
        consolidated_report_regroup(report=report, acting_user=compiler, base_version=latest.number,
                                    part="intro", split=0)
    assert report.versions.count() == count


@pytest.mark.django_db
def test_demo_report_part_v_reads_as_one_text_per_kind_of_unit(demo_report, tmp_path):
    """The 2022S1 report read back from the DOCX: part V in at most 6 paragraphs, collective naming
    where all share a sentence, every district with a fact of its own still named."""
    from baocao.consolidation.exports import export_version

    report, _ = demo_report
    data, _, _ = export_version(report=report, version=report.versions.order_by("-number").first(), fmt="docx")
    paragraphs = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs if p.text.strip()]
    start = next(i for i, t in enumerate(paragraphs) if t.startswith("V. "))
    end = next(i for i, t in enumerate(paragraphs) if i > start and t[:4] in ("VI. ", "VII."))
    narrative = [t for t in paragraphs[start + 1:end] if t.startswith(("Phòng VHTT", "Trung tâm VHTTTT"))]
    assert 1 <= len(narrative) <= 6
    text = " ".join(narrative)
    assert "Phòng VHTT các huyện, thành phố đã chủ động tham mưu UBND cấp huyện" in text
    assert "Trung tâm VHTTTT các huyện, thành phố duy trì" in text
    for district in ("huyện Ba Bể", "huyện Pác Nặm", "huyện Chợ Đồn", "thành phố Bắc Kạn"):
        assert f"Phòng VHTT {district}:" in text  # its own fact, still attributed
    assert "(Bắc Kạn " in text and "Na Rì " in text  # each district's own number kept
    whole = " ".join(paragraphs)
    assert "minh họa" not in whole
    assert " 00 " not in whole and "0 đồng, giảm 100%" not in whole
