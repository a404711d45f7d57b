"""Answering a key area's checklist: HTMX per item, a plain form without JavaScript, notes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services
from assessments.models import Answer, Membership, Note, Role, Round
from content.models import ChecklistItem, KeyArea
from tests.assessments.conftest import make_user
from tests.conftest import lazy_loads_raise
from tests.dom import by_id, checked, field, find, hrefs, lv, parse, saved, text

pytestmark = pytest.mark.django_db
HX = {"HX-Request": "true"}
CONTROL_CHARACTERS = lv(
    "Remove the control characters from the text (only line breaks and tabs may stay)."
)


def area_url(org, number=1):
    return reverse("assessments:area", args=[org.slug, org.round.pk, number])


def progress(page):
    """(answered, applicable) of the area's progress line."""
    line = by_id(page if not hasattr(page, "content") else parse(page), "area-progress")
    return int(line.get("data-answered")), int(line.get("data-applicable"))


def item_url(org, key="ka1.c1.i01"):
    return reverse("assessments:item_save", args=[org.slug, org.round.pk, key])


def test_htmx_save_returns_the_item_fragment_with_saved_time(as_user, org):
    client = as_user(org.people["practitioner"])
    response = client.post(
        item_url(org),
        {
            "value-ka1.c1.i01": "partly",
            "comment-ka1.c1.i01": "Started in May",
            "version-ka1.c1.i01": "0",
        },
        headers=HX,
    )
    assert response.status_code == 200
    html = response.text
    # Only the item's state is swapped: choices made meanwhile stay as the user left them.
    assert html.lstrip().startswith('<div class="item-state">') and "<html" not in html
    assert "HX-Retarget" not in response
    page = parse(response)
    assert saved(page)  # "Saved at HH:MM" in Latvian
    assert field(page, "version-ka1.c1.i01").get("value") == "1"
    assert by_id(page, "area-progress").get("hx-swap-oob") == "true"
    answer = Answer.objects.get(item__key="ka1.c1.i01")
    assert (answer.value, answer.comment, answer.updated_by) == (
        "partly",
        "Started in May",
        org.people["practitioner"],
    )


def test_a_changed_answer_updates_the_areas_progress(as_user, org):
    """The progress line sent with a change counts the change and the other stored answers
    (on PostgreSQL they are read by the save's own statement)."""
    client = as_user(org.people["practitioner"])
    for key in ("ka1.c1.i01", "ka1.c1.i02", "ka1.c1.i03"):
        services.answer_set(
            round=org.round,
            item=ChecklistItem.objects.get(key=key),
            value="yes",
            comment="",
            expected_version=0,
            user=org.people["coordinator"],
        )
    total = ChecklistItem.objects.filter(checklist__key_area__number=1).count()

    def change(value, version):
        response = client.post(
            item_url(org),
            {"value-ka1.c1.i01": value, "comment-ka1.c1.i01": "", "version-ka1.c1.i01": version},
            headers=HX,
        )
        assert response.status_code == 200 and saved(parse(response))
        return progress(response)

    assert change("na", 1) == (2, total - 1)
    assert change("no", 2) == (3, total)
    assert change("", 3) == (2, total)


def test_a_save_after_an_item_is_added_to_the_area_counts_it(as_user, org):
    """The save reads the area's values by the item ids the process keeps per content revision:
    an item added in the admin is counted from the next save on."""
    client = as_user(org.people["practitioner"])
    services.answer_set(
        round=org.round,
        item=ChecklistItem.objects.get(key="ka1.c1.i01"),
        value="yes",
        comment="",
        expected_version=0,
        user=org.people["coordinator"],
    )

    def change(value, version):
        response = client.post(
            item_url(org),
            {"value-ka1.c1.i01": value, "comment-ka1.c1.i01": "", "version-ka1.c1.i01": version},
            headers=HX,
        )
        assert response.status_code == 200 and saved(parse(response))
        return progress(response)

    total = ChecklistItem.objects.filter(checklist__key_area__number=1).count()
    assert change("no", 1) == (1, total)
    first = ChecklistItem.objects.get(key="ka1.c1.i01")
    added = ChecklistItem.objects.create(  # the signal bumps the content revision
        checklist=first.checklist, key="ka1.c1.i99", text="Jauns punkts", order=99
    )
    services.answer_set(
        round=org.round,
        item=added,
        value="yes",
        comment="",
        expected_version=0,
        user=org.people["coordinator"],
    )
    assert change("yes", 2) == (2, total + 1)


