"""Nothing lost and guided first steps: notes save as answers do, the start of a
self-assessment, the first-steps list, what answers and roles mean."""

import pytest
from django.test import Client
from django.urls import reverse

from assessments import selectors, services
from assessments.models import Membership, Note, Role, Round
from content.models import ChecklistItem, KeyArea
from tests.assessments.conftest import make_org, make_user
from tests.dom import by_id, field, find, lv, parse, text

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}


def note_url(org, number=1):
    return reverse("assessments:note_save", args=[org.slug, org.round.pk, number])


def area_url(org, number=1):
    return reverse("assessments:area", args=[org.slug, org.round.pk, number])


def _note(org, text, version=0, user="coordinator"):
    return services.note_set(
        round=org.round,
        key_area=KeyArea.objects.get(number=1),
        text=text,
        expected_version=version,
        user=org.people[user],
    )


# --- notes save as answers do --------------------------------------------------------------------


def test_the_checklist_page_saves_notes_by_itself_and_asks_before_losing_text(as_user, org):
    page = parse(as_user(org.people["practitioner"]).get(area_url(org)))
    notes = find(page, ".//*[@id='notes']//div[@hx-post]")
    assert notes.get("hx-trigger") == "input changed delay:1500ms, change"
    assert notes.get("hx-target") == "find .note-state"
    # the page form: leaving with unsaved text asks first
    assert find(page, ".//form[@class='assessment-form']").get("data-unsaved") is not None


def test_htmx_note_save_returns_the_saved_state_only(as_user, org):
    client = as_user(org.people["practitioner"])
    response = client.post(note_url(org), {"text": "Mūsu piezīmes", "version": "0"}, headers=HX)
    assert response.status_code == 200
    html = response.text
    # Only the state is swapped: text typed while the request was under way stays.
    assert html.lstrip().startswith('<div class="note-state">') and "<textarea" not in html
    assert "HX-Retarget" not in response
    page = parse(response)
    assert text(find(page, ".//*[@data-status]")).startswith(lv("Saved at %(time)s", time=""))
    assert field(page, "version").get("value") == "1"
    assert "Practitioner R." in text(find(page, ".//*[@class='who']"))  # who changed it
    note = Note.objects.get(round=org.round)
    assert (note.text, note.version, note.updated_by) == (
        "Mūsu piezīmes",
        1,
        org.people["practitioner"],
    )


