from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeersConfig(AppConfig):
    name = "peers"
    verbose_name = _("Peer comparison")

    def ready(self):
        from assessments.signals import round_closed, round_reopened

        from .snapshots import round_changed

        # assessments (below us) tells of closes and reopenings; the snapshot follows them.
        round_closed.connect(round_changed, dispatch_uid="peers-round-closed")
        round_reopened.connect(round_changed, dispatch_uid="peers-round-reopened")
