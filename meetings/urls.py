from django.urls import path

from agentnet.views import coming

app_name = "meetings"
urlpatterns = [
    path("", coming, {"section": "meetings"}, name="index"),
]
