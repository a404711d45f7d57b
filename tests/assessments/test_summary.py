"""The summary, the action plan, the review, the PDF report and the exports."""

import csv
import io
import json
import re
from datetime import date, timedelta

import pypdf
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import scoring, services
from assessments.models import Action, Membership, Role
from content.models import ChecklistItem, KeyArea
from reporting.summary import round_summary
from tests.assessments.conftest import make_user
from tests.dom import SVG, by_id, find, hrefs, lv, parse
from tests.dom import text as text_of
from tests.names import url_name
from tests.pdfs import pdf_text

pytestmark = pytest.mark.django_db


def answer(org, round_, key, value, comment="", user=None):
    item = ChecklistItem.objects.get(key=key)
    current = round_.answers.filter(item=item).first()
    services.answer_set(
        round=round_,
        item=item,
        value=value,
        comment=comment,
        expected_version=current.version if current else 0,
        user=user or org.people["practitioner"],
    )


def fill(org, round_, number, values):
    keys = (
        ChecklistItem.objects.filter(checklist__key_area__number=number)
        .order_by("checklist__order", "order")
        .values_list("key", flat=True)
    )
    for key, value in zip(keys, values, strict=False):
        answer(org, round_, key, value)


def test_summary_figures_match_a_hand_computed_round(org):
    # 5.1 has 10 items: 6 yes, 2 partly, 1 no, 1 n/a -> score (6 + 1) / 9 = 78 %, improve.
    fill(org, org.round, 1, ["yes"] * 6 + ["partly"] * 2 + ["no", "na"])
    # 5.2: all 15 yes -> comprehensive, 100 %.
    fill(org, org.round, 2, ["yes"] * 15)
    # 5.3: 17 items all no -> rethink, 0 %.
    fill(org, org.round, 3, ["no"] * 17)
    # 5.5: 3 of 9 answered -> progress only.
    fill(org, org.round, 5, ["yes", "no", "partly"])
    summary = round_summary(org.round)
    ka1, ka2, ka3, ka4, ka5, ka6 = summary.areas
    assert (ka1.result.yes, ka1.result.partly, ka1.result.no, ka1.result.not_applicable) == (
        6,
        2,
        1,
        1,
    )
    assert ka1.result.percent == 78 and ka1.result.verdict == scoring.Verdict.IMPROVE
    assert ka2.result.percent == 100 and ka2.result.verdict == scoring.Verdict.COMPREHENSIVE
    assert ka3.result.percent == 0 and ka3.result.verdict == scoring.Verdict.RETHINK
    assert ka5.result.verdict is None and (ka5.result.answered, ka5.result.applicable) == (3, 9)
    # The local authority answers 5.4's special checklist too: 14 + 5 items, none answered.
    assert (ka4.result.unanswered, ka4.result.applicable) == (19, 19)
    assert [len(a.gaps) for a in summary.areas] == [3, 0, 17, 0, 2, 0]
    assert summary.gap_count == 22
    # The general checklist is derived: g.i07/g.i08 sum up 5.2 only -> met; g.i04 5.3 -> not met.
    general = {line.item.key: line.status for line in summary.general}
    assert general["g.i07"] == scoring.GeneralStatus.MET
    assert general["g.i04"] == scoring.GeneralStatus.NOT_MET
    assert general["g.i02"] == scoring.GeneralStatus.PARTLY  # 5.1 improve + 5.2 met
    assert general["g.i10"] == scoring.GeneralStatus.PENDING  # 5.5 incomplete


def test_comparison_with_the_previous_closed_round(org):
    fill(org, org.round, 1, ["no"] * 10)
    services.round_close(round=org.round, user=org.people["coordinator"])
    later = services.round_start(
        organisation=org, name="2026 autumn", user=org.people["coordinator"], copy_from=org.round
    )
    answer(org, later, "ka1.c1.i01", "yes")
    answer(org, later, "ka1.c1.i02", "partly")
    # Until the other eight carried-over answers are confirmed, 5.1 is unfinished: no score.
    assert round_summary(later).areas[0].result.percent is None
    fill(org, later, 1, ["yes", "partly"] + ["no"] * 8)  # confirms them, changing nothing
    summary = round_summary(later)
    ka1 = summary.areas[0]
    assert summary.previous_round == org.round
    assert ka1.previous_result.percent == 0 and ka1.result.percent == 15
    assert ka1.score_change == 15
    assert [(line.item.key, line.previous_value, line.value) for line in ka1.changed_lines] == [
        ("ka1.c1.i01", "no", "yes"),
        ("ka1.c1.i02", "no", "partly"),
    ]


