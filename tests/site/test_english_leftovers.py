"""No English left on Latvian pages: every public and member page of the page sweep (and the
confirmation, account and first-steps pages it leaves out), in Latvian with the demo data, is
searched for English words of the interface, raw keys and Python values.

What is legitimately English is taken out first: the citations of further reading (titles of
English publications, as the handbook gives them) and proper names in the content."""

import html
import io
import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from assessments import services
from assessments.models import Membership, Organisation, Role
from content.models import ChecklistItem, FurtherReading, GoodPractice, Indicator, KeyArea
from networks.models import Network
from operations.management.commands.seed_demo import (
    DEMO_NETWORK,
    DEMO_ORGANISATIONS,
    INDIVIDUAL_ROUND,
)
from practices import services as practice_services
from practices.services import RatingChange
from surveys.models import Survey
from tests import pdfs
from tests.browser.test_page_sweep import MEMBER_PAGES, PUBLIC_PAGES

pytestmark = pytest.mark.django_db

# Words of the interface as they would slip through untranslated (English-only words: "to",
# "is" and "no" are not checked lower-case because Latvian has them too).
ENGLISH = re.compile(
    r"\b(the|and|of|for|with|your|are|not|this|that|"
    r"Save|Delete|Cancel|Yes|No|Not applicable|Partly|Score|Verdict|Member|Members|Round|"
    r"Rounds|Open|Closed|Done|Edit|Add|Remove|Change|Select|Action|Actions|Status|Owner|"
    r"Summary|Answer|Answers|Comment|Notes|Item|Items|Key area|Checklist|Search|Submit|Back|"
    r"Next|Previous|Page|Home|Log in|Log out|Sign up|Password|Name|E-mail|Role|Invite|Start|"
    r"Close|Reopen|Download|Report|Overview|Result|Results|Progress|Agreement|Coordinator|"
    r"Practitioner|Viewer|Organisation|Required|Optional|Confirm|Help|Menu|"
    r"None|True|False|ka\d\.\w+)\b"
)

# Proper names and titles of English publications quoted in the Latvian content.
PROPER_NAMES = ["Humans in the Loop", "Foreigners in Poland. A handbook for people working with"]

EXTRA_MEMBER_PAGES = [
    "/lv/accounts/profile/",
    "/lv/accounts/password_change/done/",
    "/lv/org/{org}/members/{member}/role/?role=viewer",
    "/lv/org/{org}/members/{member}/remove/",
    "/lv/org/{org}/invitations/{invitation}/revoke/",
    "/lv/org/{org}/rounds/new/",
    "{round}close/",
    "{closed}reopen/",
    "/lv/org/{new_org}/",
    "/lv/org/{new_org}/members/",
]
EXTRA_PUBLIC_PAGES = [
    *[
        f"/lv/handbook/{key}/"
        for key in ["acknowledgements", "colophon", "foreword", "structure", "audiences"]
    ],
    *["/lv/handbook/purposes/", "/lv/handbook/key-areas/"],
    "/lv/accounts/password_reset/done/",
    "/lv/accounts/reset/done/",
]


def visible_text(page: str) -> str:
    """The text of a page and the attribute values people read or hear, without scripts."""
    page = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", page, flags=re.S)
    attributes = re.findall(r'\b(?:title|aria-label|placeholder|alt)="([^"]*)"', page)
    attributes += re.findall(r'<input\b[^>]*type="(?:submit|button)"[^>]*value="([^"]*)"', page)
    text = re.sub(r"<[^>]+>", " ", " ".join([page, *attributes]))
    return re.sub(r"\s+", " ", html.unescape(text))


