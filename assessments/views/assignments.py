"""Who answers which key area of a round: the coordinators' page of assignments."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from content.cache import current_key_areas

from .. import assignments as assigning
from .. import services
from ..access import membership_required
from ..forms import AssignmentForm


@membership_required(coordinator=True)
def assignments(request, membership, round_):
    """Assign the round's key areas to members (coordinators, while the round is open): one
    form of checkboxes, saved all or nothing."""
    people = assigning.assignees(round_)
    form = AssignmentForm(
        # An empty POST is a choice too: nobody ticked anywhere.
        request.POST if request.method == "POST" else None,
        key_areas=current_key_areas(),
        members=assigning.assignable_members(membership.organisation),
        initial={
            f"area-{area.number}": [str(user.pk) for user in people.get(area.pk, [])]
            for area in current_key_areas()
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            assigning.assignments_set(round=round_, chosen=form.chosen(), user=request.user)
        except services.RoundClosedError:
            messages.error(request, _("This round is closed: nothing was saved."))
            return redirect(round_)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The key areas are assigned."))
            return redirect(round_)
    return render(
        request,
        "assessments/assignments.html",
        {
            "membership": membership,
            "organisation": membership.organisation,
            "round": round_,
            "form": form,
        },
        status=400 if form.errors else 200,
    )
