"""The GSO catalogue import, on the real GSO exports (committed under tests/data/gso) and broken copies of them."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

import baocao
from baocao.accounts.choices import Role
from baocao.audit.models import AuditEvent
from baocao.core.errors import AppError
from baocao.orgunits.choices import UnitKind
from baocao.orgunits.models import OrgUnit
from baocao.orgunits.services import ImportResult, orgunits_import_gso
from tests import factories

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[1] / "data" / "gso"
DISTRICTS = DATA / "gso-districts-legacy-2025-07-18.csv"
WARDS = DATA / "gso-wards-legacy-2025-07-18.csv"
BOM = "\ufeff"


def run(districts=DISTRICTS, wards=WARDS, province="06", user=None) -> ImportResult:
    return orgunits_import_gso(acting_user=user, districts_file=districts, wards_file=wards, province_code=province)


def rows_of(path: Path, province: str) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [row for row in list(csv.reader(handle))[1:] if row[-2] == province]


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8-sig").split("\n")


def first_line_of_province(lines: list[str], province: str = "06") -> int:
    """1-based line number of the first data line of the province (the header is line 1)."""
    return next(i for i, line in enumerate(lines) if f",{province},Tỉnh" in line) + 1


def broken_copy(tmp_path: Path, source: Path, edit: Callable[[list[str]], int | None],
                encoding_bytes: Callable[[str], bytes] | None = None) -> tuple[Path, int | None]:
    lines = lines_of(source)
    line_number = edit(lines)
    text = BOM + "\n".join(lines)
    target = tmp_path / source.name
    target.write_bytes(encoding_bytes(text) if encoding_bytes else text.encode("utf-8"))
    return target, line_number


def assert_nothing_written() -> None:
    assert OrgUnit.objects.count() == 0
    assert AuditEvent.objects.count() == 0


class TestImportBacKan:
    def test_creates_province_districts_and_communes(self):
        admin = factories.user(username="quantri", role=Role.ADMIN)
        result = run(user=admin)
        assert result == ImportResult(created=117, updated=0, unchanged=0)

        province = OrgUnit.objects.get(code="06")
        assert (province.name, province.kind, province.parent_id, province.depth) == (
            "Tỉnh Bắc Kạn", UnitKind.PROVINCE, None, 0)
        assert province.path == f"/{province.pk}/"
        districts = OrgUnit.objects.filter(kind=UnitKind.PEOPLES_COMMITTEE)
        assert sorted(districts.values_list("code", flat=True)) == ["058", "060", "061", "062", "063", "064",
                                                                    "065", "066"]
        assert set(districts.values_list("parent_id", flat=True)) == {province.pk}
        communes = OrgUnit.objects.filter(kind=UnitKind.COMMUNE)
        assert communes.count() == 108
        assert province.descendants().count() == 116

        # The GSO spells a few level words in title case ("Thành Phố Bắc Kạn"); the level column wins.
        assert OrgUnit.objects.get(code="058").name == "Thành phố Bắc Kạn"
        ba_be = OrgUnit.objects.get(code="061")
        assert ba_be.name == "Huyện Ba Bể"
        assert ba_be.search_text == "061 huyen ba be"
        commune = OrgUnit.objects.get(code="01834")
        assert commune.name == "Phường Nguyễn Thị Minh Khai"
        assert commune.parent.code == "058"
        for unit in OrgUnit.objects.select_related("parent"):
            expected = (unit.parent.path if unit.parent else "/") + f"{unit.pk}/"
            assert (unit.path, unit.depth) == (expected, unit.parent.depth + 1 if unit.parent else 0)

        assert AuditEvent.objects.filter(action="orgunit.create").count() == 117
        summary = AuditEvent.objects.get(action="orgunit.import_gso")
        assert summary.actor == admin and summary.unit == province
        assert "117 mới" in summary.comment

    def test_second_import_changes_nothing(self):
        run()
        before = (OrgUnit.objects.count(), AuditEvent.objects.count(),
                  list(OrgUnit.objects.values_list("pk", "path", "name", "search_text")))
        assert run() == ImportResult(created=0, updated=0, unchanged=117)
        after = (OrgUnit.objects.count(), AuditEvent.objects.count(),
                 list(OrgUnit.objects.values_list("pk", "path", "name", "search_text")))
        assert after == before

    def test_a_renamed_unit_is_updated_and_audited(self, tmp_path):
        run()

        def rename(lines: list[str]) -> int:
            index = next(i for i, line in enumerate(lines) if line.startswith("01834,"))
            lines[index] = lines[index].replace("Phường Nguyễn Thị Minh Khai", "Phường Minh Khai")
            return index + 1

        wards, _ = broken_copy(tmp_path, WARDS, rename)
        assert run(wards=wards) == ImportResult(created=0, updated=1, unchanged=116)
        unit = OrgUnit.objects.get(code="01834")
        assert (unit.name, unit.search_text) == ("Phường Minh Khai", "01834 phuong minh khai")
        event = AuditEvent.objects.get(action="orgunit.update", entity_id=unit.pk)
        assert (event.field, event.old_value, event.new_value) == (
            "name", "Phường Nguyễn Thị Minh Khai", "Phường Minh Khai")

    def test_control_characters_are_not_stored(self, tmp_path):
        """A catalogue edited by hand or exported by another tool may carry control characters
        (an escape, NUL, a bell, U+FFFE, a line break inside a quoted name): they are dropped, a
        line break or tab becomes a space, and the names read as in the clean catalogue."""

        def dirty_ward(lines: list[str]) -> int:
            index = next(i for i, line in enumerate(lines) if line.startswith("01834,"))
            lines[index] = lines[index].replace(
                "Phường Nguyễn Thị Minh Khai", '"Phường\x1b Nguyễn\x00 Thị\x07 Minh\r\nKhai\ufffe"')
            return index + 1

        def dirty_district(lines: list[str]) -> int:
            index = next(i for i, line in enumerate(lines) if line.startswith("061,"))
            lines[index] = lines[index].replace("Huyện Ba Bể", "Huyện\tBa\x0b Bể\x1f")
            first = next(i for i, line in enumerate(lines) if line.startswith("058,"))
            lines[first] = lines[first].replace("Tỉnh Bắc Kạn", "Tỉnh Bắc\x08 Kạn")
            return index + 1

        wards, _ = broken_copy(tmp_path, WARDS, dirty_ward)
        districts, _ = broken_copy(tmp_path, DISTRICTS, dirty_district)
        assert run(districts=districts, wards=wards).created == 117
        names = dict(OrgUnit.objects.values_list("code", "name"))
        assert (names["01834"], names["061"], names["06"]) == (
            "Phường Nguyễn Thị Minh Khai", "Huyện Ba Bể", "Tỉnh Bắc Kạn")
        assert not [name for name in names.values() if any(ord(c) < 32 or c == "\ufffe" for c in name)]
        assert OrgUnit.objects.get(code="061").search_text == "061 huyen ba be"
        # The clean catalogue then finds nothing to change.
        assert run() == ImportResult(created=0, updated=0, unchanged=117)

    def test_a_name_of_control_characters_only_is_refused(self, tmp_path):
        def blank(lines: list[str]) -> int:
            index = next(i for i, line in enumerate(lines) if line.startswith("01834,"))
            lines[index] = lines[index].replace("Phường Nguyễn Thị Minh Khai", "\x1b\x00 \x07")
            return index + 1

        wards, line = broken_copy(tmp_path, WARDS, blank)
        with pytest.raises(AppError) as exc:
            run(wards=wards)
        assert exc.value.message == f"Tệp xã ({WARDS.name}), dòng {line}: cột «Tên» để trống."
        assert_nothing_written()

    def test_accepts_binary_and_text_file_objects(self):
        with DISTRICTS.open("rb") as districts, WARDS.open(encoding="utf-8-sig") as wards:
            assert run(districts=districts, wards=wards).created == 117
        text = io.StringIO(WARDS.read_text(encoding="utf-8"))
        assert run(wards=text, districts=io.BytesIO(DISTRICTS.read_bytes())).unchanged == 117

    def test_without_bom_still_works(self, tmp_path):
        plain = tmp_path / "wards-no-bom.csv"
        plain.write_text(WARDS.read_text(encoding="utf-8-sig"), encoding="utf-8")
        assert not plain.read_bytes().startswith(b"\xef\xbb\xbf")
        assert run(wards=plain).created == 117

    def test_crlf_line_endings_work(self, tmp_path):
        crlf = tmp_path / "districts-crlf.csv"
        crlf.write_bytes(DISTRICTS.read_bytes().replace(b"\n", b"\r\n"))
        assert run(districts=crlf).created == 117


def test_a_big_province_imports_whole():
    """Hà Nội (01): every district and ward of the real catalogue, with leading zeros kept."""
    districts, wards = rows_of(DISTRICTS, "01"), rows_of(WARDS, "01")
    result = run(province="01")
    assert result.created == 1 + len(districts) + len(wards)
    assert OrgUnit.objects.filter(kind=UnitKind.COMMUNE).count() == len(wards) > 500
    assert OrgUnit.objects.get(code="00001").parent.code == "001"
    assert OrgUnit.objects.get(code="01").name == "Thành phố Hà Nội"
    # The province's whole subtree is one prefix query away.
    assert OrgUnit.objects.get(code="01").descendants().count() == len(districts) + len(wards)
    assert run(province="01") == ImportResult(0, 0, result.created)


def _cut_line(lines: list[str]) -> int:
    index = first_line_of_province(lines) - 1 + 16  # the 17th Bắc Kạn ward
    lines[index] = ",".join(lines[index].split(",")[:4])
    return index + 1


def _rename_header(lines: list[str]) -> int:
    lines[0] = lines[0].replace("Mã QH", "Ma QH")
    return 1


def _empty_code(lines: list[str]) -> int:
    index = first_line_of_province(lines) - 1 + 3
    lines[index] = "," + lines[index].split(",", 1)[1]
    return index + 1


def _letter_in_code(lines: list[str]) -> int:
    index = first_line_of_province(lines) - 1
    lines[index] = "O" + lines[index][1:]  # the letter O typed for a zero
    return index + 1


def _short_code(lines: list[str]) -> int:
    index = first_line_of_province(lines) - 1 + 5
    lines[index] = lines[index][1:]  # leading zero lost, e.g. by a spreadsheet
    return index + 1


def _unknown_district(lines: list[str]) -> int:
    index = first_line_of_province(lines) - 1 + 40
    cells = lines[index].split(",")
    cells[4] = "999"
    lines[index] = ",".join(cells)
    return index + 1


def _extra_column(lines: list[str]) -> int:
    index = first_line_of_province(lines) - 1 + 2
    lines[index] = lines[index].replace("Xã ", "Xã Thượng, ", 1) if "Xã " in lines[index] else lines[index] + ",x"
    return index + 1


def _duplicate_code(lines: list[str]) -> int:
    index = first_line_of_province(lines) - 1
    lines.insert(index + 1, lines[index])
    return index + 2


def _latin1(text: str) -> bytes:
    # A file saved from a legacy tool in a single-byte code page: "Hà" as 0x48 0xE0.
    return text.encode("utf-8").replace("Xã Bằng Thành".encode(), "Xã Hà Bằng".encode("cp1258",
                                                                                        errors="replace"))


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (_cut_line, "thiếu cột «Mã QH»"),
        (_rename_header, "thiếu cột «Mã QH» trong dòng tiêu đề"),
        (_empty_code, "cột «Mã» để trống"),
        (_letter_in_code, "phải là dãy chữ số"),
        (_short_code, "phải có đúng 5 chữ số"),
        (_unknown_district, "mã quận/huyện «999» không có trong Tệp huyện"),
        (_extra_column, "thừa cột"),
        (_duplicate_code, "trùng với dòng"),
    ],
    ids=["truncated-line", "renamed-header", "empty-code", "letter-in-code", "short-code", "unknown-district",
         "extra-column", "duplicate-code"],
)
def test_broken_wards_file_is_refused_naming_file_and_line(tmp_path, edit, expected):
    wards, line = broken_copy(tmp_path, WARDS, edit)
    with pytest.raises(AppError) as caught:
        run(wards=wards)
    message = caught.value.message
    assert message.startswith(f"Tệp xã ({WARDS.name}), dòng {line}: ")
    assert expected in message
    assert caught.value.extra["line"] == line
    assert_nothing_written()


def test_the_example_message_reads_as_promised(tmp_path):
    wards, line = broken_copy(tmp_path, WARDS, _cut_line)
    with pytest.raises(AppError, match=rf"^Tệp xã \({WARDS.name}\), dòng {line}: thiếu cột «Mã QH»"):
        run(wards=wards)


def test_non_utf8_bytes_are_refused_with_their_line(tmp_path):
    lines = lines_of(WARDS)
    line = next(i for i, text in enumerate(lines) if "Xã Bằng Thành" in text) + 1
    wards, _ = broken_copy(tmp_path, WARDS, lambda _lines: None, encoding_bytes=_latin1)
    with pytest.raises(AppError, match=rf"^Tệp xã \({WARDS.name}\), dòng {line}: tệp không đúng mã UTF-8"):
        run(wards=wards)
    assert_nothing_written()


def test_broken_districts_file_is_refused(tmp_path):
    def cut(lines: list[str]) -> int:
        index = first_line_of_province(lines) - 1 + 2
        lines[index] = lines[index].rsplit(",", 1)[0]
        return index + 1

    districts, line = broken_copy(tmp_path, DISTRICTS, cut)
    with pytest.raises(AppError, match=rf"^Tệp huyện \({DISTRICTS.name}\), dòng {line}: thiếu cột «Tỉnh / Thành Phố»"):
        run(districts=districts)
    assert_nothing_written()


def test_unknown_province_is_refused():
    with pytest.raises(AppError, match=r"^Tệp huyện \(gso-districts-legacy-2025-07-18.csv\): không có dòng nào "
                                       r"của tỉnh mã «99»"):
        run(province="99")
    with pytest.raises(AppError, match="Mã tỉnh «6» không hợp lệ"):
        run(province="6")
    assert_nothing_written()


def test_a_code_used_by_another_kind_is_refused():
    other = factories.unit(code="061", name="Đơn vị khác", kind=UnitKind.OTHER)
    line = first_line_of_province(lines_of(DISTRICTS)) + 2  # 058, 060, 061
    with pytest.raises(AppError, match=rf"^Tệp huyện \({DISTRICTS.name}\), dòng {line}: mã «061» đã được dùng "
                                       r"cho đơn vị «Đơn vị khác» loại «Khác»"):
        run()
    assert list(OrgUnit.objects.all()) == [other]
    assert AuditEvent.objects.count() == 0


class TestUnitsCommand:
    def test_import_prints_a_vietnamese_summary(self):
        out = io.StringIO()
        call_command("units", "import-gso", str(DISTRICTS), str(WARDS), "--province", "06", stdout=out)
        assert out.getvalue() == "Đã nhập: 117 mới, 0 cập nhật, 0 không đổi.\n"
        out = io.StringIO()
        call_command("units", "import-gso", str(DISTRICTS), str(WARDS), "--province", "06", stdout=out)
        assert out.getvalue() == "Đã nhập: 0 mới, 0 cập nhật, 117 không đổi.\n"

    def test_bad_input_exits_with_code_2(self, tmp_path):
        with pytest.raises(CommandError) as caught:
            call_command("units", "import-gso", str(DISTRICTS), str(WARDS), "--province", "99")
        assert caught.value.returncode == 2
        assert "không có dòng nào của tỉnh mã «99»" in str(caught.value)

        wards, line = broken_copy(tmp_path, WARDS, _rename_header)
        with pytest.raises(CommandError) as caught:
            call_command("units", "import-gso", str(DISTRICTS), str(wards), "--province", "06")
        assert caught.value.returncode == 2
        assert f"dòng {line}: thiếu cột «Mã QH»" in str(caught.value)
        assert_nothing_written()

    def test_console_exit_status_and_stderr(self, tmp_path):
        # The real console entry point in a child process: what an operator's shell sees.
        env = {**os.environ, "BAOCAO_DATA_DIR": str(tmp_path),
               "PYTHONPATH": os.pathsep.join([str(Path(baocao.__file__).parents[1]), os.environ.get("PYTHONPATH", "")])}
        env.pop("DATABASE_URL", None)
        completed = subprocess.run(
            [sys.executable, "-m", "baocao.cli", "units", "import-gso", str(DISTRICTS), str(WARDS), "--province", "99"],
            capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60,
        )
        assert completed.returncode == 2
        assert "không có dòng nào của tỉnh mã «99»" in completed.stderr
        assert completed.stdout == ""

    def test_list_sorts_in_vietnamese_order(self):
        run()
        out = io.StringIO()
        call_command("units", "list", "--kind", "peoples_committee", stdout=out)
        names = [line.split("  ")[-1].strip() for line in out.getvalue().splitlines()]
        assert names == ["Huyện Ba Bể", "Huyện Bạch Thông", "Huyện Chợ Đồn", "Huyện Chợ Mới", "Huyện Na Rì",
                         "Huyện Ngân Sơn", "Huyện Pác Nặm", "Thành phố Bắc Kạn"]
        first = out.getvalue().splitlines()[0].split()
        assert first[:2] == ["061", "peoples_committee"]

    def test_list_all_kinds(self):
        run()
        out = io.StringIO()
        call_command("units", "list", stdout=out)
        assert len(out.getvalue().splitlines()) == 117


def test_without_a_province_the_whole_country_imports_once():
    """63 provinces, 696 district-level and 10,035 commune-level units, each under its own parent;
    a second run changes nothing."""
    result = orgunits_import_gso(acting_user=None, districts_file=DISTRICTS, wards_file=WARDS)
    assert result == ImportResult(63 + 696 + 10035, 0, 0)
    assert OrgUnit.objects.filter(kind=UnitKind.PROVINCE).count() == 63
    bac_kan = OrgUnit.objects.get(code="06")
    assert bac_kan.descendants().filter(kind=UnitKind.COMMUNE).count() == 108
    ward = OrgUnit.objects.select_related("parent__parent").get(code="01834")
    assert (ward.parent.code, ward.parent.parent.code) == ("058", "06")
    assert ward.path == f"{ward.parent.path}{ward.pk}/"
    assert orgunits_import_gso(acting_user=None, districts_file=DISTRICTS, wards_file=WARDS) == ImportResult(
        0, 0, result.total)