def test_a_save_asking_for_the_whole_item_gets_it(as_user, org):
    """After a conflict the item posts with itself as the target: the change is saved and the
    whole item comes back, its new version in it."""
    services.answer_set(
        round=org.round,
        item=ChecklistItem.objects.get(key="ka1.c1.i01"),
        value="yes",
        comment="",
        expected_version=0,
        user=org.people["coordinator"],
    )
    client = as_user(org.people["practitioner"])
    response = client.post(
        item_url(org),
        {"value-ka1.c1.i01": "no", "comment-ka1.c1.i01": "", "version-ka1.c1.i01": "1"},
        headers={**HX, "HX-Target": "ka1.c1.i01"},
    )
    assert response.status_code == 200 and response["HX-Retarget"] == "[id='ka1.c1.i01']"
    page = parse(response)
    assert checked(page, "value-ka1.c1.i01") == "no"
    assert field(page, "version-ka1.c1.i01").get("value") == "2" and saved(page)
    assert Answer.objects.get(item__key="ka1.c1.i01").value == "no"


def test_htmx_stale_save_replaces_the_item_with_both_answers(as_user, org):
    services.answer_set(
        round=org.round,
        item=ChecklistItem.objects.get(key="ka1.c1.i01"),
        value="yes",
        comment="ours",
        expected_version=0,
        user=org.people["coordinator"],
    )
    client = as_user(org.people["practitioner"])
    response = client.post(
        item_url(org), {"value-ka1.c1.i01": "no", "version-ka1.c1.i01": "0"}, headers=HX
    )
    assert response.status_code == 200
    assert response["HX-Retarget"] == "[id='ka1.c1.i01']"
    assert response["HX-Reswap"] == "outerHTML"
    item = by_id(parse(response), "ka1.c1.i01")
    conflict = find(item, "./div[@class='conflict'][@role='alert']")
    assert lv("Someone else changed this item while you were answering.") in text(conflict)
    assert checked(item, "value-ka1.c1.i01") == "yes"
    assert Answer.objects.get(item__key="ka1.c1.i01").value == "yes"


def test_htmx_save_of_an_invalid_value_says_why_in_the_users_language(as_user, org):
    client = as_user(org.people["practitioner"])
    response = client.post(
        item_url(org), {"value-ka1.c1.i01": "maybe", "version-ka1.c1.i01": "0"}, headers=HX
    )
    assert response.status_code == 422
    assert lv("Choose Yes, Partly, No or Not applicable.") in text(parse(response))
    response = client.post(
        reverse("assessments:item_save", args=[org.slug, org.round.pk, "ka1.c1.i01"]).replace(
            "/lv/", "/en/"
        ),
        {"value-ka1.c1.i01": "maybe", "version-ka1.c1.i01": "0"},
        headers=HX,
    )
    assert "Choose Yes, Partly, No or Not applicable." in text(parse(response))
    assert not Answer.objects.exists()


def test_htmx_save_in_a_closed_round_is_409_and_changes_nothing(as_user, org):
    services.round_close(round=org.round, user=org.people["coordinator"])
    client = as_user(org.people["practitioner"])
    response = client.post(
        item_url(org), {"value-ka1.c1.i01": "yes", "version-ka1.c1.i01": "0"}, headers=HX
    )
    assert response.status_code == 409
    assert not Answer.objects.exists()


