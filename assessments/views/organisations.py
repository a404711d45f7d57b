"""An organisation: the member's home, creating one, its page, deleting it."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import selectors, services, sharing
from ..access import POST, member_required, membership_required
from ..forms import (
    OrganisationForm,
    RoundForm,
    SharingForm,
)
from ..models import RoundStatus


def assessment_start(request):
    """Where "Start a self-assessment" leads: a visitor signs up first; a person without an
    organisation creates one; a member of one goes to its open round, or to the organisation to
    start one; a member of several chooses among them."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("signup"))
    memberships = list(selectors.memberships_for_user(request.user)[:2])
    if not memberships:
        return redirect("assessments:organisation_create")
    if len(memberships) > 1:
        return redirect("assessments:home")
    organisation = memberships[0].organisation
    open_round = organisation.rounds.filter(status=RoundStatus.OPEN).first()
    if open_round is None:
        return redirect(organisation.get_absolute_url() + "#first-steps")
    open_round.organisation = organisation
    return redirect(open_round)


@member_required
def home(request):
    memberships = list(
        selectors.memberships_for_user(request.user).annotate(
            open_rounds=Count("organisation__rounds", filter=Q(organisation__rounds__status="open"))
        )
    )
    return render(request, "assessments/home.html", {"memberships": memberships})


@member_required
def organisation_create(request):
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = services.organisation_create(user=request.user, **form.cleaned_data)
        messages.success(request, _("The organisation was created. You are its coordinator."))
        return redirect(organisation)
    return render(request, "assessments/organisation_form.html", {"form": form})


@membership_required
def organisation(request, membership):
    rounds = list(selectors.rounds_for_organisation(membership.organisation))
    return render(
        request,
        "assessments/organisation.html",
        {
            "membership": membership,
            "organisation": membership.organisation,
            "rounds": rounds,
            "steps": selectors.first_steps(membership, rounds),
            "round_form": RoundForm(last_closed=selectors.last_closed_round(rounds)),
        },
    )


@membership_required(coordinator=True)
def organisation_delete(request, membership):
    """Delete the organisation and all its data, after typing its name (coordinators)."""
    organisation = membership.organisation
    error = None
    if request.method == "POST":
        try:
            services.organisation_delete(
                organisation=organisation, confirmation=request.POST.get("confirmation", "")
            )
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("The organisation and all its data were deleted."))
            return redirect("assessments:home")
    return render(
        request,
        "assessments/organisation_delete.html",
        {
            "membership": membership,
            "organisation": organisation,
            "error": error,
        },
        status=400 if error else 200,
    )


@membership_required(coordinator=POST)
def organisation_sharing(request, membership):
    """What the organisation shares beyond itself: every member reads it, a coordinator
    changes it (at any time; recorded with who and when)."""
    organisation = membership.organisation
    form = SharingForm(request.POST or None, initial={"sharing": organisation.sharing})
    if request.method == "POST" and form.is_valid():
        sharing.organisation_sharing_set(
            organisation=organisation, sharing=form.cleaned_data["sharing"], user=request.user
        )
        messages.success(request, _("The sharing setting was saved."))
        return redirect("assessments:organisation_sharing", organisation.slug)
    return render(
        request,
        "assessments/organisation_sharing.html",
        {
            "membership": membership,
            "organisation": organisation,
            "form": form,
            "changed_by": sharing.sharing_changed_by(organisation),
        },
        status=400 if form.errors else 200,
    )
