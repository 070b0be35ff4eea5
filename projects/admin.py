from django.contrib import admin

from projects.models import (
    Idea,
    Project,
    ProjectChange,
    ProjectType,
    ProjectUpdate,
    Rollout,
    StrategyGoal,
)


class ProjectUpdateInline(admin.StackedInline):
    model = ProjectUpdate
    extra = 0
    fields = ["kind", "text", "for_erfa", "author", "created_at"]
    autocomplete_fields = ["author"]


class RolloutInline(admin.TabularInline):
    model = Rollout
    extra = 0
    autocomplete_fields = ["department", "contact"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "phase", "lead", "last_activity_at"]
    list_filter = ["status", "phase", "types", "departments", "goals"]
    search_fields = ["title", "summary", "lead__user__first_name", "lead__user__last_name"]
    autocomplete_fields = ["lead", "co_agents", "departments", "systems"]
    filter_horizontal = ["goals", "types"]
    list_select_related = ["lead__user"]
    date_hierarchy = "last_activity_at"
    inlines = [RolloutInline, ProjectUpdateInline]
    readonly_fields = ["version", "created_at", "updated_at", "updated_by"]

    def save_model(self, request, obj, form, change):
        # Admin saves count as edits too, so a portal form opened before them sees a conflict.
        if change:
            obj.version += 1
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(StrategyGoal)
class StrategyGoalAdmin(admin.ModelAdmin):
    list_display = ["title", "first_year", "last_year"]
    list_filter = ["first_year"]
    search_fields = ["title", "description"]


@admin.register(ProjectType)
class ProjectTypeAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(ProjectChange)
class ProjectChangeAdmin(admin.ModelAdmin):
    list_display = ["project", "user", "at"]
    list_select_related = ["project", "user"]
    search_fields = ["project__title"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Idea)
class IdeaAdmin(admin.ModelAdmin):
    list_display = ["__str__", "department", "status", "heard_on", "project"]
    list_filter = ["status", "department"]
    search_fields = ["text", "occasion"]
    autocomplete_fields = ["department", "project", "recorded_by"]
    list_select_related = ["department", "project"]
    date_hierarchy = "heard_on"