def test_htmx_note_save_of_a_stale_version_shows_both_texts_and_overwrites_nothing(as_user, org):
    _note(org, "Their text, saved first")
    client = as_user(org.people["practitioner"])
    response = client.post(
        note_url(org), {"text": "My text, typed meanwhile", "version": "0"}, headers=HX
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#notes" and response["HX-Reswap"] == "outerHTML"
    notes = by_id(parse(response), "notes")
    assert find(notes, ".//*[@role='alert']") is not None
    assert text(find(notes, ".//*[@class='their-text']")) == "Their text, saved first"
    typed = field(notes, "text")
    assert typed.text == "My text, typed meanwhile"
    assert typed.get("data-not-saved") is not None  # still counts as unsaved in the browser
    assert field(notes, "version").get("value") == "1"
    # settled with a button, not by typing on
    assert find(notes, ".//button[@hx-target='#notes']") is not None
    assert notes.find(".//div[@hx-trigger]") is None
    assert Note.objects.get(round=org.round).text == "Their text, saved first"
    # Saving their own version after seeing both: the whole notes come back, saved.
    response = client.post(
        note_url(org), {"text": "Merged", "version": "1"}, headers=HX | {"HX-Target": "notes"}
    )
    notes = by_id(parse(response), "notes")
    assert response.status_code == 200 and notes is not None
    assert text(find(notes, ".//*[@data-status]")) and find(notes, ".//*[@role='alert']") is None
    assert Note.objects.get(round=org.round).text == "Merged"


def test_notes_save_without_javascript_from_their_own_url_and_with_the_page(as_user, org):
    client = as_user(org.people["practitioner"])
    response = client.post(note_url(org), {"text": "Bez JavaScript", "version": "0"})
    assert response.status_code == 302 and response["Location"].endswith("#notes")
    assert Note.objects.get(round=org.round).text == "Bez JavaScript"
    # The page's own form (its save buttons) carries the notes with the answers.
    response = client.post(area_url(org), {"text": "Ar visu lapu", "version": "1"})
    assert response.status_code == 302
    assert Note.objects.get(round=org.round).text == "Ar visu lapu"
    assert field(parse(client.get(area_url(org))), "text").text == "Ar visu lapu"


def test_the_whole_page_save_button_speaks_plainly(as_user, org):
    html = as_user(org.people["practitioner"]).get(area_url(org)).text
    form = find(parse(html), ".//form[@class='assessment-form']")
    save = find(form, "./p[@class='form-actions no-js-save']/button[@type='submit']")
    assert text(save) == lv("Save all answers")
    assert "JavaScript" not in html


@pytest.mark.parametrize(
    "path",
    [
        lambda org: (
            reverse("assessments:action_new", args=[org.slug, org.round.pk]) + "?item=ka1.c1.i01"
        ),
        lambda org: reverse("assessments:organisation_create"),
        lambda org: reverse("practices:practice_create", args=[org.slug]),
    ],
)
def test_forms_with_typed_text_ask_before_leaving(as_user, org, path):
    page = parse(as_user(org.people["coordinator"]).get(path(org)))
    assert find(page, ".//form[@data-unsaved]") is not None


# --- what answers and roles mean -----------------------------------------------------------------


@pytest.mark.parametrize("number", range(1, 7))
def test_every_checklist_page_explains_the_answers(as_user, org, number):
    page = parse(as_user(org.people["viewer"]).get(area_url(org, number)))
    meanings = find(page, ".//details[@class='answer-meanings']")
    assert text(meanings.find("summary")) == lv("What do the answers mean?")
    terms = [text(dt) for dt in meanings.findall(".//dt")]
    assert terms == [lv("Yes"), lv("Partly"), lv("No"), lv("Not applicable")]
    explained = [text(dd) for dd in meanings.findall(".//dd")]
    assert explained[0] == lv("Your practice meets this item in full.")
    assert explained[1] == lv(
        "It is met in part or only sometimes: it counts as half in the score and is listed as a "
        "gap to work on."
    )


@pytest.mark.parametrize("role", ["coordinator", "viewer"])
def test_the_members_page_explains_each_role(as_user, org, role):
    page = parse(as_user(org.people[role]).get(reverse("assessments:members", args=[org.slug])))
    roles = find(page, ".//section[@class='roles-help']")
    assert text(by_id(roles, "roles-title")) == lv("What each role may do")
    assert [text(dt) for dt in roles.findall(".//dt")] == [
        lv("Coordinator"),
        lv("Practitioner"),
        lv("Viewer"),
    ]
    assert all(text(dd) for dd in roles.findall(".//dd"))
    assert text(roles.findall(".//dd")[2]) == lv(
        "Reads the answers, notes, summaries and reports, but changes nothing."
    )


# --- the start of a self-assessment --------------------------------------------------------------


def test_the_home_page_invites_a_visitor_to_start_by_signing_up(client):
    page = parse(client.get("/lv/"))
    start = find(page, ".//a[@href='/lv/accounts/signup/?next=/lv/start/']")
    assert text(start) == lv("Start the self-assessment")
    assert find(page, ".//a[@href='/lv/accounts/login/?next=/lv/start/']") is not None
    signup = parse(client.get("/lv/accounts/signup/?next=/lv/start/"))
    # an account already? log in
    assert find(signup, ".//a[@href='/lv/accounts/login/?next=/lv/start/']") is not None


def test_the_home_page_leads_a_member_to_the_start(as_user, org):
    page = parse(as_user(org.people["practitioner"]).get("/lv/"))
    assert text(find(page, ".//a[@href='/lv/start/']")) == lv("Start the self-assessment")


def test_the_start_leads_each_person_to_their_next_step(client, org):
    start = reverse("assessment_start")
    response = client.get(start)
    assert response.status_code == 302
    assert response["Location"] == reverse("signup") + "?next=" + start
    newcomer = make_user("new@example.lv")
    client.force_login(newcomer)
    assert client.get(start)["Location"] == reverse("assessments:organisation_create")
    client.force_login(org.people["practitioner"])
    assert client.get(start)["Location"] == org.round.get_absolute_url()
    services.round_close(round=org.round, user=org.people["coordinator"])
    assert client.get(start)["Location"] == (
        reverse("assessments:organisation", args=[org.slug]) + "#first-steps"
    )
    Membership.objects.create(
        user=org.people["practitioner"], organisation=make_org("ogre"), role=Role.VIEWER
    )
    assert client.get(start)["Location"] == reverse("assessments:home")


# --- the quality indicators lead to the scoring table --------------------------------------------


def test_the_quality_indicators_page_leads_to_the_scoring_table(client, org):
    page = parse(client.get("/lv/quality-indicators/"))
    link = find(page, f".//a[@href='{reverse('scoring_start')}']")
    assert text(link) == lv("Score a practice in the assessment table")
    response = client.get(reverse("scoring_start"))
    assert response["Location"] == reverse("signup") + "?next=" + reverse("scoring_start")
    client.force_login(org.people["viewer"])
    assert client.get(reverse("scoring_start"))["Location"] == reverse(
        "practices:practice_list", args=[org.slug]
    )
    client.force_login(make_user("nobody@example.lv"))
    assert client.get(reverse("scoring_start"))["Location"] == reverse(
        "assessments:organisation_create"
    )


# --- the first steps -----------------------------------------------------------------------------


@pytest.fixture
def new_org(db):
    """A new organisation: its coordinator alone, no round yet."""
    organisation = make_org("jelgava")
    coordinator = make_user("coordinator@jelgava.example")
    organisation.membership = Membership.objects.create(
        user=coordinator, organisation=organisation, role=Role.COORDINATOR
    )
    organisation.coordinator = coordinator
    return organisation


def _steps(org):
    membership = Membership.objects.select_related("organisation").get(pk=org.membership.pk)
    rounds = list(selectors.rounds_for_organisation(org))
    return selectors.first_steps(membership, rounds)


def _answer_area(round_, number, user, value="yes"):
    for item in ChecklistItem.objects.filter(checklist__key_area__number=number):
        services.answer_set(
            round=round_, item=item, value=value, comment="", expected_version=0, user=user
        )


def test_first_steps_tick_themselves_off_from_the_data(new_org):
    coordinator = new_org.coordinator
    steps = _steps(new_org)
    assert (
        not any((steps.invited, steps.round_started, steps.answered, steps.summary_ready))
        and not steps.action_planned
    )
    services.invitation_create(
        organisation=new_org,
        email="kolega@example.lv",
        role=Role.PRACTITIONER,
        invited_by=coordinator,
    )
    assert _steps(new_org).invited
    round_ = services.round_start(organisation=new_org, name="2026", user=coordinator)
    steps = _steps(new_org)
    assert steps.round_started and steps.latest_round == round_ and not steps.answered
    services.answer_set(
        round=round_,
        item=ChecklistItem.objects.get(key="ka2.c1.i01"),
        value="no",
        comment="",
        expected_version=0,
        user=coordinator,
    )
    steps = _steps(new_org)
    assert steps.answered and not steps.summary_ready  # one answer finishes no key area
    _answer_area(round_, 1, coordinator)
    assert _steps(new_org).summary_ready and not _steps(new_org).done
    services.action_create(
        round=round_,
        item=ChecklistItem.objects.get(key="ka2.c1.i01"),
        title="Izveidot darba grupu",
        owner=None,
        due_date=None,
        user=coordinator,
    )
    assert _steps(new_org).done


def test_another_member_counts_as_invited_and_a_closed_round_as_a_summary_read(new_org):
    Membership.objects.create(
        user=make_user("kolega@example.lv"), organisation=new_org, role=Role.VIEWER
    )
    round_ = services.round_start(organisation=new_org, name="2026", user=new_org.coordinator)
    services.round_close(round=round_, user=new_org.coordinator)
    steps = _steps(new_org)
    assert steps.invited and steps.summary_ready


def test_first_steps_cost_the_same_queries_whatever_the_data(new_org, django_assert_num_queries):
    coordinator = new_org.coordinator
    round_ = services.round_start(organisation=new_org, name="2026", user=coordinator)
    membership = Membership.objects.select_related("organisation").get(pk=new_org.membership.pk)
    selectors.first_steps(membership, list(selectors.rounds_for_organisation(new_org)))
    rounds = list(selectors.rounds_for_organisation(new_org))
    with django_assert_num_queries(4):  # flags, the newest round's answers, 2 content revisions
        selectors.first_steps(membership, rounds)
    for n in range(5):
        Membership.objects.create(
            user=make_user(f"m{n}@jelgava.example"), organisation=new_org, role=Role.PRACTITIONER
        )
    _answer_area(round_, 1, coordinator)
    _answer_area(round_, 2, coordinator, value="partly")
    services.round_close(round=round_, user=coordinator)
    services.round_start(organisation=new_org, name="2027", user=coordinator)
    rounds = list(selectors.rounds_for_organisation(new_org))
    with django_assert_num_queries(4):
        selectors.first_steps(membership, rounds)


def test_a_new_organisation_sees_its_first_steps_with_links(client, new_org):
    client.force_login(new_org.coordinator)
    url = reverse("assessments:organisation", args=[new_org.slug])
    steps = by_id(parse(client.get(url)), "first-steps")
    assert text(by_id(steps, "first-steps-title")) == lv("First steps")
    states = [text(state) for state in steps.findall(".//span[@class='step-state']")]
    assert states == [lv("To do") + ":"] * 5
    assert steps.find(".//li[@class='step-done']") is None
    members = reverse("assessments:members", args=[new_org.slug])
    assert find(steps, f".//a[@href='{members}#invite-title']") is not None
    assert text(find(steps, ".//a[@href='#new-round-title']")) == lv("Start a round")
    round_ = services.round_start(organisation=new_org, name="2026", user=new_org.coordinator)
    steps = by_id(parse(client.get(url)), "first-steps")
    assert len(steps.findall("./ol/li")) == 5
    assert len(steps.findall("./ol/li[@class='step-done']")) == 1
    links = [(a.get("href"), text(a)) for a in steps.findall(".//a")]
    assert (round_.get_absolute_url(), lv("Answer the checklists")) in links
    summary = reverse("reporting:summary", args=[new_org.slug, round_.pk])
    assert (summary, lv("Read the summary")) in links
    assert (f"{summary}#action-plan", lv("Plan actions")) in links


def test_the_first_steps_leave_once_all_are_done(as_user, org):
    org.membership = Membership.objects.get(organisation=org, user=org.people["coordinator"])
    _answer_area(org.round, 1, org.people["coordinator"])
    services.action_create(
        round=org.round,
        item=ChecklistItem.objects.get(key="ka2.c1.i01"),
        title="Plāns",
        owner=None,
        due_date=None,
        user=org.people["coordinator"],
    )
    assert _steps(org).done
    html = (
        as_user(org.people["coordinator"])
        .get(reverse("assessments:organisation", args=[org.slug]))
        .text
    )
    assert by_id(parse(html), "first-steps") is None


def test_a_practitioner_sees_who_takes_the_coordinators_steps(new_org):
    practitioner = make_user("speciālists@example.lv")
    Membership.objects.create(user=practitioner, organisation=new_org, role=Role.PRACTITIONER)
    client = Client()
    client.force_login(practitioner)
    page = parse(client.get(reverse("assessments:organisation", args=[new_org.slug])))
    assert by_id(page, "first-steps") is not None
    assert find(page, ".//a[@href='#new-round-title']") is None  # only a coordinator starts one
    assert lv("A coordinator starts the first round.") in text(page)
    assert not Round.objects.filter(organisation=new_org).exists()


def test_notes_refused_as_too_long_come_back_whole_and_are_replaced_once_saved(as_user, org):
    client = as_user(org.people["practitioner"])
    url = reverse("assessments:note_save", args=[org.slug, org.round.pk, 1])
    refused = client.post(url, {"text": "ā" * 20_001, "version": "0"}, headers=HX)
    assert refused.status_code == 422 and refused["HX-Retarget"] == "#notes"
    notes = by_id(parse(refused), "notes")
    assert by_id(notes, "notes-error") is not None
    assert field(notes, "text").get("data-not-saved") is not None
    # the next save replaces the message too
    assert find(notes, ".//div[@hx-post]").get("hx-target") == "#notes"
    saved = client.post(url, {"text": "Īsāk", "version": "0"}, headers=HX | {"HX-Target": "notes"})
    notes = by_id(parse(saved), "notes")
    assert saved.status_code == 200 and notes is not None
    assert by_id(notes, "notes-error") is None and text(find(notes, ".//*[@data-status]"))
