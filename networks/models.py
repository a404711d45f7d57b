"""Networks: organisations that work together (a municipality's integration council, a
national programme), whose coordinators see the figures of the members that share with
networks, never their texts."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Organisation, Sharing
from core.validators import single_line


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class Network(models.Model):
    name = models.CharField(_("name"), max_length=200, validators=[single_line])
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="coordinated_networks",
        verbose_name=_("coordinators"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("networks:detail", args=[self.slug])


class NetworkMemberQuerySet(models.QuerySet):
    def sharing(self):
        """The members whose figures the network may see: those sharing with networks (read
        now, so that a lower level takes effect at once)."""
        return self.filter(organisation__sharing=Sharing.NETWORK)


class NetworkMember(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="network_memberships"
    )
    joined_at = models.DateTimeField(default=timezone.now)
    joined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = NetworkMemberQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "organisation"], name="one_membership")
        ]
        verbose_name = _("network member")
        verbose_name_plural = _("network members")

    def __str__(self):
        return f"{self.network_id}: {self.organisation_id}"


def _expiry():
    return timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)


class NetworkInvitation(models.Model):
    """An invitation to the coordinator of an organisation (by e-mail address): they choose
    which of their organisations joins, or decline."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=_expiry)
    answered_at = models.DateTimeField(null=True, blank=True)
    accepted = models.BooleanField(null=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("network invitation")
        verbose_name_plural = _("network invitations")

    def __str__(self):
        return f"{self.network_id}: {self.email}"

    @property
    def is_open(self) -> bool:
        return self.answered_at is None and self.expires_at > timezone.now()
