"""Every organisation page costs a fixed number of queries, whatever the amount of data."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import assignments, services
from assessments.evidence import evidence_file_add, evidence_link_add
from assessments.models import Membership, Role, Round, RoundStatus
from content.models import ChecklistItem, KeyArea
from tests.assessments.conftest import make_org, make_user
from tests.conftest import lazy_loads_raise, pdf_if
from tests.names import url_name

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with lazy_loads_raise(), CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _grow(org):
    """More members, rounds, answers, invitations and organisations of the same person; the
    measured round stays open, or closed (a closed round reads the content it kept)."""
    coordinator = org.people["coordinator"]
    org.round.refresh_from_db()
    earlier = services.round_start(organisation=org, name="Earlier", user=coordinator)
    for n in range(6):
        Membership.objects.create(
            user=make_user(f"m{n}@riga.example"), organisation=org, role=Role.PRACTITIONER
        )
        services.invitation_create(
            organisation=org, email=f"i{n}@riga.example", role=Role.VIEWER, invited_by=coordinator
        )
        other = make_org(f"extra-{n}")
        Membership.objects.create(user=coordinator, organisation=other, role=Role.VIEWER)
        evidence_link_add(  # on the measured round while it is open, else on another
            round=org.round if org.round.status == RoundStatus.OPEN else earlier,
            item=ChecklistItem.objects.get(key=f"ka1.c1.i0{n + 1}"),
            title=f"Page {n}",
            url=f"https://www.riga.lv/{n}",
            user=coordinator,
        )
    services.answer_set(
        round=earlier,
        item=ChecklistItem.objects.get(key="ka1.c1.i01"),
        value="no",
        comment="",
        expected_version=0,
        user=coordinator,
    )
    members = Membership.objects.filter(organisation=org, role=Role.PRACTITIONER)
    chosen = {
        area.pk: {coordinator.pk, *(m.user_id for m in members)}
        for area in KeyArea.objects.filter(number__in=[1, 2, 3])
    }
    # The measured round's (when open) and earlier's, carried into the rounds below.
    for assigned in Round.objects.filter(
        pk__in=[org.round.pk, earlier.pk], status=RoundStatus.OPEN
    ):
        assignments.assignments_set(round=assigned, chosen=chosen, user=coordinator)
    services.round_close(round=earlier, user=coordinator)
    for n in range(4):
        round_ = services.round_start(
            organisation=org, name=f"R{n}", user=coordinator, copy_from=earlier
        )
        services.answer_set(
            round=round_,
            item=ChecklistItem.objects.get(key="ka1.c1.i01"),
            value="yes",
            comment="",
            expected_version=1,
            user=coordinator,
        )


def _round(name):
    return lambda org: reverse(url_name(name), args=[org.slug, org.round.pk])


def _org(name):
    return lambda org: reverse(url_name(name), args=[org.slug])


def _comparison(org):
    """The comparison page of an "each first, then agree" round of the organisation (made once)."""
    if not hasattr(org, "individual_round"):
        coordinator = org.people["coordinator"]
        org.individual_round = services.round_start(
            organisation=org, name="Each first", user=coordinator, mode="individual"
        )
        services.comparison_open(round=org.individual_round, user=coordinator)
    return reverse("assessments:comparison", args=[org.slug, org.individual_round.pk])


def _extra_round(org, *, closed):
    """Another round of the organisation, open or closed (made once each): `_grow` closes the
    fixture's round, whose close page would then redirect."""
    attribute = "closed_round" if closed else "open_round"
    if not hasattr(org, attribute):
        coordinator = org.people["coordinator"]
        round_ = services.round_start(organisation=org, name=attribute, user=coordinator)
        if closed:
            services.round_close(round=round_, user=coordinator)
        setattr(org, attribute, round_)
    return getattr(org, attribute)


def _viewer(org):
    return Membership.objects.get(organisation=org, user=org.people["viewer"]).pk


