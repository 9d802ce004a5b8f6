from __future__ import annotations

from django.conf import settings
from django.db import models

from baocao.core.fields import illustrative_field
from baocao.meetings.choices import MeetingKind


class Meeting(models.Model):
    """A review conference (hội nghị sơ kết / tổng kết / chuyên đề) of an organising unit."""

    title = models.CharField("tên hội nghị", max_length=500)
    kind = models.CharField("loại", max_length=20, choices=MeetingKind.choices, default=MeetingKind.MIDYEAR)
    organiser = models.ForeignKey("orgunits.OrgUnit", verbose_name="đơn vị tổ chức", on_delete=models.PROTECT,
                                  related_name="meetings")
    date = models.DateField("ngày")
    start_time = models.TimeField("giờ bắt đầu", null=True, blank=True)
    place = models.CharField("địa điểm", max_length=300, blank=True)
    chair_name = models.CharField("người chủ trì", max_length=150, blank=True)
    chair_title = models.CharField("chức vụ người chủ trì", max_length=150, blank=True)
    secretary_name = models.CharField("thư ký", max_length=150, blank=True,
                                      help_text="Người ghi biên bản; ký cạnh người chủ trì")
    secretary_title = models.CharField("chức vụ thư ký", max_length=150, blank=True)
    regime = models.ForeignKey("reporting.ReportingRegime", verbose_name="chế độ báo cáo", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    period = models.CharField("kỳ báo cáo", max_length=12, blank=True)
    next_period = models.CharField("kỳ tiếp theo", max_length=12, blank=True)
    summary = models.TextField("ghi chú", blank=True)
    article = models.JSONField("bài viết (bản sửa)", default=dict, blank=True)
    article_author = models.CharField("tác giả bài viết", max_length=150, blank=True,
                                      help_text="Ký cuối bài viết; để trống thì ghi người lập hội nghị")
    illustrative = illustrative_field()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "hội nghị"
        verbose_name_plural = "hội nghị"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.title


class Attendee(models.Model):
    """An attending unit and/or person (with title)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    unit = models.ForeignKey("orgunits.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey("orgunits.OrgUnitGroup", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", help_text="Cả nhóm đơn vị, ví dụ các doanh nghiệp viễn thông")
    person_name = models.CharField("họ tên", max_length=150, blank=True)
    person_title = models.CharField("chức vụ", max_length=150, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.person_name or (self.unit.name if self.unit else self.group.name if self.group else "")


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField("nội dung", max_length=500)
    presenter_name = models.CharField("người trình bày", max_length=150, blank=True)
    presenter_title = models.CharField("chức vụ", max_length=150, blank=True)
    report_version = models.ForeignKey("consolidation.ReportVersion", verbose_name="báo cáo trình bày",
                                       null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class Opinion(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="opinions")
    order = models.PositiveSmallIntegerField(default=0)
    speaker_name = models.CharField("người phát biểu", max_length=150, blank=True)
    speaker_title = models.CharField("chức vụ", max_length=150, blank=True)
    unit = models.ForeignKey("orgunits.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    topic = models.CharField("chủ đề", max_length=300, blank=True)
    summary = models.TextField("tóm tắt ý kiến")

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.topic or self.summary[:60]


class Conclusion(models.Model):
    """A conclusion of the chair; turned into next period's tasks (work.Task.conclusion)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="conclusions")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField("nội dung kết luận")
    sector = models.ForeignKey("reporting.Sector", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text[:80]
