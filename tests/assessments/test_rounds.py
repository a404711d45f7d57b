"""Rounds that tell the truth: starting one while another is open asks first; carried-over
answers are marked and do not count until confirmed; only people who saved are contributors.
And every destructive step asks first (GET shows what will happen, POST does it)."""

import pytest
from django.urls import reverse

from assessments import selectors, services
from assessments.models import Answer, Invitation, Membership, Note, Organisation, Role, Round
from content.models import ChecklistItem, KeyArea
from reporting.exports import round_document
from reporting.review import organisation_review
from reporting.summary import round_summary
from tests.assessments.conftest import make_user
from tests.dom import by_id, checked, field, find, find_all, hrefs, lv, parse, saved, text

pytestmark = pytest.mark.django_db

MARK = ".//strong[@class='badge badge-carried']"  # "carried over — please confirm"
CARRY_OVER = (
    "Carry over the answers of the closed round “%(name)s”: each is marked “carried over — please "
    "confirm” and counts as answered only once someone confirms or changes it"
)


def confirmation(response):
    """What a confirmation page asks: its question, the consequences, its button and way back."""
    page = parse(response)
    form = find(page, ".//div[@class='prose']/form[@method='post']")
    return {
        "title": text(find(page, ".//h1")),
        "consequences": [text(li) for li in find_all(page, ".//ul[@class='consequences']/li")],
        "button": form.find(".//button[@type='submit']"),
        "cancel": form.find(".//a[@href]"),
    }


def item(key="ka1.c1.i01"):
    return ChecklistItem.objects.get(key=key)


def answer(org, round_, key, value, comment="", user=None):
    current = round_.answers.filter(item=item(key)).first()
    return services.answer_set(
        round=round_,
        item=item(key),
        value=value,
        comment=comment,
        expected_version=current.version if current else 0,
        user=user or org.people["practitioner"],
    )


def carried_round(org, values=("yes", "partly", "no")):
    """The fixture's round answered by the practitioner and closed; a new round carrying its
    answers over, started by the coordinator."""
    keys = [f"ka1.c1.i0{n + 1}" for n in range(len(values))]
    for key, value in zip(keys, values, strict=True):
        answer(org, org.round, key, value, comment=f"about {key}")
    services.round_close(round=org.round, user=org.people["coordinator"])
    later = services.round_start(
        organisation=org, name="2026 autumn", user=org.people["coordinator"], copy_from=org.round
    )
    return later, keys


def area_url(org, round_, number=1):
    return reverse("assessments:area", args=[org.slug, round_.pk, number])


# --- carried-over answers ---------------------------------------------------------------------


def test_carried_over_answers_are_marked_and_count_as_unanswered(org):
    later, keys = carried_round(org)
    copied = {a.item.key: a for a in Answer.objects.filter(round=later).select_related("item")}
    assert set(copied) == set(keys)
    assert all(a.carried_over for a in copied.values())
    assert copied[keys[0]].value == "yes" and copied[keys[0]].comment == f"about {keys[0]}"
    # Who gave it and when stay those of the earlier round.
    assert copied[keys[0]].updated_by == org.people["practitioner"]

    progress, overall = selectors.round_progress(later)
    assert progress[0].result.answered == 0 and overall.answered == 0
    assert progress[0].first_unanswered.key == "ka1.c1.i01"
    assert selectors.area_result(later, KeyArea.objects.get(number=1)).answered == 0
    summary = round_summary(later)
    area = summary.areas[0]
    assert area.result.answered == 0 and area.result.yes == 0 and area.result.verdict is None
    assert not summary.has_answers and summary.gap_count == 0
    assert area.changed_lines == []  # not answered yet, so not changed either
    assert [line.item.key for line in area.lines if line.pending] == keys
    document = round_document(summary, None)
    line = next(a for a in document["answers"] if a["item"] == keys[0])
    assert line["carried_over"] is True and line["effective_value"] is None


def test_saving_the_same_value_confirms_a_carried_over_answer(org):
    later, keys = carried_round(org)
    saved = answer(org, later, keys[0], "yes", comment=f"about {keys[0]}")
    assert saved.conflict is None and not saved.record.carried_over
    saved = answer(org, later, keys[1], "no")  # a different value confirms too
    assert saved.conflict is None and not saved.record.carried_over
    result = selectors.area_result(later, KeyArea.objects.get(number=1))
    assert (result.answered, result.yes, result.no) == (2, 1, 1)
    assert Answer.objects.get(round=later, item=item(keys[2])).carried_over


