"""Admin views of plans and tasks, for looking things up. Plans and tasks are written on their
pages through work.services (scope checks, audit rows; a plan's edit form is on its page), and
progress comes from the lead unit's updates, so all of it is read-only here."""

from django.contrib import admin

from baocao.audit.modeladmin import ReadOnlyAdmin
from baocao.work.models import Plan, Task, TaskComment, TaskReminder, TaskUpdate


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
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

    def has_change_permission(self, request, obj=None):
        return False


class TaskCommentInline(admin.TabularInline):
    model = TaskComment
    extra = 0
    can_delete = False
    fields = ("at", "author", "text")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Task)
class TaskAdmin(ReadOnlyAdmin):
    list_display = ("title", "lead_unit", "deadline", "recurrence", "progress", "is_key")
    list_filter = ("recurrence", "is_key", "sector")
    search_fields = ("title",)
    raw_id_fields = ("plan", "owner", "lead_unit", "conclusion", "created_by")
    filter_horizontal = ("cooperating_units",)
    readonly_fields = ("progress", "started_on", "completed_on", "created_at")
    inlines = [TaskUpdateInline, TaskCommentInline]


@admin.register(TaskReminder)
class TaskReminderAdmin(ReadOnlyAdmin):
    list_display = ("task", "deadline", "kind", "sent_at")
    list_filter = ("kind",)
    raw_id_fields = ("task",)
