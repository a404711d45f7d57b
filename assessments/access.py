"""Who may see what: every view looks the organisation up through the user's own memberships
(404 otherwise) and checks the role on the server."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse

from . import selectors
from .models import Membership


def member_required(view):
    """Login required; an HTMX request of an expired session gets a 401, not a login page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            if request.htmx:
                return HttpResponse(status=401)
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


def check_role(membership, *, write=False, coordinator=False) -> Membership:
    if coordinator and not membership.is_coordinator:
        raise PermissionDenied
    if write and not membership.can_write:
        raise PermissionDenied
    return membership


def membership_for_request(request, org_slug, *, write=False, coordinator=False) -> Membership:
    membership = selectors.membership_for(request.user, org_slug)
    return check_role(membership, write=write, coordinator=coordinator)


def membership_and_round_for(request, org_slug, round_id, *, write=False, coordinator=False):
    membership, round_ = selectors.membership_and_round(request.user, org_slug, round_id)
    return check_role(membership, write=write, coordinator=coordinator), round_