def test_a_change_of_a_stored_answer_is_refused_to_a_viewer_a_stranger_and_a_closed_round(
    as_user, org, other_org
):
    """The usual save (a change of a stored answer) decides in one statement on PostgreSQL:
    nothing may be written when the member may not write or the round is closed."""
    services.answer_set(
        round=org.round,
        item=ChecklistItem.objects.get(key="ka1.c1.i01"),
        value="yes",
        comment="kept",
        expected_version=0,
        user=org.people["coordinator"],
    )
    change = {"value-ka1.c1.i01": "no", "comment-ka1.c1.i01": "", "version-ka1.c1.i01": "1"}
    revision = Round.objects.get(pk=org.round.pk).revision
    assert as_user(org.people["viewer"]).post(item_url(org), change, headers=HX).status_code == 403
    stranger = other_org.people["coordinator"]
    assert as_user(stranger).post(item_url(org), change, headers=HX).status_code == 404
    # Neither touched the round (its cached pages stay valid).
    assert Round.objects.get(pk=org.round.pk).revision == revision
    services.round_close(round=org.round, user=org.people["coordinator"])
    client = as_user(org.people["practitioner"])
    assert client.post(item_url(org), change, headers=HX).status_code == 409
    answer = Answer.objects.get(round=org.round, item__key="ka1.c1.i01")
    assert (answer.value, answer.comment, answer.version) == ("yes", "kept", 1)


def test_expired_session_gets_401_for_htmx_not_a_login_page(client, org):
    response = client.post(
        item_url(org), {"value-ka1.c1.i01": "yes", "version-ka1.c1.i01": "0"}, headers=HX
    )
    assert response.status_code == 401


def test_item_of_an_unknown_key_is_404(as_user, org):
    client = as_user(org.people["practitioner"])
    assert client.post(item_url(org, "ka9.c1.i01"), {}, headers=HX).status_code == 404


def test_whole_page_form_saves_changes_without_javascript(as_user, org):
    client = as_user(org.people["practitioner"])
    data = {}
    for item in ChecklistItem.objects.filter(checklist__key_area__number=1):
        data[f"value-{item.key}"] = "yes"
        data[f"comment-{item.key}"] = ""
        data[f"version-{item.key}"] = "0"
    data.update({"text": "Discussed on Monday", "version": "0"})
    response = client.post(area_url(org), data)
    assert response.status_code == 302
    assert Answer.objects.filter(round=org.round, value="yes").count() == 10
    assert Note.objects.get(round=org.round).text == "Discussed on Monday"
    assert progress(client.get(area_url(org))) == (10, 10)


def test_whole_page_form_saves_nothing_when_one_item_is_invalid_and_keeps_what_was_typed(
    as_user, org
):
    client = as_user(org.people["practitioner"])
    response = client.post(
        area_url(org),
        {
            "value-ka1.c1.i01": "yes",
            "version-ka1.c1.i01": "0",
            "value-ka1.c1.i02": "sometimes",
            "comment-ka1.c1.i02": "my words",
            "version-ka1.c1.i02": "0",
        },
    )
    assert response.status_code == 400
    page = parse(response)
    assert field(page, "comment-ka1.c1.i02").text == "my words"  # nothing typed is lost
    assert checked(page, "value-ka1.c1.i01") == "yes"
    assert not Answer.objects.exists()  # all or nothing


def test_whole_page_form_with_one_conflict_saves_nothing(as_user, org):
    services.answer_set(
        round=org.round,
        item=ChecklistItem.objects.get(key="ka1.c1.i02"),
        value="no",
        comment="",
        expected_version=0,
        user=org.people["coordinator"],
    )
    client = as_user(org.people["practitioner"])
    response = client.post(
        area_url(org),
        {
            "value-ka1.c1.i01": "yes",
            "version-ka1.c1.i01": "0",
            "value-ka1.c1.i02": "partly",
            "version-ka1.c1.i02": "0",
            "text": "Our notes",
            "version": "0",
        },
    )
    assert response.status_code == 409
    assert list(Answer.objects.values_list("item__key", "value")) == [("ka1.c1.i02", "no")]
    assert not Note.objects.exists()
    typed = field(parse(response), "text")
    assert typed is not None and typed.text == "Our notes"


