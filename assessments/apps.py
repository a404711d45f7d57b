from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Self-assessment")

    def ready(self):
        # Connects the login signal that keeps the session's password digest.
        from toolkit_site import auth  # noqa: F401
