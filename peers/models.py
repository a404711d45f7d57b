"""Each closed round's figures, snapshotted when it closes: what peer comparison (and, later,
networks and open statistics) read, never the answers themselves.

An organisation counts with its latest closed round (`RoundFigures.latest`), and only while
its `sharing` (read when the figures are shown, never stored here) is not private; it is
grouped by its type as it is now (`Organisation.org_type`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models import SHARED, Organisation, Round
from content.models import KeyArea


class RoundFiguresQuerySet(models.QuerySet):
    def counted(self):
        """The figures that count now: each sharing organisation's latest closed round."""
        return self.filter(latest=True, organisation__sharing__in=SHARED)


class RoundFigures(models.Model):
    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="figures")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    closed_at = models.DateTimeField()
    # The organisation's latest closed round (the newest started, as "previous round" counts).
    latest = models.BooleanField(default=False)
    answered = models.PositiveIntegerField()  # applicable items answered, all key areas
    applicable = models.PositiveIntegerField()

    objects = RoundFiguresQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(latest=True),
                name="one_latest_figures_per_organisation",
            )
        ]
        verbose_name = _("round figures")
        verbose_name_plural = _("round figures")

    def __str__(self):
        return f"{self.round_id} ({self.closed_at:%Y-%m-%d})"


class AreaFiguresQuerySet(models.QuerySet):
    def counted(self):
        """The key areas' figures of `RoundFigures.objects.counted()`."""
        return self.filter(figures__latest=True, figures__organisation__sharing__in=SHARED)


class AreaFigures(models.Model):
    """One key area's figures in a closed round."""

    figures = models.ForeignKey(RoundFigures, on_delete=models.CASCADE, related_name="areas")
    key_area = models.ForeignKey(KeyArea, on_delete=models.PROTECT, related_name="+")
    # (Yes + ½ Partly) / applicable items, 0..1; null unless every applicable item is answered
    # and some item applies (assessments.scoring.AreaResult.score).
    score = models.FloatField(null=True)
    verdict = models.CharField(max_length=20, blank=True)  # scoring.Verdict, "" before one
    answered = models.PositiveIntegerField()
    applicable = models.PositiveIntegerField()
    # The participants' agreement (0..1) where the round's survey shows it (enough responses).
    participants_agreement = models.FloatField(null=True)

    objects = AreaFiguresQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["figures", "key_area"], name="one_figure_per_area")
        ]
        verbose_name = _("key area figures")
        verbose_name_plural = _("key area figures")

    def __str__(self):
        return f"{self.figures_id}: {self.key_area_id} {self.score}"


class PoolRevision(models.Model):
    """One row that changes whenever the pool does (figures written or removed, an
    organisation's sharing level or type changed): the distributions computed from the pool
    are cached under it (`peers.pool`), so a change is seen at once by every process."""

    number = models.PositiveBigIntegerField(default=0)
    # Random on every change: a database restored to an earlier number never meets figures
    # cached under that number before the restore.
    token = models.CharField(max_length=32, default="", blank=True)

    class Meta:
        verbose_name = _("pool revision")

    def __str__(self):
        return f"{self.number}-{self.token}"
