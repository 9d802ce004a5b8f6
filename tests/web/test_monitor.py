"""The receiving unit's monitoring page: statuses, timeliness, filters, CSV, bulk approval, query count."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from baocao.orgunits.choices import UnitKind
from baocao.submissions.choices import SubmissionStatus
from baocao.submissions.models import Submission
from baocao.submissions.services import submission_get_or_create, submission_save_draft, submission_submit
from tests.factories import World, group, unit

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def world():
    w = World()
    for u, reporter in ((w.unit_a, w.reporter_a), (w.unit_b, w.reporter_b)):
        s = submission_get_or_create(regime=w.regime, period="2022S1", unit=u, acting_user=reporter)
        submission_save_draft(submission=s, acting_user=reporter, values={"A": 1, "B": 2},
                              narratives={"RESULTS": "x"})
        submission_submit(submission=s, acting_user=reporter)
    # A on time (deadline 20/06/2022), B late.
    Submission.objects.filter(unit=w.unit_a).update(first_submitted_at=datetime(2022, 6, 20, 23, 0, tzinfo=VN))
    Submission.objects.filter(unit=w.unit_b).update(first_submitted_at=datetime(2022, 6, 21, 8, 0, tzinfo=VN))
    return w


def get(world, url, user=None, **extra):
    c = Client()
    c.force_login(user or world.compiler)
    return c.get(url, **extra)


def test_summary_and_timeliness(world):
    c = unit(code="UC", name="Trung tâm Văn hóa huyện Cát", kind=UnitKind.MEDIA_CENTRE, parent=world.province)
    world.regime.reporting_units.add(c)
    html = get(world, f"/regimes/{world.regime.pk}/monitor/?period=2022S1").content.decode()
    assert "Đúng hạn" in html and "Muộn" in html and "Chưa gửi (quá hạn)" in html
    assert "66,7%" in html  # 2 of 3 submitted
    assert "33,3%" in html  # 1 of 3 on time


def test_filters_by_kind_group_status_and_search(world):
    c = unit(code="UC", name="Trung tâm Văn hóa huyện Cát", kind=UnitKind.MEDIA_CENTRE, parent=world.province)
    g = group(members=[c])
    world.regime.reporting_groups.add(g)
    base = f"/regimes/{world.regime.pk}/monitor/?period=2022S1"
    html = get(world, base + "&kind=media_centre", HTTP_HX_REQUEST="true").content.decode()
    assert "huyện Cát" in html and "huyện An" not in html and "<html" not in html
    html = get(world, base + f"&group={g.pk}").content.decode()
    assert "huyện Cát" in html and "huyện Bình" not in html
    html = get(world, base + "&status=none").content.decode()
    assert "huyện Cát" in html and "huyện An" not in html
    html = get(world, base + "&timeliness=late").content.decode()
    assert "huyện Bình" in html and "huyện An" not in html
    html = get(world, base + "&q=binh").content.decode()
    assert "huyện Bình" in html and "huyện An" not in html


def test_csv_export(world):
    r = get(world, f"/regimes/{world.regime.pk}/monitor/?period=2022S1&format=csv")
    assert r["Content-Type"].startswith("text/csv")
    text = r.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:2] == ["Mã đơn vị", "Tên đơn vị"]
    by_code = {row[0]: row for row in rows[1:] if row}
    assert by_code["UA"][5] == "Đúng hạn" and by_code["UB"][5] == "Muộn"


def test_period_not_in_regime_is_a_clear_message(world):
    r = get(world, f"/regimes/{world.regime.pk}/monitor/?period=2022Q3")
    assert r.status_code == 400 and "không thuộc chế độ báo cáo" in r.content.decode()


def test_bulk_approve_all_or_nothing(world):
    c = Client()
    c.force_login(world.compiler)
    ids = list(Submission.objects.values_list("pk", flat=True))
    url = f"/regimes/{world.regime.pk}/monitor/approve/"
    Submission.objects.filter(unit=world.unit_b).update(status=SubmissionStatus.DRAFT)
    r = c.post(url, {"ids": ids, "period": "2022S1"}, follow=True)
    assert "Chỉ duyệt được báo cáo đã gửi" in r.content.decode()
    assert not Submission.objects.filter(status=SubmissionStatus.APPROVED).exists()
    Submission.objects.filter(unit=world.unit_b).update(status=SubmissionStatus.SUBMITTED)
    r = c.post(url, {"ids": ids, "period": "2022S1"}, follow=True)
    assert "Đã duyệt 2 báo cáo" in r.content.decode()
    assert Submission.objects.filter(status=SubmissionStatus.APPROVED).count() == 2


def test_bulk_approve_refuses_out_of_scope_ids(world):
    c = Client()
    c.force_login(world.other_compiler)
    ids = list(Submission.objects.values_list("pk", flat=True))
    r = c.post(f"/regimes/{world.regime.pk}/monitor/approve/", {"ids": ids, "period": "2022S1"})
    assert r.status_code == 404
    assert not Submission.objects.filter(status=SubmissionStatus.APPROVED).exists()


def _monitor_queries(world) -> int:
    c = Client()
    c.force_login(world.compiler)
    url = f"/regimes/{world.regime.pk}/monitor/?period=2022S1"
    c.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert c.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_monitor_query_count_does_not_grow_with_units(world):
    before = _monitor_queries(world)
    g = group(members=[unit(kind=UnitKind.COMMUNE, parent=world.province) for _ in range(40)])
    world.regime.reporting_groups.add(g)
    assert _monitor_queries(world) == before


def test_submission_page_query_count_does_not_grow_with_history(world):
    sub = submission_get_or_create(regime=world.regime, period="2022", unit=world.unit_a, acting_user=world.reporter_a)
    c = Client()
    c.force_login(world.reporter_a)
    submission_save_draft(submission=sub, acting_user=world.reporter_a, values={"A": 1}, narratives={"RESULTS": "a"})
    with CaptureQueriesContext(connection) as ctx:
        c.get(f"/submissions/{sub.pk}/")
    first = len(ctx.captured_queries)
    for i in range(5):
        submission_save_draft(submission=sub, acting_user=world.reporter_a, values={"A": i + 2, "B": i + 9},
                              narratives={"RESULTS": f"lần {i}"})
    with CaptureQueriesContext(connection) as ctx:
        c.get(f"/submissions/{sub.pk}/")
    assert len(ctx.captured_queries) == first


def test_return_and_approve_from_the_monitoring_page(world):
    c = Client()
    c.force_login(world.compiler)
    monitor = f"/regimes/{world.regime.pk}/monitor/?period=2022S1"
    html = c.get(monitor).content.decode()
    a = Submission.objects.get(unit=world.unit_a)
    b = Submission.objects.get(unit=world.unit_b)
    assert f'id="ret-{a.pk}"' in html and f'id="app-{b.pk}"' in html
    r = c.post(f"/submissions/{a.pk}/return/", {"comment": "Thiếu số liệu", "next": monitor})
    assert r.status_code == 302 and r["Location"] == monitor
    r = c.post(f"/submissions/{b.pk}/approve/", {"next": "https://evil.example/"})
    assert r["Location"] == f"/submissions/{b.pk}/"
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.status == SubmissionStatus.RETURNED and b.status == SubmissionStatus.APPROVED


def test_the_page_keeps_its_address_and_names_under_the_regime():
    """The monitoring views live in submissions (they show and approve reports; reporting sits below
    it), but the page keeps its regime URL and its `reporting:` names, so links and bookmarks hold."""
    assert reverse("reporting:monitor", args=[7]) == "/regimes/7/monitor/"
    assert reverse("reporting:monitor_approve", args=[7]) == "/regimes/7/monitor/approve/"
    assert reverse("reporting:regime_detail", args=[7]) == "/regimes/7/"
    assert resolve("/regimes/7/monitor/").func.__module__ == "baocao.submissions.monitor_views"
    assert resolve("/regimes/7/monitor/approve/").func.__module__ == "baocao.submissions.monitor_views"


def _unit_order(html: str) -> list[str]:
    return re.findall(r"<td>Phòng Văn hóa và Thông tin huyện (\w+)", html)


@pytest.fixture
def three(world):
    c = unit(code="UC", name="Phòng Văn hóa và Thông tin huyện Ân", kind=UnitKind.DISTRICT_OFFICE, parent=world.province)
    world.regime.reporting_units.add(c)
    return world


@pytest.mark.parametrize("sort, order", [
    ("", ["An", "Ân", "Bình"]),  # Vietnamese order: "Ân" after "An", before "Bình"
    ("unit", ["An", "Ân", "Bình"]),
    ("-unit", ["Bình", "Ân", "An"]),
    ("-submitted", ["Bình", "An", "Ân"]),  # sent last first; never sent last both ways
    ("submitted", ["An", "Bình", "Ân"]),
    ("status", ["Ân", "An", "Bình"]),  # not yet drafted first
    ("timeliness", ["An", "Bình", "Ân"]),  # on time, late, missing
    ("-timeliness", ["Ân", "Bình", "An"]),
    ("kind", ["An", "Ân", "Bình"]),  # not offered: the default
    ("-unit__users__password", ["An", "Ân", "Bình"]),
])
def test_sort_columns(three, sort, order):
    html = get(three, f"/regimes/{three.regime.pk}/monitor/?period=2022S1&sort={sort}").content.decode()
    assert _unit_order(html) == order


def test_sort_links_keep_filters_work_as_htmx_and_carry_the_order_to_the_filters(three):
    url = f"/regimes/{three.regime.pk}/monitor/"
    html = get(three, url + "?period=2022S1&kind=district_office&sort=-submitted", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in html
    assert (f'<th class="hide-sm" aria-sort="descending"><a class="sort" href="{url}?kind=district_office&amp;'
            f'period=2022S1&amp;sort=submitted" hx-get="{url}?kind=district_office&amp;period=2022S1&amp;sort=submitted"'
            ' hx-target="#monitor-table" hx-push-url="true" aria-current="true">Thời điểm gửi <span aria-hidden="true">▼')\
        in html
    assert '<input type="hidden" name="sort" value="-submitted" form="monitor-filters">' in html
    assert re.search(r'href="\?[^"]*sort=-submitted[^"]*format=csv"', html)  # the CSV in the same order
    page = get(three, url + "?period=2022S1").content.decode()
    assert 'id="monitor-filters"' in page and 'name="sort"' not in page  # the default order needs nothing


def test_the_csv_follows_the_order(three):
    r = get(three, f"/regimes/{three.regime.pk}/monitor/?period=2022S1&sort=-unit&format=csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:4]] == ["UB", "UC", "UA"]


def test_sorting_keeps_the_query_count(world):
    before = _monitor_queries(world)
    c = Client()
    c.force_login(world.compiler)
    for sort in ("-submitted", "status", "timeliness", "-unit"):
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(f"/regimes/{world.regime.pk}/monitor/?period=2022S1&sort={sort}").status_code == 200
        assert len(ctx.captured_queries) == before
