"""The action plan: planning an action from a gap, editing it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from content.models import ChecklistItem

from .. import services
from ..access import membership_required
from ..forms import (
    ActionForm,
)
from ..models import Action


def _refused(form, error, *, field=None):
    """Show a refusal on the form: a due date in the past asks to be confirmed."""
    if error.code == "past_due_date":
        form.ask_past_date(error)
    else:
        form.add_error(None if error.code == "too_many_actions" else field, error)


@membership_required(write=True)
def action_new(request, membership, round_):
    item = get_object_or_404(
        ChecklistItem.objects.current().select_related("checklist__key_area"),
        key=request.GET.get("item") or request.POST.get("item"),
    )
    form = ActionForm(request.POST or None, organisation=membership.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.action_create(
                round=round_,
                item=item,
                title=form.cleaned_data["title"],
                owner=form.cleaned_data["owner"],
                due_date=form.cleaned_data["due_date"],
                user=request.user,
                past_date_ok=form.cleaned_data["past_date_ok"],
            )
        except ValidationError as error:
            _refused(form, error, field="owner")
        else:
            messages.success(request, _("The action was added to the plan."))
            return redirect(
                reverse("reporting:summary", args=[membership.organisation.slug, round_.pk])
                + f"#gap-{item.key}"
            )
    return render(
        request,
        "assessments/action_form.html",
        {
            "membership": membership,
            "organisation": membership.organisation,
            "round": round_,
            "item": item,
            "form": form,
            "today": timezone.localdate(),
        },
    )


@membership_required(write=True)
def action_edit(request, membership, action_id):
    action = get_object_or_404(
        Action.objects.select_related("round", "item__checklist__key_area", "owner"),
        pk=action_id,
        round__organisation=membership.organisation,
    )
    action.round.organisation = membership.organisation
    form = ActionForm(
        request.POST or None,
        organisation=membership.organisation,
        initial={
            "title": action.title,
            "owner": action.owner,
            "due_date": action.due_date,
            "status": action.status,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(action=action, **form.cleaned_data)
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("The action was updated."))
            return redirect(
                reverse("reporting:summary", args=[membership.organisation.slug, action.round_id])
                + "#action-plan"
            )
    return render(
        request,
        "assessments/action_form.html",
        {
            "membership": membership,
            "organisation": membership.organisation,
            "round": action.round,
            "item": action.item,
            "form": form,
            "action": action,
            "today": timezone.localdate(),
        },
    )
