"""Seed the default legal time limits (BRIEF §4) into TimeLimitRule.

The values are literals on purpose: a migration must give the same result whenever it runs, so it
does not import baocao.cases.limits.DEFAULT_RULES, which may change. A test checks that the two
agree today. Rows already present (same kind, step and round) are left as the admin set them;
going back removes only the rows still holding these defaults.
"""

from django.db import migrations

FIELDS = (
    "kind", "step", "round", "day_type", "days", "complex_days", "remote_days", "remote_complex_days",
    "counted_from", "max_extensions", "legal_basis",
)

DEFAULTS = (
    ("complaint", "acceptance", 0, "working", 10, None, None, None, "received", 0,
     "Luật Khiếu nại 2011, Điều 27 (lần đầu) và Điều 36 (lần hai): thụ lý trong 10 ngày "
     "kể từ ngày nhận khiếu nại; Nghị định 124/2020/NĐ-CP: tính theo ngày làm việc"),
    ("complaint", "resolution", 1, "calendar", 30, 45, 45, 60, "accepted", 0,
     "Luật Khiếu nại 2011, Điều 28: giải quyết lần đầu không quá 30 ngày kể từ ngày thụ lý "
     "(phức tạp 45; vùng sâu, vùng xa 45; vùng sâu, vùng xa và phức tạp 60)"),
    ("complaint", "resolution", 2, "calendar", 45, 60, 60, 70, "accepted", 0,
     "Luật Khiếu nại 2011, Điều 37: giải quyết lần hai không quá 45 ngày kể từ ngày thụ lý "
     "(phức tạp 60; vùng sâu, vùng xa 60; vùng sâu, vùng xa và phức tạp 70)"),
    ("complaint", "lodging", 1, "calendar", 90, None, None, None, "received", 0,
     "Luật Khiếu nại 2011, Điều 9: thời hiệu khiếu nại 90 ngày kể từ ngày nhận được quyết định "
     "hành chính hoặc biết được hành vi hành chính"),
    ("complaint", "lodging", 2, "calendar", 30, None, 45, None, "received", 0,
     "Luật Khiếu nại 2011, Điều 33: khiếu nại lần hai trong 30 ngày kể từ ngày hết thời hạn "
     "giải quyết hoặc nhận quyết định giải quyết lần đầu (vùng sâu, vùng xa không quá 45 ngày)"),
    ("denunciation", "acceptance", 0, "working", 7, 10, None, None, "received", 0,
     "Luật Tố cáo 2018, Điều 24: vào sổ, phân loại, xử lý ban đầu trong 07 ngày làm việc kể từ "
     "ngày nhận tố cáo; 10 ngày làm việc khi phải xác minh"),
    ("denunciation", "resolution", 0, "calendar", 30, None, None, None, "accepted", 2,
     "Luật Tố cáo 2018, Điều 30: giải quyết không quá 30 ngày kể từ ngày thụ lý; vụ việc phức "
     "tạp gia hạn một lần, đặc biệt phức tạp hai lần, mỗi lần không quá 30 ngày"),
    ("denunciation", "extension", 0, "calendar", 30, None, None, None, "accepted", 2,
     "Luật Tố cáo 2018, Điều 30: mỗi lần gia hạn không quá 30 ngày, quyết định bằng văn bản"),
    ("petition", "acceptance", 0, "working", 10, None, None, None, "received", 0,
     "Luật Tiếp công dân 2013, Điều 28: trả lời việc thụ lý, không thụ lý hoặc chuyển đơn "
     "trong 10 ngày làm việc kể từ ngày nhận kiến nghị, phản ánh"),
    ("inspection", "resolution", 0, "calendar", 30, None, 45, None, "accepted", 0,
     "Luật Thanh tra 2010, Điều 45: cuộc thanh tra của Thanh tra sở không quá 30 ngày (miền núi, "
     "vùng sâu, vùng xa 45 ngày) kể từ ngày công bố quyết định thanh tra; từ 01/7/2023 đối "
     "chiếu Luật Thanh tra 2022"),
)


def seed(apps, schema_editor):
    TimeLimitRule = apps.get_model("cases", "TimeLimitRule")
    for values in DEFAULTS:
        row = dict(zip(FIELDS, values, strict=True))
        key = {name: row.pop(name) for name in ("kind", "step", "round")}
        TimeLimitRule.objects.get_or_create(**key, defaults=row)


def unseed(apps, schema_editor):
    TimeLimitRule = apps.get_model("cases", "TimeLimitRule")
    for values in DEFAULTS:
        TimeLimitRule.objects.filter(**dict(zip(FIELDS, values, strict=True))).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
    ]
