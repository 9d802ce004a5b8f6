from __future__ import annotations

from django.conf import settings
from django.db import models

from baocao.cases.choices import CaseKind, CaseMetric, CaseStatus, Channel, DayType, LimitStep
from baocao.core.fields import illustrative_field


class TimeLimitRule(models.Model):
    """A legal time limit as data (BRIEF §4), editable by the admin, with its legal basis.

    `days` applies to an ordinary case; `complex_days`, `remote_days` and `remote_complex_days`
    are the allowances for complex cases, remote areas, and both. `round` distinguishes a first
    (1) and second (2) complaint; 0 means any.
    """

    kind = models.CharField("loại vụ việc", max_length=20, choices=CaseKind.choices)
    step = models.CharField("bước", max_length=20, choices=LimitStep.choices)
    round = models.PositiveSmallIntegerField("lần giải quyết", default=0)
    day_type = models.CharField("cách tính", max_length=10, choices=DayType.choices, default=DayType.CALENDAR)
    days = models.PositiveSmallIntegerField("số ngày")
    complex_days = models.PositiveSmallIntegerField("vụ việc phức tạp", null=True, blank=True)
    remote_days = models.PositiveSmallIntegerField("vùng sâu, vùng xa", null=True, blank=True)
    remote_complex_days = models.PositiveSmallIntegerField("vùng sâu, vùng xa và phức tạp", null=True, blank=True)
    counted_from = models.CharField("tính từ", max_length=20, default="received",
                                    help_text="received (ngày nhận) hoặc accepted (ngày thụ lý)")
    max_extensions = models.PositiveSmallIntegerField("số lần gia hạn tối đa", default=0)
    legal_basis = models.CharField("căn cứ pháp lý", max_length=300)

    class Meta:
        verbose_name = "thời hạn theo luật"
        verbose_name_plural = "thời hạn theo luật"
        constraints = [models.UniqueConstraint(fields=["kind", "step", "round"], name="time_limit_unique")]
        ordering = ["kind", "round", "step"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.get_step_display()}: {self.days} {self.get_day_type_display()}"


class Case(models.Model):
    """An inspection, check, complaint, denunciation, petition or misinformation item.

    For a denunciation the denunciator's identity (`submitter_name`, `submitter_contact`) is
    confidential: only the inspectorate role may see it (Law on Denunciations 2018)."""

    owner = models.ForeignKey("orgunits.OrgUnit", verbose_name="đơn vị quản lý", on_delete=models.PROTECT,
                              related_name="cases")
    kind = models.CharField("loại", max_length=20, choices=CaseKind.choices)
    complaint_round = models.PositiveSmallIntegerField("lần khiếu nại", default=1)
    code = models.CharField("số hồ sơ", max_length=40, blank=True)
    received_on = models.DateField("ngày nhận / ngày bắt đầu")
    channel = models.CharField("nguồn", max_length=20, choices=Channel.choices, default=Channel.DIRECT)
    submitter_name = models.CharField("người gửi", max_length=200, blank=True)
    submitter_contact = models.CharField("địa chỉ, liên hệ người gửi", max_length=300, blank=True)
    subject_org = models.CharField("đối tượng", max_length=300, blank=True)
    sector = models.ForeignKey("reporting.Sector", verbose_name="lĩnh vực", null=True, blank=True,
                               on_delete=models.PROTECT)
    summary = models.TextField("nội dung")
    assigned_unit = models.ForeignKey("orgunits.OrgUnit", verbose_name="đơn vị được giao", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="assigned_cases")
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="cán bộ thụ lý", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    is_complex = models.BooleanField("vụ việc phức tạp", default=False)
    is_remote = models.BooleanField("vùng sâu, vùng xa", default=False)
    accepted_on = models.DateField("ngày thụ lý", null=True, blank=True)
    status = models.CharField("trạng thái", max_length=20, choices=CaseStatus.choices, default=CaseStatus.RECEIVED)
    resolved_on = models.DateField("ngày giải quyết / kết thúc", null=True, blank=True)
    conclusion = models.TextField("kết luận, kết quả", blank=True)
    sanction_decisions = models.PositiveIntegerField("số quyết định xử phạt", default=0)
    sanction_amount = models.DecimalField("số tiền xử phạt (đồng)", max_digits=18, decimal_places=0, default=0)
    corrective_measures = models.TextField("biện pháp khắc phục", blank=True)
    note = models.CharField("ghi chú", max_length=300, blank=True, help_text="Ví dụ: số liệu minh họa")
    illustrative = illustrative_field()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "vụ việc"
        verbose_name_plural = "vụ việc"
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["owner", "kind", "received_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.code or self.pk}"


class CaseExtension(models.Model):
    """A decided extension of the resolution time limit (denunciations: once or twice, in writing)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extensions")
    decision_number = models.CharField("số quyết định gia hạn", max_length=60)
    decided_on = models.DateField("ngày quyết định")
    days = models.PositiveSmallIntegerField("số ngày gia hạn")
    reason = models.TextField("lý do", blank=True)

    class Meta:
        ordering = ["decided_on", "id"]

    def __str__(self) -> str:
        return f"{self.decision_number} (+{self.days})"


class CaseAttachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("tệp", upload_to="cases/%Y/")
    title = models.CharField("tên tài liệu", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.title or self.file.name or ""


class CaseIndicator(models.Model):
    """Which indicator of a regime's form a case metric fills in the consolidated report."""

    regime = models.ForeignKey("reporting.ReportingRegime", on_delete=models.CASCADE, related_name="case_indicators")
    indicator_code = models.CharField("mã chỉ tiêu", max_length=60)
    metric = models.CharField("số liệu từ sổ vụ việc", max_length=40, choices=CaseMetric.choices)

    class Meta:
        verbose_name = "chỉ tiêu lấy từ sổ vụ việc"
        verbose_name_plural = "chỉ tiêu lấy từ sổ vụ việc"
        constraints = [models.UniqueConstraint(fields=["regime", "indicator_code"], name="case_indicator_unique")]

    def __str__(self) -> str:
        return f"{self.indicator_code} ← {self.metric}"
