from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class AgentsConfig(AppConfig):
    name = "agents"
    verbose_name = _("The network")

    def ready(self):
        # Each app that holds something a person hands over when they leave registers it in
        # its handover.py (agents/handover.py): found here, as the admin finds admin.py.
        autodiscover_modules("handover")
