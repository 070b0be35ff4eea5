from django.urls import path

from projects import views_strategy

app_name = "strategy"
urlpatterns = [
    path("", views_strategy.overview, name="overview"),
    path("strategi.xlsx", views_strategy.spreadsheet, name="xlsx"),
]
