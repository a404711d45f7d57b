"""Rating a practice: HTMX per indicator, a plain form without JavaScript, several members."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Membership, Role
from content import cache as content_cache
from content.models import Indicator
from practices import selectors, services
from practices.models import Practice, Rating
from tests.conftest import lazy_loads_raise, pdf_if
from tests.dom import by_id, checked, field, find, parse, text
from tests.practices.conftest import indicator_keys, make_user, rate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _indicators_read(_forget_content_revision, db):
    """Each process reads the indicators once per content revision; query counts below are
    those of every request after that."""
    selectors.current_indicator(KEY)


HX = {"HX-Request": "true"}
KEY = "d1.q1.i1"


def en(url: str) -> str:
    return url.replace("/lv/", "/en/", 1)


def detail_url(practice):
    return en(reverse("practices:practice_detail", args=[practice.organisation.slug, practice.pk]))


def save_url(practice, key=KEY):
    return en(
        reverse(
            "practices:practice_rating_save",
            args=[practice.organisation.slug, practice.pk, key],
        )
    )


def progress(response):
    """(rated, total) of the practice's progress line."""
    line = by_id(parse(response), "practice-progress")
    return int(line.get("data-rated")), int(line.get("data-total"))


def saved(page) -> bool:
    return text(find(page, ".//*[@data-status]")).startswith("Saved at")


def error(response, key=KEY) -> str:
    return text(by_id(parse(response), f"{key}-error"))


def conflict(response, key=KEY):
    return find(by_id(parse(response), key), "./div[@class='conflict'][@role='alert']")


def result_url(practice):
    return en(reverse("practices:practice_result", args=[practice.organisation.slug, practice.pk]))


# --- creating and editing a practice --------------------------------------------------------


def test_member_creates_a_practice_with_key_areas(as_user, org):
    client = as_user(org.people["practitioner"])
    url = en(reverse("practices:practice_create", args=[org.slug]))
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"name": "  Valodas kafejnīca ", "description": "Katru otrdienu", "key_areas": []}
    )
    practice = Practice.objects.get()
    assert response.status_code == 302 and response["Location"] == practice.get_absolute_url()
    assert (practice.name, practice.organisation, practice.created_by) == (
        "Valodas kafejnīca",
        org,
        org.people["practitioner"],
    )


def test_creating_without_a_name_or_with_unknown_key_areas_is_refused(as_user, org):
    client = as_user(org.people["practitioner"])
    url = en(reverse("practices:practice_create", args=[org.slug]))
    response = client.post(url, {"name": " ", "description": "x"})
    assert response.status_code == 400
    assert response.context["form"].errors["name"] == ["This field is required."]
    response = client.post(url, {"name": "A", "key_areas": ["999999"]})
    assert response.context["form"].errors["key_areas"][0].startswith("Select a valid choice")
    response = client.post(url, {"name": "A" * 201})
    assert "at most 200 characters" in response.context["form"].errors["name"][0]
    assert not Practice.objects.exists()


def test_editing_a_practice_that_someone_changed_meanwhile_overwrites_nothing(as_user, practice):
    org = practice.organisation
    url = en(reverse("practices:practice_edit", args=[org.slug, practice.pk]))
    services.practice_update(
        practice=practice,
        user=org.people["coordinator"],
        name="Their name",
        description="Their text",
        key_areas=[],
        expected_version=0,
    )
    client = as_user(org.people["practitioner"])
    response = client.post(url, {"name": "My name", "description": "My text", "version": "0"})
    assert response.status_code == 409
    page = parse(response)
    assert "Their name" in text(find(page, ".//*[@role='alert']"))
    assert field(page, "name").get("value") == "My name"
    assert field(page, "version").get("value") == "1"
    assert Practice.objects.get().name == "Their name"
    # Having seen both, saving again replaces theirs knowingly.
    client.post(url, {"name": "My name", "description": "My text", "version": "1"})
    assert Practice.objects.get().name == "My name"


# --- rating with HTMX -----------------------------------------------------------------------


