import logging

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from accounts.signup import unconfirmed_signups_delete
from assessments.models import Invitation
from assessments.reminders import reminders_send
from networks.models import NetworkInvitation
from peers.snapshots import snapshot_missing
from surveys.retention import free_texts_expire

logger = logging.getLogger(__name__)


def expired_invitations_delete(now) -> int:
    """Invitations never accepted whose link has expired: nothing needs their address any more."""
    deleted, _by_model = Invitation.objects.filter(accepted_at=None, expires_at__lte=now).delete()
    return deleted


def network_invitations_delete(now) -> int:
    """Invitations to a network that were answered (accepted, declined or replaced by a newer
    one), or never answered while their link expired: nothing needs their address any more
    (who joined, and when, the membership itself says)."""
    deleted, _by_model = NetworkInvitation.objects.filter(
        Q(answered_at__isnull=False) | Q(expires_at__lte=now)
    ).delete()
    return deleted


def expired_sessions_delete(now) -> int:
    """Django's `clearsessions`; the count is known for the database-backed sessions."""
    count = 0
    if settings.SESSION_ENGINE.endswith((".db", ".cached_db")):
        count = Session.objects.filter(expire_date__lt=now).count()
    call_command("clearsessions")
    return count


class Command(BaseCommand):
    """`housekeeping`: the periodic jobs, idempotent and safe to run every hour.

    Retention: participants' free texts `SURVEY_FREE_TEXT_RETENTION_DAYS` after their round
    closed, invitations whose link expired unused, expired sessions, sign-ups never confirmed
    whose link expired, network invitations answered or whose link expired; the figures of
    closed rounds that have none (peers). Then the reminders by e-mail (assessments.reminders):
    at most one e-mail a day per person, recorded once sent; a failed one is tried again on the
    next run. One audit line in the log says how many of each were deleted, another how many
    e-mails went out.
    """

    help = (
        "Delete what has served its purpose (survey free texts past their retention period, "
        "expired invitations, answered network invitations, expired sessions, unconfirmed "
        "sign-ups), snapshot closed rounds' figures that are missing, and send the day's "
        "reminders by e-mail. Safe to run every hour."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        counts = {
            "free_texts": free_texts_expire(now=now),
            "invitations": expired_invitations_delete(now),
            "sessions": expired_sessions_delete(now),
            "unconfirmed_signups": unconfirmed_signups_delete(now),
            "network_invitations": network_invitations_delete(now),
        }
        logger.info("housekeeping deleted %s", counts)
        self.stdout.write(
            "Deleted: "
            + ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in counts.items())
        )
        # A round's figures are snapshotted after its close commits; one lost then is made here.
        snapshots = snapshot_missing()
        self.stdout.write(f"Snapshots: {snapshots} closed rounds' figures made")
        reminders = reminders_send(now)
        logger.info("housekeeping sent reminders %s", reminders)
        self.stdout.write(
            f"Reminders: {reminders['sent']} e-mails sent, {reminders['failed']} failed "
            "(tried again next run)"
        )
