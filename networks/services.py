"""The ways a network changes: created, an organisation invited, an invitation answered, an
organisation leaving. Permissions are checked here as well as in the views."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from assessments.models import Membership, Organisation, Role

from .models import Network, NetworkInvitation, NetworkMember


def coordinated_organisations(user):
    """The organisations `user` coordinates: those they may let join or leave a network."""
    return Organisation.objects.filter(
        memberships__user=user, memberships__role=Role.COORDINATOR
    ).order_by("name")


@transaction.atomic
def network_create(*, user, name: str, description: str) -> Network:
    base = slugify(name)[:60] or "network"
    slug, n = base, 1
    while Network.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    try:
        with transaction.atomic():
            network = Network.objects.create(
                name=name, slug=slug, description=description, created_by=user
            )
    except IntegrityError:  # the same name created at the same moment: the next number
        network = Network.objects.create(
            name=name, slug=f"{slug}-{n + 1}", description=description, created_by=user
        )
    network.coordinators.add(user)
    return network


@transaction.atomic
def network_invite(*, network: Network, email: str, user) -> NetworkInvitation:
    """A new invitation to `email`; an open one to the same address is replaced, so that
    only the newest link works."""
    if not network.coordinators.filter(pk=user.pk).exists():
        raise PermissionDenied
    email = email.strip()
    open_ones = NetworkInvitation.objects.select_for_update().filter(
        network=network, email__iexact=email, answered_at__isnull=True
    )
    open_ones.update(answered_at=timezone.now(), accepted=False)
    return NetworkInvitation.objects.create(network=network, email=email, invited_by=user)


def _open_invitation(token: str, user) -> NetworkInvitation:
    invitation = (
        NetworkInvitation.objects.select_for_update()
        .select_related("network")
        .filter(token=token)
        .first()
    )
    if invitation is None or not invitation.is_open:
        raise ValidationError(_("This invitation link is not valid any more. Ask for a new one."))
    if invitation.email.lower() != (user.email or "").lower():
        raise ValidationError(
            _("This invitation was sent to another e-mail address. Log in as %(email)s.")
            % {"email": invitation.email}
        )
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user, organisation: Organisation) -> NetworkMember:
    invitation = _open_invitation(token, user)
    if not coordinated_organisations(user).filter(pk=organisation.pk).exists():
        raise ValidationError(_("Only a coordinator of the organisation can let it join."))
    member, _created = NetworkMember.objects.get_or_create(
        network=invitation.network, organisation=organisation, defaults={"joined_by": user}
    )
    invitation.answered_at = timezone.now()
    invitation.accepted = True
    invitation.organisation = organisation
    invitation.save(update_fields=["answered_at", "accepted", "organisation"])
    return member


@transaction.atomic
def invitation_decline(*, token: str, user) -> NetworkInvitation:
    invitation = _open_invitation(token, user)
    invitation.answered_at = timezone.now()
    invitation.accepted = False
    invitation.save(update_fields=["answered_at", "accepted"])
    return invitation


@transaction.atomic
def network_leave(*, network: Network, organisation: Organisation, user) -> None:
    """The organisation leaves the network: from now on the network sees nothing of it."""
    coordinator = Membership.objects.filter(
        user=user, organisation=organisation, role=Role.COORDINATOR
    ).exists()
    if not coordinator:
        raise PermissionDenied
    NetworkMember.objects.filter(network=network, organisation=organisation).delete()