def test_a_new_round_shows_last_rounds_actions_beside_their_items(org):
    fill(org, org.round, 1, ["no"])
    services.action_create(
        round=org.round,
        item=ChecklistItem.objects.get(key="ka1.c1.i01"),
        title="Map the needs with the NGOs",
        owner=org.people["practitioner"],
        due_date=None,
        user=org.people["coordinator"],
    )
    services.round_close(round=org.round, user=org.people["coordinator"])
    later = services.round_start(
        organisation=org, name="Next", user=org.people["coordinator"], copy_from=org.round
    )
    line = round_summary(later).areas[0].lines[0]
    assert [a.title for a in line.previous_actions] == ["Map the needs with the NGOs"]


def summary_url(org, name="summary"):
    return reverse(url_name(name), args=[org.slug, org.round.pk])


def test_summary_page_lists_gaps_with_help_and_notes(as_user, org):
    answer(org, org.round, "ka1.c1.i03", "no", comment="Nav tulka")
    services.note_set(
        round=org.round,
        key_area=KeyArea.objects.get(number=1),
        text="Jārunā ar domi",
        expected_version=0,
        user=org.people["practitioner"],
    )
    response = as_user(org.people["viewer"]).get(summary_url(org))
    assert response.status_code == 200
    page = parse(response)
    assert "Nav tulka" in text_of(by_id(page, "gap-ka1.c1.i03"))  # the gap with its comment
    assert "Jārunā ar domi" in text_of(page)  # the area's notes
    assert any(href.endswith("#ka1.sf1") for href in hrefs(page))  # a success factor of 5.1
    assert find(page, f".//{SVG}svg[@role='img']") is not None and find(page, ".//table")
    # viewers read the plan, they do not write it
    assert not any("/actions/new/" in href for href in hrefs(page))


def test_summary_page_ranks_the_largest_gaps_as_the_report_does(as_user, org):
    for key in ("ka2.c1.i01", "ka2.c1.i02"):
        answer(org, org.round, key, "partly")
    answer(org, org.round, "ka2.c1.i03", "no")
    answer(org, org.round, "ka1.c1.i01", "no")
    answer(org, org.round, "ka1.c1.i02", "yes")
    answer(org, org.round, "ka1.c1.i03", "yes")
    page = parse(as_user(org.people["viewer"]).get(summary_url(org)))
    listed = [item.find("a") for item in find(page, ".//ol[@data-top-gaps]")]
    # "No" first; of those, 5.2's (a third met of what is answered) before 5.1's (two thirds).
    assert [text_of(link) for link in listed] == ["5.2 · 3.", "5.1 · 1.", "5.2 · 1.", "5.2 · 2."]
    assert listed[1].get("href") == "#gap-ka1.c1.i01"
    assert by_id(page, "gap-ka1.c1.i01") is not None


def test_summary_and_review_queries_are_constant(as_user, org):
    client = as_user(org.people["coordinator"])

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    review_url = reverse("reporting:review", args=[org.slug])
    count(summary_url(org))  # what a process reads once per content revision (the handbook)
    before = (count(summary_url(org)), count(review_url))
    fill(org, org.round, 1, ["no"] * 10)
    for n in range(5):
        services.action_create(
            round=org.round,
            item=ChecklistItem.objects.get(key="ka1.c1.i01"),
            title=f"Action {n}",
            owner=None,
            due_date=None,
            user=org.people["coordinator"],
        )
        member = make_user(f"extra{n}@riga.example")
        Membership.objects.create(user=member, organisation=org, role=Role.PRACTITIONER)
        answer(org, org.round, f"ka2.c1.i0{n + 1}", "partly", user=member)
    services.round_close(round=org.round, user=org.people["coordinator"])
    for n in range(3):
        services.round_start(
            organisation=org, name=f"Round {n}", user=org.people["coordinator"], copy_from=org.round
        )
    after = (count(summary_url(org)), count(review_url))
    assert before == after
    assert after[0] <= 16 and after[1] <= 12


