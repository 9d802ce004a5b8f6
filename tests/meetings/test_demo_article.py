"""Acceptance of issues 4 and 12 on the demo: the draft portal article of the seed's conference of
07/7/2022 states the seed's facts (the page "Sở Thông tin và Truyền thông tổ chức Hội nghị sơ
kết…", updated 12/07/2022), taken from the record: the approved reports' narratives and figures,
the meeting's conclusion; every sentence is attributed to units that wrote it (what the
department's offices wrote speaks for the department; what all district offices wrote alike, in
their own words, grouped by the report's consolidation, reads "Phòng Văn hóa và Thông tin các
huyện, thành phố đã …"); it is signed by its author."""

from __future__ import annotations

import copy
import io
from dataclasses import dataclass
from datetime import date

import docx
import pytest
from django.db import transaction
from django.test import override_settings

from baocao.consolidation import grouping
from baocao.consolidation.narratives import normalise_sentence, split_sentences
from baocao.meetings.article import article_docx, article_html, compose_article, sector_intro
from baocao.meetings.models import AgendaItem, Meeting
from baocao.orgunits.models import OrgUnit, OrgUnitGroup
from baocao.submissions.choices import SubmissionStatus
from baocao.submissions.models import SubmissionNarrative
from tests.demo_data import demo_restore

UPDATED_ON = date(2022, 7, 12)
NO_PENALTY = ("Qua thanh tra, kiểm tra, không phát sinh xử lý vi phạm hành chính đối với cơ quan, tổ chức, "
              "cá nhân.")


@dataclass
class Record:
    article: dict[str, str]
    narratives: dict[str, str]  # unit code -> its approved 2022S1 narratives, normalised
    names: dict[str, str]  # unit code -> name
    own: set[str]  # the department's offices
    groups: dict[str, set[str]]  # group code -> member codes
    enterprises: set[str]  # the enterprises that reported
    # the presented report's groups of units' sentences: (the group's text, {unit code: its sentences})
    said: list[tuple[str, dict[str, list[str]]]]
    headings: list[str]  # the presented report's sections
    figures: dict[str, dict]  # indicator code -> the presented report's figure
    with_penalties: dict[str, str]  # the article once the presented report counts penalties


@pytest.fixture(scope="module")
def record(django_db_setup, django_db_blocker) -> Record:
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        demo_restore()
        meeting = Meeting.objects.get(organiser__code="STTTT", date=date(2022, 7, 7))
        article = compose_article(meeting, on=UPDATED_ON)
        narratives: dict[str, str] = {}
        for code, text in SubmissionNarrative.objects.filter(
                submission__regime__code="BC-TTTT", submission__period="2022S1",
                submission__status=SubmissionStatus.APPROVED).values_list("submission__unit__code", "text"):
            narratives[code] = narratives.get(code, "") + " " + normalise_sentence(text)
        department = OrgUnit.objects.get(code="STTTT")
        names = dict(OrgUnit.objects.filter(code__in=narratives).values_list("code", "name"))
        own = set(OrgUnit.objects.filter(path__startswith=department.path, code__in=narratives)
                  .values_list("code", flat=True))
        groups = {g.code: {m.code for m in g.members.all()} for g in OrgUnitGroup.objects.prefetch_related("members")}
        version = AgendaItem.objects.get(meeting=meeting, report_version__isnull=False).report_version
        parts = [p for p in version.composed["parts"] if p["key"].startswith("section:")]
        figures = {f["code"]: f for p in parts for f in p["figures"]}
        codes = dict(OrgUnit.objects.values_list("pk", "code"))
        said = []
        for part in parts:
            c = grouping.Consolidation.from_dict(part["grouping"])
            for g in grouping.group_texts(c):
                by_unit: dict[str, list[str]] = {}
                for m in g.members:
                    by_unit.setdefault(codes[c.speakers[c.sentences[m].speaker].id], []).append(c.sentences[m].text)
                said.append((g.sentence, by_unit))
        enterprises = set(OrgUnit.objects.filter(kind="enterprise", code__in=narratives).values_list("code", flat=True))
        # The same report, had the inspectorate imposed two penalties.
        composed = copy.deepcopy(version.composed)
        for part in composed["parts"]:
            for figure in part.get("figures") or []:
                if figure["code"] == "SANCTION_DECISIONS":
                    figure.update(value="2", line="Quyết định xử phạt vi phạm hành chính: 02 quyết định, bằng 6 "
                                                  "tháng đầu năm 2021.")
        version.composed = composed
        version.save(update_fields=["composed"])
        with_penalties = compose_article(meeting, on=UPDATED_ON)
        transaction.set_rollback(True)
    return Record(article=article, narratives=narratives, names=names, own=own, groups=groups,
                  enterprises=enterprises, said=said, headings=[p["heading"] for p in parts], figures=figures,
                  with_penalties=with_penalties)


@pytest.fixture(scope="module")
def article(record) -> dict[str, str]:
    return record.article


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


