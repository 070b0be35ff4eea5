from django.urls import path

from agents import views

app_name = "agents"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("agenter/<int:pk>/", views.agent_detail, name="agent"),
    path("agenter/<int:pk>/rediger/", views.agent_edit, name="edit"),
    path("personer/<int:pk>/overdrag/", views.hand_over_roles, name="handover"),
    path("min-profil/", views.my_profile, name="my_profile"),
    path("afdelinger/", views.department_list, name="departments"),
    path("afdelinger/<int:pk>/", views.department_detail, name="department"),
    path("systemer/", views.system_list, name="systems"),
    path("systemer/<int:pk>/", views.system_detail, name="system"),
    path("kapacitet/", views.capacity, name="capacity"),
    path("nye-brugere/", views.new_users, name="new_users"),
]
