from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "networks"
    verbose_name = _("Networks")

    def ready(self):
        from accounts.signals import account_deleting, own_data_requested

        from . import people

        own_data_requested.connect(people.own_data, dispatch_uid="networks-own-data")
        account_deleting.connect(people.account_deleting, dispatch_uid="networks-delete")
