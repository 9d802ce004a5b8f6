"""reporting.selectors.form_version_structure: a published version's structure is read once per
process and shared; a draft's is read every time; writing to a version drops what was kept."""

from __future__ import annotations

import pytest

from baocao.reporting.models import FormSection, FormVersion, Indicator
from baocao.reporting.selectors import form_version_structure
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return factories.unit(code="DEPT", name="Sở Thông tin và Truyền thông")


def test_a_published_version_is_read_once(owner, django_assert_num_queries):
    fv = factories.form_version(owner=owner)
    with django_assert_num_queries(5):
        first = form_version_structure(fv)
    read_again = FormVersion.objects.get(pk=fv.pk)  # another request's copy of the same row
    with django_assert_num_queries(0):
        again = form_version_structure(read_again)
    assert again is first
    assert [i.code for i in first.indicators] == ["A", "B", "PCT", "NOTE"]
    assert [n.code for n in first.narratives] == ["RESULTS"] and [r.code for r in first.rules] == ["R1"]
    assert first.indicator_by_code["PCT"].name == "Tỷ lệ hồ sơ trực tuyến"
    assert [s.code for s in first.version.sections.all()] == ["I"]


def test_a_draft_is_read_every_time(owner, django_assert_num_queries):
    fv = factories.form_version(owner=owner, published=False)
    for _ in range(2):
        with django_assert_num_queries(5):
            form_version_structure(fv)


def test_writing_to_a_version_drops_its_structure(owner):
    fv = factories.form_version(owner=owner)
    form_version_structure(fv)
    section = fv.sections.get()
    Indicator.objects.create(section=section, form_version=fv, order=9, code="NEW", name="Chỉ tiêu mới")
    assert "NEW" in form_version_structure(fv).indicator_by_code
    Indicator.objects.get(code="NEW", form_version=fv).delete()
    assert "NEW" not in form_version_structure(fv).indicator_by_code


def test_the_order_is_the_forms(owner):
    """Indicators in section order, then their own order, whichever was created first."""
    fv = factories.form_version(owner=owner, indicators=[], narratives=[], rules=[])
    late = fv.sections.get()
    late.order = 5
    late.save()
    early = FormSection.objects.create(form_version=fv, code="0", title="0. Trước", order=1)
    for section, order, code in ((late, 2, "Z"), (late, 1, "Y"), (early, 7, "X")):
        Indicator.objects.create(section=section, form_version=fv, order=order, code=code, name=code)
    structure = form_version_structure(fv)
    assert [i.code for i in structure.indicators] == list(
        Indicator.objects.filter(form_version=fv).values_list("code", flat=True)) == ["X", "Y", "Z"]
    assert [s.code for s in structure.version.sections.all()] == ["0", "I"]
