from django.urls import path

from competencies import views

app_name = "competencies"
urlpatterns = [
    path("", views.index, name="index"),
    path("profil/<int:pk>/", views.framework_detail, name="framework"),
    path("vurdering/<int:pk>/", views.assessment_detail, name="assessment"),
    path("vurdering/<int:pk>/mus-pakke/", views.mus_pack, name="mus_pack"),
    path("mine-medarbejdere/", views.team, name="team"),
    path("mine-medarbejdere/profiler/", views.team_profiles, name="team_profiles"),
    path("runder/", views.rounds, name="rounds"),
    path("runder/<int:pk>/", views.round_status, name="round"),
    path("runder/<int:pk>/daekning/", views.heatmap, name="heatmap"),
    path("kurser/", views.courses, name="courses"),
]
