from django.contrib import admin, messages
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from competencies.models import (
    Area,
    Assessment,
    AuditEntry,
    Competency,
    Course,
    Framework,
    Level,
    MusRound,
)


class LevelInline(admin.TabularInline):
    model = Level
    extra = 0


class AreaInline(admin.TabularInline):
    model = Area
    extra = 0
    show_change_link = True


class CompetencyInline(admin.StackedInline):
    model = Competency
    extra = 0


def _frozen(obj):
    framework = obj if isinstance(obj, Framework) else getattr(obj, "framework", None)
    return bool(framework and framework.published)


class FrozenWhenPublished:
    """A published framework's wording cannot change; make a new version instead."""

    def has_change_permission(self, request, obj=None):
        return not (obj and _frozen(obj)) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not (obj and _frozen(obj)) and super().has_delete_permission(request, obj)


@admin.register(Framework)
class FrameworkAdmin(FrozenWhenPublished, admin.ModelAdmin):
    list_display = ["name", "version", "published"]
    inlines = [LevelInline, AreaInline]
    actions = ["new_version"]

    @admin.action(description=_("Make a new, unpublished version"))
    @transaction.atomic
    def new_version(self, request, queryset):
        for framework in queryset:
            areas = list(framework.areas.prefetch_related("competencies"))
            levels = list(framework.levels.all())
            copy = Framework.objects.create(
                name=framework.name, description=framework.description,
                version=Framework.objects.filter(name=framework.name).count() + 1,
            )
            Level.objects.bulk_create(
                Level(framework=copy, value=lv.value, label=lv.label, description=lv.description)
                for lv in levels
            )
            for area in areas:
                new_area = Area.objects.create(
                    framework=copy, name=area.name, description=area.description,
                    position=area.position,
                )
                Competency.objects.bulk_create(
                    Competency(area=new_area, name=c.name, description=c.description,
                               position=c.position)
                    for c in area.competencies.all()
                )
        messages.success(request, _("A new version is made; edit it, then publish it."))


@admin.register(Area)
class AreaAdmin(FrozenWhenPublished, admin.ModelAdmin):
    list_display = ["name", "framework", "position"]
    list_filter = ["framework"]
    inlines = [CompetencyInline]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["name", "provider", "ects"]
    search_fields = ["name", "provider", "builds"]


@admin.register(MusRound)
class MusRoundAdmin(admin.ModelAdmin):
    list_display = ["year", "framework", "opened_at"]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    """Status only: the answers are personnel data for the agent and the manager."""

    list_display = ["agent", "round", "status"]
    list_filter = ["round", "status"]
    fields = ["agent", "round", "manager", "status", "sent_at", "closed_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "action", "assessment", "detail"]
    list_filter = ["action"]
    list_select_related = ["user", "assessment__agent__user", "assessment__round"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
