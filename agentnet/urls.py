from datetime import timedelta

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from agentnet import views
from agents.forms import PasswordResetRequestForm, SignInForm
from agents.models import User
from agents.views import (
    ChangePassword,
    ChooseNewPassword,
    SignIn,
    SignOut,
    sso_begin,
    sso_complete,
)

admin.site.site_header = _("AgentNet administration")
admin.site.site_title = _("AgentNet")
admin.site.index_title = _("The network's data")

urlpatterns = [
    path("", views.home, name="home"),
    path("log-ind/", SignIn.as_view(authentication_form=SignInForm), name="login"),
    path("log-ud/", SignOut.as_view(), name="logout"),
    # Single sign-on: the work account's button, and the identity provider's answer (the
    # redirect URI registered with the provider). Not found while SSO is off.
    path(
        "log-ind/sso/",
        include(
            (
                [
                    path("start/<str:backend>/", sso_begin, name="begin"),
                    path("retur/<str:backend>/", sso_complete, name="complete"),
                ],
                "social",
            )
        ),
    ),
    # A forgotten password (or none yet): a link by e-mail to choose a new one.
    path(
        "log-ind/glemt/",
        auth_views.PasswordResetView.as_view(
            form_class=PasswordResetRequestForm,
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
            # The link in the mail points at the portal's own address, whatever host the
            # request named.
            extra_email_context={"site_url": settings.SITE_URL},
        ),
        name="password_reset",
    ),
    path(
        "log-ind/glemt/sendt/",
        auth_views.PasswordResetDoneView.as_view(
            extra_context={"minutes": User.RESET_MAIL_INTERVAL // timedelta(minutes=1)}
        ),
        name="password_reset_done",
    ),
    path(
        "log-ind/ny/<uidb64>/<token>/", ChooseNewPassword.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "log-ind/ny/gemt/", auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("adgangskode/", ChangePassword.as_view(), name="password_change"),
    path(
        "adgangskode/skiftet/", auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("sprog/", views.set_language, name="set_language"),
    path("tilgaengelighed/", views.accessibility, name="accessibility"),
    path("mine-data.json", views.my_data, name="my_data"),
    path("mine-mails/", views.mail_choices, name="mail_choices"),
    path("mails/stop/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("netvaerk/", include("agents.urls")),
    path("projekter/", include("projects.urls")),
    path("strategi/", include("projects.urls_strategy")),
    path("erfa-dage/", include("meetings.urls")),
    path("kompetencer/", include("competencies.urls")),
    path("admin/", admin.site.urls),
]
