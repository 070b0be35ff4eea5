from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from agentnet import views
from agents.forms import SignInForm

admin.site.site_header = _("AgentNet administration")
admin.site.site_title = _("AgentNet")
admin.site.index_title = _("The network's data")

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "log-ind/", auth_views.LoginView.as_view(authentication_form=SignInForm), name="login"
    ),
    path("log-ud/", auth_views.LogoutView.as_view(), name="logout"),
    path("sprog/", views.set_language, name="set_language"),
    path("tilgaengelighed/", views.accessibility, name="accessibility"),
    path("netvaerk/", include("agents.urls")),
    path("projekter/", include("projects.urls")),
    path("erfa-dage/", include("meetings.urls")),
    path("kompetencer/", include("competencies.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
