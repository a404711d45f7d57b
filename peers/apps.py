from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeersConfig(AppConfig):
    name = "peers"
    verbose_name = _("Peer comparison")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from assessments.models import Organisation
        from assessments.signals import round_closed, round_reopened

        from .models import RoundFigures
        from .pool import pool_changed
        from .snapshots import round_changed

        # assessments (below us) tells of closes and reopenings; the snapshot follows them.
        round_closed.connect(round_changed, dispatch_uid="peers-round-closed")
        round_reopened.connect(round_changed, dispatch_uid="peers-round-reopened")
        # What is computed from the pool is cached under its revision: any change of who is
        # counted, or of how, makes it stale, whichever path makes it (services, the admin,
        # seed_demo, an organisation or round deleted with its snapshots).
        post_save.connect(pool_changed, sender=Organisation, dispatch_uid="peers-pool-org")
        post_save.connect(pool_changed, sender=RoundFigures, dispatch_uid="peers-pool-saved")
        post_delete.connect(pool_changed, sender=RoundFigures, dispatch_uid="peers-pool-gone")