def test_htmx_rating_returns_the_state_with_saved_time_and_new_version(as_user, practice):
    client = as_user(practice.organisation.people["practitioner"])
    response = client.post(
        save_url(practice),
        {f"value-{KEY}": "2", f"evidence-{KEY}": "Survey 2025", f"version-{KEY}": "0"},
        headers=HX,
    )
    assert response.status_code == 200
    html = response.text
    assert html.lstrip().startswith('<div class="item-state">') and "<html" not in html
    assert "HX-Retarget" not in response
    page = parse(response)
    assert saved(page) and field(page, f"version-{KEY}").get("value") == "1"
    assert by_id(page, "practice-progress").get("hx-swap-oob") == "true"
    assert progress(response) == (1, 34)
    assert text(by_id(page, "practice-progress")) == "Rated 1 of 34 indicators."
    rating = Rating.objects.get()
    assert (rating.indicator.key, rating.value, rating.evidence, rating.updated_by) == (
        KEY,
        "2",
        "Survey 2025",
        practice.organisation.people["practitioner"],
    )


def test_a_rating_save_sends_the_progress_of_the_whole_table(as_user, practice):
    """The progress a save sends back is that of the full table, whatever mix of ratings is
    stored."""
    keys = indicator_keys()
    coordinator = practice.organisation.people["coordinator"]
    rate(practice, coordinator, dict(zip(keys[1:], ["3", "2", "na", "0", "1"] * 7, strict=False)))
    client = as_user(practice.organisation.people["practitioner"])
    response = client.post(
        save_url(practice, keys[0]),
        {f"value-{keys[0]}": "2", f"evidence-{keys[0]}": "", f"version-{keys[0]}": "0"},
        headers=HX,
    )
    assert response.status_code == 200
    table = selectors.practice_table(practice)
    assert table.result.overall.unrated == 0 and table.result.overall.not_applicable == 7
    rated, total = table.result.overall.rated, table.result.overall.total
    assert progress(response) == (rated, total)


def test_a_change_of_a_stored_rating_is_refused_to_a_viewer_and_a_stranger(
    as_user, practice, other_org
):
    """Nothing is written, and the practice is not touched, unless the member may write."""
    org = practice.organisation
    rate(practice, org.people["coordinator"], {KEY: "3"}, evidence="kept")
    change = {f"value-{KEY}": "0", f"evidence-{KEY}": "", f"version-{KEY}": "1"}
    revision = Practice.objects.get(pk=practice.pk).revision
    viewer = as_user(org.people["viewer"])
    assert viewer.post(save_url(practice), change, headers=HX).status_code == 403
    stranger = as_user(other_org.people["coordinator"])
    assert stranger.post(save_url(practice), change, headers=HX).status_code == 404
    rating = Rating.objects.get()
    assert (rating.value, rating.evidence, rating.version) == ("3", "kept", 1)
    assert Practice.objects.get(pk=practice.pk).revision == revision


def test_a_rating_save_asking_for_the_whole_indicator_gets_it(as_user, practice):
    org = practice.organisation
    rate(practice, org.people["coordinator"], {KEY: "3"})
    client = as_user(org.people["practitioner"])
    response = client.post(
        save_url(practice),
        {f"value-{KEY}": "1", f"evidence-{KEY}": "", f"version-{KEY}": "1"},
        headers={**HX, "HX-Target": KEY},
    )
    assert response.status_code == 200 and response["HX-Retarget"] == f"[id='{KEY}']"
    page = parse(response)
    assert checked(page, f"value-{KEY}") == "1"
    assert field(page, f"version-{KEY}").get("value") == "2" and saved(page)
    assert Rating.objects.get().value == "1"


