"""Every kind of PDF the site serves, rendered by WeasyPrint from the demo data, has no text
printed over text; the round report opens with a one-page overview.

The demo data (`seed_demo`) is made once for the module, with an action plan and a rated good
practice added, inside a transaction rolled back at the end, and every PDF it serves is
rendered once, in Latvian and in English; each test reads them in its own transaction.
Set PDF_LAYOUT_DUMP to a folder to keep the PDFs for a look.
"""

import os
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from accounts.people import display_name
from assessments import services
from assessments.models import Membership, Organisation, Round, RoundMode, RoundStatus
from content.models import ChecklistItem, KeyArea
from practices import services as practice_services
from reporting.summary import round_summary
from tests.assessments.conftest import make_user
from tests.pdf_layout import overlaps, page_texts
from tests.practices.conftest import indicator_keys, rate

pytestmark = [pytest.mark.pdf, pytest.mark.django_db]

MUNICIPALITY = "dzintarkrasta-pasvaldiba"
COORDINATOR = "koordinatore@dzintarkrasts.example"
LONG_TITLE = (
    "Vienoties ar sociālo dienestu, skolām un nevalstiskajām organizācijām par kopīgu "
    "informācijas apmaiņas kārtību un atbildīgajām kontaktpersonām katrā pagastā"
)


def _action_plan(organisation, round_):
    """Open actions with long titles and long owners' addresses, one done, one overdue."""
    owner = make_user("starptautiskas-sadarbibas-koordinatore@dzintarkrasta-novads.example")
    Membership.objects.create(user=owner, organisation=organisation, role="practitioner")
    coordinator = organisation.memberships.get(user__username=COORDINATOR).user
    items = list(ChecklistItem.objects.current().filter(checklist__key_area__number=1)[:9])
    today = timezone.localdate()
    for n, item in enumerate(items):
        action = services.action_create(
            round=round_,
            item=item,
            title=f"{n + 1}. {LONG_TITLE}",
            owner=owner if n % 2 else coordinator,
            due_date=today + timedelta(days=30 * n - 20) if n % 3 else None,
            user=coordinator,
        )
        if n == 8:
            services.action_update(
                action=action, title=action.title, owner=None, due_date=None, status="done"
            )


def _practice(organisation):
    coordinator = organisation.memberships.get(user__username=COORDINATOR).user
    practice = practice_services.practice_create(
        organisation=organisation,
        user=coordinator,
        name="Ģimeņu atbalsta punkts ar tulku un psihologa konsultācijām Dzintarkrastā",
        description="Konsultācijas bēgļu ģimenēm",
        key_areas=list(KeyArea.objects.filter(number__in=[1, 4])),
    )
    values = dict.fromkeys(indicator_keys(), "3")
    values.update({"d1.q1.i1": "2", "d1.q1.i2": "na", "d4.q1.i1": "0", "d4.q2.i1": "1"})
    rate(practice, coordinator, values, evidence="Aptauja, 2025; sociālā dienesta pārskats")
    return practice


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", force=True, stdout=open(os.devnull, "w"))
        organisation = Organisation.objects.get(slug=MUNICIPALITY)
        _action_plan(organisation, organisation.rounds.get(status=RoundStatus.OPEN))
        _practice(organisation)
        yield organisation.pk
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_data, db):
    return Organisation.objects.get(pk=demo_data)


def _round(organisation, kind) -> Round:
    rounds = organisation.rounds.all()
    if kind == "open":
        return rounds.get(status=RoundStatus.OPEN)
    if kind == "closed":
        return rounds.get(status=RoundStatus.CLOSED, mode=RoundMode.TOGETHER)
    return rounds.get(mode=RoundMode.INDIVIDUAL)


def _served_pdfs():
    """Every PDF the demo serves, as (reader, address): each organisation's round reports, its
    practices' scorecards and its survey posters, read by one of its coordinators (the demo's
    peers have no members: nobody reads their PDFs)."""
    from practices.models import Practice
    from surveys.models import Survey

    with_coordinator = Organisation.objects.filter(memberships__role="coordinator").distinct()
    for organisation in with_coordinator.order_by("slug"):
        reader = organisation.memberships.filter(role="coordinator").first().user
        slug = organisation.slug
        for round_ in organisation.rounds.order_by("pk"):
            yield reader, reverse("reporting:report_pdf", args=[slug, round_.pk])
        for practice in Practice.objects.filter(organisation=organisation).order_by("pk"):
            yield reader, reverse("practices:practice_scorecard", args=[slug, practice.pk])
        for survey in Survey.objects.filter(round__organisation=organisation).order_by("pk"):
            yield reader, reverse("surveys:poster", args=[slug, survey.round_id])


@pytest.fixture(scope="module")
def served(demo_data, django_db_blocker) -> dict[tuple[str, str], bytes]:
    """{(language, address): PDF} for every PDF the demo serves, each rendered once."""
    client, pdfs = Client(), {}
    with django_db_blocker.unblock():
        with translation.override("lv"):
            served = list(_served_pdfs())
        for reader, url in served:
            client.force_login(reader)
            for lang in ("lv", "en"):
                pdfs[lang, url] = _get(client, url, lang)
    return pdfs


