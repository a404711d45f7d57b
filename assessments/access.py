"""Who may see what: every member view looks the organisation up through the user's own
memberships (404 otherwise) and checks the role on the server (403)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse

from . import selectors
from .models import Membership

POST = "POST"  # a role needed only to POST: every member sees the page


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


def membership_required(view=None, *, write=False, coordinator=False):
    """A member's view of the organisation in its URL: login required (as member_required),
    the user's membership of the organisation and the round of the URL, if it names one (404
    otherwise), and the role (403). write and coordinator: True, or POST when only a POST
    needs that role. The view is called as view(request, membership, round_, **rest), or
    view(request, membership, **rest) for a URL without a round."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, org_slug, **kwargs):
            if "round_id" in kwargs:
                membership, round_ = selectors.membership_and_round(
                    request.user, org_slug, kwargs.pop("round_id")
                )
                found = (membership, round_)
            else:
                membership = selectors.membership_for(request.user, org_slug)
                found = (membership,)
            check_role(
                membership, write=_needed(write, request), coordinator=_needed(coordinator, request)
            )
            return view(request, *found, **kwargs)

        return member_required(wrapper)

    return decorator(view) if view is not None else decorator


def _needed(role_required, request) -> bool:
    return role_required is True or (role_required == POST and request.method == "POST")


def check_role(membership, *, write=False, coordinator=False) -> Membership:
    if coordinator and not membership.is_coordinator:
        raise PermissionDenied
    if write and not membership.can_write:
        raise PermissionDenied
    return membership
