from django.urls import path

from agentnet.views import coming

app_name = "competencies"
urlpatterns = [
    path("", coming, {"section": "competencies"}, name="index"),
]
