from __future__ import annotations

from django.db import models

from baocao.reporting.choices import (
    Aggregation,
    FormVersionStatus,
    NarrativeKind,
    SendingMethod,
    Severity,
    ValueType,
)
from baocao.reporting.periods import (
    DECREE09_CUTOFF,
    CutoffRule,
    DeadlineRule,
    Frequency,
    deadline_rules_from_json,
)


class Sector(models.Model):
    """A field of state management (lĩnh vực); the outline sections of the report follow sectors."""

    code = models.CharField("mã", max_length=40, unique=True)
    name = models.CharField("tên lĩnh vực", max_length=255)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "lĩnh vực"
        verbose_name_plural = "lĩnh vực"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Form(models.Model):
    """A report form (biểu mẫu / đề cương). Its content lives in immutable published versions."""

    code = models.CharField("mã", max_length=40, unique=True)
    name = models.CharField("tên biểu mẫu", max_length=255)
    owner = models.ForeignKey("orgunits.OrgUnit", verbose_name="đơn vị ban hành", on_delete=models.PROTECT)

    class Meta:
        verbose_name = "biểu mẫu"
        verbose_name_plural = "biểu mẫu"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def current_version(self) -> FormVersion | None:
        return self.versions.filter(status=FormVersionStatus.PUBLISHED).order_by("-number").first()


class FormVersion(models.Model):
    """One version of a form. Published versions are never edited: a change makes a new version,
    and every submission keeps the version it was made on."""

    form = models.ForeignKey(Form, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("phiên bản")
    status = models.CharField("trạng thái", max_length=20, choices=FormVersionStatus.choices,
                              default=FormVersionStatus.DRAFT)
    published_at = models.DateTimeField("ngày ban hành", null=True, blank=True)
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "phiên bản biểu mẫu"
        verbose_name_plural = "phiên bản biểu mẫu"
        constraints = [models.UniqueConstraint(fields=["form", "number"], name="form_version_unique")]
        ordering = ["form", "number"]

    def __str__(self) -> str:
        return f"{self.form.code} v{self.number}"

    @property
    def is_editable(self) -> bool:
        return self.status == FormVersionStatus.DRAFT


class FormSection(models.Model):
    """A section of a form version, normally one per sector, e.g. "I. Thông tin – Báo chí – Xuất bản"."""

    form_version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="sections")
    code = models.CharField("mã", max_length=40)
    title = models.CharField("tiêu đề", max_length=255)
    sector = models.ForeignKey(Sector, verbose_name="lĩnh vực", null=True, blank=True, on_delete=models.PROTECT)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "phần của biểu mẫu"
        verbose_name_plural = "phần của biểu mẫu"
        constraints = [models.UniqueConstraint(fields=["form_version", "code"], name="form_section_unique")]
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class Indicator(models.Model):
    """A figure units report (chỉ tiêu): code, unit of measure, value type, aggregation, range."""

    section = models.ForeignKey(FormSection, on_delete=models.CASCADE, related_name="indicators")
    form_version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField("mã", max_length=60)
    name = models.CharField("tên chỉ tiêu", max_length=400)
    unit_of_measure = models.CharField("đơn vị tính", max_length=60, blank=True)
    value_type = models.CharField("kiểu giá trị", max_length=20, choices=ValueType.choices, default=ValueType.INTEGER)
    aggregation = models.CharField("cách tổng hợp", max_length=20, choices=Aggregation.choices,
                                   default=Aggregation.SUM)
    min_value = models.DecimalField("giá trị nhỏ nhất", max_digits=20, decimal_places=4, null=True, blank=True)
    max_value = models.DecimalField("giá trị lớn nhất", max_digits=20, decimal_places=4, null=True, blank=True)
    required = models.BooleanField("bắt buộc", default=False)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)
    help_text = models.TextField("hướng dẫn", blank=True)

    class Meta:
        verbose_name = "chỉ tiêu"
        verbose_name_plural = "chỉ tiêu"
        constraints = [models.UniqueConstraint(fields=["form_version", "code"], name="indicator_code_unique")]
        ordering = ["section__order", "order", "id"]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    @property
    def is_numeric(self) -> bool:
        return self.value_type in (ValueType.INTEGER, ValueType.DECIMAL, ValueType.PERCENT, ValueType.YES_NO)


