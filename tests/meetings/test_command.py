"""`baocao meetings article --unit STTTT --date 2022-07-07 --format html|docx -o FILE` (and the
invitation and minutes): the files, and bad input exiting with code 2 and a Vietnamese message."""

from __future__ import annotations

import io
from datetime import date

import docx
import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError

from baocao.meetings.services import meeting_create

pytestmark = pytest.mark.django_db

ARGS = ["--unit", "STTTT", "--date", "2022-07-07"]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("meetings", *args, stdout=out)
    return out.getvalue()


def test_article_html(seed, tmp_path):
    target = tmp_path / "bai-viet.html"
    out = run("article", *ARGS, "--format", "html", "-o", str(target), "--updated", "2022-07-12")
    assert out.startswith(f"Đã ghi {target} (") and out.rstrip().endswith("byte)")
    page = target.read_text(encoding="utf-8")
    assert "(Cập nhật lúc: 12/07/2022)" in page and "Ông Hà Văn Tiến, Giám đốc Sở Thông tin và Truyền thông" in page
    assert "các doanh nghiệp bưu chính, viễn thông" in page


def test_article_docx_format_from_the_suffix(seed, tmp_path):
    target = tmp_path / "bai-viet.docx"
    run("article", *ARGS, "-o", str(target))
    text = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
    assert "Ngày 07/7/2022, Sở Thông tin và Truyền thông tỉnh Bắc Kạn đã tổ chức" in text
    assert "ông Lô Quang Tuyến, Phó Giám đốc Sở" in text and text.rstrip().endswith("Bế Thị Thanh Hoài")


@pytest.mark.parametrize("kind,fmt,magic", [("invitation", "docx", b"PK"), ("minutes", "pdf", b"%PDF"),
                                            ("minutes", "html", b"<!DOCTYPE")])
def test_invitation_and_minutes(seed, tmp_path, kind, fmt, magic):
    target = tmp_path / f"tai-lieu.{fmt}"
    run(kind, *ARGS, "--format", fmt, "-o", str(target))
    assert target.read_bytes().startswith(magic)


@pytest.mark.parametrize("args,message", [
    (["article", "--unit", "NOPE", "--date", "2022-07-07", "--format", "html"], "Không tìm thấy đơn vị «NOPE»."),
    (["article", "--unit", "STTTT", "--date", "2022-07-08", "--format", "html"],
     "Đơn vị «STTTT» không có hội nghị nào ngày 08/07/2022."),
    (["article", "--unit", "STTTT", "--date", "07/07/2022", "--format", "html"], "Ngày «07/07/2022» không hợp lệ"),
    (["article", *ARGS, "--format", "pdf"], "Định dạng «pdf» không dùng được cho article"),
    (["article", *ARGS, "--format", "html", "--updated", "hôm qua"], "Ngày cập nhật «hôm qua» không hợp lệ"),
    (["article", *ARGS, "--format", "html", "--meeting", "999999"], "với mã số 999999"),
])
def test_bad_input_exits_2(seed, tmp_path, args, message):
    target = tmp_path / "out.html"
    with pytest.raises(CommandError) as excinfo:
        run(*args, "-o", str(target))
    assert excinfo.value.returncode == 2 and message in str(excinfo.value)
    assert not target.exists()


def test_two_meetings_that_day_need_meeting_id(seed, tmp_path):
    other = meeting_create(acting_user=seed.compiler, organiser=seed.department, title="Hội nghị chuyên đề",
                           date=date(2022, 7, 7), kind="thematic")
    with pytest.raises(CommandError, match="chọn một bằng --meeting") as excinfo:
        run("article", *ARGS, "--format", "html", "-o", str(tmp_path / "a.html"))
    assert excinfo.value.returncode == 2
    run("article", *ARGS, "--format", "html", "--meeting", str(other.pk), "-o", str(tmp_path / "a.html"))
    assert "Hội nghị chuyên đề" in (tmp_path / "a.html").read_text(encoding="utf-8")


def test_unknown_kind_is_an_argument_error(seed, tmp_path):
    with pytest.raises(CommandError) as excinfo:
        run("agenda", *ARGS, "-o", str(tmp_path / "x"))
    assert "invalid choice" in str(excinfo.value) or "lựa chọn" in str(excinfo.value)


def test_console_prints_the_error_and_exits_2(seed, tmp_path, capsys):
    argv = ["baocao", "meetings", "article", "--unit", "STTTT", "--date", "2022-07-09", "--format", "html",
            "-o", str(tmp_path / "x.html")]
    with pytest.raises(SystemExit) as excinfo:
        ManagementUtility(argv).execute()
    assert excinfo.value.code == 2
    assert "không có hội nghị nào ngày 09/07/2022" in capsys.readouterr().err
