"""Nothing lost and guided first steps: notes save as answers do, the start of a
self-assessment, the first-steps list, what answers and roles mean."""

import pytest
from django.test import Client
from django.urls import reverse

from assessments import selectors, services
from assessments.models import Membership, Note, Role, Round
from content.models import ChecklistItem, KeyArea
from tests.assessments.conftest import make_org, make_user

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
    html = as_user(org.people["practitioner"]).get(area_url(org)).text
    assert 'hx-trigger="input changed delay:1500ms, change"' in html
    assert 'hx-target="find .note-state"' in html
    assert "data-unsaved" in html  # the page form: leaving with unsaved text asks first


def test_htmx_note_save_returns_the_saved_state_only(as_user, org):
    client = as_user(org.people["practitioner"])
    response = client.post(note_url(org), {"text": "Mūsu piezīmes", "version": "0"}, headers=HX)
    assert response.status_code == 200
    html = response.text
    # Only the state is swapped: text typed while the request was under way stays.
    assert html.lstrip().startswith('<div class="note-state">') and "<textarea" not in html
    assert "HX-Retarget" not in response
    assert "Saglabāts" in html
    assert 'name="version" value="1"' in html
    assert "Practitioner R." in html  # who changed it last
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
    html = response.text
    assert 'id="notes"' in html and 'role="alert"' in html
    assert "Their text, saved first" in html and "My text, typed meanwhile" in html
    assert "data-not-saved" in html  # the typed text still counts as unsaved in the browser
    assert 'name="version" value="1"' in html
    assert "Saglabāt manu versiju" in html  # settled with a button, not by typing on
    assert Note.objects.get(round=org.round).text == "Their text, saved first"
    # Saving their own version after seeing both: the whole notes come back, saved.
    response = client.post(
        note_url(org), {"text": "Merged", "version": "1"}, headers=HX | {"HX-Target": "notes"}
    )
    assert response.status_code == 200 and 'id="notes"' in response.text
    assert "Saglabāts" in response.text and 'role="alert"' not in response.text
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
    assert "Ar visu lapu" in client.get(area_url(org)).text


def test_the_whole_page_save_button_speaks_plainly(as_user, org):
    html = as_user(org.people["practitioner"]).get(area_url(org)).text
    assert 'class="form-actions no-js-save"><button type="submit">Saglabāt visas atbildes' in html
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
    html = as_user(org.people["coordinator"]).get(path(org)).text
    assert "data-unsaved" in html


# --- what answers and roles mean -----------------------------------------------------------------


@pytest.mark.parametrize("number", range(1, 7))
def test_every_checklist_page_explains_the_answers(as_user, org, number):
    html = as_user(org.people["viewer"]).get(area_url(org, number)).text
    assert "Ko nozīmē atbildes?" in html
    for meaning in (
        "<dt>Jā</dt><dd>Jūsu prakse pilnībā atbilst šim punktam.",
        "<dt>Daļēji</dt>",
        "<dt>Nē</dt>",
        "<dt>Neattiecas</dt>",
        "rezultātā tas tiek skaitīts kā puse",
    ):
        assert meaning in html


@pytest.mark.parametrize("role", ["coordinator", "viewer"])
def test_the_members_page_explains_each_role(as_user, org, role):
    html = as_user(org.people[role]).get(reverse("assessments:members", args=[org.slug])).text
    assert "Ko drīkst katra loma" in html
    assert "<dt>Koordinators</dt>" in html and "uzaicina un noņem dalībniekus" in html
    assert "<dt>Speciālists</dt>" in html and "Atbild uz kontrolsarakstiem" in html
    assert "<dt>Skatītājs</dt>" in html and "bet neko nemaina" in html


# --- the start of a self-assessment --------------------------------------------------------------


def test_the_home_page_invites_a_visitor_to_start_by_signing_up(client):
    html = client.get("/lv/").text
    assert 'href="/lv/accounts/signup/?next=/lv/start/">Sākt pašnovērtējumu</a>' in html
    assert 'href="/lv/accounts/login/?next=/lv/start/"' in html
    signup = client.get("/lv/accounts/signup/?next=/lv/start/").text
    assert 'href="/lv/accounts/login/?next=/lv/start/"' in signup  # an account already? log in


def test_the_home_page_leads_a_member_to_the_start(as_user, org):
    html = as_user(org.people["practitioner"]).get("/lv/").text
    assert 'href="/lv/start/">Sākt pašnovērtējumu</a>' in html


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
    html = client.get("/lv/quality-indicators/").text
    assert f'href="{reverse("scoring_start")}"' in html
    assert "Novērtēt praksi novērtējuma tabulā" in html
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
    html = client.get(url).text
    assert 'id="first-steps"' in html and "Pirmie soļi" in html
    assert html.count("Jāizdara:") == 5 and "Izdarīts" not in html
    assert f'href="{reverse("assessments:members", args=[new_org.slug])}#invite-title"' in html
    assert 'href="#new-round-title">Sākt kārtu</a>' in html
    round_ = services.round_start(organisation=new_org, name="2026", user=new_org.coordinator)
    html = client.get(url).text
    assert html.count("Jāizdara:") == 4 and html.count("Izdarīts:") == 1
    assert f'href="{round_.get_absolute_url()}">Atbildēt uz kontrolsarakstiem</a>' in html
    summary = reverse("reporting:summary", args=[new_org.slug, round_.pk])
    assert f'href="{summary}">Izlasīt kopsavilkumu</a>' in html
    assert f'href="{summary}#action-plan">Plānot pasākumus</a>' in html


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
    assert 'id="first-steps"' not in html


def test_a_practitioner_sees_who_takes_the_coordinators_steps(new_org):
    practitioner = make_user("speciālists@example.lv")
    Membership.objects.create(user=practitioner, organisation=new_org, role=Role.PRACTITIONER)
    client = Client()
    client.force_login(practitioner)
    html = client.get(reverse("assessments:organisation", args=[new_org.slug])).text
    assert 'id="first-steps"' in html
    assert 'href="#new-round-title"' not in html  # only a coordinator starts a round
    assert "Pirmo kārtu sāk koordinators." in html
    assert not Round.objects.filter(organisation=new_org).exists()


def test_notes_refused_as_too_long_come_back_whole_and_are_replaced_once_saved(as_user, org):
    client = as_user(org.people["practitioner"])
    url = reverse("assessments:note_save", args=[org.slug, org.round.pk, 1])
    refused = client.post(url, {"text": "ā" * 20_001, "version": "0"}, headers=HX)
    assert refused.status_code == 422 and refused["HX-Retarget"] == "#notes"
    assert 'id="notes-error"' in refused.text and "data-not-saved" in refused.text
    assert 'hx-target="#notes"' in refused.text  # the next save replaces the message too
    saved = client.post(url, {"text": "Īsāk", "version": "0"}, headers=HX | {"HX-Target": "notes"})
    assert saved.status_code == 200 and 'id="notes"' in saved.text
    assert 'id="notes-error"' not in saved.text and "Saglabāts" in saved.text
