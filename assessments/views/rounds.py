"""Rounds: starting, closing, reopening, and the round's page."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import selectors, services
from ..access import membership_required
from ..forms import (
    ComparisonOpenForm,
    RoundForm,
)
from ..models import RoundMode
from .confirmation import confirm


@membership_required(coordinator=True)
def round_start(request, membership):
    """Start a round (coordinators): empty or carrying over the last closed round's answers.
    While another round is open the form comes back first, saying so, with "Yes, start
    anyway"; starting one closes nothing."""
    organisation = membership.organisation
    rounds = list(selectors.rounds_for_organisation(organisation))
    open_rounds = selectors.open_rounds(rounds)
    form = RoundForm(request.POST or None, last_closed=selectors.last_closed_round(rounds))
    asking = False
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["name"].strip().upper()
        same = next((r for r in open_rounds if r.name.upper() == name), None)
        if same is not None:  # a double submit: the round it started
            return redirect(same)
        if open_rounds and not form.cleaned_data["confirmed"]:
            asking = True
        else:
            new_round = services.round_start(
                organisation=organisation,
                name=form.cleaned_data["name"],
                user=request.user,
                copy_from=form.copy_from(),
                mode=form.cleaned_data["mode"] or RoundMode.TOGETHER,
            )
            messages.success(
                request, _("The round “%(name)s” has started.") % {"name": new_round.name}
            )
            return redirect(new_round)
    return render(
        request,
        "assessments/round_start.html",
        {
            "membership": membership,
            "organisation": organisation,
            "form": form,
            "open_rounds": open_rounds,
            "asking": asking,
        },
        status=400 if form.errors else 200,
    )


@membership_required(coordinator=True)
def round_close(request, membership, round_):
    """Close a round (coordinators): GET asks first, POST closes."""
    if request.method != "POST":
        if not round_.is_open:
            return redirect(round_)
        return confirm(
            request,
            membership,
            title=_("Close the round “%(name)s”?") % {"name": round_.name},
            consequences=[
                _(
                    "Nobody can change its answers or notes any more. It stays for reading, "
                    "for its report and for comparison with later rounds."
                ),
                _(
                    "Its answers can be carried over into a new round. You can reopen it later; "
                    "that is recorded in its history."
                ),
            ],
            button=_("Close the round"),
            back=round_.get_absolute_url(),
        )
    services.round_close(round=round_, user=request.user)
    messages.success(request, _("The round is closed. Its answers can no longer be changed."))
    return redirect(round_)


@membership_required(coordinator=True)
def round_reopen(request, membership, round_):
    """Reopen a closed round (coordinators): GET asks first, POST reopens."""
    if request.method != "POST":
        if round_.is_open:
            return redirect(round_)
        return confirm(
            request,
            membership,
            title=_("Reopen the round “%(name)s”?") % {"name": round_.name},
            consequences=[
                _(
                    "Members can change its answers and notes again, and its summary and "
                    "report change with them."
                ),
                _("The reopening is recorded in the round's history."),
            ],
            button=_("Reopen the round"),
            back=round_.get_absolute_url(),
        )
    services.round_reopen(round=round_, user=request.user)
    messages.success(request, _("The round is open again."))
    return redirect(round_)


@membership_required
def round_detail(request, membership, round_):
    progress, overall = selectors.round_progress(round_, request.user)
    first_gap = next((p for p in progress if p.first_unanswered), None)
    member_progress = None
    if membership.is_coordinator and round_.collects_individual_answers:
        member_progress = selectors.individual_progress(round_)
    return render(
        request,
        "assessments/round.html",
        {
            "membership": membership,
            "organisation": membership.organisation,
            "round": round_,
            "progress": progress,
            "overall": overall,
            "first_gap": first_gap,
            "member_progress": member_progress,
            "open_form": ComparisonOpenForm(),
            "events": round_.events.select_related("user"),
            "contributions": selectors.round_contributions(round_),
        },
    )
