from django.urls import path

from agentnet.views import coming

app_name = "projects"
urlpatterns = [
    path("", coming, {"section": "projects"}, name="index"),
]
