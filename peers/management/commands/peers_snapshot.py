from django.core.management.base import BaseCommand

from peers.snapshots import snapshot_missing


class Command(BaseCommand):
    help = (
        "Snapshot the figures of every closed round that has none yet (rounds closed before "
        "peer comparison existed). Idempotent: running it again makes nothing."
    )

    def handle(self, *args, **options):
        made = snapshot_missing()
        self.stdout.write(f"snapshots made: {made}")
