"""An organisation's consent to be counted beyond itself (`Organisation.sharing`)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Organisation, Sharing


@transaction.atomic
def organisation_sharing_set(*, organisation: Organisation, sharing: str, user) -> Organisation:
    """Set the organisation's sharing level (coordinators, checked by the caller), recording
    who changed it and when. Peer figures read the level when they are shown, so a lower level
    takes effect at once; setting the same level again records nothing."""
    if sharing not in Sharing.values:
        raise ValidationError(_("Choose one of the sharing levels."))
    # Locked: two coordinators changing it at once leave the later choice and its author.
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if locked.sharing != sharing:
        locked.sharing = sharing
        locked.sharing_changed_at = timezone.now()
        locked.sharing_changed_by = user
        locked.save(update_fields=["sharing", "sharing_changed_at", "sharing_changed_by"])
    return locked


def sharing_changed_by(organisation: Organisation):
    """Who last changed the level (None if nobody has, or their account is gone)."""
    if organisation.sharing_changed_by_id is None:
        return None
    return get_user_model().objects.filter(pk=organisation.sharing_changed_by_id).first()
