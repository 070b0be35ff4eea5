from django.urls import path

from meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.index, name="index"),
    path("arkiv/", views.archive, name="archive"),
    path("ny/", views.create, name="create"),
    path("serie/", views.series, name="series"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/print/", views.print_view, name="print"),
    path("<int:pk>/rediger/", views.edit, name="edit"),
    path("<int:pk>/punkt/", views.item_create, name="item_create"),
    path("<int:pk>/standarddagsorden/", views.standard_agenda, name="standard_agenda"),
    path("<int:pk>/offentliggoer/", views.publish, name="publish"),
    path("<int:pk>/aflys/", views.cancel, name="cancel"),
    path("<int:pk>/afholdt/", views.mark_held, name="held"),
    path("<int:pk>/erfa-dag.ics", views.meeting_ics, name="ics"),
    path("<int:pk>/send-igen/", views.resend_mails, name="resend_mails"),
    path("<int:pk>/svar/", views.answer, name="answer"),
    path("<int:pk>/deltagere/", views.attendance, name="attendance"),
    path("punkt/<int:pk>/", views.item_edit, name="item_edit"),
    path("punkt/<int:pk>/slet/", views.item_delete, name="item_delete"),
    path("punkt/<int:pk>/flyt/", views.item_move, name="item_move"),
    path("punkt/<int:pk>/referat/", views.item_minutes, name="item_minutes"),
    path("punkt/<int:pk>/materiale/", views.material, name="material"),
    path("handling/<int:pk>/udfoert/", views.action_done, name="action_done"),
    path("forslag/", views.proposals, name="proposals"),
    path("forslag/ny/", views.propose, name="propose"),
    path("forslag/<int:pk>/placer/", views.proposal_place, name="proposal_place"),
    path("forslag/<int:pk>/parker/", views.proposal_park, name="proposal_park"),
    path("oplaegsholdere/ny/", views.speaker_create, name="speaker_create"),
    path("kalender/", views.feed_settings, name="feed_settings"),
    path("kalender/<str:token>.ics", views.feed, name="feed"),
]