def test_review_shows_rounds_trends_contributors_and_overdue_actions(as_user, org):
    fill(org, org.round, 2, ["yes"] * 15)
    services.action_create(
        round=org.round,
        item=ChecklistItem.objects.get(key="ka2.c1.i01"),
        title="Late thing",
        owner=None,
        due_date=date(2020, 1, 1),
        past_date_ok=True,  # overdue on purpose
        user=org.people["coordinator"],
    )
    response = as_user(org.people["coordinator"]).get(reverse("reporting:review", args=[org.slug]))
    text = response.text
    assert "2026 spring" in text and "Practitioner R." in text
    late = next(row for row in parse(response).iter("tr") if "Late thing" in text_of(row))
    assert text_of(find(late, ".//strong[@class='overdue']")) == lv("overdue")
    # One trend chart per key area, each drawn wide and for phones (core.charts).
    assert text.count('class="chart chart-wide"') == 6
    assert text.count('class="chart chart-narrow"') == 6


def test_action_plan_permissions_and_validation(client, org, other_org):
    url = reverse("assessments:action_new", args=[org.slug, org.round.pk]) + "?item=ka1.c1.i01"
    data = {
        "item": "ka1.c1.i01",
        "title": "Train staff",
        "owner": org.people["viewer"].pk,
        "due_date": "",
        "status": "open",
    }
    client.force_login(org.people["viewer"])
    assert client.post(url, data).status_code == 403
    client.force_login(other_org.people["coordinator"])
    assert client.post(url, data).status_code == 404
    client.force_login(org.people["practitioner"])
    # An owner who is not a member is refused with a message; nothing is saved.
    response = client.post(url, {**data, "owner": other_org.people["coordinator"].pk})
    assert response.status_code == 200
    assert response.context["form"].errors["owner"] == [
        lv("The owner must be a member of the organisation.")
    ]
    assert not Action.objects.exists()
    # A past due date is taken once confirmed (tests/assessments/test_forms_that_help.py).
    response = client.post(url, {**data, "due_date": "2020-05-01"})
    assert response.status_code == 200 and not Action.objects.exists()
    client.post(url, {**data, "due_date": "2020-05-01", "past_date_ok": "on"})
    assert Action.objects.get().title == "Train staff"


def test_action_status_is_updated_by_a_member(as_user, org):
    action = services.action_create(
        round=org.round,
        item=ChecklistItem.objects.get(key="ka1.c1.i01"),
        title="X",
        owner=None,
        due_date=None,
        user=org.people["coordinator"],
    )
    client = as_user(org.people["practitioner"])
    url = reverse("assessments:action_edit", args=[org.slug, action.pk])
    client.post(url, {"title": "X done", "owner": "", "due_date": "", "status": "done"})
    action.refresh_from_db()
    assert (action.title, action.status) == ("X done", "done")


@pytest.mark.pdf
def test_pdf_report_has_the_organisation_areas_and_latvian_diacritics(as_user, org):
    fill(org, org.round, 1, ["partly"] * 10)
    services.note_set(
        round=org.round,
        key_area=KeyArea.objects.get(number=1),
        text="Ģimeņu atbalsts: šķēršļi, ūdens, žurnāls, čemodāns, ļoti, ņemt, ķirbis, āboli, īpaši",
        expected_version=0,
        user=org.people["practitioner"],
    )
    response = as_user(org.people["viewer"]).get(summary_url(org, "report_pdf"))
    assert response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged for screen readers
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4
    text = pdf_text(response.content)
    assert org.name in text
    for area in KeyArea.objects.all():
        assert area.title_lv[:30] in text.replace("\n", " ")
    assert "Ģimeņu atbalsts: šķēršļi, ūdens, žurnāls, čemodāns, ļoti, ņemt, ķirbis" in text
    assert "Lapa 2 / " in text  # page numbers