class NarrativeField(models.Model):
    """A free-text part of a section: results, difficulties, proposals, next-period tasks."""

    section = models.ForeignKey(FormSection, on_delete=models.CASCADE, related_name="narratives")
    form_version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="narratives")
    code = models.CharField("mã", max_length=60)
    kind = models.CharField("loại nội dung", max_length=20, choices=NarrativeKind.choices)
    label = models.CharField("nhãn", max_length=255)
    required = models.BooleanField("bắt buộc", default=False)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "nội dung thuyết minh"
        verbose_name_plural = "nội dung thuyết minh"
        constraints = [models.UniqueConstraint(fields=["form_version", "code"], name="narrative_code_unique")]
        ordering = ["section__order", "order", "id"]

    def __str__(self) -> str:
        return self.label


class ValidationRule(models.Model):
    """A check over a form's indicators, e.g. `PET_RESOLVED <= PET_RECEIVED`, parsed safely."""

    form_version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="rules")
    code = models.CharField("mã", max_length=60)
    expression = models.CharField("biểu thức", max_length=2000)
    severity = models.CharField("mức độ", max_length=10, choices=Severity.choices, default=Severity.ERROR)
    message = models.CharField("thông báo", max_length=500)

    class Meta:
        verbose_name = "quy tắc kiểm tra"
        verbose_name_plural = "quy tắc kiểm tra"
        constraints = [models.UniqueConstraint(fields=["form_version", "code"], name="rule_code_unique")]
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.code}: {self.expression}"


class ReportingRegime(models.Model):
    """A reporting regime (chế độ báo cáo) with the items Decree 09/2019/NĐ-CP Art. 7 requires:
    name, content, reporting entities, receiving agency, sending method, cut-off, deadline,
    frequency and the outline/form."""

    code = models.CharField("mã", max_length=40, unique=True)
    name = models.CharField("tên báo cáo", max_length=400)
    legal_basis = models.TextField("căn cứ pháp lý", blank=True)
    content = models.TextField("nội dung yêu cầu báo cáo", blank=True)
    receiving_unit = models.ForeignKey("orgunits.OrgUnit", verbose_name="cơ quan nhận báo cáo",
                                       on_delete=models.PROTECT, related_name="received_regimes")
    reporting_units = models.ManyToManyField("orgunits.OrgUnit", verbose_name="đơn vị báo cáo", blank=True,
                                             related_name="reporting_regimes")
    reporting_groups = models.ManyToManyField("orgunits.OrgUnitGroup", verbose_name="nhóm đơn vị báo cáo",
                                              blank=True, related_name="reporting_regimes")
    method = models.CharField("phương thức gửi", max_length=30, choices=SendingMethod.choices,
                              default=SendingMethod.SYSTEM)
    frequencies = models.JSONField("tần suất", default=list,
                                   help_text="Danh sách: monthly, quarterly, six_month, nine_month, annual, ad_hoc")
    cutoff_start_day = models.PositiveSmallIntegerField("ngày bắt đầu chốt số liệu", default=15)
    cutoff_end_day = models.PositiveSmallIntegerField("ngày kết thúc chốt số liệu", default=14,
                                                      help_text="0 = hết tháng dương lịch")
    deadline_rules = models.JSONField("thời hạn gửi", default=dict,
                                      help_text='Ví dụ: {"six_month": {"month_offset": 0, "day": 20}}')
    form = models.ForeignKey(Form, verbose_name="biểu mẫu", on_delete=models.PROTECT, related_name="regimes")
    outline = models.TextField("đề cương báo cáo", blank=True)
    is_active = models.BooleanField("đang áp dụng", default=True)

    class Meta:
        verbose_name = "chế độ báo cáo"
        verbose_name_plural = "chế độ báo cáo"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from baocao.reporting.periods import PeriodError

        errors = {}
        try:
            CutoffRule(start_day=self.cutoff_start_day, end_day=self.cutoff_end_day)
        except PeriodError as exc:
            errors["cutoff_start_day"] = str(exc)
        try:
            deadline_rules_from_json(self.deadline_rules or {})
        except PeriodError as exc:
            errors["deadline_rules"] = str(exc)
        unknown = [f for f in (self.frequencies or []) if f not in set(Frequency)]
        if unknown or not isinstance(self.frequencies, list):
            errors["frequencies"] = f"Tần suất không hợp lệ: {', '.join(map(str, unknown))}."
        if errors:
            raise ValidationError(errors)

    @property
    def frequency_set(self) -> set[Frequency]:
        return {Frequency(f) for f in self.frequencies}

    @property
    def cutoff_rule(self) -> CutoffRule:
        if (self.cutoff_start_day, self.cutoff_end_day) == (15, 14):
            return DECREE09_CUTOFF
        return CutoffRule(start_day=self.cutoff_start_day, end_day=self.cutoff_end_day)

    @property
    def deadline_rule_map(self) -> dict[Frequency, DeadlineRule]:
        return deadline_rules_from_json(self.deadline_rules or {})
