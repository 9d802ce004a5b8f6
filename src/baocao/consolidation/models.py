from __future__ import annotations

from django.conf import settings
from django.db import models

from baocao.consolidation.choices import NextPeriodMode, VersionStatus
from baocao.consolidation.templates import DEFAULT_SUMMARY


class ReportOutline(models.Model):
    """How a regime's consolidated report reads: order of parts, headings, sentence templates,
    the document header, recipients and signer. Data, editable by the admin, validated on save."""

    regime = models.OneToOneField("reporting.ReportingRegime", on_delete=models.CASCADE, related_name="report_outline")
    summary_template = models.CharField(
        "trích yếu", max_length=500,
        default=DEFAULT_SUMMARY,
        help_text="Dòng trích yếu dưới chữ «BÁO CÁO». Trường dùng được: {regime}, {period}, {period_code}, {unit}, "
                  "{next_period} (kỳ tới, khi đề cương nói đến phương hướng kỳ tới; đặt trong đoạn tùy chọn […]).",
    )
    next_period_mode = models.CharField(
        "phương hướng kỳ tới trong trích yếu và đoạn kết", max_length=10, choices=NextPeriodMode.choices,
        default=NextPeriodMode.AUTO,
    )
    intro_template = models.TextField("mẫu câu mở đầu", blank=True, default="",
                                      help_text="Để trống: dùng mẫu mặc định (căn cứ, kỳ báo cáo, thời gian chốt số liệu).")
    indicator_template = models.TextField("mẫu câu cho mỗi chỉ tiêu", blank=True, default="")
    indicator_templates = models.JSONField("mẫu câu riêng theo chỉ tiêu", default=dict, blank=True)
    assessment_templates = models.JSONField(
        "mẫu câu phần đánh giá chung", default=dict, blank=True,
        help_text="{mã câu: mẫu câu}; mã không ghi dùng mẫu mặc định, mẫu rỗng bỏ câu đó.",
    )
    next_heading_template = models.CharField("tiêu đề phần phương hướng, nhiệm vụ", max_length=300, blank=True,
                                             default="", help_text="Để trống: «Phương hướng, nhiệm vụ {next_period}».")
    closing_template = models.TextField("mẫu câu kết thúc", blank=True, default="",
                                        help_text="Để trống: «Trên đây là báo cáo {summary} của {unit}./.».")
    grouping_rules = models.JSONField(
        "cách gộp câu của các đơn vị", default=dict, blank=True,
        help_text="Ghi đè consolidation/data/grouping.json, ví dụ {\"similarity\": 0.6, \"max_listed\": 12}; "
                  "để trống dùng mặc định.",
    )
    parts = models.JSONField("thứ tự các phần", default=list, blank=True,
                             help_text='Ví dụ: ["intro", "section:I", "closing:difficulties", "units"]')
    headings = models.JSONField("tiêu đề các phần", default=dict, blank=True)
    key_indicators = models.JSONField("chỉ tiêu chính theo phần", default=dict, blank=True)
    # The letterhead, place, recipients, archive and signer's titles below are per-regime overrides:
    # a field left empty takes the issuing unit's IssuerProfile valid on the document's date.
    parent_body = models.CharField("cơ quan chủ quản", max_length=200, blank=True, default="")
    issuer_name = models.CharField("cơ quan ban hành", max_length=200, blank=True, default="")
    issuer_code = models.CharField("ký hiệu cơ quan", max_length=30, blank=True, default="")
    type_code = models.CharField("loại văn bản", max_length=10, default="BC")
    place = models.CharField("địa danh", max_length=100, blank=True, default="")
    recipients = models.JSONField("nơi nhận", default=list, blank=True)
    archive = models.CharField("lưu", max_length=100, blank=True, default="")
    signer_authority = models.CharField("quyền hạn ký", max_length=60, blank=True, default="")
    signer_title = models.CharField("chức vụ người ký", max_length=60, blank=True, default="")
    signer_name = models.CharField("họ tên người ký", max_length=100, blank=True, default="")

    class Meta:
        verbose_name = "đề cương báo cáo tổng hợp"
        verbose_name_plural = "đề cương báo cáo tổng hợp"

    def __str__(self) -> str:
        return f"Đề cương {self.regime.code}"


class Target(models.Model):
    """A planned value (chỉ tiêu kế hoạch) of an indicator for a unit and a year."""

    unit = models.ForeignKey("orgunits.OrgUnit", verbose_name="đơn vị", on_delete=models.PROTECT,
                             related_name="targets")
    year = models.PositiveSmallIntegerField("năm")
    indicator_code = models.CharField("mã chỉ tiêu", max_length=60)
    value = models.DecimalField("giá trị kế hoạch", max_digits=24, decimal_places=6)
    note = models.CharField("ghi chú", max_length=300, blank=True)

    class Meta:
        verbose_name = "chỉ tiêu kế hoạch"
        verbose_name_plural = "chỉ tiêu kế hoạch"
        constraints = [models.UniqueConstraint(fields=["unit", "year", "indicator_code"], name="target_unique")]
        ordering = ["unit", "year", "indicator_code"]

    def __str__(self) -> str:
        return f"{self.indicator_code} {self.year}: {self.value}"


