from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetenciesConfig(AppConfig):
    name = "competencies"
    verbose_name = _("Competencies")

    def ready(self):
        from agents.signals import manager_changed
        from competencies import services

        manager_changed.connect(services.move_open_reviews, dispatch_uid="competencies-reviews")
