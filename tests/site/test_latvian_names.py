"""Names inserted into Latvian need no case ending: an organisation's, a person's or a round's
name stands in quotes after a noun in the right case, after a colon, in parentheses, or as the
subject ("Par šo aptauju atbild …"). Checked over the whole catalogue, and on the pages that
showed "redz tikai Dzintarkrasta novada pašvaldība darbinieki" or "Organizācijas Dzintarkrasta
novada pašvaldība pārskats"."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from assessments import services
from assessments.models import Role
from tests.dom import by_id, text
from tests.surveys.conftest import add_responses, survey  # noqa: F401

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "lv" / "LC_MESSAGES" / "django.po"

# Placeholders that stand for the name of an organisation, a person, a round, a role or a
# record.
NAME = re.compile(
    r"(?:<(?:bdi|strong)>)?"
    r"(%\((?:name|organisation|organisations|org|person|who|inviter|round|role|type|obj)\)s"
    r"|\{(?:name|obj|object)\})"
)
# What may stand before such a name: nothing, a quotation mark, a colon, a parenthesis or a
# dash; or the words after which it is the subject, in the nominative ("…, ko Anna saglabāja").
SAFE_BEFORE = re.compile(r"(?:^|[“„«\"(]|: |— |\b(?:ko|atbild|sniedz) )$")

ORGANISATION = "Dzintarkrasta novada pašvaldība"


def unsafe_names(message: str) -> list[str]:
    return [
        message[max(0, m.start() - 30) : m.end() + 20]
        for m in NAME.finditer(message)
        if not SAFE_BEFORE.search(message[: m.start()])
    ]


def test_no_latvian_message_puts_a_name_where_a_case_ending_is_needed():
    found = []
    for entry in polib.pofile(str(CATALOGUE)):
        for message in [entry.msgstr, *entry.msgstr_plural.values()]:
            found += [f"{entry.msgid[:50]!r}: …{hit}…" for hit in unsafe_names(message)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    "broken",
    [
        "Rezultātus redz tikai <bdi>%(name)s</bdi> darbinieki.",
        "Organizācijas %(name)s pārskats",
        "Tās palīdz <bdi>%(name)s</bdi> uzlabot savu atbalstu.",
        "Citam organizācijas %(organisation)s dalībniekam jau ir šāds vārds.",
    ],
)
def test_the_check_finds_the_old_phrasing(broken):
    assert unsafe_names(broken)


def broken_around(name: str) -> re.Pattern:
    """The name where Latvian would need it declined: after a declined "organizācija" without
    quotes, or right before the noun it should qualify."""
    name = re.escape(name)
    return re.compile(
        rf"\borganizācij(?:as|ai|u|ā) {name}|{name} (?:darbinie\w*|pārskats|dalībniek\w*)|"
        rf"palīdz {name}"
    )


@pytest.fixture
def dzintarkrasts(org):
    org.name = ORGANISATION
    org.save(update_fields=["name"])
    return org


def test_the_survey_pages_name_the_organisation_without_a_case_ending(
    client,
    dzintarkrasts,
    survey,  # noqa: F811
):
    broken = broken_around(ORGANISATION)
    pages = [f"/lv/survey/{survey.token}/", f"/lv/survey/{survey.token}/privacy/"]
    for path in pages:
        page = text(by_id(client.get(path), "main"))
        assert ORGANISATION in page, path
        assert not broken.search(page), (path, broken.search(page))
    survey_page = text(by_id(client.get(pages[0]), "main"))
    assert f"redz tikai organizācijas darbinieki: {ORGANISATION}." in survey_page
    add_responses(survey, 1)
    thanks = text(by_id(client.get(f"/lv/survey/{survey.token}/thanks/"), "main"))
    assert f"atbalstu, ko sniedz {ORGANISATION}" in thanks
    assert not broken.search(thanks)


def test_the_staff_pages_name_the_organisation_without_a_case_ending(client, dzintarkrasts):
    broken = broken_around(ORGANISATION)
    client.force_login(dzintarkrasts.people["coordinator"])
    slug = dzintarkrasts.slug
    member = dzintarkrasts.memberships.get(user=dzintarkrasts.people["viewer"])
    for path in [
        reverse("reporting:review", args=[slug]),
        reverse("assessments:organisation_delete", args=[slug]),
        reverse("assessments:member_remove", args=[slug, member.pk]),
    ]:
        page = text(by_id(client.get(path), "main"))
        assert ORGANISATION in page, path
        assert not broken.search(page), (path, broken.search(page))
    review = text(by_id(client.get(reverse("reporting:review", args=[slug])), "main"))
    assert f"Pārskats: {ORGANISATION}" in review


def test_the_invitation_names_the_organisation_without_a_case_ending(client, dzintarkrasts):
    client.force_login(dzintarkrasts.people["coordinator"])
    client.post(
        reverse("assessments:members", args=[dzintarkrasts.slug]),
        {"email": "inese@example.lv", "role": Role.VIEWER},
    )
    [message] = mail.outbox
    assert message.subject.startswith(f"Uzaicinājums pievienoties organizācijai “{ORGANISATION}”")
    client.logout()
    invitation = services.invitation_create(
        organisation=dzintarkrasts,
        email="inese@example.lv",
        role=Role.VIEWER,
        invited_by=dzintarkrasts.people["coordinator"],
    )
    page = text(
        by_id(client.get(reverse("assessments:invitation", args=[invitation.token])), "main")
    )
    assert f"Pievienoties organizācijai “{ORGANISATION}”" in page
    assert not broken_around(ORGANISATION).search(page + message.subject + message.body)


@pytest.mark.parametrize("lang", ["uk", "ru"])
def test_the_survey_in_ukrainian_and_russian_quotes_the_name_after_a_noun(lang):
    """The same in the survey's Ukrainian and Russian, which decline too: "організації «…»"."""
    catalogue = Path(settings.BASE_DIR) / "locale" / lang / "LC_MESSAGES" / "django.po"
    found = []
    for entry in polib.pofile(str(catalogue)):
        for message in [entry.msgstr, *entry.msgstr_plural.values()]:
            for m in re.finditer(r"<bdi>%\(name\)s</bdi>", message):
                if not re.search(r"(?:организаци|організаці)\w* «$", message[: m.start()], re.I):
                    found.append(message)
    assert not found, "\n".join(found)
