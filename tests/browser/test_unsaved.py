"""Nothing lost, in Chromium: notes save themselves, and leaving with unsaved text asks first."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from assessments import services
from assessments.models import Membership, Note, Organisation, Role
from tests.assessments.conftest import PASSWORD, make_user
from tests.browser.conftest import WIDTHS, assert_sound

pytestmark = pytest.mark.django_db(transaction=True)

NOTES_LABEL = "Ko jūs pārrunājāt? Kas jādara tālāk?"


@pytest.fixture
def team(toolkit):
    organisation = Organisation.objects.create(
        slug="tukums", name="Tukuma novada pašvaldība", org_type="local_authority", city="Tukums"
    )
    practitioner = make_user("practitioner@tukums.example")
    Membership.objects.create(user=practitioner, organisation=organisation, role=Role.PRACTITIONER)
    organisation.round = services.round_start(
        organisation=organisation, name="2026 pavasaris", user=practitioner
    )
    return organisation


def log_in(page, email):
    page.set_default_timeout(30_000)  # the machine running the tests may be busy
    page.goto("/lv/accounts/login/")
    page.get_by_label("E-pasts").fill(email)
    page.get_by_label("Parole").fill(PASSWORD)
    page.get_by_label("Parole").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Manas organizācijas")


def _area_url(team):
    return reverse("assessments:area", args=[team.slug, team.round.pk, 1])


def _record_dialogs(page) -> list[str]:
    """Every dialog the page opens, answered "stay on this page"."""
    seen = []

    def stay(dialog):
        seen.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", stay)
    return seen


@WIDTHS
def test_a_typed_note_saves_itself_and_is_there_after_a_reload(page, team, width):
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, "practitioner@tukums.example")
    page.goto(_area_url(team))
    assert_sound(page)
    # Saving is automatic: the notes' own save button is only for pages without JavaScript.
    expect(page.get_by_role("button", name="Saglabāt piezīmes")).to_be_hidden()
    dialogs = _record_dialogs(page)
    page.get_by_label(NOTES_LABEL).fill("Vienojāmies izveidot darba grupu ar bēgļu pārstāvjiem.")
    expect(page.locator("#notes [data-status]")).to_contain_text("Saglabāts", timeout=15_000)
    page.keyboard.press("Tab")  # leaving the saved field sends nothing again
    page.wait_for_timeout(500)
    page.reload()  # nothing unsaved: no question asked
    expect(page.get_by_label(NOTES_LABEL)).to_have_value(
        "Vienojāmies izveidot darba grupu ar bēgļu pārstāvjiem."
    )
    assert dialogs == []
    assert_sound(page)
    note = Note.objects.get(round=team.round)
    assert note.text == "Vienojāmies izveidot darba grupu ar bēgļu pārstāvjiem."
    assert note.version == 1  # saved once, when typing stopped


@WIDTHS
def test_leaving_with_unsaved_text_asks_first(page, team, width):
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, "practitioner@tukums.example")
    page.goto(_area_url(team))
    dialogs = _record_dialogs(page)
    page.get_by_label(NOTES_LABEL).click()
    page.keyboard.type("Teksts, kas vēl nav saglabāts")
    # Leaving at once (the save only starts as the field loses focus) asks first.
    page.get_by_role("link", name="Kārtas pārskats").click()
    expect(page.locator("#notes [data-status]")).to_contain_text("Saglabāts", timeout=15_000)
    assert dialogs == ["beforeunload"]
    assert page.url.endswith(_area_url(team))  # the reader chose to stay
    # Once saved, leaving asks nothing.
    page.get_by_role("link", name="Kārtas pārskats").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2026 pavasaris")
    assert dialogs == ["beforeunload"]
    assert_sound(page)
    assert Note.objects.get(round=team.round).text == "Teksts, kas vēl nav saglabāts"


def test_a_half_written_action_asks_before_leaving(page, team):
    log_in(page, "practitioner@tukums.example")
    page.goto(
        reverse("assessments:action_new", args=[team.slug, team.round.pk]) + "?item=ka1.c1.i01"
    )
    dialogs = _record_dialogs(page)
    page.get_by_label("Kas tiks darīts").click()
    page.keyboard.type("Sarunas ar kopienu")
    page.get_by_role("link", name="Atcelt").click()
    expect(page.get_by_label("Kas tiks darīts")).to_have_value("Sarunas ar kopienu")
    assert dialogs == ["beforeunload"]
