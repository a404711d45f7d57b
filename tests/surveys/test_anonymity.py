"""The arithmetic attacks on the survey's anonymity, through the real pages and exports.

Cells count people who really answered; figures move only by whole batches, across
submissions, closes and reopens; free texts come from 10, in random order, behind opaque ids;
a hidden text leaves every output at once, the cached PDF too; a closed round's survey takes
no answers.
"""

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext

from assessments import services as round_services
from surveys import services
from surveys.forms import field_name
from surveys.models import Agreement, Response
from surveys.selectors import survey_questions
from tests.dom import by_id, find, find_all, parse, rows, text
from tests.pdfs import pdf_text
from tests.surveys.conftest import add_responses

pytestmark = pytest.mark.django_db


def _round_url(org, path):
    return f"/en/org/{org.slug}/rounds/{org.round.pk}/{path}"


def _export(client, org) -> dict:
    return json.loads(client.get(_round_url(org, "export.json")).content)["participants"]


def _submit(survey, ka1, other=Agreement.AGREE, **about):
    """One response rating the statements of 5.1 `ka1` and every other statement `other`."""
    statements, _open = survey_questions(survey)
    return services.response_submit(
        survey=survey,
        ratings={q: ka1 if q.key_area.key == "ka1" else other for q in statements},
        **about,
    )


def _participants(client, org):
    return by_id(parse(client.get(_round_url(org, "summary/"))), "participants")


def _cells(table, area_number: int) -> list[str]:
    """The texts of the data cells of a key area's row."""
    row = next(r for name, r in rows(table).items() if name.startswith(f"5.{area_number}. "))
    return [text(cell) for cell in row.findall("td")]


# --- cells: key area x group, counting real answers -------------------------------------------


def test_one_real_answer_and_four_dont_knows_publish_nothing_of_the_area(as_user, org, survey):
    _submit(survey, Agreement.DISAGREE)
    for _ in range(4):
        _submit(survey, Agreement.DONT_KNOW)
    client = as_user(org.people["viewer"])
    exported = _export(client, org)
    assert exported["shown"] is True  # the other areas, which all five answered
    assert exported["key_areas"]["ka1"] == {"responses": 0, "agreement": None}
    assert exported["key_areas"]["ka2"] == {"responses": 5, "agreement": 1.0}
    table = _participants(client, org).find(".//table")
    assert _cells(table, 1)[1:] == ["–", "–", "–"]  # agreement, responses, difference
    assert _cells(table, 2)[1:3] == ["100 %", "5"]
    review = find(
        parse(client.get(f"/en/org/{org.slug}/review/")),
        ".//section[@aria-labelledby='participants-review-title']",
    )
    assert _cells(review, 1) == ["–"] and _cells(review, 2) == ["100 %"]


@pytest.mark.pdf
def test_four_women_who_answered_nothing_and_one_who_did_publish_no_women(as_user, org, survey):
    for _ in range(4):
        _submit(survey, Agreement.DONT_KNOW, other=Agreement.DONT_KNOW, gender="woman")
    _submit(survey, Agreement.DISAGREE, other=Agreement.DISAGREE, gender="woman")
    client = as_user(org.people["viewer"])
    assert _export(client, org)["shown"] is False
    add_responses(survey, 5, gender="man")
    section = _participants(client, org)
    assert section.find(".//table") is not None  # the men's figures
    assert "Woman" not in rows(section)
    pdf = client.get(_round_url(org, "report.pdf")).content
    assert "Woman" not in pdf_text(pdf)


def test_responses_count_what_the_figures_include_and_received_everything(as_user, org, survey):
    statements, _open = survey_questions(survey)
    ka1 = [q for q in statements if q.key_area.key == "ka1"]
    ka2 = [q for q in statements if q.key_area.key == "ka2"]
    for _ in range(4):
        services.response_submit(survey=survey, ratings={ka1[0]: Agreement.DISAGREE})
    # 6 ratings of 5.1, one of them agreeing: 1/6, published rounded.
    services.response_submit(
        survey=survey, ratings={ka1[0]: Agreement.AGREE, ka1[1]: Agreement.DISAGREE}
    )
    for _ in range(3):
        services.response_submit(survey=survey, ratings={ka2[0]: Agreement.AGREE})
    exported = _export(as_user(org.people["viewer"]), org)
    assert (exported["received"], exported["responses"]) == (8, 5)
    assert exported["key_areas"]["ka1"] == {"responses": 5, "agreement": 0.17}
    assert exported["key_areas"]["ka2"] == {"responses": 0, "agreement": None}


# --- differencing -----------------------------------------------------------------------------


def test_consecutive_submissions_move_the_figures_only_by_whole_batches(as_user, org, survey):
    client = as_user(org.people["viewer"])
    add_responses(survey, 5, value=Agreement.AGREE)
    first = _export(client, org)
    assert first["key_areas"]["ka1"] == {"responses": 5, "agreement": 1.0}
    for received in range(6, 10):
        _submit(survey, Agreement.DISAGREE, other=Agreement.DISAGREE)
        exported = _export(client, org)
        assert exported["received"] == received
        assert (exported["responses"], exported["key_areas"]) == (5, first["key_areas"])
    _submit(survey, Agreement.DISAGREE, other=Agreement.DISAGREE)
    assert _export(client, org)["key_areas"]["ka1"] == {"responses": 10, "agreement": 0.5}


