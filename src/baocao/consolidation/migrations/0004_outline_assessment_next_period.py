"""The outline's assessment, next-period and closing templates. Saved outlines get the new part
"assessment" (before their closing parts), a title that can speak of the next period (its optional
segment, shown as ReportOutline.next_period_mode says), and the new opening sentence when they kept
the old default one word for word."""

from django.db import migrations, models

NEXT_SEGMENT = "[ và phương hướng, nhiệm vụ {next_period}]"
OLD_DEFAULT_INTRO = (
    "Thực hiện {regime}, {unit} tổng hợp kết quả thực hiện nhiệm vụ {period} trên cơ sở báo cáo "
    "của các đơn vị; số liệu tính từ ngày {window_start} đến ngày {window_end}. "
    "Đã có {approved}/{expected} đơn vị gửi báo cáo được duyệt[; {late} đơn vị gửi chậm]"
    "[; {missing} đơn vị chưa có báo cáo được duyệt]."
)


def forwards(apps, schema_editor):
    ReportOutline = apps.get_model("consolidation", "ReportOutline")
    for outline in ReportOutline.objects.all():
        parts = list(outline.parts or [])
        if parts and "assessment" not in parts:
            at = next((i for i, p in enumerate(parts) if str(p).startswith("closing:")), len(parts))
            parts.insert(at, "assessment")
            outline.parts = parts
        summary = outline.summary_template or ""
        if "{next_period}" not in summary and len(summary) + len(NEXT_SEGMENT) <= 500:
            outline.summary_template = summary + NEXT_SEGMENT
        if outline.intro_template == OLD_DEFAULT_INTRO:
            outline.intro_template = ""
        outline.save(update_fields=["parts", "summary_template", "intro_template"])


class Migration(migrations.Migration):

    dependencies = [
        ('consolidation', '0003_version_header_backfill'),
    ]

    operations = [
        migrations.AddField(
            model_name='reportoutline',
            name='assessment_templates',
            field=models.JSONField(blank=True, default=dict, help_text='{mã câu: mẫu câu}; mã không ghi dùng mẫu mặc định, mẫu rỗng bỏ câu đó.', verbose_name='mẫu câu phần đánh giá chung'),
        ),
        migrations.AddField(
            model_name='reportoutline',
            name='closing_template',
            field=models.TextField(blank=True, default='', help_text='Để trống: «Trên đây là báo cáo {summary} của {unit}./.».', verbose_name='mẫu câu kết thúc'),
        ),
        migrations.AddField(
            model_name='reportoutline',
            name='next_heading_template',
            field=models.CharField(blank=True, default='', help_text='Để trống: «Phương hướng, nhiệm vụ {next_period}».', max_length=300, verbose_name='tiêu đề phần phương hướng, nhiệm vụ'),
        ),
        migrations.AddField(
            model_name='reportoutline',
            name='next_period_mode',
            field=models.CharField(choices=[('auto', 'Tự động (báo cáo 6 tháng đầu năm và báo cáo năm)'), ('always', 'Luôn có'), ('never', 'Không')], default='auto', max_length=10, verbose_name='phương hướng kỳ tới trong trích yếu và đoạn kết'),
        ),
        migrations.AlterField(
            model_name='reportoutline',
            name='intro_template',
            field=models.TextField(blank=True, default='', help_text='Để trống: dùng mẫu mặc định (căn cứ, kỳ báo cáo, thời gian chốt số liệu).', verbose_name='mẫu câu mở đầu'),
        ),
        migrations.AlterField(
            model_name='reportoutline',
            name='summary_template',
            field=models.CharField(default='Kết quả thực hiện {regime} {period}[ và phương hướng, nhiệm vụ {next_period}]', help_text='Dòng trích yếu dưới chữ «BÁO CÁO». Trường dùng được: {regime}, {period}, {period_code}, {unit}, {next_period} (kỳ tới, khi đề cương nói đến phương hướng kỳ tới; đặt trong đoạn tùy chọn […]).', max_length=500, verbose_name='trích yếu'),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