def test_htmx_stale_rating_replaces_the_indicator_and_shows_both(as_user, practice):
    org = practice.organisation
    rate(practice, org.people["coordinator"], {KEY: "3"}, evidence="theirs")
    client = as_user(org.people["practitioner"])
    response = client.post(
        save_url(practice), {f"value-{KEY}": "0", f"version-{KEY}": "0"}, headers=HX
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"[id='{KEY}']" and response["HX-Reswap"] == "outerHTML"
    told = text(conflict(response))
    assert told.startswith("Someone else rated this indicator") and "Coordinator R." in told
    assert checked(parse(response), f"value-{KEY}") == "3"
    assert "0 – not in place" in told  # what the user chose
    assert Rating.objects.get().value == "3"


def test_the_same_rating_sent_twice_is_not_a_conflict(as_user, practice):
    client = as_user(practice.organisation.people["practitioner"])
    data = {f"value-{KEY}": "1", f"version-{KEY}": "0"}
    client.post(save_url(practice), data, headers=HX)
    revision = Practice.objects.get().revision
    response = client.post(save_url(practice), data, headers=HX)
    assert response.status_code == 200 and "HX-Retarget" not in response
    assert Rating.objects.get().version == 1
    assert Practice.objects.get().revision == revision  # nothing changed: nothing touched


@pytest.mark.parametrize("value", ["4", "-1", "3.0", "yes", "NA", "0 ", "x" * 500])
def test_ratings_outside_0_to_3_or_na_are_refused_and_nothing_changes(as_user, practice, value):
    org = practice.organisation
    rate(practice, org.people["coordinator"], {KEY: "2"})
    client = as_user(org.people["practitioner"])
    response = client.post(
        save_url(practice), {f"value-{KEY}": value, f"version-{KEY}": "1"}, headers=HX
    )
    assert response.status_code == 422
    assert error(response) == "Choose a rating from 0 to 3, or “not applicable”."
    assert response["HX-Retarget"] == f"[id='{KEY}']"
    rating = Rating.objects.get()
    assert (rating.value, rating.version) == ("2", 1)


def test_too_long_evidence_is_refused_and_kept_in_the_form(as_user, practice):
    client = as_user(practice.organisation.people["practitioner"])
    response = client.post(
        save_url(practice),
        {f"value-{KEY}": "2", f"evidence-{KEY}": "ē" * 2001, f"version-{KEY}": "0"},
        headers=HX,
    )
    assert response.status_code == 422
    assert field(parse(response), f"evidence-{KEY}").text == "ē" * 2001
    assert not Rating.objects.exists()


@pytest.mark.parametrize("character", ["\x00", "\x1b", "\x7f"])
def test_control_characters_in_evidence_are_refused_with_a_message(as_user, practice, character):
    client = as_user(practice.organisation.people["practitioner"])
    typed = f"Survey{character}2025"
    response = client.post(
        save_url(practice),
        {f"value-{KEY}": "2", f"evidence-{KEY}": typed, f"version-{KEY}": "0"},
        headers=HX,
    )
    assert response.status_code == 422
    assert error(response).startswith("Remove the control characters")
    assert response["HX-Retarget"] == f"[id='{KEY}']"
    assert not Rating.objects.exists()


def test_tabs_and_line_breaks_in_evidence_are_kept(as_user, practice):
    client = as_user(practice.organisation.people["practitioner"])
    evidence = "Survey\t2025\r\nMinutes"
    response = client.post(
        save_url(practice),
        {f"value-{KEY}": "2", f"evidence-{KEY}": evidence, f"version-{KEY}": "0"},
        headers=HX,
    )
    assert response.status_code == 200
    assert Rating.objects.get().evidence == evidence


def test_a_missing_or_garbled_version_is_a_conflict_not_an_error(as_user, practice):
    client = as_user(practice.organisation.people["practitioner"])
    for version in ("", "abc", "7"):
        response = client.post(
            save_url(practice), {f"value-{KEY}": "2", f"version-{KEY}": version}, headers=HX
        )
        assert response.status_code == 200 and "HX-Retarget" in response
    assert not Rating.objects.exists()


def test_unknown_or_retired_indicators_are_404(as_user, practice):
    client = as_user(practice.organisation.people["practitioner"])
    assert client.post(save_url(practice, "d9.q1.i1"), {}, headers=HX).status_code == 404
    Indicator.objects.filter(key=KEY).update(retired=True)
    content_cache.bump()  # as load_toolkit does after its bulk updates
    response = client.post(
        save_url(practice), {f"value-{KEY}": "2", f"version-{KEY}": "0"}, headers=HX
    )
    assert response.status_code == 404
    assert not Rating.objects.exists()


def test_a_practice_of_another_organisation_cannot_be_rated(as_user, practice, other_practice):
    client = as_user(practice.organisation.people["practitioner"])
    # Another organisation's practice under our organisation's address, and under its own.
    for org_slug in (practice.organisation.slug, other_practice.organisation.slug):
        url = en(reverse("practices:practice_rating_save", args=[org_slug, other_practice.pk, KEY]))
        response = client.post(url, {f"value-{KEY}": "3", f"version-{KEY}": "0"}, headers=HX)
        assert response.status_code == 404
        page = en(reverse("practices:practice_detail", args=[org_slug, other_practice.pk]))
        response = client.post(page, {f"value-{KEY}": "3", f"version-{KEY}": "0"})
        assert response.status_code == 404
    assert not Rating.objects.exists()


def test_without_htmx_the_single_indicator_url_saves_nothing(as_user, practice):
    client = as_user(practice.organisation.people["practitioner"])
    response = client.post(save_url(practice), {f"value-{KEY}": "3", f"version-{KEY}": "0"})
    assert response.status_code == 302 and response["Location"].endswith(f"#{KEY}")
    assert not Rating.objects.exists()


# --- the plain form, without JavaScript ------------------------------------------------------


def test_the_whole_page_form_saves_every_changed_rating(as_user, practice):
    client = as_user(practice.organisation.people["practitioner"])
    data = {}
    for key in indicator_keys():
        data.update({f"value-{key}": "3", f"evidence-{key}": "", f"version-{key}": "0"})
    data["value-d5.q2.i2"] = "na"
    response = client.post(detail_url(practice), data)
    assert response.status_code == 302
    assert Rating.objects.filter(practice=practice).count() == 34
    assert Rating.objects.get(indicator__key="d5.q2.i2").value == "na"
    assert progress(client.get(detail_url(practice))) == (34, 34)


def test_the_whole_page_form_saves_nothing_when_one_rating_is_invalid(as_user, practice):
    client = as_user(practice.organisation.people["practitioner"])
    response = client.post(
        detail_url(practice),
        {
            "value-d1.q1.i1": "2",
            "version-d1.q1.i1": "0",
            "value-d1.q1.i2": "5",
            "evidence-d1.q1.i2": "my evidence",
            "version-d1.q1.i2": "0",
            # Keys that are not indicators of this practice's table are never looked at.
            "value-zz.q1.i1": "3",
            "version-zz.q1.i1": "0",
        },
    )
    assert response.status_code == 400
    assert [str(message) for message in response.context["messages"]] == [
        "Nothing was saved. Please check the marked indicators and save again."
    ]
    assert error(response, "d1.q1.i2").startswith("Choose a rating from 0 to 3")
    # Nothing the user typed is lost, the valid rating included.
    page = parse(response)
    assert field(page, "evidence-d1.q1.i2").text == "my evidence"
    assert checked(page, "value-d1.q1.i1") == "2"
    assert not Rating.objects.exists()
    assert Practice.objects.get().revision == practice.revision


def test_the_whole_page_form_refuses_control_characters_and_saves_nothing(as_user, practice):
    client = as_user(practice.organisation.people["practitioner"])
    response = client.post(
        detail_url(practice),
        {
            "value-d1.q1.i1": "2",
            "version-d1.q1.i1": "0",
            "value-d1.q1.i2": "3",
            "evidence-d1.q1.i2": "Minutes\x00of May",
            "version-d1.q1.i2": "0",
        },
    )
    assert response.status_code == 400
    assert error(response, "d1.q1.i2").startswith("Remove the control characters")
    assert not Rating.objects.exists()


def test_the_whole_page_form_saves_nothing_when_one_rating_conflicts(as_user, practice):
    org = practice.organisation
    rate(practice, org.people["coordinator"], {KEY: "1"}, evidence="theirs")
    revision = Practice.objects.get().revision
    client = as_user(org.people["practitioner"])
    response = client.post(
        detail_url(practice),
        {
            f"value-{KEY}": "3",
            f"version-{KEY}": "0",  # the practitioner had not seen the coordinator's rating
            "value-d1.q1.i2": "2",
            "evidence-d1.q1.i2": "mine",
            "version-d1.q1.i2": "0",
        },
    )
    assert response.status_code == 409
    assert conflict(response) is not None
    assert field(parse(response), "evidence-d1.q1.i2").text == "mine"
    assert list(Rating.objects.values_list("indicator__key", "value", "evidence")) == [
        (KEY, "1", "theirs")
    ]
    assert Practice.objects.get().revision == revision


def test_the_whole_page_form_reports_conflicts(as_user, practice):
    org = practice.organisation
    rate(practice, org.people["coordinator"], {KEY: "1"})
    client = as_user(org.people["practitioner"])
    response = client.post(detail_url(practice), {f"value-{KEY}": "3", f"version-{KEY}": "0"})
    assert response.status_code == 409
    assert text(conflict(response)).startswith("Someone else rated this indicator")
    assert Rating.objects.get().value == "1"


def test_unchanged_ratings_are_not_saved_again(as_user, practice):
    org = practice.organisation
    rate(practice, org.people["coordinator"], {KEY: "1"}, evidence="e")
    client = as_user(org.people["practitioner"])
    client.post(
        detail_url(practice), {f"value-{KEY}": "1", f"evidence-{KEY}": "e", f"version-{KEY}": "1"}
    )
    rating = Rating.objects.get()
    assert (rating.version, rating.updated_by) == (1, org.people["coordinator"])


# --- several members, viewers ------------------------------------------------------------------


def test_several_members_rate_and_the_page_shows_who_changed_what_last(practice):
    org = practice.organisation
    rate(practice, org.people["practitioner"], {"d1.q1.i1": "2", "d1.q1.i2": "1"})
    rate(practice, org.people["coordinator"], {"d1.q1.i2": "3"})
    client = Client()
    client.force_login(org.people["viewer"])
    page = parse(client.get(detail_url(practice)))
    first = text(find(by_id(page, "d1.q1.i1"), ".//span[@class='who']"))
    second = text(find(by_id(page, "d1.q1.i2"), ".//span[@class='who']"))
    assert first.startswith("Last changed by Practitioner R.")
    assert second.startswith("Last changed by Coordinator R.")


def test_viewer_sees_ratings_read_only(as_user, practice):
    org = practice.organisation
    rate(practice, org.people["practitioner"], {KEY: "2"})
    response = as_user(org.people["viewer"]).get(detail_url(practice))
    assert response.status_code == 200
    assert "hx-post" not in response.text
    page = parse(response)
    assert find(page, ".//p[@class='form-actions no-js-save']") is None  # no save button
    assert checked(page, f"value-{KEY}") == "2"
    assert find(page, f".//input[@id='{KEY}-2']").get("disabled") is not None


# --- result page -------------------------------------------------------------------------------


def test_result_of_an_incomplete_practice_says_what_is_missing(as_user, practice):
    rate(practice, practice.organisation.people["practitioner"], {KEY: "3"})
    response = as_user(practice.organisation.people["viewer"]).get(result_url(practice))
    assert response.status_code == 200
    assert "Incomplete" in response.text and "1 of 34 indicators are rated." in response.text
    assert "Submit to the library" not in response.text


def test_result_explains_what_blocks_a_better_verdict(as_user, practice):
    org = practice.organisation
    values = dict.fromkeys(indicator_keys(), "3")
    # Domain 4 (4 indicators) falls short: 1 + 2 + 2 + 3 = 8 of 12 is exactly 2/3; make it 7.
    values.update({"d4.q1.i1": "1", "d4.q2.i1": "2", "d4.q2.i2": "1", "d4.q2.i3": "3"})
    rate(practice, org.people["practitioner"], values)
    response = as_user(org.people["viewer"]).get(result_url(practice))
    html = response.text
    assert "Promising practice" in html
    blockers = html[html.index('id="blockers-title"') : html.index('id="helpful-title"')]
    assert "4. Sustainability" in blockers
    assert "1 more point would bring this domain to the minimum." in blockers
    # Its lowest-rated indicators, lowest first, linked to the rating page.
    assert blockers.index("#d4.q1.i1") < blockers.index("#d4.q2.i2")
    assert "#d4.q2.i3" not in blockers
    assert "1. Inclusiveness" not in blockers
    # The handbook content that helps: success factors and examples of the practice's areas.
    helpful = html[html.index('id="helpful-title"') :]
    assert 'href="/en/key-areas/4/#ka4.sf1"' in helpful
    assert 'href="/en/practices/ravenna-intercultural-immigration-network/"' in helpful
    assert "/en/key-areas/2/" not in helpful
    # The chart and its table equivalent.
    assert "<svg" in html and 'role="img"' in html
    assert re.search(r"<td[^>]*>7 / 12</td>", html) and "58.3 %" in html and "✖ no" in html


def test_result_with_a_domain_all_not_applicable_explains_the_gate(as_user, practice):
    org = practice.organisation
    values = dict.fromkeys(indicator_keys(), "3")
    values.update({key: "na" for key in values if key.startswith("d5.")})
    rate(practice, org.people["practitioner"], values)
    html = as_user(org.people["viewer"]).get(result_url(practice)).text
    assert "Promising practice" in html
    assert "Every indicator of this domain is marked “not applicable”." in html


def test_a_good_practice_can_be_submitted_by_a_member(as_user, practice):
    org = practice.organisation
    rate(practice, org.people["practitioner"], "3")
    html = as_user(org.people["practitioner"]).get(result_url(practice)).text
    assert "Good practice" in html and "Submit to the library" in html
    assert "Nothing: the practice meets every criterion" in html
    viewer_html = as_user(org.people["viewer"]).get(result_url(practice)).text
    assert "Submit to the library" not in viewer_html


# --- queries -----------------------------------------------------------------------------------


def _count(client, url):
    with lazy_loads_raise(), CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# Session, user, membership with its organisation, the practice (with its updater and
# submission), its key areas, the content revision (for the indicators kept in memory: read
# on every call in tests, kept for a second in production) and the ratings with their updaters.
RATING_PAGE_QUERIES = 7
RESULT_PAGE_QUERIES = 9  # … and the success factors and examples of its key areas
SAVE_QUERIES = 14  # an HTMX rating save, counted below


def test_rating_and_result_page_queries_do_not_grow_with_ratings_or_members(as_user, practice):
    org = practice.organisation
    client = as_user(org.people["practitioner"])
    empty = (_count(client, detail_url(practice)), _count(client, result_url(practice)))
    for index, key in enumerate(indicator_keys()):
        user = make_user(f"member{index}@riga.example")
        Membership.objects.create(user=user, organisation=org, role=Role.PRACTITIONER)
        rate(practice, user, {key: "2"}, evidence="evidence")
    full = (_count(client, detail_url(practice)), _count(client, result_url(practice)))
    assert empty == full == (RATING_PAGE_QUERIES, RESULT_PAGE_QUERIES)


def test_htmx_save_queries_are_constant(as_user, practice):
    client = as_user(practice.organisation.people["practitioner"])

    def save(key, value):
        rating = Rating.objects.filter(practice=practice, indicator__key=key).first()
        with lazy_loads_raise(), CaptureQueriesContext(connection) as queries:
            response = client.post(
                save_url(practice, key),
                {f"value-{key}": value, f"version-{key}": rating.version if rating else 0},
                headers=HX,
            )
        assert response.status_code == 200
        return len(queries)

    save("d1.q1.i1", "1")  # the indicator's first rating (an insert)
    change = save("d1.q1.i1", "2")
    rate(practice, practice.organisation.people["coordinator"], "2")  # every indicator rated
    assert save("d1.q1.i1", "3") == change
    assert save("d2.q1.i1", "3") == change
    if connection.vendor == "postgresql":
        # Session, user, membership, the practice and its key areas, the content revision (for
        # the indicators kept in memory), then in a savepoint: the practice locked, the rating
        # changed and read back, the practice touched; then the ratings and the revision again
        # for the state and progress sent back.
        assert change == SAVE_QUERIES, change


def test_practice_list_shows_verdicts_in_constant_queries(as_user, practice):
    org = practice.organisation
    client = as_user(org.people["viewer"])
    url = en(reverse("practices:practice_list", args=[org.slug]))
    before = _count(client, url)
    for n in range(5):
        extra = services.practice_create(
            organisation=org,
            user=org.people["coordinator"],
            name=f"P{n}",
            description="",
            key_areas=[],
        )
        rate(extra, org.people["coordinator"], "3")
    response = client.get(url)
    assert response.text.count("Good practice") == 5
    assert _count(client, url) == before


def _practice_url(name):
    return lambda p: en(reverse(f"practices:{name}", args=[p.organisation.slug, p.pk]))


# Every page of the assessment table that a GET reads, with the most queries it may cost
# (the list, the rating page and the result page are counted above with exact figures).
PRACTICE_PAGES = {
    "practice_list": lambda p: en(reverse("practices:practice_list", args=[p.organisation.slug])),
    "practice_create": lambda p: en(
        reverse("practices:practice_create", args=[p.organisation.slug])
    ),
    "practice_detail": _practice_url("practice_detail"),
    "practice_edit": _practice_url("practice_edit"),
    "practice_result": _practice_url("practice_result"),
    "practice_scorecard": _practice_url("practice_scorecard"),
    "practice_export_csv": _practice_url("practice_export_csv"),
    "practice_export_json": _practice_url("practice_export_json"),
}
PRACTICE_BUDGET = {
    "practice_list": 6,
    "practice_create": 4,
    "practice_detail": RATING_PAGE_QUERIES,
    "practice_edit": 6,
    "practice_result": RESULT_PAGE_QUERIES,
    # The result page's, and the key of the cached PDF: the raters' names, the content revision.
    "practice_scorecard": RESULT_PAGE_QUERIES + 2,
    "practice_export_csv": RESULT_PAGE_QUERIES,
    "practice_export_json": RESULT_PAGE_QUERIES,
}


def test_every_practices_page_has_a_budget():
    from practices import urls

    posts_only = {"practice_rating_save", "practice_submit"}
    public = {"library", "example"}  # counted in test_library
    readable = {p.name for p in urls.urlpatterns} - posts_only - public
    assert readable == set(PRACTICE_PAGES) == set(PRACTICE_BUDGET)


@pytest.mark.parametrize(
    "name",
    [pytest.param(n, marks=pdf_if(n == "practice_scorecard")) for n in PRACTICE_PAGES],
)
def test_practice_pages_cost_a_fixed_number_of_queries(as_user, practice, name):
    org = practice.organisation
    client = as_user(org.people["coordinator"])
    url = PRACTICE_PAGES[name](practice)
    before = _count(client, url)
    for index in range(3):
        user = make_user(f"grow{index}@riga.example")
        Membership.objects.create(user=user, organisation=org, role=Role.PRACTITIONER)
        rate(practice, user, "2", evidence="evidence")
        services.practice_create(
            organisation=org, user=user, name=f"Other {index}", description="", key_areas=[]
        )
    after = _count(client, url)
    assert before == after <= PRACTICE_BUDGET[name], (before, after)


def test_practice_pages_show_every_change_at_once(as_user, practice):
    org = practice.organisation
    viewer = as_user(org.people["viewer"])
    assert "Minutes of 12 May" not in viewer.get(detail_url(practice)).text
    rate(practice, org.people["coordinator"], {KEY: "3"}, evidence="Minutes of 12 May")
    assert "Minutes of 12 May" in viewer.get(detail_url(practice)).text
    assert "1 of 34 indicators are rated." in viewer.get(result_url(practice)).text
    services.practice_update(
        practice=practice,
        name="Renamed practice",
        description="",
        key_areas=[],
        expected_version=practice.version,
        user=org.people["coordinator"],
    )
    assert "Renamed practice" in viewer.get(detail_url(practice)).text
    assert "Renamed practice" in viewer.get(result_url(practice)).text