def test_whole_page_form_refuses_a_control_character_with_a_message(as_user, org):
    client = as_user(org.people["practitioner"])
    response = client.post(
        area_url(org),
        {
            "value-ka1.c1.i01": "yes",
            "comment-ka1.c1.i01": "a\x00b",
            "version-ka1.c1.i01": "0",
        },
    )
    assert response.status_code == 400
    error = find(by_id(parse(response), "ka1.c1.i01"), ".//*[@id='ka1.c1.i01-error']")
    assert CONTROL_CHARACTERS in text(error)
    assert not Answer.objects.exists()


def test_untouched_presets_are_not_saved_by_the_plain_form(as_user, org):
    org.org_type = "ngo"
    org.save()
    preset = next(  # JSON containment is not portable to SQLite: filter in Python
        item
        for item in ChecklistItem.objects.filter(checklist__key_area__number=3)
        if "ngo" in item.not_applicable_for
    )
    client = as_user(org.people["practitioner"])
    item = by_id(parse(client.get(area_url(org, 3))), preset.key)
    assert checked(item, f"value-{preset.key}") == "na"  # shown as preset "not applicable"
    assert item.find("./p[@class='hint']") is not None
    client.post(area_url(org, 3), {f"value-{preset.key}": "na", f"version-{preset.key}": "0"})
    assert not Answer.objects.filter(item=preset).exists()


def test_two_members_editing_the_same_note_never_overwrite_each_other(client, org):
    from django.test import Client

    first, second = Client(), Client()
    first.force_login(org.people["practitioner"])
    second.force_login(org.people["coordinator"])
    url = reverse("assessments:note_save", args=[org.slug, org.round.pk, 1])
    # Both open the page at version 0.
    assert (
        first.post(
            url, {"text": "Text of the practitioner", "version": "0"}, headers=HX
        ).status_code
        == 200
    )
    response = second.post(url, {"text": "Text of the coordinator", "version": "0"}, headers=HX)
    assert response.status_code == 200
    note = Note.objects.get(round=org.round)
    assert note.text == "Text of the practitioner" and note.version == 1
    # The later save sees both texts and nothing was overwritten.
    notes = by_id(parse(response), "notes")
    assert text(find(notes, ".//*[@class='their-text']")) == "Text of the practitioner"
    assert field(notes, "text").text == "Text of the coordinator"
    assert field(notes, "version").get("value") == "1"
    # Choosing to save their own version after seeing both is then allowed.
    second.post(url, {"text": "Merged text", "version": "1"}, headers=HX)
    assert Note.objects.get(round=org.round).text == "Merged text"


def test_note_conflict_without_javascript_shows_both_texts(as_user, org):
    area = KeyArea.objects.get(number=1)
    services.note_set(
        round=org.round,
        key_area=area,
        text="Saved first",
        expected_version=0,
        user=org.people["coordinator"],
    )
    client = as_user(org.people["practitioner"])
    response = client.post(
        reverse("assessments:note_save", args=[org.slug, org.round.pk, 1]),
        {"text": "Mine, typed meanwhile", "version": "0"},
    )
    assert response.status_code == 409
    notes = by_id(parse(response), "notes")
    assert text(find(notes, ".//*[@class='their-text']")) == "Saved first"
    assert field(notes, "text").text == "Mine, typed meanwhile"
    assert Note.objects.get(round=org.round).text == "Saved first"


def test_too_long_notes_are_refused_and_kept_in_the_form(as_user, org):
    client = as_user(org.people["practitioner"])
    response = client.post(
        reverse("assessments:note_save", args=[org.slug, org.round.pk, 1]),
        {"text": "ā" * 20_001, "version": "0"},
        headers=HX,
    )
    assert response.status_code == 422
    error = text(by_id(parse(response), "notes-error"))
    assert "20000" in error.replace("\xa0", "").replace(" ", "")  # the limit, in the message
    assert field(parse(response), "text").text == "ā" * 20_001

    assert not Note.objects.exists()


