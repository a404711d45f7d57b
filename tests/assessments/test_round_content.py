"""A round keeps the handbook it was answered on: edits and retirements after it closed change
none of its pages, reports, exports or scores; an open round follows the current handbook."""

import copy
import csv
import io
import json

import pytest
from django.core.cache import cache
from django.urls import reverse
from docx import Document as DocxDocument

from assessments import services
from assessments.models import Answer, RoundContent
from content.models import ChecklistItem
from content.toolkit_io import ContentError, Document, export_document, load_document
from reporting.review import organisation_review
from reporting.summary import round_summary
from tests.dom import by_id, parse
from tests.dom import text as text_of
from tests.names import url_name
from tests.pdfs import squeezed_text

pytestmark = pytest.mark.django_db

AREA_1 = [f"ka1.c1.i{n:02d}" for n in range(1, 11)]
EDITED = "ka1.c1.i01"
RETIRED = "ka1.c1.i02"
NEW_LV = "Pārrakstīts punkta teksts pēc kārtas slēgšanas"
NEW_EN = "Rewritten item text after the round closed"


def url(org, round_, name, *args):
    return reverse(url_name(name), args=[org.slug, round_.pk, *args])


def answer(org, round_, key, value, comment=""):
    item = ChecklistItem.objects.get(key=key)
    current = Answer.objects.filter(round=round_, item=item).first()
    services.answer_set(
        round=round_,
        item=item,
        value=value,
        comment=comment,
        expected_version=current.version if current else 0,
        user=org.people["practitioner"],
    )


def answer_area_1(org, round_, values):
    for key, value in zip(AREA_1, values, strict=True):
        answer(org, round_, key, value, comment=f"par {key}")


def without_items(document: dict, keys) -> dict:
    """The content document with the items `keys` taken out (retired when loaded)."""
    document = copy.deepcopy(document)
    for area in document["key_areas"]:
        for checklist in area["checklists"]:
            checklist["items"] = [i for i in checklist["items"] if i["key"] not in keys]
    return document


def load(document: dict) -> dict:
    return load_document(Document(document))


def edit_and_retire():
    """An editor rewrites one item in the admin's way (a save) and `load_toolkit` retires
    another, left out of the files."""
    load(without_items(export_document(), {RETIRED}))
    item = ChecklistItem.objects.get(key=EDITED)
    item.text_lv, item.text_en = NEW_LV, NEW_EN
    item.save()
    cache.clear()  # pages are built afresh, not served from the page cache


def texts(key):
    item = ChecklistItem.objects.get(key=key)
    return item.text_lv, item.text_en


def page_text(client, address) -> str:
    response = client.get(address)
    assert response.status_code == 200
    return " ".join(text_of(parse(response)).split())


def closed_round_views(client, org, round_) -> dict:
    """What the closed round shows: its pages, exports and report, as text or data."""
    raw_csv = client.get(url(org, round_, "export_csv")).content.decode("utf-8-sig")
    docx = DocxDocument(io.BytesIO(client.get(url(org, round_, "report_docx")).content))
    return {
        "area": page_text(client, url(org, round_, "area", 1)),
        "summary": page_text(client, url(org, round_, "summary")),
        "json": json.loads(client.get(url(org, round_, "export_json")).content)["answers"],
        "csv": list(csv.reader(io.StringIO(raw_csv), delimiter=";")),
        "docx": "\n".join(p.text for p in docx.paragraphs)
        + "\n".join(cell.text for t in docx.tables for row in t.rows for cell in row.cells),
        "xlsx": client.get(url(org, round_, "export_xlsx")).status_code,
    }


def scores(round_):
    round_.refresh_from_db()
    summary = round_summary(round_)
    return [(a.key_area.key, a.result) for a in summary.areas], summary.overall