def _get(client, url, lang) -> bytes:
    response = client.get(url.replace("/lv/", f"/{lang}/", 1))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    if folder := os.environ.get("PDF_LAYOUT_DUMP"):
        name = response["Content-Disposition"].split('filename="')[1].rstrip('"')
        with open(os.path.join(folder, name), "wb") as file:
            file.write(response.content)
    return response.content


def _report(served, demo, kind, lang) -> bytes:
    return served[lang, reverse("reporting:report_pdf", args=[demo.slug, _round(demo, kind).pk])]


def test_the_overview_fills_the_first_page_and_the_report_goes_on_on_the_next(served, demo):
    summary = round_summary(_round(demo, "open"))
    overall = summary.overall
    pages = page_texts(_report(served, demo, "open", "lv"))
    first, second = pages[0], pages[1]
    for expected in (
        "Dzintarkrasta novada pašvaldība",
        "Kārta: 2026 pavasaris (Atvērta) · Kopā: viena kopīga atbilde katram punktam",
        "Sākta: ",
        f"Atbildēti {overall.answered} no {overall.applicable} attiecināmajiem punktiem.",
        "5.6. Visaptverošs integrācijas atbalsts 0 / 9 – Nav sākts",  # left to be answered
        # No overall score while an area is unfinished.
        f"Kopā {overall.answered} / {overall.applicable} – {overall.answered} no "
        f"{overall.applicable} atbildēti",
        "Lielākās nepilnības",
        f"Nepilnību kopā: {summary.gap_count}",
        "Neizpildītie pasākumi",
    ):
        assert expected in first, expected
    owner = get_user_model().objects.get(username=COORDINATOR)
    assert display_name(owner) in first and "@" not in first  # owners by name, not address
    # Gaps by item number, never by key: five, ranked as scoring.gap_rank says.
    assert "ka1." not in first
    printed = re.findall(r"(5\.\d · \d+\.) ?(?:Nē|Daļēji):", first)
    assert printed == [line.item.label for _area, line in summary.top_gaps]
    nos = [line.item.label for _area, line in summary.ranked_gaps if line.value == "no"]
    assert printed[: min(5, len(nos))] == nos[:5]  # every "No" before any "Partly"
    # Open actions soonest due first, the done one left out, the rest in the action plan.
    assert "2. Vienoties ar sociālo dienestu" in first and "9. Vienoties" not in first
    assert "Neizpildīto pasākumu kopā: 8" in first
    assert second.startswith("Dzintarkrasta novada pašvaldība · 2026 pavasaris Saturs")
    # The contents list gives each section's page, and the page is right.
    contents = second.split("Saturs ", 1)[1].split(" Rezultāti ", 1)[0]  # before the chart
    listed = dict(re.findall(r"(5\.\d)\. [^.]*?\.+ (\d+)(?= |$)", contents))
    assert len(listed) == len(summary.areas)
    for area in summary.areas:
        page = int(listed[f"5.{area.key_area.number}"])
        assert f"5.{area.key_area.number}. {area.key_area.title}" in pages[page - 1]
    # The chart's thin lines, the previous round, have a legend.
    assert "Iepriekšējā kārta (“2025 rudens”)" in " ".join(pages)
    assert "Lielākās nepilnības" not in " ".join(pages[1:])


def test_an_unfinished_area_shows_its_progress_and_no_score_in_the_report(served, demo):
    summary = round_summary(_round(demo, "open"))
    overall = summary.overall
    text = " ".join(page_texts(_report(served, demo, "open", "en")))
    # 5.6 was left unanswered in the open round: no score, no verdict, no change against the
    # closed round, however its items were answered there.
    assert "5.6. Comprehensive integration support 0 / 9 – Not started" in text
    assert f"Overall {overall.answered} / {overall.applicable} – {overall.answered} of" in text
    # 5.1 against the closed round (the demo's random answers follow the items' order in the
    # database, which ties leave to the query plan: the figure is the summary's, not a constant)
    change = summary.areas[0].score_change
    assert change is not None and change > 0
    assert f"+{change} percentage points" in text
    assert not re.search(r"\d points", text)


def test_no_pdf_the_demo_serves_prints_text_over_text(served):
    """Every round report (open, closed, each first; with the long action plan above), every
    practice scorecard and every survey poster, in Latvian and English. Before the layout
    fixes this failed on "NeattiecasNav", "RezultātsRezultātsIzmaiņas" and "UnansweredScore"."""
    kinds = {url.rsplit("/", 1)[-1] for _lang, url in served}
    assert kinds == {"report.pdf", "scorecard.pdf", "poster.pdf"} and len(served) >= 16, served
    found = {}
    for (lang, url), pdf in served.items():
        if places := overlaps(pdf):
            found[f"{lang} {url}"] = [str(place) for place in places]
    assert not found, found
