"""Self-assessment views: look up scoped to the member, check the role, call one service."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import reswap, retarget

from content.cache import checklist_item_by_key, current_key_areas, key_area_by_number
from content.models import ChecklistItem
from surveys.selectors import (
    participants_across_rounds,
    participants_fingerprint,
    participants_view,
)
from toolkit_site import throttle
from toolkit_site.charts import Bar, bar_chart
from toolkit_site.pdf import render_pdf

from . import consensus, scoring, selectors, services
from .exports import organisation_document, round_csv, round_document, round_xlsx
from .forms import (
    ActionForm,
    AgreeForm,
    ComparisonOpenForm,
    InvitationForm,
    NameForm,
    NoteForm,
    OrganisationForm,
    PasswordResetForm,
    RoleForm,
    RoundForm,
    SignupForm,
)
from .models import Action, AnswerValue, Invitation, Membership, Role, RoundMode, RoundStatus
from .notifications import send_invitation
from .people import display_name, has_name
from .reports import cached_report
from .review import organisation_review
from .summary import round_summary
from .templatetags.assessment_tags import result_text


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


def _check_role(membership, *, write=False, coordinator=False) -> Membership:
    if coordinator and not membership.is_coordinator:
        raise PermissionDenied
    if write and not membership.can_write:
        raise PermissionDenied
    return membership


def _membership(request, org_slug, *, write=False, coordinator=False) -> Membership:
    membership = selectors.membership_for(request.user, org_slug)
    return _check_role(membership, write=write, coordinator=coordinator)


def _membership_and_round(request, org_slug, round_id, *, write=False, coordinator=False):
    membership, round_ = selectors.membership_and_round(request.user, org_slug, round_id)
    return _check_role(membership, write=write, coordinator=coordinator), round_


# --- accounts and organisations --------------------------------------------------------------


def _too_many(request, template, form, context=None):
    """The form again, nothing done, saying why (429)."""
    form.add_error(None, throttle.TOO_MANY)
    return render(request, template, {"form": form, **(context or {})}, status=429)


_password_reset = auth_views.PasswordResetView.as_view(form_class=PasswordResetForm)


def password_reset(request):
    """Django's password reset, a few e-mails an hour per client and per address asked for."""
    if request.method == "POST" and throttle.over_limit(
        request, "password_reset", throttle.PASSWORD_RESET
    ):
        form = PasswordResetForm(request.POST)
        return _too_many(request, "registration/password_reset_form.html", form)
    return _password_reset(request)


def signup(request):
    if request.user.is_authenticated:
        return redirect("assessments:home")
    form = SignupForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next", "")
    if request.method == "POST" and form.is_valid():
        if throttle.over_limit(request, "signup", throttle.SIGNUP):
            return _too_many(request, "registration/signup.html", form, {"next": next_url})
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome! Your account is ready."))
        if next_url and next_url.startswith("/") and not next_url.startswith("//"):
            return redirect(next_url)
        return redirect("assessments:organisation_create")
    return render(
        request, "registration/signup.html", {"form": form, "next": request.GET.get("next", "")}
    )


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
def profile(request):
    """The member's own account: their name (as others see it) and a way to the password."""
    form = NameForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your name was saved."))
        return redirect("profile")
    return render(request, "registration/profile.html", {"form": form})


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


@member_required
def organisation(request, org_slug):
    membership = _membership(request, org_slug)
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


@member_required
def members(request, org_slug):
    membership = _membership(request, org_slug)
    organisation = membership.organisation
    form = InvitationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not membership.is_coordinator:
            raise PermissionDenied
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
                return redirect("assessments:members", org_slug)
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


