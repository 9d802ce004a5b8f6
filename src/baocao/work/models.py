from __future__ import annotations

from django.conf import settings
from django.db import models

from baocao.core.fields import illustrative_field
from baocao.work.choices import PlanKind, Recurrence


class Plan(models.Model):
    """A plan, scheme, programme, directive or conference conclusion whose tasks are tracked."""

    kind = models.CharField("loại", max_length=20, choices=PlanKind.choices, default=PlanKind.PLAN)
    number = models.CharField("số, ký hiệu", max_length=60, blank=True, help_text="Ví dụ: 45/KH-UBND")
    issuer = models.ForeignKey("orgunits.OrgUnit", verbose_name="cơ quan ban hành", on_delete=models.PROTECT,
                               related_name="issued_plans")
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    title = models.CharField("trích yếu", max_length=500)
    sector = models.ForeignKey("reporting.Sector", verbose_name="lĩnh vực", null=True, blank=True,
                               on_delete=models.PROTECT)
    year_from = models.PositiveSmallIntegerField("hiệu lực từ năm", null=True, blank=True)
    year_to = models.PositiveSmallIntegerField("hiệu lực đến năm", null=True, blank=True)
    attachment = models.FileField("tệp đính kèm", upload_to="plans/%Y/", blank=True)
    owner = models.ForeignKey("orgunits.OrgUnit", verbose_name="đơn vị theo dõi", on_delete=models.PROTECT,
                              related_name="tracked_plans")
    illustrative = illustrative_field()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "kế hoạch, đề án"
        verbose_name_plural = "kế hoạch, đề án"
        ordering = ["-issued_on", "title"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()


class Task(models.Model):
    """A task with a lead unit and a deadline (or a recurring one). Its status is computed from
    its dates and progress (work/status.py), never typed."""

    title = models.CharField("nhiệm vụ", max_length=500)
    plan = models.ForeignKey(Plan, verbose_name="kế hoạch", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="tasks")
    sector = models.ForeignKey("reporting.Sector", verbose_name="lĩnh vực", null=True, blank=True,
                               on_delete=models.PROTECT)
    owner = models.ForeignKey("orgunits.OrgUnit", verbose_name="đơn vị giao", on_delete=models.PROTECT,
                              related_name="assigned_tasks")
    lead_unit = models.ForeignKey("orgunits.OrgUnit", verbose_name="đơn vị chủ trì", on_delete=models.PROTECT,
                                  related_name="led_tasks")
    cooperating_units = models.ManyToManyField("orgunits.OrgUnit", verbose_name="đơn vị phối hợp", blank=True,
                                               related_name="cooperating_tasks")
    start = models.DateField("ngày bắt đầu", null=True, blank=True)
    deadline = models.DateField("hạn hoàn thành", null=True, blank=True)
    recurrence = models.CharField("lặp lại", max_length=20, choices=Recurrence.choices, blank=True, default="")
    recurrence_day = models.PositiveSmallIntegerField("ngày đến hạn trong kỳ", null=True, blank=True,
                                                      help_text="Với nhiệm vụ lặp lại: ngày trong tháng")
    expected_output = models.TextField("sản phẩm dự kiến", blank=True)
    is_key = models.BooleanField("nhiệm vụ trọng tâm", default=False)
    progress = models.PositiveSmallIntegerField("tiến độ (%)", default=0)
    started_on = models.DateField("bắt đầu thực hiện", null=True, blank=True)
    completed_on = models.DateField("ngày hoàn thành", null=True, blank=True)
    conclusion = models.ForeignKey("meetings.Conclusion", verbose_name="kết luận hội nghị", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="tasks")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    illustrative = illustrative_field()

    class Meta:
        verbose_name = "nhiệm vụ"
        verbose_name_plural = "nhiệm vụ"
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["lead_unit", "deadline"]), models.Index(fields=["deadline"])]

    def __str__(self) -> str:
        return self.title


class TaskUpdate(models.Model):
    """A progress report on a task by its lead unit: text, percentage, evidence."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    text = models.TextField("nội dung")
    progress = models.PositiveSmallIntegerField("tiến độ (%)")
    evidence = models.FileField("tài liệu minh chứng", upload_to="tasks/%Y/", blank=True)

    class Meta:
        verbose_name = "cập nhật tiến độ"
        verbose_name_plural = "cập nhật tiến độ"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.progress}%"


class TaskComment(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    text = models.TextField("ý kiến")

    class Meta:
        verbose_name = "ý kiến"
        verbose_name_plural = "ý kiến"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.text[:40]}"


class TaskReminder(models.Model):
    """That a reminder for a task's deadline was sent, so `baocao tasks remind` sends it once."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders")
    deadline = models.DateField()
    kind = models.CharField(max_length=20)  # "before" (N days ahead) or "overdue"
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "deadline", "kind"], name="task_reminder_once")]

    def __str__(self) -> str:
        return f"{self.task_id} {self.deadline} {self.kind}"
