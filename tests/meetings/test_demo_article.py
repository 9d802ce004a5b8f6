"""Acceptance of issue 4 on the demo: the draft portal article of the seed's conference of 07/7/2022
states the seed's facts (the page "Sở Thông tin và Truyền thông tổ chức Hội nghị sơ kết…",
updated 12/07/2022)."""

from __future__ import annotations

import io
from datetime import date

import docx
import pytest
from django.db import transaction
from django.test import override_settings

from baocao.demo.loader import demo_load
from baocao.meetings.article import article_docx, article_html, compose_article
from baocao.meetings.models import Meeting


@pytest.fixture(scope="module")
def article(django_db_setup, django_db_blocker) -> dict[str, str]:
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        demo_load()
        meeting = Meeting.objects.get(organiser__code="STTTT", date=date(2022, 7, 7))
        result = compose_article(meeting, on=date(2022, 7, 12))
        transaction.set_rollback(True)
    return result


@pytest.fixture(scope="module")
def text(article) -> str:
    return "\n".join(str(v) for v in article.values())


def test_date_and_organiser(article, text):
    assert "Cập nhật lúc: 12/07/2022" in text
    assert "07/7/2022" in text
    assert "Sở Thông tin và Truyền thông" in text
    assert "sơ kết" in article["title"].lower() and "6 tháng cuối năm 2022" in article["title"]


def test_chair_and_presenter_with_titles(text):
    assert "Hà Văn Tiến" in text and "Giám đốc Sở" in text
    assert "chủ trì" in text
    assert "Lô Quang Tuyến, Phó Giám đốc Sở" in text
    assert "dự thảo" in text.lower() and "báo cáo sơ kết" in text.lower()


def test_attending_groups(text):
    assert "Phòng Văn hóa và Thông tin" in text
    assert "Trung tâm Văn hóa, Thể thao và Truyền thông" in text
    assert "các huyện, thành phố" in text
    assert "doanh nghiệp bưu chính, viễn thông" in text


def test_sector_highlights(text):
    for sector in ("thông tin – báo chí – xuất bản", "bưu chính – viễn thông", "công nghệ thông tin",
                   "thanh tra, kiểm tra, giải quyết khiếu nại, tố cáo"):
        assert f"Về lĩnh vực {sector}" in text or f"Về công tác {sector}" in text, sector
    assert "01 cuộc thanh tra" in text
    assert "02 đơn kiến nghị" in text


def test_discussion_and_conclusion(text):
    assert "thảo luận" in text.lower() or "ý kiến" in text.lower()
    assert "Biểu dương" in text or "biểu dương" in text
    assert "6 tháng cuối năm 2022" in text


def test_html_and_docx_carry_the_same_facts(article):
    html = article_html(article)
    assert "Hà Văn Tiến" in html and "Lô Quang Tuyến" in html and "Cập nhật lúc: 12/07/2022" in html
    document = docx.Document(io.BytesIO(article_docx(article)))
    body = "\n".join(p.text for p in document.paragraphs)
    assert "Hà Văn Tiến" in body and "Lô Quang Tuyến" in body and "01 cuộc thanh tra" in body
