"""Each first, then agree: individual answers, the comparison, agreed answers."""

import json
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import scoring, services
from assessments.models import Answer, IndividualAnswer, Membership, Role
from content.models import ChecklistItem
from reporting.summary import round_summary
from tests.assessments.conftest import make_user
from tests.conftest import lazy_loads_raise
from tests.dom import find, lv, parse, text

F = Fraction


# --- the agreement figures (pure) -----------------------------------------------------------


@pytest.mark.parametrize(
    "first, second, distance",
    [
        ("yes", "yes", F(0)),
        ("na", "na", F(0)),
        ("yes", "partly", F(1, 2)),
        ("partly", "no", F(1, 2)),
        ("yes", "no", F(1)),
        ("no", "yes", F(1)),
        ("na", "yes", F(1)),
        ("partly", "na", F(1)),
    ],
)
def test_answer_distance(first, second, distance):
    assert scoring.answer_distance(first, second) == distance


@pytest.mark.parametrize(
    "values, dispersion",
    [
        ([], None),
        (["yes"], None),
        (["yes", "", None], None),  # empty answers do not count
        (["yes", "yes"], F(0)),
        (["yes", "no"], F(1)),
        (["yes", "partly"], F(1, 2)),
        (["yes", "yes", "no"], F(2, 3)),  # pairs: 0, 1, 1
        (["yes", "partly", "no"], F(2, 3)),  # pairs: ½, 1, ½
        (["na", "na", "yes"], F(2, 3)),
        (["partly", "partly", "partly", "no"], F(1, 4)),  # pairs: 0,0,0,½,½,½
    ],
)
def test_item_dispersion(values, dispersion):
    assert scoring.item_dispersion(values) == dispersion


def test_item_dispersion_refuses_unknown_values():
    with pytest.raises(ValueError):
        scoring.item_dispersion(["yes", "maybe"])


@pytest.mark.parametrize(
    "items, compared, unanimous, share, dispersion",
    [
        ([], 0, 0, None, None),
        ([["yes"], []], 0, 0, None, None),
        ([["yes", "yes"], ["no", "no"]], 2, 2, F(1), F(0)),
        ([["yes", "yes"], ["yes", "no"]], 2, 1, F(1, 2), F(1, 2)),
        ([["yes", "partly"], ["yes", "no"], ["na", "na"], ["yes"]], 3, 1, F(1, 3), F(1, 2)),
    ],
)
def test_agreement(items, compared, unanimous, share, dispersion):
    result = scoring.agreement(items)
    assert (result.compared, result.unanimous) == (compared, unanimous)
    assert result.share == share
    assert result.dispersion == dispersion


def test_agreement_of_the_round_counts_all_items_together():
    first = scoring.agreement([["yes", "yes"]])
    second = scoring.agreement([["yes", "no"], ["no", "partly"], ["na", "na"]])
    overall = scoring.combine_agreement([first, second])
    assert (overall.compared, overall.unanimous) == (4, 2)
    assert overall.share == F(1, 2)
    assert overall.dispersion == F(0 + 1 + F(1, 2) + 0, 4)
    assert overall.percent == 50


# --- services and pages ---------------------------------------------------------------------

pytestmark = pytest.mark.django_db(databases=["default"])

ITEM, OTHER = "ka1.c1.i01", "ka1.c1.i02"


@pytest.fixture
def individual(org):
    """An individual round of the organisation, with its coordinator's and practitioner's own
    answers to two items (they disagree on the first)."""
    coordinator, practitioner = org.people["coordinator"], org.people["practitioner"]
    round_ = services.round_start(
        organisation=org, name="Each first", user=coordinator, mode="individual"
    )
    item, other = ChecklistItem.objects.get(key=ITEM), ChecklistItem.objects.get(key=OTHER)
    for user, value, comment in [
        (coordinator, "yes", "Secret-coordinator-view"),
        (practitioner, "no", "Secret-practitioner-view"),
    ]:
        services.individual_answer_set(
            round=round_, item=item, value=value, comment=comment, expected_version=0, user=user
        )
        services.individual_answer_set(
            round=round_, item=other, value="partly", comment="", expected_version=0, user=user
        )
    org.individual = round_
    return round_


def _open(org):
    return services.comparison_open(round=org.individual, user=org.people["coordinator"])


def test_round_start_records_the_way_of_working_and_an_individual_round_starts_empty(org):
    services.answer_set(
        round=org.round,
        item=ChecklistItem.objects.get(key=ITEM),
        value="yes",
        comment="",
        expected_version=0,
        user=org.people["coordinator"],
    )
    round_ = services.round_start(
        organisation=org,
        name="Next",
        user=org.people["coordinator"],
        copy_from=org.round,
        mode="individual",
    )
    assert round_.mode == "individual" and round_.copied_from is None
    assert not round_.answers.exists()
    assert org.round.mode == "together"


