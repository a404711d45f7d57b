"""A round's PDF report is kept in the cache under what it shows: every kind of write that
changes what it shows gives a new report at once, with no cache cleared by hand."""

import pytest
from django.urls import reverse

from assessments import services
from content.models import ChecklistItem, Indicator, KeyArea
from practices import services as practice_services
from tests import pdfs

pytestmark = [pytest.mark.django_db, pytest.mark.pdf]


def pdf_text(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return pdfs.pdf_text(response.content, " ").replace("\n", " ")


def report_url(org, round_):
    return reverse("reporting:report_pdf", args=[org.slug, round_.pk])


def item(key="ka1.c1.i01"):
    return ChecklistItem.objects.get(key=key)


def assert_each_write_shows(client, url, writes):
    """Run `writes` (label, write) in turn: the report after each one differs from the report
    before it, while asking again without a write gives the same report."""
    shown = pdf_text(client, url)
    assert pdf_text(client, url) == shown  # served as kept: nothing differs by itself
    for label, write in writes:
        write()
        now = pdf_text(client, url)
        assert now != shown, f"the report did not change after: {label}"
        shown = now


def test_the_report_changes_after_each_write_in_a_round_together(as_user, org):
    coordinator, practitioner = org.people["coordinator"], org.people["practitioner"]
    round_ = org.round
    actions = []

    def answer():
        services.answer_set(
            round=round_,
            item=item(),
            value="partly",
            comment="Tikai centrā",
            expected_version=0,
            user=practitioner,
        )

    def note():
        services.note_set(
            round=round_,
            key_area=KeyArea.objects.get(number=1),
            text="Piezīme par pārbaudi",
            expected_version=0,
            user=practitioner,
        )

    def action_create():
        actions.append(
            services.action_create(
                round=round_,
                item=item(),
                title="Tulks reizi nedēļā",
                owner=practitioner,
                due_date=None,
                user=coordinator,
            )
        )

    def action_update():
        services.action_update(
            action=actions[0],
            title="Tulks divreiz nedēļā",
            owner=None,
            due_date=None,
            status="done",
        )

    assert_each_write_shows(
        as_user(org.people["viewer"]),
        report_url(org, round_),
        [
            ("an answer", answer),
            ("notes", note),
            ("a new action", action_create),
            ("an action changed", action_update),
            ("the round closed", lambda: services.round_close(round=round_, user=coordinator)),
            ("the round reopened", lambda: services.round_reopen(round=round_, user=coordinator)),
        ],
    )


def test_the_report_changes_when_individual_answers_show_and_when_the_team_agrees(as_user, org):
    coordinator, practitioner = org.people["coordinator"], org.people["practitioner"]
    round_ = services.round_start(
        organisation=org, name="Each first", user=coordinator, mode="individual"
    )
    for user, value in [(coordinator, "yes"), (practitioner, "no")]:
        services.individual_answer_set(
            round=round_, item=item(), value=value, comment="", expected_version=0, user=user
        )
    assert_each_write_shows(
        as_user(org.people["viewer"]),
        report_url(org, round_),
        [
            (
                "the comparison opened: the individual answers show",
                lambda: services.comparison_open(round=round_, user=coordinator),
            ),
            (
                "an agreed answer",
                lambda: services.answer_agree(
                    round=round_,
                    item=item(),
                    value="partly",
                    reason="Puse pilsētas",
                    expected_version=0,
                    user=coordinator,
                ),
            ),
        ],
    )


def test_the_report_shows_a_new_display_name_at_once(as_user, org):
    practitioner = org.people["practitioner"]
    services.action_create(
        round=org.round,
        item=item(),
        title="Tulks reizi nedēļā",
        owner=practitioner,
        due_date=None,
        user=org.people["coordinator"],
    )
    viewer = as_user(org.people["viewer"])
    url = report_url(org, org.round)
    assert "Practitioner R." in pdf_text(viewer, url)
    revision = type(org.round).objects.get(pk=org.round.pk).revision

    renamer = as_user(practitioner)
    response = renamer.post(reverse("profile"), {"first_name": "Anna Bērziņa"})
    assert response.status_code == 302

    viewer = as_user(org.people["viewer"])
    text = pdf_text(viewer, url)
    assert "Anna Bērziņa" in text and "Practitioner R." not in text
    # The round itself did not change: the report is kept under the names it shows.
    assert type(org.round).objects.get(pk=org.round.pk).revision == revision


def test_the_practice_scorecard_changes_after_a_rating_and_an_edit(as_user, org):
    practitioner = org.people["practitioner"]
    practice = practice_services.practice_create(
        organisation=org,
        user=practitioner,
        name="Ģimeņu atbalsta punkts Cēsīs",
        description="Konsultācijas bēgļu ģimenēm",
        key_areas=[KeyArea.objects.get(number=1)],
    )
    client = as_user(org.people["viewer"])
    url = reverse("practices:practice_scorecard", args=[org.slug, practice.pk])

    def rate():
        practice_services.rating_set(
            practice=practice,
            indicator=Indicator.objects.get(key="d1.q1.i1"),
            value="3",
            evidence="",
            expected_version=0,
            user=practitioner,
        )

    def edit():
        practice_services.practice_update(
            practice=practice,
            user=practitioner,
            name="Ģimeņu atbalsta punkts Valmierā",
            description=practice.description,
            key_areas=list(practice.key_areas.all()),
            expected_version=practice.version,
        )

    assert_each_write_shows(client, url, [("a rating", rate), ("the practice edited", edit)])
