"""Admin views of meetings, for looking things up. Meetings, their agenda, opinions and conclusions
are written on the meeting pages through meetings.services (checks, audit rows), so they are
read-only here."""

from __future__ import annotations

from django.contrib import admin

from baocao.audit.modeladmin import ReadOnlyAdmin, ReadOnlyInline
from baocao.meetings.models import AgendaItem, Attendee, Conclusion, Meeting, Opinion


class AttendeeInline(ReadOnlyInline, admin.TabularInline):
    model = Attendee
    extra = 0
    autocomplete_fields = ["unit"]


class AgendaInline(ReadOnlyInline, admin.TabularInline):
    model = AgendaItem
    extra = 0
    raw_id_fields = ["report_version"]


class OpinionInline(ReadOnlyInline, admin.StackedInline):
    model = Opinion
    extra = 0
    autocomplete_fields = ["unit"]


class ConclusionInline(ReadOnlyInline, admin.StackedInline):
    model = Conclusion
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["date", "title", "organiser", "kind", "chair_name"]
    list_filter = ["kind"]
    search_fields = ["title", "chair_name", "organiser__name"]
    date_hierarchy = "date"
    raw_id_fields = ["organiser", "regime", "created_by"]
    readonly_fields = ["created_at"]
    inlines = [AttendeeInline, AgendaInline, OpinionInline, ConclusionInline]