def test_the_checklist_page_marks_carried_over_answers_with_a_confirm_button(as_user, org):
    later, keys = carried_round(org)
    page = parse(as_user(org.people["practitioner"]).get(area_url(org, later)))
    assert [text(mark) for mark in find_all(page, MARK)] == [
        lv("carried over — please confirm")
    ] * 3
    item = by_id(page, "ka1.c1.i01")
    assert find(item, ".//button[@name='confirm']").get("value") == "ka1.c1.i01"
    assert lv(
        "The answer of the round “%(name)s”: it counts as answered once someone confirms or "
        "changes it.",
        name="2026 spring",
    ) in text(find(item, ".//p[@class='carried-over']"))
    assert checked(item, "value-ka1.c1.i01") == "yes"
    assert by_id(page, "area-progress").get("data-answered") == "0"
    viewer_page = parse(as_user(org.people["viewer"]).get(area_url(org, later)))
    assert len(find_all(viewer_page, MARK)) == 3 and field(viewer_page, "confirm") is None


def test_the_confirm_button_with_javascript_confirms_one_item(as_user, org):
    later, keys = carried_round(org)
    client = as_user(org.people["practitioner"])
    response = client.post(
        reverse("assessments:item_save", args=[org.slug, later.pk, keys[0]]),
        {
            f"value-{keys[0]}": "yes",
            f"comment-{keys[0]}": f"about {keys[0]}",
            f"version-{keys[0]}": "1",
            "confirm": keys[0],
        },
        headers={"HX-Request": "true", "HX-Target": ""},
    )
    assert response.status_code == 200
    page = parse(response)
    assert not find_all(page, MARK) and saved(page)
    assert by_id(page, "area-progress").get("data-answered") == "1"  # the progress, out of band
    stored = Answer.objects.get(round=later, item=item(keys[0]))
    assert not stored.carried_over and stored.updated_by == org.people["practitioner"]
    assert Answer.objects.filter(round=later, carried_over=True).count() == 2


def test_without_javascript_the_confirm_button_confirms_only_its_item(as_user, org):
    later, keys = carried_round(org)
    client = as_user(org.people["practitioner"])
    page_rows = selectors.area_rows(later, KeyArea.objects.get(number=1))
    data = {"confirm": keys[1]}
    for row in page_rows:  # the whole page as the browser sends it
        key = row.item.key
        data[f"version-{key}"] = str(row.version)
        data[f"comment-{key}"] = row.stored_comment
        if row.shown_value:
            data[f"value-{key}"] = row.shown_value
    response = client.post(area_url(org, later), data)
    assert response.status_code == 302
    pending = set(
        Answer.objects.filter(round=later, carried_over=True).values_list("item__key", flat=True)
    )
    assert pending == {keys[0], keys[2]}
    # Saving the page again without a confirm leaves carried-over answers as they are.
    del data["confirm"]
    data[f"version-{keys[1]}"] = "2"
    assert client.post(area_url(org, later), data).status_code == 302
    assert Answer.objects.filter(round=later, carried_over=True).count() == 2


def test_a_carried_over_answer_is_not_carried_again_and_empty_ones_are_skipped(org):
    later, keys = carried_round(org)
    answer(org, later, keys[0], "no")  # confirmed (changed) in the later round
    services.round_close(round=later, user=org.people["coordinator"])
    third = services.round_start(
        organisation=org, name="2027", user=org.people["coordinator"], copy_from=later
    )
    assert list(third.answers.values_list("item__key", "value", "carried_over")) == [
        (keys[0], "no", True)
    ]


EACH_FIRST_STARTS_EMPTY = (
    "A round of the kind “each first, then agree” starts without earlier answers, so that "
    "everyone answers on their own. Choose “Start empty”, or work together to carry the "
    "answers over."
)