@pytest.mark.pdf
def test_pdf_of_a_closed_round_is_the_same_every_time_and_in_english(as_user, org):
    fill(org, org.round, 2, ["yes"] * 15)
    services.round_close(round=org.round, user=org.people["coordinator"])
    client = as_user(org.people["coordinator"])
    url = summary_url(org, "report_pdf").replace("/lv/", "/en/")
    first, second = client.get(url).content, client.get(url).content
    assert first == second
    assert "Support suited to the needs" in pdf_text(first).replace("\n", " ")


@pytest.mark.pdf
def test_report_of_a_round_without_answers_is_useful_not_an_error(as_user, org):
    client = as_user(org.people["coordinator"])
    page = client.get(summary_url(org))
    notice = find(parse(page), ".//main//p[@class='notice']")
    assert page.status_code == 200 and text_of(notice).startswith(
        lv("No answers yet. The summary fills in as members answer the checklists.")
    )
    pdf = client.get(summary_url(org, "report_pdf"))
    assert pdf.status_code == 200 and lv(
        "No answers have been given in this round yet. This report lists the checklists to be "
        "answered."
    ) in " ".join(pdf_text(pdf.content).split())


def test_another_organisations_summary_and_pdf_are_404(as_user, org, other_org):
    client = as_user(other_org.people["coordinator"])
    for name in ("summary", "report_pdf", "export_csv", "export_json"):
        assert client.get(summary_url(org, name)).status_code == 404


def test_csv_and_json_exports_round_trip_through_a_parser(as_user, org):
    answer(org, org.round, "ka1.c1.i01", "partly", comment='=HYPERLINK("http://x")')
    services.note_set(
        round=org.round,
        key_area=KeyArea.objects.get(number=1),
        text="Piezīme ar ā un ž",
        expected_version=0,
        user=org.people["coordinator"],
    )
    services.action_create(
        round=org.round,
        item=ChecklistItem.objects.get(key="ka1.c1.i01"),
        title="+1 pasākums",
        owner=org.people["practitioner"],
        due_date=timezone.localdate() + timedelta(days=30),
        user=org.people["coordinator"],
    )
    client = as_user(org.people["viewer"])
    raw = client.get(summary_url(org, "export_csv")).content
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    by_key = {(r["Ieraksts"], r["Nr."] or r["Galvenā joma"]): r for r in rows}
    first = by_key[("Atbilde", "5.1 · 1.")]
    assert first["Atbilde"] == "Daļēji"
    assert first["Komentārs"].startswith("'=")  # formula neutralised
    note = by_key[("Piezīmes par galveno jomu", "5.1. " + KeyArea.objects.get(number=1).title)]
    assert note["Komentārs"] == "Piezīme ar ā un ž"
    assert by_key[("Pasākums", "5.1 · 1.")]["Pasākums"] == "'+1 pasākums"
    assert len([r for r in rows if r["Ieraksts"] == "Atbilde"]) == 80
    document = json.loads(client.get(summary_url(org, "export_json")).content)
    assert document["round"]["name"] == "2026 spring"
    first = next(a for a in document["answers"] if a["item"] == "ka1.c1.i01")
    assert (first["value"], first["comment"]) == ("partly", '=HYPERLINK("http://x")')
    assert document["actions"][0]["owner"] == "Practitioner R."  # names, never addresses


def test_the_checklist_of_a_new_round_shows_last_rounds_actions(as_user, org):
    item = ChecklistItem.objects.get(key="ka1.c1.i03")
    services.action_create(
        round=org.round,
        item=item,
        title="Piesaistīt tulku",
        owner=None,
        due_date=None,
        user=org.people["coordinator"],
    )
    services.round_close(round=org.round, user=org.people["coordinator"])
    later = services.round_start(
        organisation=org, name="Next", user=org.people["coordinator"], copy_from=org.round
    )
    page = as_user(org.people["practitioner"]).get(
        reverse("assessments:area", args=[org.slug, later.pk, 1])
    )
    planned = find(by_id(parse(page), "ka1.c1.i03"), "./p[@class='hint']")
    status = lv("Open", context="action status")
    assert text_of(planned) == f"{lv('Planned in the previous round:')} Piesaistīt tulku ({status})"