# Every page of an organisation that a GET reads, with the most queries it may cost. The round
# pages are built here (the page cache is emptied first); the checklist page is also counted
# from the cache in test_answering.
PAGES = {
    "home": lambda org: reverse("assessments:home"),
    "organisation_create": lambda org: reverse("assessments:organisation_create"),
    "organisation": _org("organisation"),
    "members": _org("members"),
    "member_role": lambda org: (
        reverse("assessments:member_role", args=[org.slug, _viewer(org)]) + "?role=practitioner"
    ),
    "member_remove": lambda org: reverse(
        "assessments:member_remove", args=[org.slug, _viewer(org)]
    ),
    "round_start": _org("round_start"),
    "round_close": lambda org: reverse(
        "assessments:round_close", args=[org.slug, _extra_round(org, closed=False).pk]
    ),
    "round_reopen": lambda org: reverse(
        "assessments:round_reopen", args=[org.slug, _extra_round(org, closed=True).pk]
    ),
    "round": _round("round"),
    "assignments": _round("assignments"),
    "area": lambda org: reverse("assessments:area", args=[org.slug, org.round.pk, 1]),
    "summary": _round("summary"),
    "comparison": _comparison,
    "report_pdf": _round("report_pdf"),
    "report_docx": _round("report_docx"),
    "export_csv": _round("export_csv"),
    "export_json": _round("export_json"),
    "export_xlsx": _round("export_xlsx"),
    "action_new": lambda org: _round("action_new")(org) + "?item=ka1.c1.i01",
    "action_edit": lambda org: reverse(
        "assessments:action_edit", args=[org.slug, org.first_action.pk]
    ),
    "review": _org("review"),
    "organisation_export": _org("organisation_export"),
    "organisation_delete": _org("organisation_delete"),
    "organisation_sharing": _org("organisation_sharing"),
    "invitation_revoke": lambda org: reverse(
        "assessments:invitation_revoke", args=[org.slug, org.first_invitation.pk]
    ),
    "evidence_remove": lambda org: reverse(
        "assessments:evidence_remove", args=[org.slug, org.round.pk, org.first_evidence.pk]
    ),
    "evidence_download": lambda org: reverse(
        "assessments:evidence_download", args=[org.slug, org.first_evidence.pk]
    ),
    "own_data_export": lambda org: reverse("reporting:own_data_export"),
    "account_delete": lambda org: reverse("reporting:account_delete"),
}
BUDGET = {
    "home": 7,  # 4 + your key areas: their assignments, their answers, the content revision
    "organisation_create": 2,
    "organisation": 8,  # 4 + the first steps: their flags, the newest round's progress (3)
    "members": 5,
    "member_role": 4,
    "member_remove": 4,
    "round_start": 4,
    "round_close": 7,  # 4 + what closing leaves unanswered: the answers, key areas, items (3)
    "round_reopen": 4,
    "round": 10,  # 9 + who each key area is assigned to
    "assignments": 8,
    "area": 12,  # 11 + the answers to items no longer in the handbook
    "summary": 16,
    "comparison": 8,
    "report_pdf": 16,
    "report_docx": 16,
    "export_csv": 13,
    "export_json": 14,  # 13 + the round's participant survey
    "export_xlsx": 13,
    "action_new": 6,
    "action_edit": 6,
    "review": 12,
    "organisation_export": 15,
    "organisation_delete": 4,
    "organisation_sharing": 4,
    "invitation_revoke": 4,
    "evidence_remove": 5,
    "evidence_download": 4,
    "own_data_export": 18,  # 2 + one per kind of record (networks: two)
    "account_delete": 3,
}


def test_every_organisation_page_has_a_budget():
    from assessments import urls
    from reporting import urls as reporting_urls

    posts_only = {
        "note_save",
        "item_save",
        "comparison_open",
        "agree",
        "evidence_add",
    }
    patterns = urls.urlpatterns + reporting_urls.urlpatterns
    readable = {p.name for p in patterns} - posts_only - {"invitation"}
    assert readable == set(PAGES) == set(BUDGET)


# The pages that show a round's content: measured on an open round and on a closed one.
ROUND_CONTENT_PAGES = (
    "round",
    "area",
    "summary",
    "report_pdf",
    "report_docx",
    "export_csv",
    "export_json",
    "export_xlsx",
    "review",
    "organisation_export",
)
CASES = [
    pytest.param(n, closed, marks=pdf_if(n == "report_pdf"), id=f"{n}-closed" if closed else n)
    for n in PAGES
    for closed in ((False, True) if n in ROUND_CONTENT_PAGES else (False,))
]


@pytest.mark.parametrize(("name", "closed"), CASES)
def test_organisation_pages_cost_a_fixed_number_of_queries(as_user, org, media, name, closed):
    from django.core.cache import cache

    org.first_action = services.action_create(
        round=org.round,
        item=ChecklistItem.objects.get(key="ka1.c1.i02"),
        title="First",
        owner=org.people["practitioner"],
        due_date=None,
        user=org.people["coordinator"],
    )
    org.first_invitation = services.invitation_create(
        organisation=org,
        email="invited@riga.example",
        role=Role.VIEWER,
        invited_by=org.people["coordinator"],
    )
    org.first_evidence = evidence_file_add(
        round=org.round,
        item=ChecklistItem.objects.get(key="ka1.c1.i02"),
        title="Plan",
        upload=SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%%EOF\n"),
        user=org.people["coordinator"],
    )
    if closed:
        services.round_close(round=org.round, user=org.people["coordinator"])
    client = as_user(org.people["coordinator"])
    _queries(client, PAGES[name](org))  # what a process reads once (key areas, items)
    cache.clear()
    before = _queries(client, PAGES[name](org))
    _grow(org)
    cache.clear()
    after = _queries(client, PAGES[name](org))
    assert before == after <= BUDGET[name], (before, after)


def test_the_invitation_page_costs_a_fixed_number_of_queries(client, org):
    invitation = services.invitation_create(
        organisation=org,
        email="new@riga.example",
        role=Role.PRACTITIONER,
        invited_by=org.people["coordinator"],
    )
    url = reverse("assessments:invitation", args=[invitation.token])
    before = _queries(client, url)
    _grow(org)
    assert _queries(client, url) == before <= 3


def test_pages_are_measured_with_lazy_loads_raising(org):
    """The budgets above are taken with lazy loading blocked: a page that read a relation its
    query did not load would fail there, not merely cost one query more."""
    from django.core.exceptions import FieldFetchBlocked

    membership = Membership.objects.filter(organisation=org).first()
    with lazy_loads_raise():
        blocked = Membership.objects.filter(organisation=org).first()
        with pytest.raises(FieldFetchBlocked):
            blocked.organisation  # noqa: B018 - the read is the test
        assert Membership.objects.select_related("organisation").first().organisation.pk
    assert membership.organisation.pk == org.pk  # outside the block, as usual