class ConsolidatedReport(models.Model):
    """The receiving unit's consolidated report for a regime and period; its content is in versions."""

    regime = models.ForeignKey("reporting.ReportingRegime", on_delete=models.PROTECT, related_name="+")
    period = models.CharField("kỳ báo cáo", max_length=12)
    unit = models.ForeignKey("orgunits.OrgUnit", verbose_name="đơn vị tổng hợp", on_delete=models.PROTECT,
                             related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "báo cáo tổng hợp"
        verbose_name_plural = "báo cáo tổng hợp"
        constraints = [models.UniqueConstraint(fields=["regime", "period", "unit"], name="consolidated_unique")]

    def __str__(self) -> str:
        return f"{self.regime.code} {self.period} {self.unit.code}"


class ReportVersion(models.Model):
    """One saved state of a consolidated report: the composed figures (JSON) and the compiler's
    text edits per part. An approved version is frozen, with its document number."""

    report = models.ForeignKey(ConsolidatedReport, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("phiên bản")
    status = models.CharField("trạng thái", max_length=10, choices=VersionStatus.choices,
                              default=VersionStatus.DRAFT)
    composed = models.JSONField("nội dung tổng hợp")
    edits = models.JSONField("nội dung đã sửa", default=dict, blank=True)
    changes = models.JSONField("số liệu thay đổi khi tính lại", default=list, blank=True)
    note = models.CharField("ghi chú", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    doc_number = models.PositiveIntegerField("số văn bản", null=True, blank=True)
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    # The letterhead as issued (consolidation.issuers.Letterhead.to_dict), frozen at approval so that
    # later edits of the issuer's profile or the outline never change a reprint.
    header = models.JSONField("tiêu đề văn bản khi ban hành", default=dict, blank=True)
    # The review cycle: the compiler sends a version to the leader (pending), who approves it or
    # returns it with a comment (returned); the compiler edits and sends a new version.
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    sent_at = models.DateTimeField("trình lúc", null=True, blank=True)
    return_comment = models.TextField("ý kiến khi trả lại", blank=True, default="")
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    returned_at = models.DateTimeField("trả lại lúc", null=True, blank=True)
    # Set when a unit's report this version counted was reopened after approval: its figures no
    # longer match the units' approved data (recompute to refresh them).
    outdated_at = models.DateTimeField("không còn khớp số liệu từ", null=True, blank=True)
    outdated_reason = models.TextField("lý do không còn khớp số liệu", blank=True, default="")

    class Meta:
        verbose_name = "phiên bản báo cáo tổng hợp"
        verbose_name_plural = "phiên bản báo cáo tổng hợp"
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="report_version_unique")]
        ordering = ["report", "number"]

    def __str__(self) -> str:
        return f"{self.report} v{self.number}"


class DocumentNumberRegister(models.Model):
    """The per-unit, per-year, per-type register of outgoing document numbers (sổ văn bản đi)."""

    unit = models.ForeignKey("orgunits.OrgUnit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    type_code = models.CharField(max_length=10)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "sổ đăng ký văn bản đi"
        verbose_name_plural = "sổ đăng ký văn bản đi"
        constraints = [models.UniqueConstraint(fields=["unit", "year", "type_code"], name="doc_register_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year} {self.type_code}: {self.last_number}"


class IssuerProfile(models.Model):
    """The issuing unit's identity on the documents it signs, valid from a date (to a date, or open):
    the letterhead, the place of the date line, the signer's titles, the recipients and the archive.
    At most one profile of a unit is valid on any date (consolidation.issuers refuses overlaps)."""

    unit = models.ForeignKey("orgunits.OrgUnit", verbose_name="đơn vị", on_delete=models.PROTECT,
                             related_name="issuer_profiles")
    valid_from = models.DateField("áp dụng từ ngày")
    valid_to = models.DateField("đến hết ngày", null=True, blank=True)
    parent_body = models.CharField("cơ quan chủ quản", max_length=200, blank=True, default="")
    agency_name = models.CharField("tên cơ quan ban hành", max_length=200)
    agency_code = models.CharField("ký hiệu cơ quan", max_length=30)
    place_name = models.CharField("địa danh", max_length=100, blank=True, default="")
    signer_authority = models.CharField("quyền hạn ký", max_length=60, blank=True, default="",
                                        help_text="Ví dụ: KT. GIÁM ĐỐC (để trống khi người đứng đầu ký).")
    signer_title = models.CharField("chức vụ người ký", max_length=60, blank=True, default="")
    recipients = models.JSONField("nơi nhận mặc định", default=list, blank=True)
    archive = models.CharField("lưu", max_length=100, blank=True, default="VT")

    class Meta:
        verbose_name = "thông tin cơ quan ban hành"
        verbose_name_plural = "thông tin cơ quan ban hành"
        ordering = ["unit", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "valid_from"], name="issuer_profile_unique_start"),
            models.CheckConstraint(condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=models.F("valid_from")),
                                   name="issuer_profile_dates"),
        ]

    def __str__(self) -> str:
        end = self.valid_to.isoformat() if self.valid_to else "nay"
        return f"{self.agency_name} ({self.valid_from.isoformat()} – {end})"
