"""Self-assessment journeys in Chromium: keyboard only, without JavaScript, an invitation."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from assessments import services
from assessments.models import Answer, Membership, Note, Organisation, Role
from content.models import ChecklistItem
from tests.assessments.conftest import PASSWORD, make_user
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def team(toolkit):
    organisation = Organisation.objects.create(
        slug="cesis", name="Cēsu novada pašvaldība", org_type="local_authority", city="Cēsis"
    )
    people = {}
    for role in Role.values:
        user = make_user(f"{role}@cesis.example")
        Membership.objects.create(user=user, organisation=organisation, role=role)
        people[role] = user
    organisation.people = people
    organisation.round = services.round_start(
        organisation=organisation, name="2026 pavasaris", user=people["coordinator"]
    )
    return organisation


def log_in(page, email):
    page.goto("/lv/accounts/login/")
    page.get_by_label("E-pasts").fill(email)
    page.get_by_label("Parole").fill(PASSWORD)
    page.get_by_label("Parole").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Manas organizācijas")


def test_practitioner_answers_a_whole_checklist_with_the_keyboard(page, team):
    log_in(page, "practitioner@cesis.example")
    page.goto(f"/lv/org/cesis/rounds/{team.round.pk}/areas/1/")
    assert_accessible(page)
    keys = list(
        ChecklistItem.objects.filter(checklist__key_area__number=1).values_list("key", flat=True)
    )
    for index, key in enumerate(keys):
        # Tab forward to the item's radio group, then choose with the keyboard.
        for _ in range(60):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.name") == f"value-{key}":
                break
        else:
            pytest.fail(f"could not reach {key} with Tab")
        page.keyboard.press("Space")  # first option: Yes
        if index == 0:
            page.keyboard.press("ArrowRight")  # change of mind: Partly
        item = page.locator(f'[id="{key}"]')
        expect(item.locator("[data-status]")).to_contain_text("Saglabāts")
        if index == 0:
            page.keyboard.press("Tab")
            page.keyboard.type("Sākām maijā")
            page.keyboard.press("Tab")  # leaving the comment saves it
            expect(item.get_by_label("Komentārs (nav obligāts)")).to_have_value("Sākām maijā")
            expect(item.locator("[data-status]")).to_contain_text("Saglabāts")
    expect(page.locator("#area-progress")).to_contain_text("Atbildēti 10 no 10")
    # Changes save themselves: no whole-page save button to make people doubt it.
    expect(page.get_by_role("button", name="Saglabāt visas atbildes")).to_be_hidden()

    page.reload()
    expect(page.locator(f'[id="{keys[0]}-partly"]')).to_be_checked()
    for key in keys[1:]:
        expect(page.locator(f'[id="{key}-yes"]')).to_be_checked()
    expect(page.get_by_label("Komentārs (nav obligāts)").first).to_have_value("Sākām maijā")
    answers = dict(Answer.objects.filter(round=team.round).values_list("item__key", "value"))
    assert answers == {keys[0]: "partly", **{k: "yes" for k in keys[1:]}}


def test_the_same_page_works_without_javascript(browser, live_server, team):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    log_in(page, "practitioner@cesis.example")
    page.goto(f"/lv/org/cesis/rounds/{team.round.pk}/areas/6/")
    keys = list(
        ChecklistItem.objects.filter(checklist__key_area__number=6).values_list("key", flat=True)
    )
    for key in keys:
        page.locator(f'[id="{key}-no"]').check()
    page.get_by_label("Ko jūs pārrunājāt? Kas jādara tālāk?").fill("Jāsarunā ar NVO.")
    expect(page.get_by_role("button", name="Saglabāt visas atbildes")).to_be_visible()
    page.get_by_role("button", name="Saglabāt visas atbildes").press("Enter")
    expect(page.get_by_role("status").first).to_contain_text("Jūsu atbildes ir saglabātas")
    page.reload()
    for key in keys:
        expect(page.locator(f'[id="{key}-no"]')).to_be_checked()
    assert Answer.objects.filter(round=team.round, value="no").count() == len(keys)
    assert Note.objects.get(round=team.round).text == "Jāsarunā ar NVO."
    context.close()


def test_coordinator_invites_a_colleague_who_accepts(page, browser, live_server, team):
    log_in(page, "coordinator@cesis.example")
    page.goto("/lv/org/cesis/members/")
    assert_accessible(page)
    page.get_by_label("E-pasts").fill("jauna.kolege@cesis.example")
    page.get_by_label("Loma:", exact=True).select_option("practitioner")
    page.get_by_role("button", name="Nosūtīt uzaicinājumu").click()
    expect(page.locator(".messages")).to_contain_text("jauna.kolege@cesis.example")

    link = re.search(r"https?://\S+/invitations/\S+/", mail.outbox[-1].body).group(0)
    colleague = browser.new_context(base_url=live_server.url, bypass_csp=True)
    tab = colleague.new_page()
    tab.goto(link)
    expect(tab.get_by_role("heading", level=1)).to_contain_text("Cēsu novada pašvaldība")
    assert_accessible(tab)
    # One step: the invitation's page signs up with the invited address filled in, and the
    # sign-up accepts the invitation (its link came to that address: no confirmation e-mail).
    expect(tab.get_by_label("E-pasts")).to_have_value("jauna.kolege@cesis.example")
    tab.get_by_label("Vārds un uzvārds").fill("Inese Kalniņa")
    tab.get_by_label("Parole:", exact=True).fill("Ziema-Sniegs-2026")
    tab.get_by_label("Paroles apstiprinājums").fill("Ziema-Sniegs-2026")
    sent = len(mail.outbox)
    tab.get_by_role("button", name="Izveidot kontu un pievienoties").click()
    expect(tab.get_by_role("heading", level=1)).to_have_text("Cēsu novada pašvaldība")
    expect(tab.locator(".messages")).to_contain_text("Laipni lūdzam!")
    assert len(mail.outbox) == sent
    membership = Membership.objects.get(user__email="jauna.kolege@cesis.example")
    assert membership.role == Role.PRACTITIONER and membership.organisation == team
    assert membership.user.first_name == "Inese Kalniņa"
    # The link works once.
    tab.goto(link)
    expect(tab.get_by_role("heading", level=1)).to_have_text("Šis uzaicinājums nav derīgs")
    colleague.close()
