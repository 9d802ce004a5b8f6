"""Admin views of plans and tasks, for looking things up and correcting typos. Progress and
completion come from the lead unit's updates (work.services), so they are read-only here."""

from django.contrib import admin

from baocao.work.models import Plan, Task, TaskComment, TaskReminder, TaskUpdate


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "kind", "issuer", "issued_on", "owner")
    list_filter = ("kind", "sector")
    search_fields = ("number", "title")
    raw_id_fields = ("issuer", "owner")


class TaskUpdateInline(admin.TabularInline):
    model = TaskUpdate
    extra = 0
    can_delete = False
    fields = ("at", "author", "progress", "text", "evidence")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class TaskCommentInline(admin.TabularInline):
    model = TaskComment
    extra = 0
    can_delete = False
    fields = ("at", "author", "text")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("title", "lead_unit", "deadline", "recurrence", "progress", "is_key")
    list_filter = ("recurrence", "is_key", "sector")
    search_fields = ("title",)
    raw_id_fields = ("plan", "owner", "lead_unit", "conclusion", "created_by")
    filter_horizontal = ("cooperating_units",)
    readonly_fields = ("progress", "started_on", "completed_on", "created_at")
    inlines = [TaskUpdateInline, TaskCommentInline]


@admin.register(TaskReminder)
class TaskReminderAdmin(admin.ModelAdmin):
    list_display = ("task", "deadline", "kind", "sent_at")
    list_filter = ("kind",)
    raw_id_fields = ("task",)