def test_the_round_form_starts_an_individual_round(as_user, org):
    client = as_user(org.people["coordinator"])
    response = client.post(
        reverse("assessments:round_start", args=[org.slug]),
        # "Yes, start anyway": the fixture's round is still open.
        {"name": "Each first", "mode": "individual", "confirmed": "1"},
    )
    assert response.status_code == 302
    round_ = org.rounds.get(name="Each first")
    assert round_.mode == "individual"
    way = find(parse(client.get(round_.get_absolute_url())), ".//main//p/strong")
    assert text(way) == lv("Each first, then agree")


def test_shared_answers_are_refused_while_members_answer_on_their_own(org, individual):
    with pytest.raises(services.AnsweringPhaseError):
        services.answer_set(
            round=individual,
            item=ChecklistItem.objects.get(key=ITEM),
            value="yes",
            comment="",
            expected_version=0,
            user=org.people["coordinator"],
        )


def test_individual_answering_ends_when_the_comparison_opens(org, individual):
    _open(org)
    with pytest.raises(services.AnsweringPhaseError):
        services.individual_answer_set(
            round=individual,
            item=ChecklistItem.objects.get(key=ITEM),
            value="partly",
            comment="",
            expected_version=1,
            user=org.people["practitioner"],
        )
    assert (
        IndividualAnswer.objects.get(
            round=individual, item__key=ITEM, user=org.people["practitioner"]
        ).value
        == "no"
    )


def test_a_together_round_has_no_comparison(org):
    with pytest.raises(services.AnsweringPhaseError):
        services.comparison_open(round=org.round, user=org.people["coordinator"])


def test_an_agreed_answer_needs_a_reason_where_the_answers_differ(org, individual):
    _open(org)
    item, other = ChecklistItem.objects.get(key=ITEM), ChecklistItem.objects.get(key=OTHER)
    with pytest.raises(ValidationError):
        services.answer_agree(
            round=individual,
            item=item,
            value="partly",
            reason=" ",
            expected_version=0,
            user=org.people["practitioner"],
        )
    saved = services.answer_agree(
        round=individual,
        item=item,
        value="partly",
        reason="Only in the centre.",
        expected_version=0,
        user=org.people["practitioner"],
    )
    answer = saved.record
    assert saved.conflict is None and (answer.value, answer.reason) == (
        "partly",
        "Only in the centre.",
    )
    # Everyone said Partly: no reason needed.
    saved = services.answer_agree(
        round=individual,
        item=other,
        value="partly",
        reason="",
        expected_version=0,
        user=org.people["practitioner"],
    )
    assert saved.conflict is None


def test_a_stale_agreed_answer_is_a_conflict(org, individual):
    _open(org)
    item = ChecklistItem.objects.get(key=ITEM)
    services.answer_agree(
        round=individual,
        item=item,
        value="yes",
        reason="First",
        expected_version=0,
        user=org.people["coordinator"],
    )
    saved = services.answer_agree(
        round=individual,
        item=item,
        value="no",
        reason="Second",
        expected_version=0,
        user=org.people["practitioner"],
    )
    answer = saved.record
    assert saved.conflict is not None and answer.value == "yes" and answer.reason == "First"


def test_the_verdict_uses_agreed_answers_only(org, individual):
    area_items = list(ChecklistItem.objects.current().filter(checklist__key="ka1.c1"))
    for user in (org.people["coordinator"], org.people["practitioner"]):
        for item in area_items:
            IndividualAnswer.objects.update_or_create(
                round=individual, item=item, user=user, defaults={"value": "yes", "version": 1}
            )
    summary = round_summary(individual)
    ka1 = summary.areas[0]
    assert ka1.result.yes == 0 and ka1.result.verdict is None  # individual answers do not count
    _open(org)
    for item in area_items[:-1]:
        services.answer_agree(
            round=individual,
            item=item,
            value="yes",
            reason="",
            expected_version=0,
            user=org.people["coordinator"],
        )
    ka1 = round_summary(individual).areas[0]
    assert ka1.result.yes == len(area_items) - 1
    assert ka1.result.unanswered >= 1 and ka1.result.verdict is None  # not agreed: unanswered
    services.answer_agree(
        round=individual,
        item=area_items[-1],
        value="yes",
        reason="",
        expected_version=0,
        user=org.people["coordinator"],
    )
    ka1 = round_summary(individual).areas[0]
    assert ka1.result.verdict == scoring.Verdict.COMPREHENSIVE


