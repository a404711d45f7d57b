"""An invitation's page: join with the account one has, or sign up and join in one step."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts import signup
from accounts.forms import NameForm
from accounts.people import has_name
from core import throttle

from .. import services
from ..forms import InvitationSignupForm
from ..joining import invitation_signup
from ..models import Invitation


def _page(request, invitation, *, status=200, **forms):
    return render(
        request, "assessments/invitation.html", {"invitation": invitation, **forms}, status=status
    )


def _join(request, token, invitation, name_form):
    """Accept as the signed-in person (`invitation` None when its link has ended: the refusal
    says why). Who has no name yet (an account older than names), or goes by the name of a
    member of the organisation, gives one here."""
    name = ""
    if name_form is not None and invitation is not None:
        if not name_form.is_valid():
            return _page(request, invitation, name_form=name_form, status=400)
        name = name_form.cleaned_data["first_name"]
    try:
        membership = services.invitation_accept(token=token, user=request.user, name=name)
    except ValidationError as error:
        if error.code == "name_taken":
            name_form = NameForm({"first_name": name or request.user.first_name})
            name_form.is_valid()
            name_form.add_error("first_name", error)
            return _page(request, invitation, name_form=name_form, status=400)
        messages.error(request, error.messages[0])
        return redirect("assessments:invitation", token)
    messages.success(request, _("You joined %(name)s.") % {"name": membership.organisation.name})
    return redirect(membership.organisation)


def _sign_up(request, invitation):
    """Sign up on the invitation's page. With the invited address the account is active at
    once and the invitation accepted (assessments.joining); with another one, or an address
    that has an account, it is the usual sign-up by e-mail and the invitation stays pending.
    Every attempt counts against the sign-up limit."""
    form = InvitationSignupForm(request.POST, invitation=invitation)
    if throttle.over_limit(request, "signup", throttle.SIGNUP):
        form.is_valid()
        form.add_error(None, throttle.TOO_MANY)
        return _page(request, invitation, signup_form=form, status=429)
    if not form.is_valid():
        return _page(request, invitation, signup_form=form, status=400)
    if not form.for_invited_address():
        return signup.signup_by_email(request, form, request.path)
    try:
        membership = invitation_signup(token=invitation.token, form=form)
    except ValidationError as error:
        if error.code == "name_taken":
            form.add_error("first_name", error)
            return _page(request, invitation, signup_form=form, status=400)
        messages.error(request, error.messages[0])
        return redirect("assessments:invitation", invitation.token)
    if membership is None:
        return signup.signup_by_email(request, form, request.path)
    signup.sign_in(request, membership.user)
    messages.success(
        request,
        _("Welcome! Your account is ready, and you joined %(name)s.")
        % {"name": membership.organisation.name},
    )
    return redirect(membership.organisation)


def invitation(request, token):
    """The invitation's page: join, or why its link no longer works (410; 404 if unknown)."""
    invitation = Invitation.objects.select_related("organisation").filter(token=token).first()
    usable = invitation is not None and invitation.is_usable
    name_form = None
    if request.user.is_authenticated and (
        not has_name(request.user) or "first_name" in request.POST
    ):
        name_form = NameForm(request.POST or None)
    if request.method == "POST" and request.user.is_authenticated:
        return _join(request, token, invitation if usable else None, name_form)
    if request.method == "POST" and usable:
        return _sign_up(request, invitation)
    if usable and not request.user.is_authenticated:
        return _page(request, invitation, signup_form=InvitationSignupForm(invitation=invitation))
    return render(
        request,
        "assessments/invitation.html",
        {
            "invitation": invitation if usable else None,
            "ended": invitation.ended_message if invitation is not None else None,
            "name_form": name_form,
        },
        status=200 if usable else 404 if invitation is None else 410,
    )
