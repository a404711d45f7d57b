"""What networks hold about a person, for their own-data export and their account's deletion
(`accounts.signals`)."""

from django.db.models import Count

from .models import Network, NetworkInvitation


def own_data(sender, user, **kwargs) -> dict:
    return {
        "networks_coordinated": [
            {"name": network.name, "slug": network.slug, "description": network.description}
            for network in user.coordinated_networks.order_by("pk")
        ],
        "network_invitations_received": [
            {
                "network": invitation.network.name,
                "sent": invitation.created_at.isoformat(),
                "accepted": invitation.accepted,
            }
            for invitation in NetworkInvitation.objects.filter(email__iexact=user.email)
            .select_related("network")
            .order_by("pk")
        ],
    }


def account_deleting(sender, user, **kwargs) -> None:
    """The person stops coordinating their networks; a network left with no coordinator is
    deleted (it holds nothing but who is in it); invitations to their address go."""
    networks = list(user.coordinated_networks.values_list("pk", flat=True))
    user.coordinated_networks.clear()
    Network.objects.filter(pk__in=networks).annotate(n=Count("coordinators")).filter(
        n=0
    ).delete()
    if user.email:
        NetworkInvitation.objects.filter(email__iexact=user.email).delete()
