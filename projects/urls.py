from django.urls import path

from projects import views

app_name = "projects"
urlpatterns = [
    path("", views.portfolio, name="index"),
    path("eksport.<str:fmt>", views.export, name="export"),
    path("mine/", views.my_projects, name="mine"),
    path("ny/", views.project_create, name="create"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/rediger/", views.project_edit, name="edit"),
    path("<int:pk>/opdatering/", views.add_update, name="add_update"),
    path("<int:pk>/udrulning/", views.rollout_edit, name="rollout"),
    path("udrulning/", views.rollout_overview, name="rollouts"),
    path("ideer/", views.idea_list, name="ideas"),
    path("ideer/ny/", views.idea_create, name="idea_create"),
    path("ideer/<int:pk>/", views.idea_detail, name="idea"),
    path("ideer/<int:pk>/rediger/", views.idea_edit, name="idea_edit"),
    path("strategi/", views.goal_list, name="goals"),
    path("strategi/<int:pk>/", views.goal_detail, name="goal"),
    path("soeg/", views.search, name="search"),
]