def test_closing_a_round_keeps_its_content_in_both_languages(org):
    services.round_close(round=org.round, user=org.people["coordinator"])
    data = RoundContent.objects.get(round=org.round).data
    items = {row["key"]: row for row in data["items"]}
    assert len(items) == ChecklistItem.objects.current().count() == 80
    assert items[EDITED]["text"] == dict(zip(("lv", "en"), texts(EDITED), strict=True))
    assert {a["key"] for a in data["key_areas"]} == {f"ka{n}" for n in range(1, 7)}
    assert len(data["success_factors"]) == 30
    assert all(a["title"]["lv"] and a["title"]["en"] for a in data["key_areas"])


def test_edits_and_retirements_after_closing_change_nothing_the_closed_round_shows(as_user, org):
    old_lv, _old_en = texts(EDITED)
    retired_lv, _ = texts(RETIRED)
    answer_area_1(org, org.round, ["yes", "no"] + ["partly"] * 8)
    services.round_close(round=org.round, user=org.people["coordinator"])
    client = as_user(org.people["viewer"])
    before_scores = scores(org.round)
    before = closed_round_views(client, org, org.round)

    edit_and_retire()

    assert ChecklistItem.objects.get(key=RETIRED).retired
    assert scores(org.round) == before_scores
    after = closed_round_views(client, org, org.round)
    assert after == before
    assert old_lv[:60] in after["area"] and NEW_LV not in after["area"]
    assert retired_lv[:60] in after["area"]
    assert retired_lv[:60] in after["summary"]  # a gap ("No") the summary lists
    assert NEW_LV not in after["summary"]
    assert [a["item"] for a in after["json"][:10]] == AREA_1
    assert any(old_lv in cell for row in after["csv"] for cell in row)
    assert old_lv[:60] in after["docx"] and NEW_LV not in after["docx"]
    english = page_text(client, url(org, org.round, "area", 1).replace("/lv/", "/en/", 1))
    assert NEW_EN not in english


def test_an_open_round_follows_the_current_handbook(as_user, org):
    old_lv, _ = texts(EDITED)
    retired_lv, _ = texts(RETIRED)
    edit_and_retire()
    client = as_user(org.people["practitioner"])
    area = page_text(client, url(org, org.round, "area", 1))
    assert NEW_LV in area and old_lv[:60] not in area
    assert retired_lv[:60] not in area
    summary = round_summary(org.round)
    assert [line.item.key for line in summary.areas[0].lines] == [k for k in AREA_1 if k != RETIRED]


def test_reopening_follows_the_current_handbook_and_closing_again_keeps_it(as_user, org):
    coordinator = org.people["coordinator"]
    services.round_close(round=org.round, user=coordinator)
    edit_and_retire()
    client = as_user(org.people["viewer"])
    assert NEW_LV not in page_text(client, url(org, org.round, "area", 1))
    services.round_reopen(round=org.round, user=coordinator)
    org.round.refresh_from_db()
    assert NEW_LV in page_text(client, url(org, org.round, "area", 1))
    services.round_close(round=org.round, user=coordinator)
    cache.clear()
    assert NEW_LV in page_text(client, url(org, org.round, "area", 1))
    kept = {row["key"] for row in RoundContent.objects.get(round=org.round).data["items"]}
    assert RETIRED not in kept and EDITED in kept