def test_closing_and_reopening_move_no_figure_by_less_than_a_batch(as_user, org, survey):
    coordinator = as_user(org.people["coordinator"])
    state = _round_url(org, "survey/state/")
    add_responses(survey, 5, value=Agreement.AGREE)
    coordinator.post(state, {"change": "close"})
    first = _export(coordinator, org)
    for added in (1, 3):
        coordinator.post(state, {"change": "reopen"})
        survey.refresh_from_db()
        add_responses(survey, added, value=Agreement.DISAGREE)
        coordinator.post(state, {"change": "close"})
        assert _export(coordinator, org)["key_areas"] == first["key_areas"]
    coordinator.post(state, {"change": "reopen"})
    survey.refresh_from_db()
    add_responses(survey, 1, value=Agreement.DISAGREE)
    assert _export(coordinator, org)["key_areas"]["ka1"] == {"responses": 10, "agreement": 0.5}


# --- a closed round ---------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["lv", "uk", "ar"])
def test_a_closed_rounds_survey_takes_no_answers_and_says_so(client, org, survey, lang):
    add_responses(survey, 5)
    round_services.round_close(round=org.round, user=org.people["coordinator"])
    statements, _open = survey_questions(survey)
    page = parse(client.get(f"/{lang}/survey/{survey.token}/"))
    with translation.override(lang):
        closed = gettext("This survey is closed")
    assert closed != "This survey is closed"  # said in the survey's language
    assert text(find(page, ".//h1")) == closed
    assert find(page, ".//main//form") is None
    client.post(f"/{lang}/survey/{survey.token}/", {field_name(statements[0]): "5"})
    assert Response.objects.count() == 5
    survey.refresh_from_db()
    with pytest.raises(ValidationError):
        add_responses(survey, 1)
    assert Response.objects.count() == 5


# --- free texts -------------------------------------------------------------------------------


def _texts(survey, numbers):
    return [add_responses(survey, 1, free_text=f"Text number {n:02}.")[0] for n in numbers]


def _shown_texts(page) -> list[int]:
    """The numbers of the free texts a page lists, in its order (hidden ones left out)."""
    quotes = find_all(parse(page), ".//ul[@class='free-texts']/li/blockquote")
    return [int(re.fullmatch(r"Text number (\d\d)\.", text(q)).group(1)) for q in quotes]


def test_free_texts_show_from_ten_in_whole_batches(as_user, org, survey):
    client = as_user(org.people["viewer"])
    _texts(survey, range(1, 10))
    assert _shown_texts(client.get(_round_url(org, "summary/"))) == []
    _texts(survey, [10])
    assert sorted(_shown_texts(client.get(_round_url(org, "summary/")))) == list(range(1, 11))
    _texts(survey, range(11, 20))
    assert sorted(_shown_texts(client.get(_round_url(org, "summary/")))) == list(range(1, 11))


def test_hiding_a_text_brings_in_no_other(as_user, org, survey):
    responses = _texts(survey, range(1, 12))
    coordinator = as_user(org.people["coordinator"])
    coordinator.post(
        _round_url(org, f"survey/responses/{responses[3].token}/visibility/"), {"hidden": "1"}
    )
    shown = _shown_texts(coordinator.get(_round_url(org, "summary/")))
    assert sorted(shown) == [1, 2, 3, 5, 6, 7, 8, 9, 10]


def test_arrival_order_cannot_be_read_from_the_moderation_page(as_user, org, survey):
    responses = _texts(survey, range(1, 11))
    coordinator = as_user(org.people["coordinator"])
    orders, summary_orders = [], []
    for _ in range(4):
        page = coordinator.get(_round_url(org, "survey/"))
        orders.append(_shown_texts(page))
        summary_orders.append(_shown_texts(coordinator.get(_round_url(org, "summary/"))))
        actions = [
            f.get("action") for f in find_all(parse(page), ".//ul[@class='free-texts']//form")
        ]
        links = [
            re.fullmatch(r".*/survey/responses/([^/]+)/visibility/", a).group(1) for a in actions
        ]
        assert set(links) == {r.token for r in responses}
        assert not any(link.isdigit() for link in links)
    arrival = list(range(1, 11))
    # Each order is one of 10! equally likely; four in a row all in arrival order: ~1e-26.
    assert any(order != arrival for order in orders)
    assert any(order != arrival for order in summary_orders)
    assert [r.token for r in sorted(responses, key=lambda r: r.token)] != [
        r.token for r in responses
    ]  # the tokens are random, not in order of arrival (chance 1/10!)


def _pdf_text(client, org) -> str:
    content = client.get(_round_url(org, "report.pdf")).content
    return pdf_text(content, " ")


@pytest.mark.pdf
def test_a_hidden_text_leaves_the_cached_pdf_at_once(as_user, org, survey):
    zebra = add_responses(survey, 1, free_text="Zebra crossing needed.")[0]
    giraffe = add_responses(survey, 1, free_text="Giraffe lessons.")[0]
    add_responses(survey, 8, free_text="Thanks.")
    coordinator = as_user(org.people["coordinator"])

    def visibility(response, hidden):
        url = _round_url(org, f"survey/responses/{response.token}/visibility/")
        coordinator.post(url, {"hidden": "1" if hidden else "0"})

    text = _pdf_text(coordinator, org)
    assert "Zebra" in text and "Giraffe" in text
    assert _pdf_text(coordinator, org) == text  # served from the cache
    visibility(zebra, True)
    text = _pdf_text(coordinator, org)
    assert "Zebra" not in text and "Giraffe" in text
    # As many hidden as before, another one: the kept report must not be served.
    visibility(zebra, False)
    visibility(giraffe, True)
    text = _pdf_text(coordinator, org)
    assert "Zebra" in text and "Giraffe" not in text