SEED_FACTS = (
    # the plans issued
    "Về lĩnh vực thông tin – báo chí – xuất bản, Sở bám sát tình hình thực tế để chỉ đạo, định hướng và quản lý "
    "thông tin trên báo chí",
    "Đã tham mưu UBND tỉnh ban hành Kế hoạch hoạt động thông tin đối ngoại năm 2022",
    "Kế hoạch triển khai Đề án xác định Chỉ số đánh giá mức độ chuyển đổi số doanh nghiệp",
    "Kế hoạch hỗ trợ chuyển đổi số, thanh toán không dùng tiền mặt trong trường học, bệnh viện giai đoạn 2022–2025",
    # the events promoted
    "quảng bá sự kiện xúc tiến tiêu thụ bí xanh thơm và sản phẩm OCOP gắn với du lịch trải nghiệm, Tuần du lịch – "
    "di sản văn hóa Ba Bể năm 2022 và Lễ công bố di sản văn hóa phi vật thể quốc gia của tỉnh",
    "Giải báo chí về thông tin đối ngoại",
    # the drill
    "Phối hợp với Cục Bưu điện Trung ương (Bộ Thông tin và Truyền thông) diễn tập xe thông tin chuyên dùng phục vụ "
    "phòng, chống thiên tai năm 2022.",
    "Về lĩnh vực công nghệ thông tin (chuyển đổi số), tập trung tham mưu và tổ chức thực hiện Đề án tổng thể chuyển "
    "đổi số tỉnh Bắc Kạn giai đoạn 2021–2025, định hướng đến năm 2030",
    "thí điểm Tổ Công nghệ số cộng đồng ở xã, thôn",
    # the inspectorate, and no administrative penalty since the period's penalties are nil
    "Thanh tra Sở tiến hành 01 cuộc thanh tra việc chấp hành pháp luật trong hoạt động bưu chính, chuyển phát.",
    "Đã tiếp nhận và giải quyết xong 02 đơn kiến nghị của công dân",
    NO_PENALTY,
    # the district offices and centres, collectively (the seed: "Phòng VHTT các huyện, thành phố đã chủ
    # động tham mưu cho UBND huyện, phối hợp với Sở TTTT …")
    "Về công tác quản lý nhà nước về thông tin và truyền thông tại các huyện, thành phố, Phòng Văn hóa và Thông tin "
    "các huyện, thành phố đã chủ động tham mưu UBND cấp huyện và phối hợp với Sở Thông tin và Truyền thông trong "
    "công tác quản lý nhà nước về thông tin và truyền thông tại địa phương.",
    "Chủ động rà soát nhiệm vụ, giải pháp và triển khai các chương trình, kế hoạch, dự án phát triển thông tin và "
    "truyền thông cơ sở.",
    "Trong kỳ đã đầu tư, nâng cấp 17 đài truyền thanh cấp xã (Bắc Kạn 1, Pác Nặm 3, Ba Bể 2, Ngân Sơn 3, Bạch Thông "
    "3, Chợ Đồn 2, Chợ Mới 1, Na Rì 2).",
    "Trung tâm Văn hóa, Thể thao và Truyền thông các huyện, thành phố duy trì hoạt động của Cổng Thông tin điện tử "
    "cấp huyện",
    "Các doanh nghiệp đã thực hiện các nhiệm vụ thuộc lĩnh vực bưu chính – Viễn thông 6 tháng đầu năm 2022 theo kế "
    "hoạch.",
    # figures
    "Về số liệu, tin, bài đăng trên Cổng Thông tin điện tử tỉnh: 1.228 tin, giảm 1,1% so với 6 tháng đầu năm 2021",
    "trạm thu phát sóng thông tin di động (BTS): 1.245 trạm, tăng 6,4% so với 6 tháng đầu năm 2021",
    "cuộc thanh tra: 01 cuộc",
    "đài truyền thanh cấp xã: 108 đài",
    # the discussion, each point by whom it was made
    "Trong đó, đại diện Phòng Văn hóa và Thông tin huyện Ba Bể đề nghị Sở hướng dẫn và hỗ trợ nâng cấp đài truyền "
    "thanh cấp xã",
    "đại diện Viễn thông Bắc Kạn (VNPT) cam kết bảo đảm thông tin liên lạc thông suốt mùa mưa bão",
    # the chair's conclusion
    "Phát biểu kết luận Hội nghị, ông Hà Văn Tiến, Giám đốc Sở nêu rõ: biểu dương những nỗ lực và kết quả quan "
    "trọng toàn ngành đạt được trong 6 tháng đầu năm 2022",
)


@pytest.mark.parametrize("fact", SEED_FACTS)
def test_the_seeds_facts(text, fact):
    assert fact in text


def test_figures_are_the_presented_reports(record):
    """The figures quoted are the presented report's: its values, as its lines word them."""
    figures = record.figures
    assert (figures["PRESS_PORTAL_NEWS"]["value"], figures["BTS_TOTAL"]["value"]) == ("1228", "1245")
    assert figures["SANCTION_DECISIONS"]["value"] == figures["SANCTION_AMOUNT"]["value"] == "0"
    # The district offices' upgraded radio stations, as their reports count them.
    assert figures["RADIO_UPGRADED"]["value"] == "17" and "nâng cấp 17 đài" in record.article["sectors"]
    sectors = record.article["sectors"]
    for code in ("PRESS_PORTAL_NEWS", "BTS_TOTAL", "INSP_COUNT", "RADIO_STATIONS"):
        line = figures[code]["line"].rstrip(".")
        assert line[0].lower() + line[1:] in sectors, code
    # Nil figures are not quoted as such; the nil penalties read as one sentence.
    assert "Cuộc kiểm tra" not in sectors and "cuộc kiểm tra: không phát sinh" not in sectors
    assert "xử phạt vi phạm hành chính: không phát sinh" not in sectors