def test_answers_to_an_item_retired_while_the_round_is_open_are_listed_not_counted(as_user, org):
    retired_lv, _ = texts(RETIRED)
    answer_area_1(org, org.round, ["yes", "no"] + ["yes"] * 8)
    assert round_summary(org.round).areas[0].result.verdict == "improve"
    load(without_items(export_document(), {RETIRED}))
    cache.clear()

    summary = round_summary(org.round)
    area = summary.areas[0]
    assert area.result.total == 9 and area.result.verdict == "comprehensive"
    assert [(line.item.key, line.value, line.comment) for line in summary.retired_lines] == [
        (RETIRED, "no", f"par {RETIRED}")
    ]
    assert Answer.objects.filter(round=org.round, item__key=RETIRED).exists()
    client = as_user(org.people["viewer"])
    section = by_id(parse(client.get(url(org, org.round, "summary"))), "retired")
    assert retired_lv[:60] in " ".join(text_of(section).split())
    document = json.loads(client.get(url(org, org.round, "export_json")).content)
    assert document["retired_answers"] == [
        {"item": RETIRED, "value": "no", "comment": f"par {RETIRED}"}
    ]
    assert RETIRED not in [a["item"] for a in document["answers"]]
    raw_csv = client.get(url(org, org.round, "export_csv")).content.decode("utf-8-sig")
    listed = [row for row in csv.reader(io.StringIO(raw_csv), delimiter=";") if retired_lv in row]
    assert len(listed) == 1 and f"par {RETIRED}" in listed[0]
    assert listed[0][0] != [*csv.reader(io.StringIO(raw_csv), delimiter=";")][1][0]  # own kind
    docx = DocxDocument(io.BytesIO(client.get(url(org, org.round, "report_docx")).content))
    assert any(retired_lv in p.text for p in docx.paragraphs)

    # Closed, the round keeps the retired item as it was, still listed and not counted.
    services.round_close(round=org.round, user=org.people["coordinator"])
    org.round.refresh_from_db()
    kept = {row["key"]: row for row in RoundContent.objects.get(round=org.round).data["items"]}
    assert kept[RETIRED]["retired"] is True
    ChecklistItem.objects.filter(key=RETIRED).update(text_lv="Vēlāk mainīts")
    closed = round_summary(org.round)
    assert closed.areas[0].result == area.result
    assert [line.item.text_lv for line in closed.retired_lines] == [retired_lv]


def test_the_checklist_page_lists_answers_to_items_retired_while_the_round_is_open(as_user, org):
    """Where the answer was given, it stays in sight (apart, not to be answered again), as the
    summary lists it; closed, the round shows the item's text as it was answered."""
    retired_lv, _ = texts(RETIRED)
    answer_area_1(org, org.round, ["yes", "no"] + ["yes"] * 8)
    answer(org, org.round, "ka1.c1.i03", "")  # answered and taken back: nothing to list
    load(without_items(export_document(), {RETIRED, "ka1.c1.i03"}))
    cache.clear()
    client = as_user(org.people["practitioner"])

    page = parse(client.get(url(org, org.round, "area", 1)))
    section = by_id(page, "retired")
    assert [li.get("data-item") for li in section.iter("li")] == [RETIRED]
    assert retired_lv[:60] in " ".join(text_of(section).split())
    assert f"par {RETIRED}" in text_of(section)
    assert by_id(page, RETIRED) is None  # not among the items to answer

    services.round_close(round=org.round, user=org.people["coordinator"])
    ChecklistItem.objects.filter(key=RETIRED).update(text_lv="Vēlāk mainīts")
    cache.clear()
    section = by_id(parse(client.get(url(org, org.round, "area", 1))), "retired")
    assert retired_lv[:60] in " ".join(text_of(section).split())

    other = by_id(parse(client.get(url(org, org.round, "area", 2))), "retired")
    assert other is None  # another key area's page lists only its own


def test_the_review_compares_only_items_in_every_round_and_says_how_many_were_left_out(
    as_user, org
):
    coordinator = org.people["coordinator"]
    answer_area_1(org, org.round, ["yes", "no"] + ["yes"] * 8)
    services.round_close(round=org.round, user=coordinator)
    load(without_items(export_document(), {RETIRED}))
    later = services.round_start(organisation=org, name="2027", user=coordinator)
    for key in AREA_1:
        if key != RETIRED:
            answer(org, later, key, "yes")

    review = organisation_review(org)
    assert review.left_out == 1
    first, second = (dict(r.areas)[review.key_areas[0]] for r in review.rounds)
    assert first.total == second.total == 9
    assert first.percent == second.percent == 100  # the "no" to the retired item left out
    assert review.rounds[0].overall.no == 1  # the round's own result still counts it
    page = parse(as_user(coordinator).get(reverse("reporting:review", args=[org.slug])))
    assert by_id(page, "trend-title") is not None
    assert (
        'data-left-out="1"'
        in as_user(coordinator).get(reverse("reporting:review", args=[org.slug])).content.decode()
    )


