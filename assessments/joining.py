"""Joining by invitation with a new account, in one step.

The invitation's link came by e-mail to the invited address, so a sign-up on its page with that
address needs no second e-mail to prove it: the account is made active and the invitation
accepted in one transaction (accounts.signup.register_proven, services.invitation_accept).
"""

from django.db import transaction

from accounts.signup import register_proven

from .models import Invitation, Membership
from .services import invitation_accept


@transaction.atomic
def invitation_signup(*, token: str, form) -> Membership | None:
    """Sign up with a valid SignupForm for the invited address and accept the invitation.

    None when the address has an account of its own (never replaced: it logs in to accept).
    The refusals are invitation_accept's (ended link, another address, a member's name); when
    one is raised nothing is kept, not even the account."""
    # Two sign-ups on one link at once: the second waits here and finds the link used.
    Invitation.objects.select_for_update().filter(token=token).first()
    user = register_proven(form)
    if user is None:
        return None
    return invitation_accept(token=token, user=user)
