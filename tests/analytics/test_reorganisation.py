"""The 2025 reorganisation import moves districts (with their communes) under the new provinces:
the aggregates of every regime and period with an approved report in a moved subtree follow, in
the import's transaction. On the real legacy GSO catalogue and the published files, as
tests/orgunits/test_import_reorganisation.py (the catalogue committed once for the module)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from baocao.analytics.models import IndicatorAggregate
from baocao.orgunits.models import OrgUnit
from baocao.orgunits.reorganisation import reorganisation_import_2025
from baocao.submissions.services import submissions_approve_many
from tests.analytics.conftest import AnalyticsWorld, assert_consistent
from tests.factories import regime
from tests.orgunits.test_import_reorganisation import (  # noqa: F401 - legacy_catalogue: the module's fixture
    MAPPING,
    PROVINCES,
    WARDS,
    legacy_catalogue,
)

pytestmark = pytest.mark.django_db


def test_districts_moved_to_a_new_province_take_their_figures_along():
    w = AnalyticsWorld()
    old_bac_kan = OrgUnit.objects.get(code="06", valid_to__isnull=True)
    communes = list(OrgUnit.objects.filter(parent__code__in=["058", "060"], valid_to__isnull=True)
                    .order_by("code")[:6])
    legacy = regime(receiving_unit=w.department, form_version=w.form_version, code="BC-CU", units=communes)
    w.regime = legacy
    subs = [w.submitted(u, "2024S1", S=n + 1, L=n, MN=f"{n}.5") for n, u in enumerate(communes)]
    submissions_approve_many(submissions=subs, acting_user=w.compiler)
    assert_consistent()
    assert IndicatorAggregate.objects.get(regime=legacy, unit=old_bac_kan, indicator_code="S").value_sum == 21

    reorganisation_import_2025(acting_user=w.admin, provinces_file=PROVINCES, wards_file=WARDS,
                               mapping_file=MAPPING, dry_run=False)
    assert_consistent()
    new_province = OrgUnit.objects.get(code="058").parent
    assert new_province != old_bac_kan
    assert IndicatorAggregate.objects.get(regime=legacy, unit=new_province, indicator_code="S").value_sum == Decimal(21)
    assert not IndicatorAggregate.objects.filter(regime=legacy, unit=old_bac_kan).exists()
