"""Consolidating what units wrote: paraphrases grouped, units named collectively, numbers kept per
unit, attribution by id (golden tests in Vietnamese, on paraphrases written for the tests)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from baocao.consolidation.grouping import Consolidation, consolidate, name_units, render, speaker_for

PLACES = ["thành phố Bắc Kạn", "huyện Pác Nặm", "huyện Ba Bể", "huyện Ngân Sơn", "huyện Bạch Thông",
          "huyện Chợ Đồn", "huyện Chợ Mới", "huyện Na Rì"]


def offices(n: int = 8):
    return [speaker_for(id=i + 1, label=f"Phòng VHTT {p}", name=f"Phòng Văn hóa và Thông tin {p}",
                        kind="district_office") for i, p in enumerate(PLACES[:n])]


def centres(n: int = 8):
    return [speaker_for(id=101 + i, label=f"Trung tâm VHTTTT {p}", kind="media_centre")
            for i, p in enumerate(PLACES[:n])]


# Three ways of saying the same thing, as three districts would write it.
SAYINGS = (
    "Phòng đã chủ động tham mưu UBND {p} và phối hợp với Sở Thông tin và Truyền thông quản lý nhà nước về "
    "thông tin và truyền thông tại địa phương.",
    "Phối hợp với Sở Thông tin và Truyền thông, Phòng chủ động tham mưu UBND {p} quản lý nhà nước về thông "
    "tin và truyền thông tại địa phương.",
    "Phòng tham mưu UBND {p}, phối hợp với Sở Thông tin và Truyền thông trong quản lý nhà nước về thông tin "
    "và truyền thông tại địa phương.",
)


def test_speaker_reads_family_and_place_off_its_label():
    s = speaker_for(id=1, label="Phòng VHTT huyện Ba Bể", kind="district_office")
    assert (s.family, s.place, s.place_prefix, s.place_name) == ("Phòng VHTT", "huyện Ba Bể", "huyện", "Ba Bể")
    commune = speaker_for(id=2, label="Xã Bằng Thành", kind="commune")
    assert (commune.family, commune.place) == ("", "xã Bằng Thành")
    firm = speaker_for(id=3, label="Bưu điện tỉnh Bắc Kạn", kind="enterprise")
    assert (firm.family, firm.place) == ("", "")  # enterprises are named by their kind


def test_paraphrases_of_all_offices_become_one_sentence_named_collectively():
    items = [(s, SAYINGS[i % 3].format(p=s.place)) for i, s in enumerate(offices())]
    c = consolidate(items)
    assert len(c.groups) == 1
    paragraphs, _ = render(c)
    assert paragraphs == [
        "Phòng VHTT các huyện, thành phố đã chủ động tham mưu UBND cấp huyện và phối hợp với Sở Thông tin "
        "và Truyền thông quản lý nhà nước về thông tin và truyền thông tại địa phương."
    ]


def test_most_units_sharing_a_sentence_are_named_with_the_exceptions():
    units = offices()
    items = [(s, SAYINGS[0].format(p=s.place)) for s in units if s.place != "huyện Pác Nặm"]
    items.append((units[1], "Phòng tổ chức lớp tập huấn chuyển đổi số cho cán bộ cấp xã."))
    paragraphs, _ = render(consolidate(items, population=units))
    assert paragraphs[0].startswith(
        "Phòng VHTT các huyện, thành phố (trừ huyện Pác Nặm) đã chủ động tham mưu UBND cấp huyện")
    assert "Phòng VHTT huyện Pác Nặm tổ chức lớp tập huấn" in paragraphs[0]


def test_a_few_units_are_listed_by_place_kind():
    units = offices()
    items = [(s, "Phòng tổ chức lớp tập huấn chuyển đổi số cho cán bộ cấp xã.") for s in units[:3]]
    items += [(s, "Phòng rà soát hạ tầng đài truyền thanh cơ sở.") for s in units[3:]]
    paragraphs, _ = render(consolidate(items, population=units))
    assert paragraphs == [
        "Phòng VHTT các huyện Pác Nặm, Ba Bể và thành phố Bắc Kạn tổ chức lớp tập huấn chuyển đổi số cho cán "
        "bộ cấp xã. Phòng VHTT các huyện, thành phố (trừ các huyện Pác Nặm, Ba Bể và thành phố Bắc Kạn) rà "
        "soát hạ tầng đài truyền thanh cơ sở."
    ]


def test_numbers_are_kept_per_unit_with_their_total():
    units = offices()
    babe = next(s for s in units if s.place_name == "Ba Bể")
    nari = next(s for s in units if s.place_name == "Na Rì")
    items = [
        (babe, "Đã nâng cấp 5 đài truyền thanh ứng dụng CNTT – viễn thông, bảo đảm phủ sóng các thôn."),
        (nari, "Trong kỳ đã nâng cấp 7 đài truyền thanh ứng dụng CNTT – viễn thông; bảo đảm phủ sóng các thôn."),
    ]
    paragraphs, _ = render(consolidate(items, population=units))
    assert paragraphs == [
        "Phòng VHTT các huyện Ba Bể, Na Rì đã nâng cấp 12 đài truyền thanh ứng dụng CNTT – viễn thông, bảo "
        "đảm phủ sóng các thôn (Ba Bể 5, Na Rì 7)."
    ]


def test_percentages_become_a_range_not_a_sum():
    units = offices()
    items = [(units[2], "Tỷ lệ xã có đài truyền thanh đạt 90%."), (units[7], "Tỷ lệ xã có đài truyền thanh đạt 75%.")]
    paragraphs, _ = render(consolidate(items, population=units))
    assert paragraphs == ["Phòng VHTT các huyện Ba Bể, Na Rì: Tỷ lệ xã có đài truyền thanh đạt từ 75 đến 90% "
                          "(Ba Bể 90%, Na Rì 75%)."]


def test_different_things_stay_apart_and_unit_facts_stay_attributed():
    units = offices()
    items = [(s, SAYINGS[i % 3].format(p=s.place)) for i, s in enumerate(units)]
    items[2] = (units[2], items[2][1] + " Phối hợp tuyên truyền, quảng bá du lịch hồ Ba Bể năm 2022.")
    paragraphs, groups = render(consolidate(items))
    assert len(groups) == 2
    assert len(paragraphs) == 1
    assert paragraphs[0].endswith("Phòng VHTT huyện Ba Bể: Phối hợp tuyên truyền, quảng bá du lịch hồ Ba Bể năm 2022.")


def test_families_sharing_a_collective_are_named_together():
    everyone = offices() + centres()
    naming = name_units(everyone, everyone)
    assert naming.text == "Phòng VHTT, Trung tâm VHTTTT các huyện, thành phố"


def test_kind_collective_for_enterprises():
    firms = [speaker_for(id=i, label=label, kind="enterprise")
             for i, label in enumerate(["Viễn thông Bắc Kạn (VNPT)", "Viettel Bắc Kạn", "Bưu điện tỉnh Bắc Kạn"])]
    items = [(f, f"{f.label} đã thực hiện các nhiệm vụ theo kế hoạch.") for f in firms]
    paragraphs, _ = render(consolidate(items))
    assert paragraphs == ["Các doanh nghiệp đã thực hiện các nhiệm vụ theo kế hoạch."]


def test_diacritics_matter_and_tone_placement_does_not():
    units = offices()
    apart = consolidate([(units[0], "Bà con đồng tình ủng hộ."), (units[1], "Ba con đồng tình ủng hộ.")],
                        population=units)
    assert len(apart.groups) == 2
    same = consolidate([(units[0], "Hoà mạng thêm trạm BTS."), (units[1], "Hòa mạng thêm trạm BTS.")],
                       population=units)
    assert len(same.groups) == 1


def test_same_named_units_are_told_apart_by_id():
    # Two communes called "Xã Tân Thành" in two provinces: each keeps its own sentence.
    a = speaker_for(id=1, label="Xã Tân Thành (tỉnh Thái Nguyên)", kind="commune", area="Tỉnh Thái Nguyên")
    b = speaker_for(id=2, label="Xã Tân Thành (tỉnh Lạng Sơn)", kind="commune", area="Tỉnh Lạng Sơn")
    c = consolidate([(a, "Xã hoàn thành kế hoạch tiêm chủng."), (b, "Xã khánh thành nhà văn hóa thôn Nà Pài.")])
    assert [c.speakers[c.sentences[g[0]].speaker].id for g in c.groups] == [1, 2]


def test_output_is_deterministic_and_survives_json():
    items = [(s, SAYINGS[i % 3].format(p=s.place) + " Đã cung cấp 120 bản tài liệu tuyên truyền.")
             for i, s in enumerate(offices())]
    first = consolidate(items)
    again = consolidate(items)
    assert first.to_dict() == again.to_dict()
    restored = Consolidation.from_dict(first.to_dict())
    assert render(restored)[0] == render(first)[0]


def test_a_partition_chosen_by_the_compiler_renders_its_groups():
    units = offices()
    items = [(s, SAYINGS[0].format(p=s.place)) for s in units[:2]]
    c = consolidate(items, population=units)
    assert c.groups == [[0, 1]]
    split, _ = render(c, [[0], [1]])
    assert split == [
        "Phòng VHTT thành phố Bắc Kạn đã chủ động tham mưu UBND thành phố Bắc Kạn và phối hợp với Sở Thông tin "
        "và Truyền thông quản lý nhà nước về thông tin và truyền thông tại địa phương. Phòng VHTT huyện Pác Nặm "
        "đã chủ động tham mưu UBND huyện Pác Nặm và phối hợp với Sở Thông tin và Truyền thông quản lý nhà nước "
        "về thông tin và truyền thông tại địa phương."
    ]


words = st.sampled_from(["tham mưu", "đài", "truyền thanh", "xã", "12", "chuyển đổi số", "Phòng", "đã",
                         "huyện Ba Bể", "Ba Bể", ";", ".", ",", "5,5%", "1.234", "năm 2022", "UBND"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(words, min_size=0, max_size=25).map(" ".join), min_size=1, max_size=8))
def test_every_sentence_is_in_exactly_one_group(texts):
    units = offices()
    c = consolidate([(units[i % len(units)], t) for i, t in enumerate(texts)])
    flat = sorted(i for g in c.groups for i in g)
    assert flat == list(range(len(c.sentences)))
    render(c)  # renders whatever was written


@settings(max_examples=80, deadline=None)
@given(st.lists(st.text(min_size=0, max_size=120), min_size=1, max_size=6))
def test_any_text_consolidates_without_error(texts):
    units = offices() + centres()
    c = consolidate([(units[i % len(units)], t) for i, t in enumerate(texts)], population=units)
    paragraphs, groups = render(c)
    assert sorted(i for g in c.groups for i in g) == list(range(len(c.sentences)))
    assert all(p.strip() for p in paragraphs)
