from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Self-assessment")

    def ready(self):
        from accounts.people import NAME_CHECKS

        from .services import name_check

        # The profile page (accounts, below us) refuses a colleague's name through this.
        NAME_CHECKS.append(name_check)