def test_an_item_that_replaces_an_older_one_carries_the_trend(org):
    coordinator = org.people["coordinator"]
    answer_area_1(org, org.round, ["yes", "no"] + ["yes"] * 8)
    services.round_close(round=org.round, user=coordinator)
    document = without_items(export_document(), {RETIRED})
    items = document["key_areas"][0]["checklists"][0]["items"]
    items.append(
        {
            "key": "ka1.c1.i11",
            "text": {
                "lv": "Jaunais punkts vecā vietā",
                "en": "The new item in the old one's place",
            },
            "replaces": RETIRED,
        }
    )
    load(document)
    assert ChecklistItem.objects.get(key="ka1.c1.i11").replaces == RETIRED
    later = services.round_start(organisation=org, name="2027", user=coordinator)
    for key in [k for k in AREA_1 if k != RETIRED] + ["ka1.c1.i11"]:
        answer(org, later, key, "yes")

    review = organisation_review(org)
    assert review.left_out == 0
    first, second = (dict(r.areas)[review.key_areas[0]] for r in review.rounds)
    assert (first.total, first.no, first.percent) == (10, 1, 90)
    assert (second.total, second.percent) == (10, 100)
    summary = round_summary(later)
    assert summary.left_out == 0
    changed = [line.item.key for line in summary.areas[0].changed_lines]
    assert changed == ["ka1.c1.i11"]  # "no" to the old item, "yes" to the one continuing it
    assert summary.areas[0].score_change == 10


def test_a_content_file_may_not_replace_an_item_still_in_the_handbook(db):
    document = export_document()
    document["key_areas"][0]["checklists"][0]["items"][2]["replaces"] = RETIRED
    with pytest.raises(ContentError, match="still in the handbook"):
        load(document)


def test_replaces_is_exported_as_loaded(db):
    document = without_items(export_document(), {RETIRED})
    document["key_areas"][0]["checklists"][0]["items"][0]["replaces"] = RETIRED
    load(document)
    exported = export_document()["key_areas"][0]["checklists"][0]["items"]
    assert exported[0]["replaces"] == RETIRED
    assert "replaces" not in exported[1]


@pytest.mark.pdf
def test_the_pdf_of_a_closed_round_keeps_the_text_it_was_answered_on(as_user, org):
    old_lv, _ = texts(EDITED)
    answer_area_1(org, org.round, ["yes"] * 10)
    services.round_close(round=org.round, user=org.people["coordinator"])
    edit_and_retire()
    client = as_user(org.people["viewer"])
    response = client.get(url(org, org.round, "report_pdf"))
    text = squeezed_text(response.content)
    assert old_lv[:40] in text and NEW_LV not in text
    assert texts(RETIRED)[0][:40] in text


def test_the_migration_keeps_the_content_of_rounds_closed_before_it(org):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("assessments.migrations.0010_round_content")
    answer(org, org.round, EDITED, "yes")
    services.round_close(round=org.round, user=org.people["coordinator"])
    RoundContent.objects.all().delete()  # as before the migration
    migration.keep_closed_rounds(apps, None)
    data = RoundContent.objects.get(round=org.round).data
    assert len(data["items"]) == 80
    assert {row["key"]: row for row in data["items"]}[EDITED]["text"]["lv"] == texts(EDITED)[0]


def test_a_closed_rounds_checklist_page_says_it_shows_the_handbook_as_answered(as_user, org):
    from tests.dom import lv

    note = lv(
        "This round is closed: answers are read-only. The checklist is shown as it was when "
        "the round closed, even if the handbook has changed since."
    )
    client = as_user(org.people["coordinator"])
    page = reverse("assessments:area", args=[org.slug, org.round.pk, 1])
    assert note not in text_of(parse(client.get(page)))
    services.round_close(round=org.round, user=org.people["coordinator"])
    assert note in text_of(parse(client.get(page)))
