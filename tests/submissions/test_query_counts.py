"""Queries per data-entry request (issue 14, item 3): opening, saving one field, saving the form and
submitting, on the pages and through the API, for a reporter, each in at most QUERY_BUDGET queries
(authentication, session and the top menu's unread count included), whatever the number of
indicators of the form."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from baocao.audit.models import AuditEvent
from baocao.reporting.choices import Severity
from baocao.reporting.models import FormSection, Indicator, NarrativeField, ValidationRule
from baocao.submissions.choices import SubmissionStatus
from baocao.submissions.models import Submission
from baocao.submissions.services import submission_get_or_create
from tests import factories
from tests.factories import World

# A real request runs outside any transaction: its own atomic blocks are transactions, not savepoints.
pytestmark = pytest.mark.django_db(transaction=True)

QUERY_BUDGET = 8


def big_regime(w: World, indicators: int):
    """A regime received by w's department, reported by units A and B, whose form has `indicators`
    integer indicators in two sections, three narrative parts (one required) and five rules."""
    half = indicators // 2
    specs = [{"code": f"C{i:03d}", "name": f"Chỉ tiêu {i}", "min_value": Decimal(0)} for i in range(half)]
    fv = factories.form_version(owner=w.department, indicators=specs, rules=[
        {"code": f"R{i}", "expression": f"C{2 * i:03d} <= C{2 * i + 1:03d}", "severity": Severity.ERROR,
         "message": f"Quy tắc {i}."} for i in range(3)
    ] + [{"code": "W1", "expression": "C000 <= 1000000", "severity": Severity.WARNING, "message": "Lớn bất thường."}])
    second = FormSection.objects.create(form_version=fv, code="II", title="II. Phần hai",
                                        sector=fv.sections.get().sector, order=2)
    for i in range(half, indicators):
        Indicator.objects.create(section=second, form_version=fv, order=i, code=f"C{i:03d}", name=f"Chỉ tiêu {i}",
                                 min_value=Decimal(0))
    NarrativeField.objects.create(section=second, form_version=fv, order=1, code="ISSUES", label="Tồn tại")
    NarrativeField.objects.create(section=second, form_version=fv, order=2, code="PLAN", label="Kế hoạch")
    ValidationRule.objects.create(form_version=fv, code="R9", expression=f"C{half:03d} <= C{half + 1:03d}",
                                  severity=Severity.ERROR, message="Quy tắc phần hai.")
    return factories.regime(receiving_unit=w.department, form_version=fv, units=[w.unit_a, w.unit_b],
                            code=f"BC-{indicators}")


def all_values(indicators: int, offset: int = 0) -> dict[str, str]:
    return {f"C{i:03d}": str(i + offset) for i in range(indicators)}


def logged(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")


def is_control(sql: str) -> bool:
    """Transaction control (SQLite's BEGIN IMMEDIATE/COMMIT; savepoints when inside a transaction):
    counted apart from the queries that read or write, as one transaction per request."""
    return sql.lstrip().upper().startswith(CONTROL)


def counted(call, expect: int):
    """Run `call()`, check the response status, and return (response, captured queries)."""
    with CaptureQueriesContext(connection) as ctx:
        response = call()
    assert response.status_code == expect, response.content[:2000]
    return response, ctx.captured_queries


def show(label: str, queries) -> None:
    print(f"\n== {label}: {len(queries)} queries")
    for q in queries:
        print("   ", q["sql"][:300])


def measure(w: World, indicators: int) -> tuple[dict[str, int], dict[str, int]]:
    """Queries (reads and writes; transaction statements apart) of each request of the data-entry
    cycle, pages then API, on a regime of w whose form has `indicators` indicators."""
    regime = big_regime(w, indicators)
    counts: dict[str, int] = {}
    control: dict[str, int] = {}
    page = logged(w.reporter_a)
    sub = submission_get_or_create(regime=regime, period="2022S2", unit=w.unit_a, acting_user=w.reporter_a)
    form = {f"v__{c}": v for c, v in all_values(indicators).items()} | {"v__RESULTS": "Đạt.", "v__ISSUES": "", "v__PLAN": ""}

    def record(label, call, expect):
        response, queries = counted(call, expect)
        show(f"{label} ({indicators} indicators)", queries)
        counts[label] = sum(not is_control(q["sql"]) for q in queries)
        control[label] = sum(is_control(q["sql"]) for q in queries)
        return response

    record("page open, first in this process", lambda: page.get(f"/submissions/{sub.pk}/"), 200)
    record("page open", lambda: page.get(f"/submissions/{sub.pk}/"), 200)
    r = record("page save field", lambda: page.post(f"/submissions/{sub.pk}/field/",
                                                    {"field": "C000", "v__C000": "1.234", "base__C000": "0"},
                                                    HTTP_HX_REQUEST="true"), 200)
    assert r["X-Save-Outcome"] == "saved"
    record("page save form", lambda: page.post(f"/submissions/{sub.pk}/save/", form), 302)
    record("page open filled", lambda: page.get(f"/submissions/{sub.pk}/"), 200)
    record("page submit", lambda: page.post(f"/submissions/{sub.pk}/submit/"), 302)
    sub.refresh_from_db()
    assert sub.status == SubmissionStatus.SUBMITTED and sub.version == 2

    other = submission_get_or_create(regime=regime, period="2022S2", unit=w.unit_b, acting_user=w.reporter_b)
    api = logged(w.reporter_b)
    url = f"/api/v1/submissions/{other.pk}"

    def put(payload):
        return api.put(f"{url}/draft", json.dumps(payload), content_type="application/json")

    record("api open", lambda: api.get(url), 200)
    record("api save field", lambda: put({"version": 0, "values": {"C000": 5}}), 200)
    r = record("api save form", lambda: put({"version": 1, "values": all_values(indicators, 1),
                                             "narratives": {"RESULTS": "Đạt."}}), 200)
    assert r.json()["version"] == 2 and r.json()["missing"] == {}
    record("api open filled", lambda: api.get(url), 200)
    r = record("api submit", lambda: api.post(f"{url}/submit", "", content_type="application/json"), 200)
    assert r.json()["status"] == "submitted"
    assert Submission.objects.get(pk=other.pk).status == SubmissionStatus.SUBMITTED
    return counts, control


FIRST = "page open, first in this process"


def test_each_data_entry_request_stays_within_budget_whatever_the_form_size():
    w = World()
    small, small_control = measure(w, 50)
    print("\nqueries per request, 50 indicators:", small, "transaction statements:", small_control)
    warm = {label: n for label, n in small.items() if label != FIRST}
    assert max(warm.values()) <= QUERY_BUDGET, warm
    # The form's structure (version, sections, indicators, narrative parts, rules) is read once
    # per process and published version, then shared.
    assert small[FIRST] == small["page open"] + 5
    # One transaction at most per request (its BEGIN and COMMIT), none for reads.
    assert all(n <= 2 for n in small_control.values()), small_control
    assert small_control["page open"] == small_control["api open"] == 0

    large, large_control = measure(w, 100)
    # Only the database's own limit on parameters per statement adds a query: SQLite takes 999 in
    # Django, so 101 audit rows of a whole-form save go in two inserts (one on PostgreSQL).
    extra = audit_inserts(101) - audit_inserts(51)
    assert large == small | {"page save form": small["page save form"] + extra,
                             "api save form": small["api save form"] + extra}
    assert large_control == small_control


def audit_inserts(rows: int) -> int:
    """Statements Django's bulk_create takes for `rows` audit rows on this database."""
    fields = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
    batch = connection.ops.bulk_batch_size(fields, [AuditEvent()] * rows) or rows
    return -(-rows // batch)