def _confirm(request, membership, *, title, consequences, button, danger=False, back, hidden=None):
    """The page that asks before a change: what will happen, a POST form doing it (to this
    same address) and a way back; works without JavaScript."""
    return render(
        request,
        "assessments/confirm.html",
        {
            "membership": membership,
            "organisation": membership.organisation,
            "title": title,
            "consequences": consequences,
            "button": button,
            "danger": danger,
            "back": back,
            "hidden": hidden or {},
        },
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


@member_required
def member_role(request, org_slug, member_id):
    """Change a member's role (coordinators): GET asks first, naming what changes; POST does."""
    membership = _membership(request, org_slug, coordinator=True)
    organisation = membership.organisation
    target = get_object_or_404(
        Membership.objects.select_related("user"), pk=member_id, organisation=organisation
    )
    form = RoleForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        messages.error(request, _("Choose a valid role."))
        return redirect("assessments:members", org_slug)
    role = form.cleaned_data["role"]
    if request.method != "POST":
        if role == target.role:
            messages.info(request, _("This member already has that role."))
            return redirect("assessments:members", org_slug)
        consequences = [ROLE_CAN[role]]
        if target.user_id == request.user.id and role != Role.COORDINATOR:
            consequences.append(_("You will no longer be able to manage members and rounds."))
        return _confirm(
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
            back=reverse("assessments:members", args=[org_slug]),
            hidden={"role": role},
        )
    try:
        services.membership_set_role(membership=target, role=role)
        messages.success(request, _("The role was changed."))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return redirect("assessments:members", org_slug)


def _person_with_address(user) -> str:
    """A member as the coordinators' confirmation pages name them: name and address (only
    coordinators see addresses)."""
    return f"{display_name(user)} ({user.email})"


@member_required
def member_remove(request, org_slug, member_id):
    """Remove a member (coordinators): GET asks first, naming the consequence; POST does."""
    membership = _membership(request, org_slug, coordinator=True)
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
        return _confirm(
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
            back=reverse("assessments:members", args=[org_slug]),
        )
    try:
        services.membership_remove(membership=target)
        messages.success(request, _("The member was removed."))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    if target.user_id == request.user.id:
        return redirect("assessments:home")
    return redirect("assessments:members", org_slug)


@member_required
def invitation_revoke(request, org_slug, invitation_id):
    """Revoke a pending invitation (coordinators), after a confirmation page."""
    membership = _membership(request, org_slug, coordinator=True)
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
        return redirect("assessments:members", org_slug)
    return render(
        request,
        "assessments/invitation_revoke.html",
        {
            "membership": membership,
            "organisation": membership.organisation,
            "invitation": invitation,
        },
    )


def invitation(request, token):
    """The invitation's page: join, or why its link no longer works (410; 404 if unknown)."""
    invitation = Invitation.objects.select_related("organisation").filter(token=token).first()
    usable = invitation is not None and invitation.is_usable
    # Who joins without having given a name (an account older than names) gives it here.
    name_form = None
    if request.user.is_authenticated and not has_name(request.user):
        name_form = NameForm(request.POST or None)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        name = ""
        if name_form is not None and usable:
            if not name_form.is_valid():
                return render(
                    request,
                    "assessments/invitation.html",
                    {"invitation": invitation, "name_form": name_form},
                    status=400,
                )
            name = name_form.cleaned_data["first_name"]
        try:
            membership = services.invitation_accept(token=token, user=request.user, name=name)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect("assessments:invitation", token)
        messages.success(
            request, _("You joined %(name)s.") % {"name": membership.organisation.name}
        )
        return redirect(membership.organisation)
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


# --- rounds --------------------------------------------------------------------------------


@member_required
def round_start(request, org_slug):
    """Start a round (coordinators): empty or carrying over the last closed round's answers.
    While another round is open the form comes back first, saying so, with "Yes, start
    anyway"; starting one closes nothing."""
    membership = _membership(request, org_slug, coordinator=True)
    organisation = membership.organisation
    rounds = list(selectors.rounds_for_organisation(organisation))
    open_rounds = selectors.open_rounds(rounds)
    form = RoundForm(request.POST or None, last_closed=selectors.last_closed_round(rounds))
    asking = False
    if request.method == "POST" and form.is_valid():
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


@member_required
def round_close(request, org_slug, round_id):
    """Close a round (coordinators): GET asks first, POST closes."""
    membership = _membership(request, org_slug, coordinator=True)
    round_ = selectors.round_for_member(membership, round_id)
    if request.method != "POST":
        if not round_.is_open:
            return redirect(round_)
        return _confirm(
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


@member_required
def round_reopen(request, org_slug, round_id):
    """Reopen a closed round (coordinators): GET asks first, POST reopens."""
    membership = _membership(request, org_slug, coordinator=True)
    round_ = selectors.round_for_member(membership, round_id)
    if request.method != "POST":
        if round_.is_open:
            return redirect(round_)
        return _confirm(
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


@member_required
def round_detail(request, org_slug, round_id):
    membership, round_ = _membership_and_round(request, org_slug, round_id)
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
            "contributors": selectors.round_contributors(round_),
        },
    )


# --- answering -----------------------------------------------------------------------------


def _area_context(
    membership,
    round_,
    key_area,
    *,
    rows=None,
    note_form=None,
    conflicts=None,
    errors=None,
    note_conflict=None,
    typed_answers=None,
):
    rows = (
        rows
        if rows is not None
        else selectors.area_rows(
            round_, key_area, user=membership.user_id, with_previous_actions=True
        )
    )
    note = selectors.note_for(round_, key_area)
    if note_form is None:
        note_form = _note_form(note)
    checklists = []
    for row in rows:
        key = row.item.key
        row.typed = (typed_answers or {}).get(key)
        row.conflict = (conflicts or {}).get(key)
        row.error = (errors or {}).get(key)
        if not checklists or checklists[-1]["checklist"].pk != row.item.checklist_id:
            checklists.append({"checklist": row.item.checklist, "rows": []})
        checklists[-1]["rows"].append(row)
    areas = current_key_areas()
    index = next(i for i, a in enumerate(areas) if a.pk == key_area.pk)
    return {
        "membership": membership,
        "organisation": membership.organisation,
        "round": round_,
        "area": key_area,
        "result": scoring.area_result(row.value for row in rows),
        "checklists": checklists,
        "note": note,
        "note_form": note_form,
        "note_conflict": note_conflict,
        "editable": round_.is_open and membership.can_write,
        "answers_editable": _answers_editable(membership, round_),
        "answer_choices": _answer_choices(),
        "item_save_url": _item_save_url(membership.organisation, round_),
        "previous_area": areas[index - 1] if index > 0 else None,
        "next_area": areas[index + 1] if index + 1 < len(areas) else None,
    }


def _answers_editable(membership, round_) -> bool:
    """Whether the checklist page takes answers: not once a round of the "each first, then
    agree" kind has opened its comparison (agreed answers are recorded there)."""
    return round_.is_open and membership.can_write and not round_.comparison_open


def _answer_choices() -> list[tuple[str, str]]:
    """The answers with their labels in the current language (translated once per page)."""
    return [(value, str(label)) for value, label in AnswerValue.choices]


def _item_save_url(organisation, round_) -> str:
    """Where an item of the round is saved, without the item's key (added by the template)."""
    return reverse("assessments:item_save", args=[organisation.slug, round_.pk, "-"])[:-2]


def _note_form(note) -> NoteForm:
    return NoteForm(
        initial={"text": note.text if note else "", "version": note.version if note else 0}
    )


def _posted_answer(post, key):
    return (
        post.get(f"value-{key}", ""),
        post.get(f"comment-{key}", ""),
        _int(post.get(f"version-{key}")),
    )


def _int(value, default=-1):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@vary_on_headers("HX-Request")
@member_required
def area(request, org_slug, round_id, number):
    """The key area's checklist for the round. POST saves the whole page (no JavaScript)."""
    membership, round_ = _membership_and_round(
        request, org_slug, round_id, write=request.method == "POST"
    )
    key_area = key_area_by_number(number)
    if key_area is None:
        raise Http404
    if request.method == "POST":
        return _area_post(request, membership, round_, key_area)
    return render(request, "assessments/area.html", _area_context(membership, round_, key_area))


def _posted_changes(post, rows) -> list[services.AnswerChange]:
    """The answers a whole-page form changed, and the carried-over one its "Confirm" button
    confirmed (saved as it is)."""
    changes = []
    confirmed = post.get("confirm")
    for row in rows:
        if f"version-{row.item.key}" not in post:
            continue
        value, comment, version = _posted_answer(post, row.item.key)
        # Unchanged items (untouched presets too) are not saved: "last changed by" stays true.
        if (
            value != (row.shown_value or "")
            or comment.strip() != row.stored_comment
            or (confirmed == row.item.key and row.carried_over)
        ):
            changes.append(services.AnswerChange(row.item, value, comment, version))
    return changes


def _area_post(request, membership, round_, key_area):
    """Save the page's changed answers and its notes, all or nothing; on refusal the page again
    with every typed answer kept and the reasons marked."""
    page_url = reverse(
        "assessments:area", args=[membership.organisation.slug, round_.pk, key_area.number]
    )
    changes = []
    if _answers_editable(membership, round_):
        changes = _posted_changes(
            request.POST, selectors.area_rows(round_, key_area, user=request.user)
        )
    note = None
    if "version" in request.POST:
        note = (request.POST.get("text", ""), _int(request.POST.get("version")))
    try:
        services.area_save(
            round=round_, key_area=key_area, answers=changes, note=note, user=request.user
        )
    except services.RoundClosedError:
        messages.error(request, _("This round is closed: nothing was saved."))
        return redirect(page_url)
    except services.AnsweringPhaseError:
        messages.error(request, _("The comparison has been opened: nothing was saved."))
        return redirect(page_url)
    except services.AreaNotSaved as refused:
        messages.warning(
            request, _("Nothing was saved. Please check the marked items, then save again.")
        )
        typed = {c.item.key: {"value": c.value, "comment": c.comment} for c in changes}
        context = _area_context(
            membership,
            round_,
            key_area,
            typed_answers={k: v for k, v in typed.items() if k not in refused.conflicts},
            conflicts={k: typed[k] for k in refused.conflicts if k in typed},
            errors={k: {"message": m} for k, m in refused.errors.items()},
            note_conflict={"mine": note[0]} if "notes" in refused.conflicts else None,
            note_form=NoteForm(request.POST) if note and "notes" not in refused.conflicts else None,
        )
        status = 409 if refused.conflicts else 400
        return render(request, "assessments/area.html", context, status=status)
    messages.success(request, _("Your answers were saved."))
    return redirect(page_url)


@require_POST
@member_required
def item_save(request, org_slug, round_id, item_key):
    """HTMX: save one item; answer with its new state (or the whole item, for a conflict or an
    error) and the key area's progress, out of band."""
    membership, round_ = _membership_and_round(request, org_slug, round_id, write=True)
    item = checklist_item_by_key(item_key)
    if item is None:
        raise Http404
    key_area = item.checklist.key_area
    if not request.htmx:  # without JavaScript the whole page is one form
        return redirect("assessments:area", org_slug, round_.pk, key_area.number)
    value, comment, version = _posted_answer(request.POST, item.key)
    conflict = error = answer = None
    save = services.individual_answer_set if round_.is_individual else services.answer_set
    try:
        answer, found = save(
            round=round_,
            item=item,
            value=value,
            comment=comment,
            expected_version=version,
            user=request.user,
        )
    except (services.RoundClosedError, services.AnsweringPhaseError):
        return HttpResponse(status=409)
    except ValidationError as exc:
        error = {"message": exc.messages[0]}
    else:
        conflict = {"value": value, "comment": comment} if found else None
    # Usually only the item's state (version, "saved") is swapped, so that choices made while
    # the request was under way stay as the user left them; conflicts and errors replace it.
    whole_item = bool(conflict or error) or request.htmx.target == item.key
    if whole_item:
        rows = selectors.area_rows(round_, key_area, user=request.user, with_previous_actions=True)
        row = next(r for r in rows if r.item.pk == item.pk)
        result = scoring.area_result(r.value for r in rows)
    else:  # the saved answer as stored, and the area's progress from its values alone
        row = selectors.item_row(round_, item, answer)
        result = selectors.area_result(round_, key_area, user=request.user)
    row.conflict, row.error = conflict, error
    row.typed = {"value": value, "comment": comment} if error else None
    context = {
        "whole_item": whole_item,
        "row": row,
        "result": result,
        "round": round_,
        "organisation": membership.organisation,
        "editable": True,
        "answers_editable": True,
        "answer_choices": _answer_choices(),
        "item_save_url": _item_save_url(membership.organisation, round_),
        "just_saved": conflict is None and error is None,
    }
    response = render(
        request, "assessments/area.html#item_response", context, status=422 if error else 200
    )
    if whole_item:
        return retarget(reswap(response, "outerHTML"), f"[id='{item.key}']")
    return response


@require_POST
@member_required
def note_save(request, org_slug, round_id, number):
    """Save a key area's notes (HTMX fragment, or the page again without JavaScript)."""
    membership, round_ = _membership_and_round(request, org_slug, round_id, write=True)
    key_area = key_area_by_number(number)
    if key_area is None:
        raise Http404
    form = NoteForm(request.POST)
    page_url = reverse("assessments:area", args=[org_slug, round_.pk, number])
    conflict = None
    status = 200
    if not form.is_valid():
        status = 422
    else:
        try:
            _note, found = services.note_set(
                round=round_,
                key_area=key_area,
                text=form.cleaned_data["text"],
                expected_version=form.cleaned_data["version"],
                user=request.user,
            )
        except services.RoundClosedError:
            if request.htmx:
                return HttpResponse(status=409)
            messages.error(request, _("This round is closed: nothing was saved."))
            return redirect(page_url)
        except ValidationError as error:
            form.add_error("text", error)
            status = 422
        else:
            if found:
                conflict = {"mine": form.cleaned_data["text"]}
                status = 409 if not request.htmx else 200
            elif not request.htmx:
                messages.success(request, _("Your notes were saved."))
                return redirect(page_url + "#notes")
    if request.htmx:
        return _note_fragment(request, membership, round_, key_area, form, conflict, status)
    context = _area_context(
        membership,
        round_,
        key_area,
        note_conflict=conflict,
        note_form=form if status == 422 else None,
    )
    return render(request, "assessments/area.html", context, status=status)


def _note_fragment(request, membership, round_, key_area, form, conflict, status):
    """HTMX: after a save only the notes' state (version, "saved"), so that text typed while the
    request was under way stays; the whole notes for a conflict, an error or the conflict's own
    "save my version" button."""
    note = selectors.note_for(round_, key_area)
    saved = status == 200 and conflict is None
    whole = not saved or request.htmx.target == "notes"
    response = render(
        request,
        "assessments/area.html#notes" if whole else "assessments/area.html#note_state",
        {
            "round": round_,
            "organisation": membership.organisation,
            "area": key_area,
            "note": note,
            "editable": True,
            "note_conflict": conflict,
            "note_form": form if status == 422 else _note_form(note),
            "note_saved": saved,
        },
        status=status,
    )
    if whole:
        return retarget(reswap(response, "outerHTML"), "#notes")
    return response


# --- each first, then agree: the comparison ---------------------------------------------------


@require_POST
@member_required
def comparison_open(request, org_slug, round_id):
    """Open the comparison of an "each first, then agree" round (coordinators, confirmed)."""
    membership = _membership(request, org_slug, coordinator=True)
    round_ = selectors.round_for_member(membership, round_id)
    if not ComparisonOpenForm(request.POST).is_valid():
        messages.error(request, _("Confirm that you want to open the comparison."))
        return redirect(round_)
    try:
        services.comparison_open(round=round_, user=request.user)
    except services.RoundClosedError:
        messages.error(request, _("This round is closed: nothing was saved."))
        return redirect(round_)
    except services.AnsweringPhaseError:
        raise Http404 from None
    messages.success(request, _("The comparison is open. Agree on one answer per item."))
    return redirect("assessments:comparison", org_slug, round_.pk)


@member_required
def comparison(request, org_slug, round_id):
    """The spread of the individual answers per item, and the agreed answers (every member,
    once the coordinator has opened the comparison)."""
    membership, round_ = _membership_and_round(request, org_slug, round_id)
    return _comparison_page(request, membership, round_)


def _comparison_page(request, membership, round_, *, typed=None, status=200):
    if not round_.is_individual:
        raise Http404
    found = consensus.round_comparison(round_, with_agreed=True)
    if found is None:  # nobody reads the individual answers before it opens
        raise PermissionDenied
    only_disagreement = request.GET.get("disagreement") == "1" or (
        request.method == "POST" and request.POST.get("disagreement") == "1"
    )
    items = [s for s in found.items if s.disagreement or not only_disagreement]
    return render(
        request,
        "assessments/comparison.html",
        {
            "membership": membership,
            "organisation": membership.organisation,
            "round": round_,
            "comparison": found,
            "items": items,
            "only_disagreement": only_disagreement,
            "editable": round_.is_open and membership.can_write,
            "answer_choices": _answer_choices(),
            "typed": typed or {},
        },
        status=status,
    )


@require_POST
@member_required
def agree(request, org_slug, round_id, item_key):
    """Record the agreed answer to an item with its reason (coordinators and practitioners)."""
    membership, round_ = _membership_and_round(request, org_slug, round_id, write=True)
    item = checklist_item_by_key(item_key)
    if item is None:
        raise Http404
    form = AgreeForm(request.POST)
    page_url = reverse("assessments:comparison", args=[org_slug, round_.pk])
    if request.POST.get("disagreement") == "1":
        page_url += "?disagreement=1"
    typed = {"value": request.POST.get("value", ""), "reason": request.POST.get("reason", "")}
    if not form.is_valid():
        typed["error"] = _("Choose an answer and keep the reason short.")
        return _comparison_page(request, membership, round_, typed={item.key: typed}, status=400)
    try:
        _answer, found = services.answer_agree(
            round=round_,
            item=item,
            value=form.cleaned_data["value"],
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
            user=request.user,
        )
    except services.RoundClosedError:
        messages.error(request, _("This round is closed: nothing was saved."))
        return redirect(page_url)
    except services.AnsweringPhaseError:
        raise PermissionDenied from None
    except ValidationError as error:
        typed["error"] = error.messages[0]
        return _comparison_page(request, membership, round_, typed={item.key: typed}, status=400)
    if found:
        typed["conflict"] = True
        return _comparison_page(request, membership, round_, typed={item.key: typed}, status=409)
    messages.success(request, _("The agreed answer was saved."))
    return redirect(f"{page_url}#{item.key}")


# --- summary, action plan, review, report, exports ------------------------------------------


def _summary_context(membership, round_):
    summary = round_summary(round_)
    chart = bar_chart(
        [
            Bar(
                label=f"5.{area.key_area.number}. {area.key_area.title}",
                value=float(area.result.score) if area.result.score is not None else None,
                value_text=result_text(area.result),
                # The previous round beside this one only where both have a score to compare.
                secondary=(
                    float(area.previous_result.score) if area.score_change is not None else None
                ),
            )
            for area in summary.areas
        ],
        title=_("Score per key area"),
        description=_(
            "Bars show (Yes + ½ Partly) / applicable items once every applicable item of the "
            "area is answered; until then the area shows how many are answered. The thin line "
            "under a bar shows the previous round. The same figures are in the table."
        ),
        value_width=130,
    )
    return {
        "membership": membership,
        "organisation": membership.organisation,
        "round": round_,
        "summary": summary,
        "chart": chart,
        "participants": participants_view(round_, summary),
        "today": timezone.localdate(),
        **_agreement_context(round_, summary),
    }


def _agreement_context(round_, summary) -> dict:
    """The agreement beside the scores and the most disagreed items, for a round whose
    comparison is open (the summary's and the report's partial of their own)."""
    comparison = consensus.round_comparison(round_, with_agreed=True)
    if comparison is None:
        return {"agreement": None}
    return {
        "agreement": {
            "lines": consensus.agreement_beside_scores(summary, comparison),
            "overall": comparison.overall,
            "most_disagreed": comparison.most_disagreed(),
        }
    }


@member_required
def summary(request, org_slug, round_id):
    membership, round_ = _membership_and_round(request, org_slug, round_id)
    return render(request, "assessments/summary.html", _summary_context(membership, round_))


@never_cache
@member_required
def report_pdf(request, org_slug, round_id):
    membership, round_ = _membership_and_round(request, org_slug, round_id)

    def build():
        context = _summary_context(membership, round_)
        # A closed round is dated by its closing, so its report is the same file every time.
        dated = round_.closed_at if not round_.is_open else timezone.now()
        context.update(report_date=dated, language=get_language())
        return render_pdf(
            "pdf/report.html",
            context,
            request=request,
            metadata_date=round_.closed_at if not round_.is_open else None,
        )

    variant = f"{membership.can_write}:{participants_fingerprint(round_)}"
    pdf = cached_report(round_, variant, build)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"{membership.organisation.slug}-{slugify(round_.name)}-{get_language()}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _export_filename(membership, round_, extension) -> str:
    return f"{membership.organisation.slug}-{slugify(round_.name)}.{extension}"


@never_cache
@member_required
def export_csv(request, org_slug, round_id):
    """The round's answers, notes and actions in the reader's language (every member)."""
    membership, round_ = _membership_and_round(request, org_slug, round_id)
    response = HttpResponse(
        round_csv(round_summary(round_, with_authors=True)), content_type="text/csv; charset=utf-8"
    )
    filename = _export_filename(membership, round_, "csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@never_cache
@member_required
def export_xlsx(request, org_slug, round_id):
    """The round as a workbook in the reader's language (every member); the individual answers
    only once the comparison is open, as on the comparison page."""
    membership, round_ = _membership_and_round(request, org_slug, round_id)
    workbook = round_xlsx(
        round_summary(round_, with_authors=True), consensus.round_comparison(round_)
    )
    response = HttpResponse(workbook, content_type=XLSX_TYPE)
    filename = _export_filename(membership, round_, "xlsx")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@member_required
def export_json(request, org_slug, round_id):
    membership, round_ = _membership_and_round(request, org_slug, round_id)
    response = JsonResponse(
        round_document(
            round_summary(round_, with_authors=True), consensus.round_comparison(round_)
        ),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{membership.organisation.slug}-{slugify(round_.name)}.json"'
    )
    return response


@member_required
def action_new(request, org_slug, round_id):
    membership, round_ = _membership_and_round(request, org_slug, round_id, write=True)
    item = get_object_or_404(
        ChecklistItem.objects.current().select_related("checklist__key_area"),
        key=request.GET.get("item") or request.POST.get("item"),
    )
    form = ActionForm(request.POST or None, organisation=membership.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_create(
                round=round_,
                item=item,
                title=form.cleaned_data["title"],
                owner=form.cleaned_data["owner"],
                due_date=form.cleaned_data["due_date"],
                user=request.user,
            )
        except ValidationError as error:
            form.add_error("owner", error)
        else:
            messages.success(request, _("The action was added to the plan."))
            if action.due_date and action.due_date < timezone.localdate():
                messages.warning(request, _("Note: the due date is in the past."))
            return redirect(
                reverse("assessments:summary", args=[org_slug, round_.pk]) + f"#gap-{item.key}"
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


@member_required
def action_edit(request, org_slug, action_id):
    membership = _membership(request, org_slug, write=True)
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
            form.add_error(None, error)
        else:
            messages.success(request, _("The action was updated."))
            return redirect(
                reverse("assessments:summary", args=[org_slug, action.round_id]) + "#action-plan"
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


@member_required
def review(request, org_slug):
    membership = _membership(request, org_slug)
    data = organisation_review(membership.organisation)
    trend_charts = [
        (
            area,
            bar_chart(
                [
                    Bar(
                        label=r.name,
                        value=float(res.score) if res.score is not None else None,
                        value_text=result_text(res),
                    )
                    for r, res in data.trend(area)
                ],
                title=_("Trend of key area 5.%(number)s") % {"number": area.number},
                width=520,
                value_width=130,
            ),
        )
        for area in data.key_areas
    ]
    return render(
        request,
        "assessments/review.html",
        {
            "membership": membership,
            "organisation": membership.organisation,
            "review": data,
            "trend_charts": trend_charts,
            "participants_review": participants_across_rounds(
                [r.round for r in data.rounds], data.key_areas
            ),
        },
    )


@never_cache
@member_required
def organisation_export(request, org_slug):
    """All of the organisation's data as JSON (coordinators)."""
    membership = _membership(request, org_slug, coordinator=True)
    organisation = membership.organisation
    response = JsonResponse(
        organisation_document(organisation), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = f'attachment; filename="{organisation.slug}-all-data.json"'
    return response


@member_required
def organisation_delete(request, org_slug):
    """Delete the organisation and all its data, after typing its name (coordinators)."""
    membership = _membership(request, org_slug, coordinator=True)
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
