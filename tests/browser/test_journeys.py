"""The journeys of issue #16 that no other browser test walks, each on a 360 px phone and on a
1280 px screen: every page on the way is checked with axe and must not scroll sideways.

- a new user: home → "Sākt pašnovērtējumu" → sign up → organisation → first steps → invite
  (roles explained) → start a round → answer (meanings shown) → the steps tick themselves off;
- the profile: a changed display name in the header and as "last changed by" of an answer;
- confirm before destroying: a role, a round closed and reopened, an invitation revoked, the
  organisation deleted, each through its confirmation page; also without JavaScript;
- search: "berni" finds what "bērni" finds; a nonsense word shows what to try.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from playwright.sync_api import expect

from assessments import services
from assessments.models import Invitation, Membership, Organisation, Role, RoundStatus
from content.models import ChecklistItem
from tests.assessments.conftest import PASSWORD, make_user
from tests.browser.conftest import WIDTHS, assert_fits, assert_sound, sized_context
from tests.dom import lv

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "Ziema-Sniegs-2026"


@pytest.fixture
def phone_or_desktop(browser, live_server, toolkit, width):
    """One browser context for the whole journey, as wide as the screen it is walked on."""
    context = sized_context(browser, live_server, width)
    page = context.new_page()
    page.set_default_timeout(30_000)  # the machine running the tests may be busy
    yield page
    context.close()


def _log_in(page, email):
    page.goto("/lv/accounts/login/")
    page.get_by_label("E-pasts").fill(email)
    page.get_by_label("Parole").fill(PASSWORD)
    page.get_by_label("Parole").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Manas organizācijas")


def _heading(page, text):
    expect(page.get_by_role("heading", level=1)).to_have_text(text)


def _step(page, name):
    """A first step, by the name of its link (or text)."""
    return page.locator("#first-steps li").filter(has_text=name)


@WIDTHS
def test_a_new_user_signs_up_and_the_first_steps_tick_themselves_off(phone_or_desktop, width):
    page = phone_or_desktop
    page.goto("/lv/")
    assert_sound(page)
    page.get_by_role("link", name="Sākt pašnovērtējumu").first.click()

    # A visitor signs up first, with the name others will see.
    _heading(page, "Izveidot kontu")
    assert_sound(page)
    page.get_by_label("Vārds un uzvārds").fill("Inese Kalniņa")
    page.get_by_label("E-pasts").fill("inese@talsi.example")
    page.get_by_label("Parole:", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Paroles apstiprinājums").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Izveidot kontu").click()

    # The address is confirmed from the e-mail, with the password chosen.
    _heading(page, "Pārbaudiet e-pastu")
    assert_sound(page)
    page.goto(re.search(r"https?://[^/\s]+(/\S*)", mail.outbox[-1].body).group(1))
    _heading(page, "Apstipriniet savu kontu")
    assert_sound(page)
    page.get_by_label("Parole:", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Apstiprināt un turpināt").click()

    _heading(page, "Izveidot organizāciju")
    assert_sound(page)
    page.locator("#id_name").fill("Talsu biedrība")
    page.locator("#id_org_type").select_option("ngo")
    page.locator("#id_city").fill("Talsi")
    page.get_by_role("main").get_by_role("button").click()

    _heading(page, "Talsu biedrība")
    steps = page.locator("#first-steps")
    expect(steps.get_by_role("heading", level=2)).to_have_text("Pirmie soļi")
    expect(steps.get_by_text("Jāizdara:")).to_have_count(5)
    assert_sound(page)

    # Invite a colleague, where the roles are explained.
    steps.get_by_role("link", name="Uzaicināt kolēģus").click()
    _heading(page, "Dalībnieki")
    roles = page.locator(".roles-help")
    expect(roles.get_by_role("heading", level=2)).to_have_text("Ko drīkst katra loma")
    expect(roles.locator("dt")).to_have_text(["Koordinators", "Speciālists", "Skatītājs"])
    assert_sound(page)
    page.get_by_label("E-pasts").fill("kolege@talsi.example")
    page.get_by_label("Loma:", exact=True).select_option("practitioner")
    page.get_by_role("button", name="Nosūtīt uzaicinājumu").click()
    expect(page.locator(".messages")).to_contain_text("kolege@talsi.example")
    assert_sound(page)

    page.get_by_role("link", name="Talsu biedrība").first.click()
    expect(_step(page, "Uzaicināt kolēģus")).to_contain_text("Izdarīts")
    expect(_step(page, "Sākt kārtu")).to_contain_text("Jāizdara")

    # Start a round from the steps.
    _step(page, "Sākt kārtu").get_by_role("link").click()
    expect(page).to_have_url(re.compile("#new-round-title$"))
    expect(page.get_by_label("Kārtas nosaukums")).to_be_in_viewport()
    # The same form has a page of its own.
    page.goto(page.url.split("#")[0] + "rounds/new/")
    _heading(page, "Sākt jaunu kārtu")
    assert_sound(page)
    page.get_by_label("Kārtas nosaukums").fill("2026 pavasaris")
    page.get_by_role("button", name="Sākt kārtu").click()
    _heading(page, "2026 pavasaris")
    assert_sound(page)

    # Answer an item; what the answers mean is explained above the checklist.
    page.get_by_role("link", name=re.compile(r"^5\.1\.")).click()
    meanings = page.locator("details.answer-meanings")
    meanings.get_by_text("Ko nozīmē atbildes?").click()
    expect(meanings.locator("dt")).to_have_text(["Jā", "Daļēji", "Nē", "Neattiecas"])
    expect(meanings.locator("dd").first).to_be_visible()
    assert_sound(page)
    key = (
        ChecklistItem.objects.filter(checklist__key_area__number=1)
        .order_by("checklist__order", "order")[0]
        .key
    )
    page.locator(f'[id="{key}-yes"]').check()
    expect(page.locator(f'[id="{key}"] [data-status]')).to_contain_text("Saglabāts")

    page.get_by_role("navigation", name="Navigācijas ceļš").get_by_role(
        "link", name="Talsu biedrība"
    ).click()
    for done in ("Uzaicināt kolēģus", "Sākt kārtu", "Atbildēt uz kontrolsarakstiem"):
        expect(_step(page, done)).to_contain_text("Izdarīts")
    expect(_step(page, "Plānot pasākumus")).to_contain_text("Jāizdara")
    assert_sound(page)
    user = get_user_model().objects.get(email="inese@talsi.example")
    assert user.first_name == "Inese Kalniņa"
    assert Invitation.objects.get().email == "kolege@talsi.example"


@pytest.fixture
def team(toolkit):
    """Cēsis: a member of each role, a closed round and an open one, a pending invitation."""
    organisation = Organisation.objects.create(
        slug="cesis", name="Cēsu novada pašvaldība", org_type="local_authority", city="Cēsis"
    )
    people = {}
    for role in Role.values:
        people[role] = make_user(f"{role}@cesis.example")
        Membership.objects.create(user=people[role], organisation=organisation, role=role)
    organisation.people = people
    organisation.round = services.round_start(
        organisation=organisation, name="2026 pavasaris", user=people["coordinator"]
    )
    services.invitation_create(
        organisation=organisation,
        email="jauns@cesis.example",
        role=Role.VIEWER,
        invited_by=people["coordinator"],
    )
    return organisation


@WIDTHS
def test_a_changed_display_name_shows_in_the_header_and_on_answers(phone_or_desktop, team, width):
    page = phone_or_desktop
    item = ChecklistItem.objects.get(key="ka1.c1.i01")
    services.answer_set(
        round=team.round,
        item=item,
        value="yes",
        comment="",
        expected_version=0,
        user=team.people["practitioner"],
    )
    _log_in(page, "practitioner@cesis.example")
    if width == 360:  # the menu folds away on a phone
        page.locator("summary.menu-button").click()
    page.get_by_role("link", name=re.compile("Practitioner C.")).click()
    _heading(page, "Jūsu konts")
    assert_sound(page)
    page.get_by_label("Vārds un uzvārds").fill("")
    page.get_by_role("button", name="Saglabāt vārdu").click()
    expect(page.get_by_label("Vārds un uzvārds")).to_have_attribute("aria-invalid", "true")
    assert_sound(page)  # the error, too
    page.get_by_label("Vārds un uzvārds").fill("Māra Ozoliņa")
    page.get_by_role("button", name="Saglabāt vārdu").click()
    expect(page.locator(".messages")).to_contain_text("Jūsu vārds ir saglabāts.")
    expect(page.locator("header")).to_contain_text("Māra Ozoliņa")
    expect(page.locator("header")).not_to_contain_text("Practitioner C.")
    assert_sound(page)

    page.goto(f"/lv/org/cesis/rounds/{team.round.pk}/areas/1/")
    expect(page.locator('[id="ka1.c1.i01"] .who')).to_contain_text("Pēdējās izmaiņas: Māra Ozoliņa")
    assert_sound(page)


def _confirm_page(page, heading):
    """On a confirmation page: its question as the heading; nothing has happened yet."""
    _heading(page, heading)
    expect(page.locator("ul.consequences li").first).to_be_visible()


@WIDTHS
def test_each_destructive_action_asks_first_on_its_own_page(phone_or_desktop, team, width):
    page = phone_or_desktop
    viewer = Membership.objects.get(organisation=team, role=Role.VIEWER)
    _log_in(page, "coordinator@cesis.example")

    # Change a role: asked first, with its consequence.
    page.goto("/lv/org/cesis/members/")
    page.get_by_label("Loma: Viewer C.").select_option("practitioner")
    page.locator(f'form[action$="/members/{viewer.pk}/role/"]').get_by_role(
        "button", name="Mainīt lomu"
    ).click()
    _confirm_page(page, re.compile("viewer@cesis.example"))
    assert_sound(page)
    viewer.refresh_from_db()
    assert viewer.role == Role.VIEWER  # not yet
    page.get_by_role("main").get_by_role("button").click()
    expect(page.locator(".messages")).to_be_visible()
    viewer.refresh_from_db()
    assert viewer.role == Role.PRACTITIONER

    # Revoke an invitation.
    page.get_by_role("link", name="Atsaukt uzaicinājumu adresei jauns@cesis.example").click()
    _heading(page, "Atsaukt uzaicinājumu adresei jauns@cesis.example?")
    assert_sound(page)
    assert Invitation.objects.filter(email="jauns@cesis.example").exists()  # not yet
    page.get_by_role("button", name="Atsaukt uzaicinājumu").click()
    expect(page.locator(".messages")).to_contain_text("jauns@cesis.example ir atsaukts")
    expect(page.get_by_role("link", name=re.compile("jauns@cesis.example"))).to_have_count(0)
    assert_sound(page)

    # Close the round, then reopen it.
    page.goto(f"/lv/org/cesis/rounds/{team.round.pk}/")
    page.get_by_role("link", name="Slēgt kārtu").click()
    _confirm_page(page, "Slēgt kārtu “2026 pavasaris”?")
    assert_sound(page)
    team.round.refresh_from_db()
    assert team.round.status == RoundStatus.OPEN  # not yet
    page.get_by_role("main").get_by_role("button", name="Slēgt kārtu").click()
    expect(page.locator(".badge-closed").first).to_be_visible()
    assert_sound(page)
    page.get_by_role("link", name="Atvērt kārtu atkārtoti").click()
    _confirm_page(page, "Atvērt kārtu “2026 pavasaris” atkārtoti?")
    assert_sound(page)
    page.get_by_role("main").get_by_role("button", name="Atvērt kārtu atkārtoti").click()
    expect(page.locator(".badge-open").first).to_be_visible()
    team.round.refresh_from_db()
    assert team.round.status == RoundStatus.OPEN

    # Delete the organisation: it looks dangerous and wants its name typed.
    page.goto("/lv/org/cesis/")
    page.get_by_role("link", name="Dzēst organizāciju").click()
    _heading(page, lv("Delete %(name)s for good?", name="Cēsu novada pašvaldība"))
    delete = page.get_by_role("button", name="Dzēst neatgriezeniski")
    expect(delete).to_have_class(re.compile("danger"))
    assert_sound(page)
    page.get_by_label(re.compile("Lai apstiprinātu, ierakstiet")).fill("Cēsu novads")
    delete.click()
    expect(page.get_by_role("alert")).to_be_visible()  # a wrong name deletes nothing
    assert Organisation.objects.filter(slug="cesis").exists()
    assert_sound(page)
    page.get_by_label(re.compile("Lai apstiprinātu, ierakstiet")).fill("Cēsu novada pašvaldība")
    page.get_by_role("button", name="Dzēst neatgriezeniski").click()
    expect(page.locator(".messages")).to_contain_text("Organizācija un visi tās dati ir dzēsti.")
    assert not Organisation.objects.filter(slug="cesis").exists()
    assert_sound(page)


@WIDTHS
def test_confirmation_pages_work_without_javascript(browser, live_server, team, width):
    context = sized_context(browser, live_server, width, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        _log_in(page, "coordinator@cesis.example")
        viewer = Membership.objects.get(organisation=team, role=Role.VIEWER)
        page.goto("/lv/org/cesis/members/")
        page.get_by_label("Loma: Viewer C.").select_option("coordinator")
        page.locator(f'form[action$="/members/{viewer.pk}/role/"]').get_by_role(
            "button", name="Mainīt lomu"
        ).click()
        _confirm_page(page, re.compile("viewer@cesis.example"))
        assert_fits(page)
        page.get_by_role("main").get_by_role("button").click()
        expect(page.locator(".messages")).to_be_visible()
        viewer.refresh_from_db()
        assert viewer.role == Role.COORDINATOR

        page.get_by_role("link", name="Noņemt: Viewer C.").click()
        _heading(page, re.compile("Noņemt"))
        assert_fits(page)
        page.get_by_role("main").get_by_role("button", name="Noņemt").click()
        expect(page.locator(".messages")).to_contain_text("Dalībnieks ir noņemts.")
        assert not Membership.objects.filter(pk=viewer.pk).exists()

        page.goto(f"/lv/org/cesis/rounds/{team.round.pk}/")
        page.get_by_role("link", name="Slēgt kārtu").click()
        _confirm_page(page, "Slēgt kārtu “2026 pavasaris”?")
        assert_fits(page)
        page.get_by_role("main").get_by_role("button", name="Slēgt kārtu").click()
        expect(page.locator(".badge-closed").first).to_be_visible()
        team.round.refresh_from_db()
        assert team.round.status == RoundStatus.CLOSED
    finally:
        context.close()


@WIDTHS
def test_search_folds_diacritics_and_suggests_what_to_try(phone_or_desktop, width):
    page = phone_or_desktop
    page.goto("/lv/search/?q=bērni")
    with_marks = page.get_by_role("status").first.inner_text()
    page.goto("/lv/")
    if width == 360:
        page.locator("summary.menu-button").click()
    search = page.get_by_role("search")
    search.get_by_role("searchbox").fill("berni")
    search.get_by_role("searchbox").press("Enter")
    status = page.get_by_role("status").first
    expect(status).not_to_contain_text("0 rezultāt")
    assert status.inner_text().split()[0] == with_marks.split()[0]  # as many as "bērni"
    expect(page.get_by_role("main").get_by_role("link").first).to_be_visible()
    assert_sound(page)

    page.goto("/lv/search/?q=zzqxjvv")
    help_ = page.locator(".search-help")
    expect(help_.get_by_role("heading", level=2)).to_have_text("Ko varat mēģināt")
    expect(help_.get_by_role("link").first).to_be_visible()
    assert_sound(page)


@WIDTHS
def test_the_new_handbook_pages_read_well(phone_or_desktop, width):
    """The key-areas overview, the acknowledgements and colophon, and the quality indicators
    that lead to the scoring table."""
    page = phone_or_desktop
    for path in (
        "/lv/handbook/key-areas/",
        "/lv/handbook/acknowledgements/",
        "/lv/handbook/colophon/",
        "/lv/quality-indicators/",
    ):
        page.goto(path)
        assert_sound(page)
    # The quality indicators lead to the scoring table (a visitor signs up or logs in first).
    page.get_by_role("link", name="Novērtēt praksi novērtējuma tabulā").click()
    expect(page).to_have_url(re.compile(r"/lv/accounts/(signup|login)/\?next="))
    assert_sound(page)
