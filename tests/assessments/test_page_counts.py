"""The pages of an "each first, then agree" round agree with themselves and with the database:
the demo's round (seed_demo) and a new one half answered, walked page by page, every number
read from the HTML and counted again here with the ORM (not with the code under test)."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Q
from django.urls import reverse

from accounts.people import display_name
from assessments import services
from assessments.models import Answer, IndividualAnswer, Organisation
from content.models import ChecklistItem, KeyArea
from operations.management.commands.seed_demo import DEMO_ORGANISATIONS, INDIVIDUAL_ROUND
from tests.dom import by_id, find, find_all, lv, lv_plural, parse, rows, text

pytestmark = pytest.mark.django_db

ANSWERED = ("yes", "partly", "no")


@pytest.fixture
def demo():
    call_command("seed_demo", force=True, stdout=io.StringIO())
    spec = DEMO_ORGANISATIONS[0]
    organisation = Organisation.objects.get(slug=spec["slug"])
    people = [get_user_model().objects.get(username=p[0]) for p in spec["people"]]
    return organisation, people


# --- counted again with the ORM --------------------------------------------------------------


def _items(organisation, key_area=None):
    items = ChecklistItem.objects.current().filter(checklist__retired=False)
    return items.filter(checklist__key_area=key_area) if key_area is not None else items


def _counts(organisation, given, key_area=None) -> tuple[int, int]:
    """(answered, applicable) of the answers `given` (a queryset): an item counts as not
    applicable when answered so, or when unanswered and preset (typically not applicable to
    the organisation's type, or of a checklist meant for another kind of organisation)."""
    org_type = organisation.org_type
    items = _items(organisation, key_area)
    given = given.filter(item__in=items)
    preset = Q(not_applicable_for__contains=[org_type]) | ~Q(
        checklist__audience__in=["all", org_type]
    )
    not_applicable = (
        given.filter(value="na").count()
        + items.filter(preset).exclude(pk__in=given.exclude(value="").values("item")).count()
    )
    return given.filter(value__in=ANSWERED).count(), items.count() - not_applicable


def _answered_by_someone(round_, key_area):
    return (
        IndividualAnswer.objects.filter(round=round_, item__checklist__key_area=key_area)
        .exclude(value="")
        .values("item")
        .distinct()
    )


# --- read from the pages ---------------------------------------------------------------------


def _fraction(cell) -> tuple[int, int]:
    found = re.match(r"(\d+) / (\d+)", text(cell))
    assert found, text(cell)
    return int(found[1]), int(found[2])


def _area_label(area: KeyArea) -> str:
    return f"5.{area.number}. {area.title}"


def _round_page(client, round_):
    page = parse(client.get(round_.get_absolute_url()))
    progress = find(page, ".//table[@class='data progress-table stack']")
    by_area = {label: _fraction(row.findall("td")[0]) for label, row in rows(progress).items()}
    return page, by_area


def _check_round_page(client, organisation, round_, own_answers):
    """The round page's header and progress table against the answers its reader works on."""
    page, by_area = _round_page(client, round_)
    answered, applicable = _counts(organisation, own_answers)
    header = lv(
        "%(answered)s of %(applicable)s applicable items answered.",
        answered=answered,
        applicable=applicable,
    )
    assert header in text(by_id(page, "round-counts"))
    for area in KeyArea.objects.current():
        assert by_area[_area_label(area)] == _counts(organisation, own_answers, area), area
    assert sum(a for a, _ in by_area.values()) == answered
    assert sum(b for _, b in by_area.values()) == applicable
    return page


def _check_comparison_page(client, organisation, round_, *, editable=False):
    url = reverse("assessments:comparison", args=[organisation.slug, round_.pk])
    response = client.get(url)
    assert response.status_code == 200
    page = parse(response)
    agreed_answers = Answer.objects.filter(round=round_)
    table = by_id(page, "comparison-areas")
    totals = {"answered": 0, "to_agree": 0}
    for area in KeyArea.objects.current():
        row = find(table, f".//tr[@data-area='{area.number}']")
        cells = {cell.get("data-count"): cell for cell in row.findall("td")}
        answered_items = _answered_by_someone(round_, area)
        answered = answered_items.count()
        to_agree = answered_items.exclude(
            item__in=agreed_answers.exclude(value="").values("item")
        ).count()
        nobody = _items(organisation, area).exclude(pk__in=answered_items.values("item"))
        assert _fraction(cells["answered"]) == (answered, _items(organisation, area).count())
        assert _fraction(cells["agreed"]) == _counts(organisation, agreed_answers, area), area
        assert int(text(cells["to-agree"])) == to_agree
        totals["answered"] += answered
        totals["to_agree"] += to_agree

        section = by_id(page, f"area-{area.number}")
        assert find(row, ".//a").get("href") == f"#area-{area.number}"
        assert len(section.findall("article")) == answered
        # The full agree form only where it is needed; agreed items keep theirs folded.
        if editable:
            assert len(section.findall("./article/form")) == to_agree
            assert len(section.findall("./article/details/form")) == answered - to_agree
        else:
            assert find(section, ".//form") is None
        # The items nobody answered: one folded line, every one of them listed in it.
        folded = section.findall("./details[@class='unanswered']")
        if nobody.count():
            assert len(folded) == 1 and folded[0].get("open") is None
            summary = lv_plural(
                "%(counter)s item nobody answered",
                "%(counter)s items nobody answered",
                nobody.count(),
                counter=nobody.count(),
            )
            assert text(folded[0].find("summary")) == summary
            listed = {li.get("id") for li in folded[0].iter("li")}
            assert listed == {item.key for item in nobody}
        else:
            assert folded == []
    counts = by_id(page, "comparison-counts")
    agreed, applicable = _counts(organisation, agreed_answers)
    assert (counts.get("data-agreed"), counts.get("data-applicable")) == (
        str(agreed),
        str(applicable),
    )
    assert counts.get("data-answered") == str(totals["answered"])
    assert counts.get("data-to-agree") == str(totals["to_agree"])
    return page


def _check_summary(client, organisation, round_):
    agreed_answers = Answer.objects.filter(round=round_)
    answered, applicable = _counts(organisation, agreed_answers)
    gaps = agreed_answers.filter(value__in=["no", "partly"]).count()
    url = reverse("reporting:summary", args=[organisation.slug, round_.pk])
    expected = lv(
        "%(answered)s of %(applicable)s applicable items answered; %(gaps)s gaps (No or Partly).",
        answered=answered,
        applicable=applicable,
        gaps=gaps,
    )
    assert expected in text(parse(client.get(url)))


def _check_review(client, organisation, round_, *, unnamed=0):
    """The review's line of the round: its completion from the agreed answers (the same rule),
    and the people who saved only their own answers counted, not named."""
    page = parse(client.get(reverse("reporting:review", args=[organisation.slug])))
    summary = reverse("reporting:summary", args=[organisation.slug, round_.pk])
    (line,) = [
        tr
        for tr in find_all(page, ".//table//tr")
        if find(tr, f".//a[@href='{summary}']") is not None
    ]
    cells = line.findall("td")
    answered, applicable = _counts(organisation, Answer.objects.filter(round=round_))
    assert text(cells[2]) == f"{round(100 * answered / applicable)} %"
    counted = find(cells[4], ".//*[@data-unnamed]")
    if unnamed:
        assert counted.get("data-unnamed") == str(unnamed)
    else:
        assert counted is None


# --- the walks -------------------------------------------------------------------------------


def test_the_demo_each_first_round_counts_the_same_on_every_page(as_user, demo):
    organisation, (coordinator, _practitioner, viewer) = demo
    round_ = organisation.rounds.get(name=INDIVIDUAL_ROUND)
    assert round_.comparison_open and not round_.is_open
    for person in (coordinator, viewer):
        client = as_user(person)
        agreed = Answer.objects.filter(round=round_)
        page = _check_round_page(client, organisation, round_, agreed)
        contributors = text(by_id(page, "contributors"))
        assert lv("nobody has saved anything in this round yet.") not in contributors
        _check_comparison_page(client, organisation, round_)
        _check_summary(client, organisation, round_)
        _check_review(client, organisation, round_)


def _answer_alone(round_, user, answers):
    for key, value in answers.items():
        services.individual_answer_set(
            round=round_,
            item=ChecklistItem.objects.get(key=key),
            value=value,
            comment="",
            expected_version=0,
            user=user,
        )


def test_a_half_answered_each_first_round_counts_applicable_items_per_person(as_user, demo):
    organisation, (coordinator, practitioner, viewer) = demo
    round_ = services.round_start(
        organisation=organisation, name="Katrs vispirms", user=coordinator, mode="individual"
    )
    preset = (
        _items(organisation).filter(not_applicable_for__contains=[organisation.org_type]).first()
    )
    assert preset is not None  # the handbook's item that a municipality need not answer

    # Before anyone saves: the page says so, and every member's count is of applicable items.
    client = as_user(coordinator)
    page = _check_round_page(client, organisation, round_, IndividualAnswer.objects.none())
    contributors = text(by_id(page, "contributors"))
    assert contributors.endswith(lv("nobody has saved anything in this round yet."))

    keys = list(_items(organisation).order_by("pk").values_list("key", flat=True)[:10])
    _answer_alone(round_, coordinator, dict(zip(keys, ["yes", "no", "partly"] * 4, strict=False)))
    _answer_alone(round_, practitioner, {keys[0]: "no", keys[1]: "no", keys[2]: "na"})

    own = IndividualAnswer.objects.filter(round=round_, user=coordinator)
    page = _check_round_page(client, organisation, round_, own)
    contributors = by_id(page, "contributors")
    assert lv("nobody has saved anything in this round yet.") not in text(contributors)
    assert find(contributors, ".//*[@data-unnamed]").get("data-unnamed") == "2"
    _check_review(client, organisation, round_, unnamed=2)
    members = rows(find(page, ".//section[@aria-labelledby='members-progress-title']//table"))
    for person in (coordinator, practitioner):
        mine = IndividualAnswer.objects.filter(round=round_, user=person)
        assert _fraction(members[display_name(person)].find("td")) == _counts(organisation, mine)
    # The coordinator's row and the page's header count the same items (79, not 80).
    header_applicable = _counts(organisation, own)[1]
    assert header_applicable < _items(organisation).count()
    practitioner_page = _check_round_page(
        as_user(practitioner),
        organisation,
        round_,
        IndividualAnswer.objects.filter(round=round_, user=practitioner),
    )
    assert lv("nobody has saved anything in this round yet.") not in text(
        by_id(practitioner_page, "contributors")
    )

    # The comparison: agreed answers to an answered item and to one nobody answered.
    services.comparison_open(round=round_, user=coordinator)
    for key, value, reason in [(keys[0], "partly", "Daļēji abiem"), (keys[5], "yes", "")]:
        services.answer_agree(
            round=round_,
            item=ChecklistItem.objects.get(key=key),
            value=value,
            reason=reason,
            expected_version=0,
            user=coordinator,
        )
    services.answer_agree(
        round=round_,
        item=_items(organisation).exclude(key__in=keys).last(),
        value="no",
        reason="",
        expected_version=0,
        user=coordinator,
    )
    for person, editable in [(coordinator, True), (viewer, False)]:
        client = as_user(person)
        _check_round_page(client, organisation, round_, Answer.objects.filter(round=round_))
        page = _check_comparison_page(client, organisation, round_, editable=editable)
        assert text(by_id(page, "comparison-counts"))
        _check_summary(client, organisation, round_)
        _check_review(client, organisation, round_)
    # Only the items where the answers differ: no folded lines, no other items.
    url = reverse("assessments:comparison", args=[organisation.slug, round_.pk])
    filtered = parse(as_user(coordinator).get(url + "?disagreement=1"))
    assert find_all(filtered, ".//details[@class='unanswered']") == []
    shown = {article.get("id") for article in find_all(filtered, ".//article")}
    assert shown == {keys[0], keys[2]}  # yes/no and partly/na differ; "no"/"no" does not