def test_an_individual_round_asked_to_carry_over_is_refused_with_a_reason(as_user, org):
    """The start form hides the offer for such a round (CSS); when both come anyway (no
    styles), the form says why, keeps what was typed, and starts nothing."""
    later, _keys = carried_round(org)
    services.round_close(round=later, user=org.people["coordinator"])
    client = as_user(org.people["coordinator"])
    response = client.post(
        reverse("assessments:round_start", args=[org.slug]),
        {"name": "Each first", "mode": "individual", "start_from": "carry_over", "confirmed": "1"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["start_from"] == [lv(EACH_FIRST_STARTS_EMPTY)]
    page = parse(response)
    assert field(page, "name").get("value") == "Each first"
    assert find(page, ".//*[@data-carry-over]//ul[@class='errorlist']") is not None
    assert not Round.objects.filter(name="Each first").exists()
    # Starting empty is taken; and the service itself never carries over into such a round.
    response = client.post(
        reverse("assessments:round_start", args=[org.slug]),
        {"name": "Each first", "mode": "individual", "start_from": "empty", "confirmed": "1"},
    )
    assert response.status_code == 302
    assert not Round.objects.get(name="Each first").answers.exists()
    direct = services.round_start(
        organisation=org,
        name="Direct",
        user=org.people["coordinator"],
        copy_from=later,
        mode="individual",
    )
    assert not direct.answers.exists()


def test_the_start_form_marks_the_carry_over_offer_to_hide_in_an_each_first_round(as_user, org):
    answer(org, org.round, "ka1.c1.i01", "yes")
    services.round_close(round=org.round, user=org.people["coordinator"])
    page = parse(as_user(org.people["coordinator"]).get(start_url(org)))
    offer = find(page, ".//*[@data-carry-over]")
    assert offer.find(".//input[@value='carry_over']") is not None
    form = find(page, f".//form[@action='{start_url(org)}']")
    assert form.find(".//input[@name='mode'][@value='individual']") is not None


# --- starting a round -------------------------------------------------------------------------


def start_url(org):
    return reverse("assessments:round_start", args=[org.slug])


def test_starting_a_round_while_one_is_open_asks_first(as_user, org):
    client = as_user(org.people["coordinator"])
    response = client.post(start_url(org), {"name": "2026 autumn"})
    assert response.status_code == 200
    page = parse(response)
    warning = find(page, ".//div[@class='notice'][@role='alert']")
    assert lv("The round “%(name)s” is still open.", name="2026 spring") in text(warning)
    assert lv(
        "Starting a new round closes nothing: both stay open, and members could answer in either."
    ) in text(warning)
    button = find(page, ".//button[@name='confirmed']")
    assert button.get("value") == "1" and text(button) == lv("Yes, start anyway")
    assert field(page, "name").get("value") == "2026 autumn"  # what was typed is kept
    assert org.rounds.count() == 1  # nothing started
    response = client.post(start_url(org), {"name": "2026 autumn", "confirmed": "1"})
    assert response.status_code == 302
    assert org.rounds.count() == 2
    org.round.refresh_from_db()
    assert org.round.is_open  # starting closes nothing


def test_a_round_starts_without_asking_when_none_is_open(as_user, org):
    services.round_close(round=org.round, user=org.people["coordinator"])
    response = as_user(org.people["coordinator"]).post(start_url(org), {"name": "Next"})
    assert response.status_code == 302
    assert not org.rounds.get(name="Next").answers.exists()  # empty by default


def test_carry_over_is_offered_only_from_the_last_closed_round(as_user, org):
    client = as_user(org.people["coordinator"])
    page = parse(client.get(org.get_absolute_url()))
    assert find(page, ".//input[@value='carry_over']") is None  # no closed round yet
    assert client.get(start_url(org)).status_code == 200
    answer(org, org.round, "ka1.c1.i01", "yes")
    services.round_close(round=org.round, user=org.people["coordinator"])
    services.round_start(organisation=org, name="Still open", user=org.people["coordinator"])
    for url in (org.get_absolute_url(), start_url(org)):
        page = parse(client.get(url))
        offer = next(
            label
            for label in find_all(page, ".//label")
            if label.find("input[@value='carry_over']") is not None
        )
        assert text(offer) == lv(CARRY_OVER, name="2026 spring")
        assert checked(page, "start_from") == "empty"
    response = client.post(
        start_url(org), {"name": "Carried", "start_from": "carry_over", "confirmed": "1"}
    )
    assert response.status_code == 302
    carried = org.rounds.get(name="Carried")
    assert carried.copied_from == org.round
    assert list(carried.answers.values_list("value", "carried_over")) == [("yes", True)]


def test_the_start_form_refuses_a_round_without_a_name(as_user, org):
    response = as_user(org.people["coordinator"]).post(start_url(org), {"name": " "})
    assert response.status_code == 400
    assert response.context["form"].errors["name"] == [lv("Give the round a name.")]
    assert org.rounds.count() == 1


# --- contributors -----------------------------------------------------------------------------


def test_only_people_who_saved_something_are_contributors(as_user, org):
    later, keys = carried_round(org)
    coordinator, practitioner = org.people["coordinator"], org.people["practitioner"]
    assert selectors.round_contributors(later) == []  # the carried answers' author did nothing
    contributors = by_id(parse(as_user(coordinator).get(later.get_absolute_url())), "contributors")
    assert text(contributors) == lv("Contributors:") + " " + lv(
        "nobody has saved anything in this round yet."
    )
    services.note_set(
        round=later,
        key_area=KeyArea.objects.get(number=1),
        text="Runājām",
        expected_version=0,
        user=coordinator,
    )
    assert selectors.round_contributors(later) == [coordinator]
    answer(org, later, keys[0], "yes", user=practitioner)
    assert selectors.round_contributors(later) == [coordinator, practitioner]
    review = {r.round.pk: r.contributors for r in organisation_review(org).rounds}
    assert review[later.pk] == ["Coordinator R.", "Practitioner R."]
    assert review[org.round.pk] == ["Practitioner R."]
    contributors = by_id(parse(as_user(coordinator).get(later.get_absolute_url())), "contributors")
    assert text(contributors) == lv("Contributors:") + " Coordinator R., Practitioner R."


# --- confirmation steps -----------------------------------------------------------------------


def _member(org, role):
    return Membership.objects.get(organisation=org, user=org.people[role])


def test_removing_a_member_asks_first(as_user, org):
    target = _member(org, "practitioner")
    url = reverse("assessments:member_remove", args=[org.slug, target.pk])
    client = as_user(org.people["coordinator"])
    assert url in hrefs(parse(client.get(reverse("assessments:members", args=[org.slug]))))
    response = client.get(url)
    assert response.status_code == 200
    asked = confirmation(response)
    names = {"person": "Practitioner R. (practitioner@riga.example)", "organisation": "Riga"}
    assert asked["title"] == lv("Remove %(person)s from %(organisation)s?", **names)
    assert asked["consequences"][0] == lv(
        "%(person)s will lose access to %(organisation)s's rounds, answers, notes and reports.",
        **names,
    )
    assert asked["button"].get("class") == "danger"
    assert asked["cancel"].get("href") == reverse("assessments:members", args=[org.slug])
    assert text(asked["cancel"]) == lv("Cancel")
    assert Membership.objects.filter(pk=target.pk).exists()  # a GET changes nothing
    assert client.post(url).status_code == 302
    assert not Membership.objects.filter(pk=target.pk).exists()


def test_removing_yourself_says_you_lose_access(as_user, org):
    target = _member(org, "coordinator")
    Membership.objects.create(
        user=make_user("second@riga.example"), organisation=org, role=Role.COORDINATOR
    )
    url = reverse("assessments:member_remove", args=[org.slug, target.pk])
    asked = confirmation(as_user(org.people["coordinator"]).get(url))
    assert asked["consequences"][0] == lv(
        "You will lose access to %(organisation)s's rounds at once.", organisation="Riga"
    )


def test_changing_a_role_asks_first_and_names_what_changes(as_user, org):
    target = _member(org, "practitioner")
    url = reverse("assessments:member_role", args=[org.slug, target.pk])
    client = as_user(org.people["coordinator"])
    members_page = parse(client.get(reverse("assessments:members", args=[org.slug])))
    assert find(members_page, f".//form[@method='get'][@action='{url}']") is not None
    response = client.get(url, {"role": "viewer"})
    assert response.status_code == 200
    asked = confirmation(response)
    assert asked["title"] == lv(
        "Change the role of %(person)s from %(old)s to %(new)s?",
        person="Practitioner R. (practitioner@riga.example)",
        old=lv("Practitioner"),
        new=lv("Viewer"),
    )
    assert asked["consequences"] == [
        lv("A viewer reads the rounds, summaries and reports, but does not answer or write notes.")
    ]
    hidden = find(parse(response), ".//form[@method='post']/input[@name='role']")
    assert (hidden.get("type"), hidden.get("value")) == ("hidden", "viewer")
    target.refresh_from_db()
    assert target.role == Role.PRACTITIONER  # a GET changes nothing
    assert client.post(url, {"role": "viewer"}).status_code == 302
    target.refresh_from_db()
    assert target.role == Role.VIEWER
    # The same role or no valid role: back to the members, nothing to confirm.
    assert client.get(url, {"role": "viewer"}).status_code == 302
    assert client.get(url, {"role": "boss"}).status_code == 302


def test_demoting_yourself_says_you_will_no_longer_manage(as_user, org):
    target = _member(org, "coordinator")
    url = reverse("assessments:member_role", args=[org.slug, target.pk])
    asked = confirmation(as_user(org.people["coordinator"]).get(url, {"role": "practitioner"}))
    assert lv("You will no longer be able to manage members and rounds.") in asked["consequences"]


def test_closing_and_reopening_a_round_ask_first(as_user, org):
    client = as_user(org.people["coordinator"])
    close = reverse("assessments:round_close", args=[org.slug, org.round.pk])
    reopen = reverse("assessments:round_reopen", args=[org.slug, org.round.pk])
    assert close in hrefs(parse(client.get(org.round.get_absolute_url())))
    response = client.get(close)
    assert response.status_code == 200
    asked = confirmation(response)
    assert asked["title"] == lv("Close the round “%(name)s”?", name="2026 spring")
    assert asked["consequences"][0] == lv(
        "Nobody can change its answers or notes any more. It stays for reading, "
        "for its report and for comparison with later rounds."
    )
    org.round.refresh_from_db()
    assert org.round.is_open  # a GET changes nothing
    assert client.get(reopen).status_code == 302  # an open round: nothing to reopen
    assert client.post(close).status_code == 302
    org.round.refresh_from_db()
    assert not org.round.is_open
    assert client.get(close).status_code == 302  # closed already
    assert reopen in hrefs(parse(client.get(org.round.get_absolute_url())))
    response = client.get(reopen)
    assert response.status_code == 200
    assert confirmation(response)["title"] == lv("Reopen the round “%(name)s”?", name="2026 spring")
    org.round.refresh_from_db()
    assert not org.round.is_open
    assert client.post(reopen).status_code == 302
    org.round.refresh_from_db()
    assert org.round.is_open


def test_revoking_an_invitation_and_deleting_the_organisation_ask_first(as_user, org):
    invitation = services.invitation_create(
        organisation=org, email="new@riga.example", role=Role.VIEWER, invited_by=None
    )
    client = as_user(org.people["coordinator"])
    url = reverse("assessments:invitation_revoke", args=[org.slug, invitation.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert find(parse(response), ".//form[@method='post']//button[@class='danger']") is not None
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is None
    assert client.post(url).status_code == 302
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is not None

    url = reverse("assessments:organisation_delete", args=[org.slug])
    response = client.get(url)
    assert response.status_code == 200
    button = find(parse(response), ".//form[@method='post']//button[@class='danger']")
    assert text(button) == "⚠ " + lv("Delete for good")

    assert Organisation.objects.filter(pk=org.pk).exists()
    assert client.post(url, {"confirmation": "Riga"}).status_code == 302
    assert not Organisation.objects.filter(pk=org.pk).exists()


@pytest.mark.parametrize("role", ["viewer", "practitioner"])
def test_only_coordinators_see_the_confirmation_pages(as_user, org, other_org, role):
    member = _member(org, "viewer").pk
    urls = [
        reverse("assessments:member_remove", args=[org.slug, member]),
        reverse("assessments:member_role", args=[org.slug, member]) + "?role=practitioner",
        reverse("assessments:round_close", args=[org.slug, org.round.pk]),
        reverse("assessments:round_reopen", args=[org.slug, org.round.pk]),
        reverse("assessments:round_start", args=[org.slug]),
    ]
    client = as_user(org.people[role])
    for url in urls:
        assert client.get(url).status_code == 403
    client = as_user(other_org.people["coordinator"])
    for url in urls:
        assert client.get(url).status_code == 404
    assert Membership.objects.filter(organisation=org).count() == 3
    assert Note.objects.count() == 0