def test_penalties_follow_the_record(record):
    """Had the report counted penalties, the article says so instead of «không phát sinh»."""
    sectors = record.with_penalties["sectors"]
    assert "không phát sinh xử lý vi phạm hành chính" not in sectors
    assert "quyết định xử phạt vi phạm hành chính: 02 quyết định" in sectors


# Collective subjects the article may use, and the units they stand for.
COLLECTIVE = {
    "Phòng Văn hóa và Thông tin các huyện, thành phố": lambda r: r.groups["HUYEN-VHTT"],
    "Trung tâm Văn hóa, Thể thao và Truyền thông các huyện, thành phố": lambda r: r.groups["HUYEN-TTVH"],
    "Các doanh nghiệp": lambda r: r.enterprises,
}


def _subject(sentence: str, record: Record) -> tuple[set[str] | None, str]:
    """(the units a sentence names at its start, the rest of it); (None, sentence) if it names none."""
    subjects = {phrase: units(record) for phrase, units in COLLECTIVE.items()}
    subjects |= {name: {code} for code, name in record.names.items()}
    text = sentence[:1].upper() + sentence[1:]
    reported = text.startswith("Theo báo cáo của ")
    if reported:
        text = text[len("Theo báo cáo của "):]
    for phrase in sorted(subjects, key=len, reverse=True):
        if text.startswith(phrase):
            return subjects[phrase], text[len(phrase):].lstrip(" ,")
    assert not reported, sentence
    return None, sentence


def test_every_sentence_is_by_units_that_wrote_it(record):
    """Read each sector paragraph sentence by sentence (split at ";" too): a sentence naming units
    belongs to them, one naming none to the units named last (at first, to the department's
    offices). Each is the text of one of the presented report's groups of sentences, whose units are
    exactly those it belongs to (the department's: some of its offices), each of which wrote one of
    the group's sentences in its approved report."""
    paragraphs = record.article["sectors"].split("\n\n")
    intros = [sector_intro(heading) + ", " for heading in record.headings]
    checked = 0
    for paragraph in paragraphs:
        intro = next(i for i in intros if paragraph.startswith(i))
        narrative = paragraph[len(intro):].split(" Về số liệu, ")[0]
        writers = record.own
        for sentence in split_sentences(narrative):
            if sentence == NO_PENALTY:
                continue  # the figures say it
            named, rest = _subject(sentence, record)
            if named is not None:
                writers = named
            key = normalise_sentence(rest)
            found = [by_unit for text, by_unit in record.said if key and key in normalise_sentence(text)]
            assert len(found) == 1, sentence
            by_unit = found[0]
            if writers is record.own:
                assert set(by_unit) <= record.own, sentence
            else:
                assert set(by_unit) == writers, (sentence, sorted(set(by_unit) ^ writers))
            for code, texts in by_unit.items():
                assert all(normalise_sentence(t) in record.narratives[code] for t in texts), (sentence, code)
            checked += 1
    assert checked >= 20


def test_no_unit_sentence_reads_as_anothers(record):
    """The district offices' own sentence "Phòng đã chủ động tham mưu UBND thành phố Bắc Kạn …" never
    reads as the department's ("Phòng đã …") nor names one place for all."""
    sectors = record.article["sectors"]
    assert "Phòng đã" not in sectors and "Trung tâm duy trì" not in sectors and "Phòng tham mưu" not in sectors
    assert "UBND thành phố Bắc Kạn" not in sectors and "UBND huyện" not in sectors
    assert sectors.count("Phòng Văn hóa và Thông tin các huyện, thành phố") == 1
    # One district's own fact is that district's: never quoted as all districts'.
    assert "Lễ hội Lồng tồng" not in sectors


def test_signed_by_the_author(record):
    assert record.article["author"] == "Bế Thị Thanh Hoài"
    page = article_html(record.article)
    assert '<p class="author">Bế Thị Thanh Hoài</p>\n</article>' in page
    paragraphs = [p for p in docx.Document(io.BytesIO(article_docx(record.article))).paragraphs if p.text]
    assert paragraphs[-1].text == "Bế Thị Thanh Hoài" and paragraphs[-1].runs[0].bold
    assert paragraphs[-2].text.endswith("6 tháng cuối năm 2022./.")


def test_no_illustrative_marker(record):
    for value in record.article.values():
        assert "minh họa" not in value.lower() and "minh hoạ" not in value.lower()
    assert "minh họa" not in article_html(record.article)


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
    assert "diễn tập xe thông tin chuyên dùng phục vụ phòng, chống thiên tai" in body
