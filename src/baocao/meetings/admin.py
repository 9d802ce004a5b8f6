from django.contrib import admin

from baocao.meetings.models import AgendaItem, Attendee, Conclusion, Meeting, Opinion


class AttendeeInline(admin.TabularInline):
    model = Attendee
    extra = 0
    autocomplete_fields = ["unit"]


class AgendaInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    raw_id_fields = ["report_version"]


class OpinionInline(admin.StackedInline):
    model = Opinion
    extra = 0
    autocomplete_fields = ["unit"]


class ConclusionInline(admin.StackedInline):
    model = Conclusion
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["date", "title", "organiser", "kind", "chair_name"]
    list_filter = ["kind"]
    search_fields = ["title", "chair_name", "organiser__name"]
    date_hierarchy = "date"
    raw_id_fields = ["organiser", "regime", "created_by"]
    readonly_fields = ["created_at"]
    inlines = [AttendeeInline, AgendaInline, OpinionInline, ConclusionInline]
