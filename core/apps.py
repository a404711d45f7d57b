from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AxesAppConfig):
    """django-axes as installed here: its section of the admin gets a translatable name."""

    verbose_name = _("Login security (Axes)")
