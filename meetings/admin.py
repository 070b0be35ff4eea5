from django.contrib import admin
from django.db import transaction

from meetings import services
from meetings.forms import AgendaItemAdminForm
from meetings.models import (
    Action,
    AgendaItem,
    Attendance,
    CalendarFeed,
    Meeting,
    Speaker,
    TopicProposal,
)


class AgendaItemInline(admin.StackedInline):
    model = AgendaItem
    form = AgendaItemAdminForm
    extra = 0
    fields = ["position", "section", "kind", "title", "duration", "presenter", "speaker",
              "description", "material_url", "material_file"]
    autocomplete_fields = ["presenter", "speaker"]


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["date", "theme", "status", "location"]
    list_filter = ["status", "location"]
    search_fields = ["theme", "items__title"]
    date_hierarchy = "date"
    list_select_related = ["location"]
    inlines = [AgendaItemInline, AttendanceInline]

    # Items and erfa-days deleted here go through the same services as in the portal, so a
    # topic proposal placed on them goes back to the backlog rather than being lost.
    def save_formset(self, request, form, formset, change):
        if formset.model is not AgendaItem:
            return super().save_formset(request, form, formset, change)
        items = formset.save(commit=False)
        for item in formset.deleted_objects:
            services.delete_item(item)
        for item in items:
            item.save()
        formset.save_m2m()
        return None

    def delete_model(self, request, obj):
        services.delete_meeting(obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for meeting in queryset:
            services.delete_meeting(meeting)


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "email", "topic"]
    search_fields = ["name", "organisation", "topic"]


@admin.register(TopicProposal)
class TopicProposalAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "status", "proposed_by", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "description"]
    list_select_related = ["proposed_by"]


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["text", "owner", "deadline", "done"]
    list_filter = ["done"]
    search_fields = ["text"]
    list_select_related = ["owner"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    exclude = ["token"]
