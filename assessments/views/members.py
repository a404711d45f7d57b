"""Members and invitations: roles, removal, revoking and accepting invitations."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.people import display_name
from core import throttle

from .. import services
from ..access import POST, membership_required
from ..forms import (
    InvitationForm,
    RoleForm,
)
from ..models import Membership, Role
from ..notifications import send_invitation
from .confirmation import confirm


@membership_required(coordinator=POST)
def members(request, membership):
    organisation = membership.organisation
    form = InvitationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid() and throttle.over_limit(request, "invitation", throttle.INVITATION):
            form.add_error(None, throttle.TOO_MANY)
            status = 429
        elif form.is_valid():
            try:
                invitation = services.invitation_create(
                    organisation=organisation, invited_by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error("email", error)
            else:
                send_invitation(request, invitation)
                messages.success(
                    request, _("An invitation was sent to %(email)s.") % {"email": invitation.email}
                )
                return redirect("assessments:members", organisation.slug)
    member_list = organisation.memberships.select_related("user").order_by(
        "role", "user__first_name", "user__email"
    )
    pending = organisation.invitations.pending().select_related("invited_by")
    return render(
        request,
        "assessments/members.html",
        {
            "membership": membership,
            "organisation": organisation,
            "members": member_list,
            "pending": pending,
            "form": form,
            "roles": Role.choices,
        },
        status=status,
    )


# What each role may do, as a role change's confirmation names it.
ROLE_CAN = {
    Role.COORDINATOR: gettext_lazy(
        "A coordinator manages members and rounds, and answers and writes notes."
    ),
    Role.PRACTITIONER: gettext_lazy(
        "A practitioner answers the checklists and writes notes, but does not manage members "
        "or rounds."
    ),
    Role.VIEWER: gettext_lazy(
        "A viewer reads the rounds, summaries and reports, but does not answer or write notes."
    ),
}


@membership_required(coordinator=True)
def member_role(request, membership, member_id):
    """Change a member's role (coordinators): GET asks first, naming what changes; POST does."""
    organisation = membership.organisation
    target = get_object_or_404(
        Membership.objects.select_related("user"), pk=member_id, organisation=organisation
    )
    form = RoleForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        messages.error(request, _("Choose a valid role."))
        return redirect("assessments:members", organisation.slug)
    role = form.cleaned_data["role"]
    if request.method != "POST":
        if role == target.role:
            messages.info(request, _("This member already has that role."))
            return redirect("assessments:members", organisation.slug)
        consequences = [ROLE_CAN[role]]
        if target.user_id == request.user.id and role != Role.COORDINATOR:
            consequences.append(_("You will no longer be able to manage members and rounds."))
        return confirm(
            request,
            membership,
            title=_("Change the role of %(person)s from %(old)s to %(new)s?")
            % {
                "person": _person_with_address(target.user),
                "old": target.get_role_display(),
                "new": Role(role).label,
            },
            consequences=consequences,
            button=_("Change the role"),
            back=reverse("assessments:members", args=[organisation.slug]),
            hidden={"role": role},
        )
    try:
        services.membership_set_role(membership=target, role=role)
        messages.success(request, _("The role was changed."))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("assessments:members", organisation.slug)


def _person_with_address(user) -> str:
    """A member as the coordinators' confirmation pages name them: name and address (only
    coordinators see addresses)."""
    return f"{display_name(user)} ({user.email})"


@membership_required(coordinator=True)
def member_remove(request, membership, member_id):
    """Remove a member (coordinators): GET asks first, naming the consequence; POST does."""
    organisation = membership.organisation
    target = get_object_or_404(
        Membership.objects.select_related("user"), pk=member_id, organisation=organisation
    )
    if request.method != "POST":
        names = {"person": _person_with_address(target.user), "organisation": organisation.name}
        if target.user_id == request.user.id:
            lose = _("You will lose access to %(organisation)s's rounds at once.") % names
        else:
            lose = (
                _(
                    "%(person)s will lose access to %(organisation)s's rounds, answers, notes "
                    "and reports."
                )
                % names
            )
        return confirm(
            request,
            membership,
            title=_("Remove %(person)s from %(organisation)s?") % names,
            consequences=[
                lose,
                _("What they saved stays, and so does their account."),
                _("Invitations not yet accepted for their address stop working."),
            ],
            button=_("Remove"),
            danger=True,
            back=reverse("assessments:members", args=[organisation.slug]),
        )
    try:
        services.membership_remove(membership=target)
        messages.success(request, _("The member was removed."))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    if target.user_id == request.user.id:
        return redirect("assessments:home")
    return redirect("assessments:members", organisation.slug)


@membership_required(coordinator=True)
def invitation_revoke(request, membership, invitation_id):
    """Revoke a pending invitation (coordinators), after a confirmation page."""
    invitation = get_object_or_404(membership.organisation.invitations, pk=invitation_id)
    if request.method == "POST":
        try:
            services.invitation_revoke(invitation=invitation, user=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request,
                _("The invitation for %(email)s was revoked.") % {"email": invitation.email},
            )
        return redirect("assessments:members", membership.organisation.slug)
    return render(
        request,
        "assessments/invitation_revoke.html",
        {
            "membership": membership,
            "organisation": membership.organisation,
            "invitation": invitation,
        },
    )