def test_the_checklist_page_and_its_saves_use_my_own_answers(as_user, org, individual):
    client = as_user(org.people["practitioner"])
    page = client.get(reverse("assessments:area", args=[org.slug, individual.pk, 1]))
    text = page.content.decode()
    assert "Secret-practitioner-view" in text
    assert "Secret-coordinator-view" not in text
    response = client.post(
        reverse("assessments:item_save", args=[org.slug, individual.pk, ITEM]),
        {f"value-{ITEM}": "partly", f"comment-{ITEM}": "Changed my mind", f"version-{ITEM}": "1"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET=ITEM,
    )
    assert response.status_code == 200
    assert "Secret-coordinator-view" not in response.content.decode()
    mine = IndividualAnswer.objects.get(
        round=individual, item__key=ITEM, user=org.people["practitioner"]
    )
    assert (mine.value, mine.comment, mine.version) == ("partly", "Changed my mind", 2)
    assert not Answer.objects.filter(round=individual).exists()
    # The whole-page form without JavaScript saves my own answers too.
    response = client.post(
        reverse("assessments:area", args=[org.slug, individual.pk, 1]),
        {f"value-{ITEM}": "no", f"comment-{ITEM}": "", f"version-{ITEM}": "2"},
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.value, mine.version) == ("no", 3)
    assert not Answer.objects.filter(round=individual).exists()


def _pages(org, round_):
    args = [org.slug, round_.pk]
    return [
        reverse("assessments:round", args=args),
        reverse("assessments:area", args=[*args, 1]),
        reverse("reporting:summary", args=args),
        reverse("reporting:export_json", args=args),
        reverse("reporting:export_csv", args=args),
        reverse("reporting:organisation_export", args=[org.slug]),
        reverse("reporting:review", args=[org.slug]),
    ]


@pytest.mark.parametrize("role", ["viewer", "practitioner", "coordinator"])
def test_nobody_reads_another_members_answers_before_the_comparison(as_user, org, individual, role):
    client = as_user(org.people[role])
    secrets = {"Secret-coordinator-view", "Secret-practitioner-view"}
    own = {"coordinator": "Secret-coordinator-view", "practitioner": "Secret-practitioner-view"}
    for url in _pages(org, individual):
        response = client.get(url)
        if response.status_code == 403:
            continue
        text = response.content.decode()
        for secret in secrets - {own.get(role)}:
            assert secret not in text, url
    comparison = reverse("assessments:comparison", args=[org.slug, individual.pk])
    assert client.get(comparison).status_code == 403


def test_the_coordinator_sees_counts_per_member_not_answers(as_user, org, individual):
    page = as_user(org.people["coordinator"]).get(individual.get_absolute_url()).content.decode()
    assert "Practitioner R." in page and "2 / " in page
    assert "Secret-practitioner-view" not in page
    assert "Viewer R." not in page  # viewers do not answer
    practitioner_page = as_user(org.people["practitioner"]).get(individual.get_absolute_url())
    assert "Coordinator R.</th>" not in practitioner_page.content.decode()


def test_a_viewer_sees_the_comparison_once_it_is_open(as_user, org, individual):
    client = as_user(org.people["viewer"])
    url = reverse("assessments:comparison", args=[org.slug, individual.pk])
    assert client.get(url).status_code == 403
    _open(org)
    response = client.get(url)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Secret-coordinator-view" in text and "Practitioner R." in text
    assert 'class="agree-form"' not in text  # a viewer does not agree
    agree = reverse("assessments:agree", args=[org.slug, individual.pk, ITEM])
    assert client.post(agree, {"value": "yes", "reason": "x", "version": "0"}).status_code == 403


def test_only_the_coordinator_opens_the_comparison_and_only_when_confirmed(
    as_user, org, individual
):
    url = reverse("assessments:comparison_open", args=[org.slug, individual.pk])
    assert as_user(org.people["practitioner"]).post(url, {"confirm": "on"}).status_code == 403
    client = as_user(org.people["coordinator"])
    client.post(url, {})
    individual.refresh_from_db()
    assert individual.comparison_opened_at is None
    client.post(url, {"confirm": "on"})
    individual.refresh_from_db()
    assert individual.comparison_opened_at is not None
    assert individual.events.filter(kind="compared").exists()


def test_the_comparison_orders_by_disagreement_and_filters_without_javascript(
    as_user, org, individual
):
    _open(org)
    client = as_user(org.people["practitioner"])
    url = reverse("assessments:comparison", args=[org.slug, individual.pk])
    text = client.get(url).content.decode()
    assert text.index(f'id="{ITEM}"') < text.index(f'id="{OTHER}"') < text.index('id="ka1.c1.i03"')
    filtered = client.get(url + "?disagreement=1").content.decode()
    assert f'id="{ITEM}"' in filtered and f'id="{OTHER}"' not in filtered
    assert 'id="ka1.c1.i03"' not in filtered


def test_agreeing_on_the_comparison_page(as_user, org, individual):
    _open(org)
    client = as_user(org.people["practitioner"])
    url = reverse("assessments:agree", args=[org.slug, individual.pk, ITEM])
    refused = client.post(url, {"value": "yes", "reason": "", "version": "0"})
    assert refused.status_code == 400
    assert not Answer.objects.filter(round=individual).exists()
    response = client.post(
        url, {"value": "yes", "reason": "The service exists.", "version": "0", "disagreement": "1"}
    )
    assert response.status_code == 302 and response.url.endswith(f"?disagreement=1#{ITEM}")
    answer = Answer.objects.get(round=individual, item__key=ITEM)
    assert (answer.value, answer.reason, answer.version) == ("yes", "The service exists.", 1)
    stale = client.post(url, {"value": "no", "reason": "Mine", "version": "0"})
    assert stale.status_code == 409
    assert "Mine" in stale.content.decode()
    # The checklist page now shows the agreed answers, read-only.
    page = client.get(reverse("assessments:area", args=[org.slug, individual.pk, 1]))
    assert f'name="value-{ITEM}" value="yes" checked disabled' in page.content.decode()


def test_the_json_export_carries_mode_agreement_individual_counts_and_reasons(
    as_user, org, individual
):
    client = as_user(org.people["viewer"])
    url = reverse("reporting:export_json", args=[org.slug, individual.pk])
    before = json.loads(client.get(url).content)
    assert before["mode"] == "individual" and before["agreement"] is None
    assert all(a["individual"] is None for a in before["answers"])
    _open(org)
    services.answer_agree(
        round=individual,
        item=ChecklistItem.objects.get(key=ITEM),
        value="partly",
        reason="Half the town",
        expected_version=0,
        user=org.people["coordinator"],
    )
    document = json.loads(client.get(url).content)
    by_item = {a["item"]: a for a in document["answers"]}
    assert by_item[ITEM]["individual"] == {"yes": 1, "partly": 0, "no": 1, "na": 0}
    assert by_item[ITEM]["reason"] == "Half the town"
    assert by_item[ITEM]["effective_value"] == "partly"
    assert by_item[OTHER]["individual"] == {"yes": 0, "partly": 2, "no": 0, "na": 0}
    assert by_item[OTHER]["value"] is None  # not agreed yet
    agreement = document["agreement"]
    assert (agreement["items_compared"], agreement["items_unanimous"]) == (2, 1)
    assert agreement["share"] == 0.5 and agreement["dispersion"] == 0.5
    assert agreement["key_areas"]["ka1"]["items_compared"] == 2
    together = json.loads(
        client.get(reverse("reporting:export_json", args=[org.slug, org.round.pk])).content
    )
    assert together["mode"] == "together" and together["agreement"] is None


@pytest.mark.pdf
def test_the_summary_and_report_show_agreement_and_the_most_disagreed_items(
    as_user, org, individual
):
    _open(org)
    services.answer_agree(
        round=individual,
        item=ChecklistItem.objects.get(key=ITEM),
        value="partly",
        reason="Half the town",
        expected_version=0,
        user=org.people["coordinator"],
    )
    client = as_user(org.people["viewer"])
    text = client.get(reverse("reporting:summary", args=[org.slug, individual.pk])).content
    text = text.decode()
    assert 'id="agreement"' in text and "Half the town" in text
    pdf = client.get(reverse("reporting:report_pdf", args=[org.slug, individual.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def _members_answer(org, round_, count):
    items = list(ChecklistItem.objects.current()[:10])
    start = Membership.objects.filter(organisation=org).count()
    for n in range(start, start + count):
        user = make_user(f"extra{n}@riga.example")
        Membership.objects.create(user=user, organisation=org, role=Role.PRACTITIONER)
        IndividualAnswer.objects.bulk_create(
            IndividualAnswer(
                round=round_, item=item, user=user, value="yes", comment="c", version=1
            )
            for item in items
        )


def _count(client, url):
    with lazy_loads_raise(), CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_pages_of_an_individual_round_cost_the_same_whatever_the_number_of_members(
    as_user, org, individual
):
    from django.core.cache import cache

    client = as_user(org.people["coordinator"])
    round_url = individual.get_absolute_url()
    _count(client, round_url)  # what a process reads once
    before = _count(client, round_url)
    _members_answer(org, individual, 1)
    assert _count(client, round_url) == before
    _members_answer(org, individual, 6)
    assert _count(client, round_url) == before
    _open(org)
    urls = [
        reverse("assessments:comparison", args=[org.slug, individual.pk]),
        reverse("reporting:summary", args=[org.slug, individual.pk]),
        reverse("reporting:export_json", args=[org.slug, individual.pk]),
    ]
    counts = []
    for url in urls:
        _count(client, url)  # what a process reads once per content revision
        cache.clear()
        counts.append(_count(client, url))
    _members_answer(org, individual, 8)
    for url, expected in zip(urls, counts, strict=True):
        cache.clear()
        assert _count(client, url) == expected, url
