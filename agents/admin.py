from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from agents import services, sso
from agents.forms import AgentAdminForm, AgentImportForm
from agents.models import (
    Agent,
    Department,
    Location,
    ManagerChange,
    RoleChange,
    System,
    SystemRole,
    User,
)


class UserCreationForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):
        model = User
        fields = ["username", "first_name", "last_name", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name"):
            self.fields[name].required = True


class NewPersonForm(forms.ModelForm):
    """A new person added by someone who is not a superuser: no password. The person
    chooses one by the link of "Glemt din adgangskode" (or signs in by single sign-on)."""

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first_name", "last_name"):
            self.fields[name].required = True

    def save(self, commit=True):
        user = super().save(commit=False)
        user.await_first_password()
        if commit:
            user.save()
        return user


class AgentInline(admin.StackedInline):
    model = Agent
    form = AgentAdminForm
    fk_name = "user"
    can_delete = False
    extra = 0
    autocomplete_fields = ["department", "location", "manager"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.changed_by = request.user
        return formset


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
    list_display = ["username", "first_name", "last_name", "email", "is_staff", "is_active",
                    "signs_in_with_sso", "last_sso_sign_in"]
    list_filter = ["groups", "is_staff", "is_active"]

    def get_queryset(self, request):
        # When each person last signed in with their work account (None: never).
        return super().get_queryset(request).annotate(
            last_sso=Max("social_auth__modified", filter=Q(social_auth__provider=sso.PROVIDER))
        )

    @admin.display(description=_("work account"), boolean=True, ordering="last_sso")
    def signs_in_with_sso(self, obj):
        return obj.last_sso is not None

    @admin.display(description=_("last signed in with work account"), ordering="last_sso")
    def last_sso_sign_in(self, obj):
        return obj.last_sso

    # Rights are a superuser's to grant (DESIGN.md): admin access, superuser status, groups
    # (the roles: a manager reads their agents' assessments) and permissions, and another
    # person's password. Someone else who may change users (the facilitator) keeps a
    # person's name, address and whether they are active, and sees their roles read-only.
    # Fields left out of the fieldsets are left out of the form, so a POST that sets them
    # changes nothing.
    PEOPLE_FIELDSETS = (
        (None, {"fields": ("username",)}),
        (DjangoUserAdmin.fieldsets[1][0], {"fields": ("first_name", "last_name", "email")}),
        (DjangoUserAdmin.fieldsets[2][0], {"fields": ("is_active", "is_staff", "groups")}),
        (DjangoUserAdmin.fieldsets[-1][0], {"fields": ("last_login", "date_joined",
                                                        "reset_mailed_at")}),
    )
    PEOPLE_ADD_FIELDSETS = (
        (None, {"classes": ("wide",), "fields": ("username", "first_name", "last_name",
                                                  "email")}),
    )

    def get_fieldsets(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        return self.PEOPLE_FIELDSETS if obj else self.PEOPLE_ADD_FIELDSETS

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if request.user.is_superuser or obj is None:
            return readonly
        # The address is where "Glemt din adgangskode" sends its link: whoever could change
        # it could take the account, also of someone who has not chosen a password yet (an
        # imported manager, say). So it is a superuser's to change, like a password.
        readonly += ["is_staff", "groups", "last_login", "date_joined", "email"]
        return readonly

    def get_form(self, request, obj=None, **kwargs):
        if obj is None and not request.user.is_superuser:
            kwargs["form"] = NewPersonForm
        return super().get_form(request, obj, **kwargs)

    def has_change_permission(self, request, obj=None):
        # A superuser's account is changed by a superuser only.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # A person leaves by the hand-over (their login closes, their history stays).
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)


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
    form = AgentAdminForm

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.changed_by = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        # A profile stays with its person: moving it to another user would hand them the
        # agent's assessments.
        readonly = super().get_readonly_fields(request, obj)
        return [*readonly, "user"] if obj else readonly

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.change_manager(
            obj, form.chosen_manager, by=request.user, how=ManagerChange.How.ADMIN
        )

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
            result = services.import_agents(form.cleaned_data["file"].read(), by=request.user)
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
    list_display = ["name", "vendor", "owner_department", "in_use"]
    search_fields = ["name", "vendor", "description"]
    autocomplete_fields = ["owner_department"]
    list_select_related = ["owner_department"]
    inlines = [SystemRoleInline]
    list_filter = ["in_use", "owner_department"]

    def get_readonly_fields(self, request, obj=None):
        # A synced system's own fields are kept in KITOS: changed there, read by sync_kitos.
        if obj is not None and obj.from_kitos:
            return ["name", "vendor", "description", "in_use", "in_kitos"]
        return []

    @admin.display(description=_("in KITOS"))
    def in_kitos(self, obj):
        url = obj.kitos_url()
        return format_html('<a href="{}">{}</a>', url, url) if url else str(obj.kitos_uuid)


@admin.register(SystemRole)
class SystemRoleAdmin(admin.ModelAdmin):
    list_display = ["system", "user", "role", "note"]
    list_filter = ["role", "system"]
    search_fields = ["system__name", "user__first_name", "user__last_name", "user__username"]
    autocomplete_fields = ["system", "user"]
    list_select_related = ["system", "user"]


@admin.register(ManagerChange)
class ManagerChangeAdmin(admin.ModelAdmin):
    """The history of who managed whom: read only, written by services.change_manager()."""

    list_display = ["at", "agent", "previous", "new", "changed_by", "how"]
    list_filter = ["how"]
    search_fields = ["agent__user__first_name", "agent__user__last_name",
                     "agent__user__username"]
    list_select_related = ["agent__user", "previous", "new", "changed_by"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RoleChange)
class RoleChangeAdmin(admin.ModelAdmin):
    """The history of roles given and taken: read only, written by agents.sso.set_roles()."""

    list_display = ["at", "user", "role", "added", "changed_by", "how"]
    list_filter = ["role", "added", "how"]
    search_fields = ["user__first_name", "user__last_name", "user__username"]
    list_select_related = ["user", "changed_by"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
