"""How long participants' free texts are kept: `SURVEY_FREE_TEXT_RETENTION_DAYS` after their
survey's round closed (a closed round's survey takes no answers), then blanked; the rest of
each response (its ratings, age band and gender) stays in the round's anonymous results."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from assessments.models import Round, RoundStatus

from .models import Response


@transaction.atomic
def free_texts_expire(*, now=None) -> int:
    """Blank the free texts whose round closed more than the retention period ago; returns
    how many. Idempotent: a blanked text is not counted again."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.SURVEY_FREE_TEXT_RETENTION_DAYS)
    expired = Response.objects.filter(
        survey__round__status=RoundStatus.CLOSED, survey__round__closed_at__lte=cutoff
    ).exclude(free_text="")
    rounds = list(expired.values_list("survey__round_id", flat=True).distinct())
    count = expired.update(free_text="", free_text_hidden=False)
    # The round's pages and report are cached under its revision: they lose the texts at once.
    Round.objects.filter(pk__in=rounds).update(revision=F("revision") + 1)
    return count