def test_viewer_sees_answers_read_only(as_user, org):
    services.answer_set(
        round=org.round,
        item=ChecklistItem.objects.get(key="ka1.c1.i01"),
        value="yes",
        comment="",
        expected_version=0,
        user=org.people["practitioner"],
    )
    response = as_user(org.people["viewer"]).get(area_url(org))
    assert "hx-post" not in response.text
    page = parse(response)
    assert checked(page, "value-ka1.c1.i01") == "yes"
    assert find(page, ".//input[@id='ka1.c1.i01-yes']").get("disabled") is not None


def _page_queries(client, url):
    with lazy_loads_raise(), CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_area_page_queries_do_not_grow_with_answers_or_members(as_user, org):
    from django.core.cache import cache

    client = as_user(org.people["practitioner"])
    _page_queries(client, area_url(org, 2))  # the process reads the key areas once
    cache.clear()
    empty = _page_queries(client, area_url(org, 2))
    for item in ChecklistItem.objects.filter(checklist__key_area__number=2):
        user = make_user(f"{item.key}@riga.example")
        Membership.objects.create(user=user, organisation=org, role=Role.PRACTITIONER)
        services.answer_set(
            round=org.round, item=item, value="no", comment="c", expected_version=0, user=user
        )
    services.note_set(
        round=org.round,
        key_area=KeyArea.objects.get(number=2),
        text="n",
        expected_version=0,
        user=org.people["practitioner"],
    )
    full = _page_queries(client, area_url(org, 2))
    assert full == empty
    assert full <= 12, full  # with a previous round: its actions too


def test_a_save_shows_at_once_on_the_page(as_user, org):
    client = as_user(org.people["viewer"])
    assert checked(parse(client.get(area_url(org))), "value-ka1.c1.i01") is None
    services.answer_set(
        round=org.round,
        item=ChecklistItem.objects.get(key="ka1.c1.i01"),
        value="no",
        comment="",
        expected_version=0,
        user=org.people["practitioner"],
    )
    assert checked(parse(client.get(area_url(org))), "value-ka1.c1.i01") == "no"


def test_round_overview_shows_progress_and_the_first_unanswered_item(as_user, org):
    services.answer_set(
        round=org.round,
        item=ChecklistItem.objects.get(key="ka1.c1.i01"),
        value="yes",
        comment="",
        expected_version=0,
        user=org.people["practitioner"],
    )
    client = as_user(org.people["practitioner"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("assessments:round", args=[org.slug, org.round.pk]))
    page = parse(response)
    first_area = find(page, ".//tbody/tr//progress")
    assert (first_area.get("value"), first_area.get("max")) == ("1", "10")
    assert any(href.endswith("#ka1.c1.i02") for href in hrefs(page))
    assert len(queries) <= 12  # 10 + its contributors + who each key area is assigned to


def _save_queries(client, org, key, value, version):
    with lazy_loads_raise(), CaptureQueriesContext(connection) as queries:
        response = client.post(
            item_url(org, key),
            {f"value-{key}": value, f"comment-{key}": "", f"version-{key}": str(version)},
            headers=HX,
        )
    assert response.status_code == 200 and saved(parse(response))
    return [q["sql"] for q in queries]


def test_an_answer_save_costs_a_fixed_number_of_queries(as_user, org):
    client = as_user(org.people["practitioner"])
    _save_queries(client, org, "ka1.c1.i01", "yes", 0)  # the item's first answer
    change = _save_queries(client, org, "ka1.c1.i01", "no", 1)
    for item in ChecklistItem.objects.filter(checklist__key_area__number=1):
        services.answer_set(
            round=org.round,
            item=item,
            value="partly",
            comment="more data",
            expected_version=Answer.objects.filter(round=org.round, item=item).count() and 2,
            user=org.people["coordinator"],
        )
    again = _save_queries(client, org, "ka1.c1.i01", "yes", 3)
    assert len(change) == len(again)
    # Session, user, membership, round; the round locked, the conditional update, the answer
    # read back, the touch of the rounds; the key area's rows; the content revision (read per
    # call in tests, kept for a second in production); savepoints in tests.
    assert len(again) <= 14, "\n".join(again)
