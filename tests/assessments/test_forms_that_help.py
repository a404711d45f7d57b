"""Forms that help (issue 26): a due date in the past asks first, the date field speaks the
browser's format, closing a round says what stays unanswered, a refused whole-page save names
and links each refused item, and a change's arrows are not a verdict's symbols."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import Action, Answer, IndividualAnswer, RoundStatus
from assessments.templatetags.assessment_tags import VERDICTS
from content.models import ChecklistItem, KeyArea
from reporting.summary import round_summary
from tests.dom import by_id, field, find, find_all, lv, parse, text

pytestmark = pytest.mark.django_db

PAST_DATE_REFUSED = "This date is in the past, so the action would be overdue at once."
PAST_DATE_OK = "Yes, the due date is in the past"
CONTROL_CHARACTERS = (
    "Remove the control characters from the text (only line breaks and tabs may stay)."
)


def item(key):
    return ChecklistItem.objects.get(key=key)


def days_ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


# --- an action's due date ---------------------------------------------------------------------


def new_action_url(org, lang="lv"):
    url = reverse("assessments:action_new", args=[org.slug, org.round.pk]) + "?item=ka1.c1.i01"
    return url.replace("/lv/", f"/{lang}/", 1)


def edit_url(org, action, lang="lv"):
    return reverse("assessments:action_edit", args=[org.slug, action.pk]).replace(
        "/lv/", f"/{lang}/", 1
    )


def action_data(**changes):
    return {
        "item": "ka1.c1.i01",
        "title": "Train the staff",
        "owner": "",
        "due_date": "",
        "status": "open",
        **changes,
    }


def planned(org, due_date, **extra):
    return services.action_create(
        round=org.round,
        item=item("ka1.c1.i01"),
        title="Interpreter",
        owner=None,
        due_date=due_date,
        user=org.people["coordinator"],
        **extra,
    )


def test_a_due_date_in_the_past_asks_first_and_keeps_what_was_typed(as_user, org):
    client = as_user(org.people["practitioner"])
    assert field(parse(client.get(new_action_url(org))), "past_date_ok") is None  # not yet
    past = days_ago(3).isoformat()
    owner = org.people["viewer"]
    response = client.post(new_action_url(org), action_data(due_date=past, owner=owner.pk))
    assert response.status_code == 200
    assert not Action.objects.exists()
    assert response.context["form"].errors["due_date"] == [lv(PAST_DATE_REFUSED)]
    page = parse(response)
    confirm = field(page, "past_date_ok")
    assert confirm.get("type") == "checkbox" and confirm.get("checked") is None
    label = find(page, f".//label[@for='{confirm.get('id')}']")
    assert text(label) == lv(PAST_DATE_OK)
    # Everything typed is there to send again.
    assert text(field(page, "title")) == "Train the staff"
    assert field(page, "due_date").get("value") == past
    chosen = find(page, ".//select[@name='owner']/option[@selected]")
    assert chosen.get("value") == str(owner.pk)

    response = client.post(
        new_action_url(org), action_data(due_date=past, owner=owner.pk, past_date_ok="on")
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert (action.title, action.due_date, action.owner) == ("Train the staff", days_ago(3), owner)


@pytest.mark.parametrize("due_date", ["", "today", "future"])
def test_no_date_today_or_a_later_date_does_not_ask(as_user, org, due_date):
    value = {
        "": "",
        "today": timezone.localdate().isoformat(),
        "future": (timezone.localdate() + timedelta(days=30)).isoformat(),
    }[due_date]
    response = as_user(org.people["practitioner"]).post(
        new_action_url(org), action_data(due_date=value)
    )
    assert response.status_code == 302 and Action.objects.count() == 1


def test_editing_an_action_with_its_unchanged_past_date_does_not_ask_again(as_user, org):
    action = planned(org, days_ago(10), past_date_ok=True)
    client = as_user(org.people["practitioner"])
    page = parse(client.get(edit_url(org, action)))
    assert field(page, "due_date").get("value") == days_ago(10).isoformat()
    data = {"title": "Interpreter", "owner": "", "due_date": days_ago(10).isoformat()}
    response = client.post(edit_url(org, action), {**data, "status": "in_progress"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.due_date) == ("in_progress", days_ago(10))
    # Moving it to another day in the past asks again; confirmed, it is taken.
    moved = {**data, "due_date": days_ago(5).isoformat(), "status": "in_progress"}
    response = client.post(edit_url(org, action), moved)
    assert response.status_code == 200
    assert field(parse(response), "past_date_ok") is not None
    action.refresh_from_db()
    assert action.due_date == days_ago(10)
    assert client.post(edit_url(org, action), {**moved, "past_date_ok": "on"}).status_code == 302
    action.refresh_from_db()
    assert action.due_date == days_ago(5)


def test_the_services_refuse_a_past_due_date_unless_it_is_confirmed(org):
    with pytest.raises(ValidationError) as refused:
        planned(org, days_ago(1))
    assert refused.value.code == "past_due_date"
    assert not Action.objects.exists()
    action = planned(org, days_ago(1), past_date_ok=True)
    update = {"title": "Interpreter", "owner": None, "status": "done"}
    services.action_update(action=action, due_date=days_ago(1), **update)  # unchanged
    with pytest.raises(ValidationError):
        services.action_update(action=action, due_date=days_ago(2), **update)
    assert Action.objects.get().due_date == days_ago(1)


@pytest.mark.parametrize("lang", ["lv", "en"])
def test_the_due_date_is_the_browsers_date_input_in_iso_with_a_hint_that_fits(as_user, org, lang):
    later = timezone.localdate() + timedelta(days=100)
    action = planned(org, later)
    client = as_user(org.people["practitioner"])
    page = parse(client.get(edit_url(org, action, lang)))
    due = field(page, "due_date")
    assert due.get("type") == "date" and due.get("value") == later.isoformat()
    hint = text(by_id(page, due.get("aria-describedby")))
    assert hint and "YYYY" not in hint and "GGGG" not in hint
    if lang == "lv":
        assert hint == lv("Optional: the day by which it should be done.")
    # What the browser sends back, the ISO date, is read in either language.
    sent = later + timedelta(days=1)
    data = {"title": "Interpreter", "owner": "", "due_date": sent.isoformat(), "status": "open"}
    assert client.post(edit_url(org, action, lang), data).status_code == 302
    action.refresh_from_db()
    assert action.due_date == sent


# --- closing a round --------------------------------------------------------------------------


def close_url(org, round_=None):
    return reverse("assessments:round_close", args=[org.slug, (round_ or org.round).pk])


def answer_all_but(round_, skipped: set[str], carried: set[str] = frozenset()):
    """Every current item of the round answered Yes, except `skipped`; `carried` answers are
    carried over and not confirmed (they count as unanswered)."""
    Answer.objects.bulk_create(
        Answer(round=round_, item=i, value="yes", carried_over=i.key in carried)
        for i in ChecklistItem.objects.current()
        if i.key not in skipped
    )


def test_closing_a_round_lists_the_unanswered_items_and_the_areas_without_verdict(as_user, org):
    skipped = {"ka2.c1.i01", "ka2.c1.i03", "ka5.c1.i02"}
    answer_all_but(org.round, skipped, carried={"ka6.c1.i04"})
    response = as_user(org.people["coordinator"]).get(close_url(org))
    assert response.status_code == 200
    page = parse(response)
    section = find(page, ".//section[@data-unanswered]")
    assert section.get("data-unanswered") == "4"
    assert section.get("data-unfinished-areas") == "3"
    # The same rule as the summary: these key areas, and only these, have no verdict.
    without_verdict = {
        area.key_area.key for area in round_summary(org.round).areas if area.result.verdict is None
    }
    assert without_verdict == {"ka2", "ka5", "ka6"}
    headings = {h.get("id") for h in section.findall(".//h3")}
    assert headings == {f"unfinished-{key}" for key in without_verdict}
    # Each unanswered item links to its place on its key area's checklist page.
    links = [a.get("href") for a in section.iter("a")]
    expected = [
        reverse("assessments:area", args=[org.slug, org.round.pk, int(key[2])]) + f"#{key}"
        for key in ("ka2.c1.i01", "ka2.c1.i03", "ka5.c1.i02", "ka6.c1.i04")
    ]
    assert links == expected
    # The coordinator still decides: the form closes the round.
    assert find(page, ".//form[@method='post']//button[@type='submit']") is not None
    client = as_user(org.people["coordinator"])
    assert client.post(close_url(org)).status_code == 302
    org.round.refresh_from_db()
    assert org.round.status == RoundStatus.CLOSED


def test_closing_a_fully_answered_round_says_every_area_gets_its_verdict(as_user, org):
    answer_all_but(org.round, set())
    page = parse(as_user(org.people["coordinator"]).get(close_url(org)))
    assert find(page, ".//section[@data-unanswered]") is None
    assert text(find(page, ".//p[@data-unanswered='0']")) == lv(
        "Every applicable item is answered: each key area will have its verdict."
    )


def test_closing_an_each_first_round_counts_the_agreed_answers_only(as_user, org):
    round_ = services.round_start(
        organisation=org, name="Each first", user=org.people["coordinator"], mode="individual"
    )
    IndividualAnswer.objects.bulk_create(
        IndividualAnswer(round=round_, item=i, user=org.people["practitioner"], value="yes")
        for i in ChecklistItem.objects.current()
    )
    page = parse(as_user(org.people["coordinator"]).get(close_url(org, round_)))
    section = find(page, ".//section[@data-unanswered]")
    overall = round_summary(round_).overall  # the summary counts no agreed answer either
    assert int(section.get("data-unanswered")) == overall.unanswered > 0
    assert section.get("data-unfinished-areas") == str(KeyArea.objects.current().count())


# --- a refused whole-page save ----------------------------------------------------------------


def area_url(org, number=1):
    return reverse("assessments:area", args=[org.slug, org.round.pk, number])


def refused_links(page) -> list[str]:
    box = by_id(page, "refused")
    assert box is not None and box.get("role") == "alert"
    return [a.get("href") for a in box.iter("a")]


def test_a_refused_save_names_and_links_each_conflict(as_user, org):
    services.answer_set(
        round=org.round,
        item=item("ka1.c1.i04"),
        value="no",
        comment="",
        expected_version=0,
        user=org.people["coordinator"],
    )
    services.note_set(
        round=org.round,
        key_area=KeyArea.objects.get(number=1),
        text="Saved first",
        expected_version=0,
        user=org.people["coordinator"],
    )
    client = as_user(org.people["practitioner"])
    assert by_id(parse(client.get(area_url(org))), "refused") is None
    response = client.post(
        area_url(org),
        {
            "value-ka1.c1.i01": "yes",
            "version-ka1.c1.i01": "0",
            "value-ka1.c1.i04": "partly",
            "version-ka1.c1.i04": "0",
            "text": "Our notes",
            "version": "0",
        },
    )
    assert response.status_code == 409
    page = parse(response)
    assert refused_links(page) == ["#ka1.c1.i04", "#notes"]
    lines = find_all(by_id(page, "refused"), ".//li")
    assert item("ka1.c1.i04").label in text(lines[0])
    assert all(lv("someone else saved a change meanwhile") in text(line) for line in lines)
    for anchor in ("ka1.c1.i04", "notes"):
        assert by_id(page, anchor) is not None  # each link lands on its place
    assert list(Answer.objects.values_list("item__key", flat=True)) == ["ka1.c1.i04"]


def test_a_refused_save_names_and_links_each_error(as_user, org):
    client = as_user(org.people["practitioner"])
    response = client.post(
        area_url(org),
        {
            "value-ka1.c1.i02": "yes",
            "version-ka1.c1.i02": "0",
            "value-ka1.c1.i05": "no",
            "comment-ka1.c1.i05": "a\x00b",
            "version-ka1.c1.i05": "0",
            "value-ka1.c1.i07": "yes",
            "comment-ka1.c1.i07": "c\x01d",
            "version-ka1.c1.i07": "0",
        },
    )
    assert response.status_code == 400
    page = parse(response)
    assert refused_links(page) == ["#ka1.c1.i05", "#ka1.c1.i07"]
    assert lv(CONTROL_CHARACTERS) in text(by_id(page, "refused"))
    assert not Answer.objects.exists()


# --- a change is not a verdict ----------------------------------------------------------------


def test_a_change_has_its_own_arrows_apart_from_the_verdicts_symbols():
    template = Template("{% load assessment_tags %}{% score_change change %}")
    arrows = {}
    for change, css in ((5, "change-up"), (-5, "change-down"), (0, "change-none")):
        span = parse(template.render(Context({"change": change}))).find(".//span")
        assert span.get("class") == css
        arrow = span.find("span")
        assert arrow.get("aria-hidden") == "true"  # the signed words say it aloud
        arrows[change] = arrow.text
    assert arrows == {5: "↑", -5: "↓", 0: "="}
    verdict_symbols = {symbol.strip() for _css, symbol, _label in VERDICTS.values() if symbol}
    assert verdict_symbols == {"✔", "▲", "✖"}
    assert not verdict_symbols & set(arrows.values())
