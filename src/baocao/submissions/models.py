from __future__ import annotations

from django.conf import settings
from django.db import models

from baocao.core.fields import illustrative_field
from baocao.submissions.choices import SubmissionStatus


class Submission(models.Model):
    """A unit's report for one regime and period (báo cáo của đơn vị).

    Draft -> submitted -> approved, or submitted -> returned (with a comment) -> submitted again.
    `version` counts saves; each value remembers the version that last changed it, which is how
    concurrent editors are told about conflicts instead of overwriting each other.
    """

    regime = models.ForeignKey("reporting.ReportingRegime", verbose_name="chế độ báo cáo",
                               on_delete=models.PROTECT, related_name="submissions")
    period = models.CharField("kỳ báo cáo", max_length=12, db_index=True)
    unit = models.ForeignKey("orgunits.OrgUnit", verbose_name="đơn vị", on_delete=models.PROTECT,
                             related_name="submissions")
    form_version = models.ForeignKey("reporting.FormVersion", verbose_name="phiên bản biểu mẫu",
                                     on_delete=models.PROTECT, related_name="submissions")
    status = models.CharField("trạng thái", max_length=20, choices=SubmissionStatus.choices,
                              default=SubmissionStatus.DRAFT, db_index=True)
    version = models.PositiveIntegerField("phiên bản lưu", default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    first_submitted_at = models.DateTimeField("gửi lần đầu", null=True, blank=True)
    submitted_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    reviewed_at = models.DateTimeField("xem xét lúc", null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    return_comment = models.TextField("lý do trả lại", blank=True)
    note = models.TextField("ghi chú", blank=True, help_text="Ví dụ: số liệu minh họa")
    illustrative = illustrative_field()

    class Meta:
        verbose_name = "báo cáo của đơn vị"
        verbose_name_plural = "báo cáo của đơn vị"
        constraints = [
            models.UniqueConstraint(fields=["regime", "period", "unit"], name="submission_unique_per_unit_period")
        ]
        indexes = [models.Index(fields=["regime", "period", "status"])]

    def __str__(self) -> str:
        return f"{self.regime.code} {self.period} {self.unit.code}"


class SubmissionValue(models.Model):
    """One indicator value of a submission. Numbers in `number`, text answers in `text`."""

    # No single-column indexes on the two keys: the unique (submission, indicator) index serves every
    # read by submission, and an index on indicator alone would only serve the PROTECT check when a
    # draft form version's indicator is deleted, while costing a third of every bulk import.
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="values", db_index=False)
    indicator = models.ForeignKey("reporting.Indicator", on_delete=models.PROTECT, related_name="+", db_index=False)
    number = models.DecimalField(max_digits=24, decimal_places=6, null=True, blank=True)
    text = models.TextField(blank=True)
    changed_version = models.PositiveIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["submission", "indicator"], name="value_unique")]

    def __str__(self) -> str:
        return f"{self.submission_id}:{self.indicator_id}={self.number if self.text == '' else self.text}"


class SubmissionNarrative(models.Model):
    """The text of one narrative field of a submission."""

    # Indexed by the unique (submission, field) index only, as values are.
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="narratives", db_index=False)
    field = models.ForeignKey("reporting.NarrativeField", on_delete=models.PROTECT, related_name="+", db_index=False)
    text = models.TextField(blank=True)
    changed_version = models.PositiveIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["submission", "field"], name="narrative_unique")]

    def __str__(self) -> str:
        return f"{self.submission_id}:{self.field_id}"


class SubmissionReminder(models.Model):
    """A reminder sent to a unit that has not sent its report of a regime's period (the monitoring
    page's «Nhắc»). One a day at most per regime, period and unit (Vietnam's day): the unique
    constraint keeps it so even for two clicks at once."""

    regime = models.ForeignKey("reporting.ReportingRegime", on_delete=models.CASCADE, related_name="+")
    period = models.CharField("kỳ báo cáo", max_length=12)
    unit = models.ForeignKey("orgunits.OrgUnit", verbose_name="đơn vị", on_delete=models.CASCADE, related_name="+")
    day = models.DateField("ngày nhắc")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "lần nhắc gửi báo cáo"
        verbose_name_plural = "các lần nhắc gửi báo cáo"
        constraints = [models.UniqueConstraint(fields=["regime", "period", "unit", "day"],
                                               name="reminder_once_a_day")]

    def __str__(self) -> str:
        return f"{self.regime_id} {self.period} {self.unit_id} {self.day}"
