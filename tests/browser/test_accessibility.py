"""axe-core finds no WCAG 2.x A/AA violation on every kind of page, in both languages."""

import pytest

from assessments import services
from content.models import ChecklistItem
from networks.models import NetworkMember
from networks.services import network_create
from tests.browser.conftest import assert_accessible
from tests.browser.test_assessment import log_in, team  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db(transaction=True)

PUBLIC = [
    "/{lang}/",
    "/{lang}/handbook/introduction/",
    "/{lang}/handbook/how-it-works/",
    "/{lang}/handbook/key-areas/",
    "/{lang}/handbook/acknowledgements/",
    "/{lang}/handbook/colophon/",
    "/{lang}/key-areas/4/",
    "/{lang}/general-checklist/",
    "/{lang}/quality-indicators/",
    "/{lang}/glossary/",
    "/{lang}/statistics/",
    "/{lang}/testimonials/",
    "/{lang}/search/?q=integr",
    "/{lang}/practices/",
    "/{lang}/practices/?area=ka1&q=informācija",
    "/{lang}/accounts/login/",
    "/{lang}/accounts/signup/",
    "/{lang}/accounts/signup/sent/",
    "/{lang}/accounts/signup/confirm/MQ/no-such-token/",
    "/{lang}/accounts/password_reset/",
    "/{lang}/no-such-page/",
]


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_public_pages_are_accessible(page, lang):
    for path in PUBLIC:
        page.goto(path.format(lang=lang))
        assert_accessible(page)


def test_member_pages_are_accessible(page, team):  # noqa: F811
    coordinator = team.people["coordinator"]
    item = ChecklistItem.objects.get(key="ka1.c1.i01")
    services.answer_set(
        round=team.round, item=item, value="no", comment="Nav", user=coordinator, expected_version=0
    )
    services.action_create(
        round=team.round,
        item=item,
        title="Pasākums",
        owner=coordinator,
        due_date=None,
        user=coordinator,
    )
    log_in(page, "coordinator@cesis.example")
    base = f"/lv/org/cesis/rounds/{team.round.pk}/"
    for path in [
        "/lv/my/",
        "/lv/accounts/profile/",
        "/lv/org/new/",
        "/lv/org/cesis/",
        "/lv/org/cesis/members/",
        "/lv/org/cesis/review/",
        "/lv/org/cesis/delete/",
        base,
        base + "areas/4/",
        base + "summary/",
        base + "actions/new/?item=ka1.c1.i02",
        "/lv/org/cesis/practices/",
        "/en/org/cesis/",
        base.replace("/lv/", "/en/") + "summary/",
    ]:
        page.goto(path)
        assert_accessible(page)
    # A network the coordinator coordinates, with their organisation sharing with it.
    network = network_create(user=coordinator, name="Cēsu integrācijas padome", description="")
    team.sharing = "network"
    team.save(update_fields=["sharing"])
    NetworkMember.objects.create(network=network, organisation=team, joined_by=coordinator)
    for path in ["/lv/networks/", f"/lv/networks/{network.slug}/", f"/en/networks/{network.slug}/"]:
        page.goto(path)
        assert "Cēsu novada pašvaldība" in page.content() or path.endswith("/networks/")
        assert_accessible(page)