def test_a_change_to_the_previous_round_shows_in_the_cached_comparison(as_user, org):
    fill(org, org.round, 1, ["no"] * 10)
    services.round_close(round=org.round, user=org.people["coordinator"])
    later = services.round_start(
        organisation=org, name="Later", user=org.people["coordinator"], copy_from=org.round
    )
    answer(org, later, "ka1.c1.i01", "no")  # confirms the carried-over answer: it counts
    client = as_user(org.people["coordinator"])
    url = reverse("reporting:summary", args=[org.slug, later.pk])
    changed = re.compile(r"Jā\s*→\s*<strong>Nē\s*</strong>")
    assert not changed.search(client.get(url).text)  # the page is cached now
    services.round_reopen(round=org.round, user=org.people["coordinator"])
    answer(org, org.round, "ka1.c1.i01", "yes")  # the previous round changes ...
    services.round_close(round=org.round, user=org.people["coordinator"])
    assert changed.search(client.get(url).text)  # ... and the later round's comparison shows it


@pytest.mark.pdf
def test_a_pdf_leaves_no_cyclic_garbage_behind(as_user, org):
    """WeasyPrint's boxes form reference cycles; the report collects them before it returns,
    so a later request does not pay for them (and the collector stays on)."""
    import gc

    from django.core.cache import cache

    fill(org, org.round, 1, ["partly"] * 10)
    client = as_user(org.people["viewer"])
    client.get(summary_url(org, "report_pdf"))  # fonts, templates and caches once
    cache.clear()  # so that the report is rendered again, not served as kept
    gc.collect()
    assert client.get(summary_url(org, "report_pdf")).status_code == 200
    assert gc.isenabled()
    assert gc.collect() < 5_000  # 37,536 before the report collected its own


@pytest.mark.pdf
def test_a_report_asked_for_again_is_served_as_kept_until_the_round_changes(as_user, org):
    from django.core.cache import cache

    fill(org, org.round, 1, ["partly"] * 10)
    client = as_user(org.people["viewer"])
    cache.clear()
    url = summary_url(org, "report_pdf")
    with CaptureQueriesContext(connection) as built:
        first = client.get(url).content
    with CaptureQueriesContext(connection) as kept:
        again = client.get(url).content
    assert again == first
    # Session, user, membership, round, content revision, the state of the round's participant
    # survey (responses come in without touching the round), the names of the people it shows
    # (a person renames themselves without touching the round): no summary is read again.
    assert len(kept) == 7 < len(built)
    answer(org, org.round, "ka2.c1.i01", "no", comment="Jauns komentārs par pārbaudi")
    changed = client.get(url).content
    assert changed != first
    assert "Jauns komentārs par pārbaudi" in pdf_text(changed).replace("\n", " ")


def test_summary_help_follows_an_edit_of_the_handbook_and_the_language(as_user, org):
    from content.models import SuccessFactor

    answer(org, org.round, "ka1.c1.i03", "no")
    client = as_user(org.people["viewer"])
    factor = SuccessFactor.objects.get(key="ka1.sf1")
    assert factor.title_lv in client.get(summary_url(org)).text
    factor.title_lv = "Jauns veiksmes faktora nosaukums"
    factor.save()  # bumps the content revision
    assert "Jauns veiksmes faktora nosaukums" in client.get(summary_url(org)).text
    english = client.get(summary_url(org).replace("/lv/", "/en/", 1)).text
    assert factor.title_en in english and "Jauns veiksmes" not in english


def test_summary_renders_when_the_cache_does_not_answer(as_user, org, settings):
    answer(org, org.round, "ka1.c1.i03", "no", comment="Nav tulka")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens there
        }
    }
    response = as_user(org.people["coordinator"]).get(summary_url(org))
    assert response.status_code == 200
    assert "Nav tulka" in response.text and "#ka1.sf1" in response.text
