from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from agents import services
from agents.forms import AgentImportForm
from agents.models import Agent, Department, Location, System, SystemRole, User


class UserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ["username", "first_name", "last_name", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name"):
            self.fields[name].required = True


class AgentInline(admin.StackedInline):
    model = Agent
    fk_name = "user"
    can_delete = False
    extra = 0
    autocomplete_fields = ["department", "location", "manager"]


class SystemRoleOfUserInline(admin.TabularInline):
    model = SystemRole
    extra = 0
    autocomplete_fields = ["system"]
    verbose_name_plural = _("roles for systems")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = UserCreationForm
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "first_name", "last_name", "email",
                                                  "usable_password", "password1", "password2")}),
    )
    # When the last link to choose a password was mailed: the answer to "I got no mail".
    fieldsets = (
        *DjangoUserAdmin.fieldsets[:-1],
        (DjangoUserAdmin.fieldsets[-1][0], {"fields": ("last_login", "date_joined",
                                                        "reset_mailed_at")}),
    )
    readonly_fields = ["reset_mailed_at"]
    inlines = [AgentInline, SystemRoleOfUserInline]
    list_display = ["username", "first_name", "last_name", "email", "is_staff", "is_active"]
    list_filter = ["groups", "is_staff", "is_active"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "agent_count"]
    list_filter = ["kind"]
    search_fields = ["name"]
    autocomplete_fields = ["parent"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("parent").annotate(
            n_agents=Count("agents")
        )

    @admin.display(description=_("agents"), ordering="n_agents")
    def agent_count(self, obj):
        return obj.n_agents


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "address"]
    search_fields = ["name", "address"]


@admin.register(Agent)
class AgentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "title", "department", "location", "time_share", "manager",
                    "is_active"]
    list_filter = ["is_active", "department__kind", "department", "location"]
    search_fields = ["user__first_name", "user__last_name", "user__username", "title"]
    autocomplete_fields = ["user", "department", "location", "manager"]
    list_select_related = ["user", "department", "location", "manager"]
    change_list_template = "admin/agents/agent/change_list.html"

    def get_urls(self):
        return [
            path(
                "importer/",
                self.admin_site.admin_view(self.import_view),
                name="agents_agent_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = AgentImportForm(request.POST or None, request.FILES or None)
        result = None
        if request.method == "POST" and form.is_valid():
            result = services.import_agents(form.cleaned_data["file"].read())
            if result.ok:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d agent was imported.",
                        "%(count)d agents were imported.",
                        len(result.created),
                    )
                    % {"count": len(result.created)},
                )
                return redirect(reverse("admin:agents_agent_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import agents from CSV"),
            "form": form,
            "result": result,
            "columns": services.IMPORT_COLUMNS,
        }
        return TemplateResponse(request, "admin/agents/agent/import.html", context)


class SystemRoleInline(admin.TabularInline):
    model = SystemRole
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(System)
class SystemAdmin(admin.ModelAdmin):
    list_display = ["name", "vendor", "owner_department"]
    list_filter = ["owner_department"]
    search_fields = ["name", "vendor", "description"]
    autocomplete_fields = ["owner_department"]
    list_select_related = ["owner_department"]
    inlines = [SystemRoleInline]


@admin.register(SystemRole)
class SystemRoleAdmin(admin.ModelAdmin):
    list_display = ["system", "user", "role", "note"]
    list_filter = ["role", "system"]
    search_fields = ["system__name", "user__first_name", "user__last_name", "user__username"]
    autocomplete_fields = ["system", "user"]
    list_select_related = ["system", "user"]