def english_in(text: str, allowed: list[str]) -> list[str]:
    for legitimate in allowed:
        text = text.replace(legitimate, " ")
    return [text[max(0, m.start() - 40) : m.end() + 40] for m in ENGLISH.finditer(text)]


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """Made once for the module, inside a transaction rolled back at its end; each test reads
    it in its own transaction (see `demo`)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _demo()
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_data, db):
    return demo_data


def _demo():
    """The demo data, an action, a pending invitation, a rated practice, and a new
    organisation that sees its first steps."""
    call_command("seed_demo", force=True, stdout=io.StringIO())
    spec = DEMO_ORGANISATIONS[0]
    (email, _password, _role), (practitioner_email, _, _) = spec["people"][:2]
    organisation = Organisation.objects.get(slug=spec["slug"])
    coordinator = get_user_model().objects.get(username=email)
    practitioner = get_user_model().objects.get(username=practitioner_email)
    rounds = {round_.name: round_ for round_ in organisation.rounds.all()}
    open_round, closed = rounds["2026 pavasaris"], rounds["2025 rudens"]
    action = services.action_create(
        round=open_round,
        item=ChecklistItem.objects.get(key="ka1.c1.i02"),
        title="Tulkot informāciju ukraiņu valodā",
        owner=practitioner,
        due_date=date(2026, 1, 15),
        past_date_ok=True,  # overdue on purpose
        user=coordinator,
    )
    invitation = services.invitation_create(
        organisation=organisation,
        email="skatitajs@example.org",
        role=Role.VIEWER,
        invited_by=coordinator,
    )
    practice = practice_services.practice_create(
        organisation=organisation,
        user=coordinator,
        name="Konsultācijas vienuviet",
        description="Konsultācijas un tulkošana vienuviet.",
        key_areas=list(KeyArea.objects.current()[:2]),
    )
    practice_services.ratings_set(
        practice=practice,
        changes=[
            RatingChange(indicator=indicator, value="2", evidence="", expected_version=0)
            for indicator in Indicator.objects.current()
        ],
        user=coordinator,
    )
    new_org = Organisation.objects.create(name="Jaunā biedrība", slug="jauna-biedriba")
    Membership.objects.create(user=coordinator, organisation=new_org, role=Role.COORDINATOR)
    base = f"/lv/org/{organisation.slug}/rounds/"
    places = {
        "org": organisation.slug,
        "new_org": new_org.slug,
        "member": organisation.memberships.get(user=practitioner).pk,
        "invitation": invitation.pk,
        "invitation_token": invitation.token,
        "round": f"{base}{open_round.pk}/",
        "closed": f"{base}{closed.pk}/",
        "round_en": f"/en/org/{organisation.slug}/rounds/{open_round.pk}/",
        "individual": f"{base}{rounds[INDIVIDUAL_ROUND].pk}/",
        "action": action.pk,
        "practice": f"/lv/org/{organisation.slug}/practices/{practice.pk}/",
        "example": GoodPractice.objects.filter(is_published=True).first().key,
        "survey_token": Survey.objects.get(round=open_round).token,
        "network": Network.objects.get(name=DEMO_NETWORK[0]).slug,
    }
    allowed = [*PROPER_NAMES, *FurtherReading.objects.values_list("citation", flat=True)]
    return coordinator, places, allowed


def _pages(templates, places):
    for template in templates:
        path = template.format(**places)
        if path.startswith("/lv/"):
            yield path


def test_latvian_pages_have_no_english_left(client, demo):
    coordinator, places, allowed = demo
    viewer = get_user_model().objects.get(username=DEMO_ORGANISATIONS[0]["people"][2][0])
    member_pages = MEMBER_PAGES + EXTRA_MEMBER_PAGES
    english = {}
    # The viewer sees the read-only notices, and the "not allowed" page where coordinators act.
    for user, templates, statuses in [
        (None, PUBLIC_PAGES + EXTRA_PUBLIC_PAGES, {200}),
        (coordinator, member_pages, {200}),
        (viewer, member_pages, {200, 403, 404}),
    ]:
        if user:
            client.force_login(user)
        for path in _pages(templates, places):
            response = client.get(path)
            assert response.status_code in statuses, (path, response.status_code)
            found = english_in(visible_text(response.content.decode()), allowed)
            if found:
                english[path] = found
    assert not english, "\n".join(
        f"{path}: …{hit}…" for path, hits in english.items() for hit in hits
    )


def test_the_page_not_found_is_latvian(client):
    response = client.get("/lv/no-such-page/")
    assert response.status_code == 404
    assert english_in(visible_text(response.content.decode()), PROPER_NAMES) == []


def test_the_check_finds_english(client):
    """The heuristic is not blind: the English pages it is not run on fail it."""
    response = client.get("/en/")
    assert english_in(visible_text(response.content.decode()), PROPER_NAMES)


def pdf_text(content: bytes) -> str:
    text = pdfs.pdf_text(content, " ")
    return re.sub(r"\s+", " ", re.sub(r"[\u2010-]\n", "", text))  # words hyphenated at line ends


@pytest.mark.pdf
def test_latvian_pdfs_have_no_english_left(client, demo):
    """The report and the scorecard (the survey's poster speaks every language of the survey)."""
    coordinator, places, allowed = demo
    client.force_login(coordinator)
    english = {}
    for path in [
        "{round}report.pdf",
        "{individual}report.pdf",
        "{practice}scorecard.pdf",
    ]:
        path = path.format(**places)
        response = client.get(path)
        assert response.status_code == 200, path
        found = english_in(pdf_text(b"".join(response)), allowed)
        if found:
            english[path] = found
    assert not english, "\n".join(
        f"{path}: …{hit}…" for path, hits in english.items() for hit in hits
    )
