"""The report to edit: the PDF report's content as a Word document, read back with python-docx."""

import io

import pytest
from django.urls import reverse
from docx import Document

from assessments import services
from content.models import ChecklistItem, KeyArea
from surveys import services as survey_services
from tests.dom import find, lv, parse
from tests.surveys.conftest import ALL_AREAS, LANGUAGES, add_responses

pytestmark = pytest.mark.django_db

NOTE = "Ģimeņu atbalsts: šķēršļi, ūdens, žurnāls, čemodāns, ļoti, ņemt, ķirbis, āboli, īpaši"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _answer(org, round_, key, value, comment=""):
    item = ChecklistItem.objects.get(key=key)
    current = round_.answers.filter(item=item).first()
    services.answer_set(
        round=round_,
        item=item,
        value=value,
        comment=comment,
        expected_version=current.version if current else 0,
        user=org.people["practitioner"],
    )


def _docx(client, org, round_=None, lang="lv"):
    url = reverse("reporting:report_docx", args=[org.slug, (round_ or org.round).pk])
    response = client.get(url.replace("/lv/", f"/{lang}/", 1))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_TYPE
    assert response["Content-Disposition"].endswith(f'-{lang}.docx"')
    return Document(io.BytesIO(response.content))


def _headings(document, level) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == f"Heading {level}"]


def _text(document) -> str:
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _table_after(document, header: list[str]):
    for table in document.tables:
        if [cell.text for cell in table.rows[0].cells] == header:
            return table
    raise AssertionError(f"no table with the header {header}")


@pytest.fixture
def answered(org):
    items = ChecklistItem.objects.filter(checklist__key_area__number=1).order_by(
        "checklist__order", "order"
    )
    for n, item in enumerate(items):
        _answer(org, org.round, item.key, "no" if n == 2 else "partly", "Vajag tulku" * (n == 0))
    services.note_set(
        round=org.round,
        key_area=KeyArea.objects.get(number=1),
        text=NOTE,
        expected_version=0,
        user=org.people["practitioner"],
    )
    services.action_create(
        round=org.round,
        item=items[2],
        title="Piesaistīt tulku ģimenēm",
        owner=org.people["practitioner"],
        due_date=None,
        user=org.people["coordinator"],
    )
    return org


def test_the_report_to_edit_has_the_pdfs_content_with_word_styles(as_user, answered):
    org = answered
    document = _docx(as_user(org.people["viewer"]), org)

    assert _headings(document, 1) == [org.name]
    level_two = _headings(document, 2)
    areas = list(KeyArea.objects.order_by("number"))
    for heading in (
        lv("At a glance"),
        lv("Largest gaps"),
        lv("Open actions"),
        lv("Results"),
        *[f"5.{a.number}. {a.title_lv}" for a in areas],
        lv("General checklist"),
        lv("Action plan"),
    ):
        assert heading in level_two, heading
    assert level_two.index("5.1. " + areas[0].title_lv) < level_two.index(lv("Action plan"))
    assert {lv("Answers"), lv("Notes"), lv("Gaps and what helps")} <= set(_headings(document, 3))
    assert {table.style.name for table in document.tables} == {"Table Grid"}

    # The answers of 5.1: number, text with its comment, the answer in words.
    answers = _table_after(document, ["#", lv("Item"), lv("Answer")])
    first, third = answers.rows[1].cells, answers.rows[3].cells
    assert first[0].text == "1" and first[2].text == lv("Partly")
    assert first[1].text.endswith(lv("Comment:") + " Vajag tulku")
    assert third[2].text == lv("No")
    # The largest gap first on the overview, the note with every Latvian letter, the plan.
    numbered = [p.text for p in document.paragraphs if p.style.name == "List Number"]
    assert numbered[0].startswith(f"5.1 · 3. {lv('No')}:")
    text = _text(document)
    assert NOTE in text
    assert "Piesaistīt tulku ģimenēm" in text
    assert "Practitioner R." in text and "@" not in text  # people by name, not address
    assert document.core_properties.title == f"{org.name} · {org.round.name}"


def test_the_summary_page_links_the_report_to_edit_beside_the_pdf(as_user, org):
    base = f"/lv/org/{org.slug}/rounds/{org.round.pk}/"
    page = parse(as_user(org.people["viewer"]).get(base + "summary/"))
    downloads = [a.get("href") for a in find(page, ".//ul[@class='downloads']").iter("a")]
    assert downloads[:2] == [base + "report.pdf", base + "report.docx"]


def test_the_report_to_edit_speaks_the_readers_language(as_user, answered):
    document = _docx(as_user(answered.people["viewer"]), answered, lang="en")
    assert "At a glance" in _headings(document, 2)
    assert "Partly" in _text(document)


def test_the_participants_view_shows_only_what_is_published(as_user, org):
    survey = survey_services.survey_create(
        round=org.round, key_areas=ALL_AREAS, languages=LANGUAGES, user=org.people["coordinator"]
    )
    add_responses(survey, 4, free_text="Paldies par kursiem")  # fewer than the minimum
    client = as_user(org.people["viewer"])
    document = _docx(client, org)
    assert lv("The participants' view") in _headings(document, 2)
    text = _text(document)
    assert "Paldies par kursiem" not in text
    header = [
        lv("Key area"),
        lv("Your score: share of checklist items met"),
        lv("Participants: share who agree"),
    ]
    assert not any([c.text for c in t.rows[0].cells][:3] == header for t in document.tables)

    add_responses(survey, 6, free_text="Paldies par kursiem")  # ten: figures and free texts
    document = _docx(client, org)
    participants = _table_after(document, [*header, lv("Responses"), lv("Difference")])
    assert participants.rows[1].cells[2].text == "100 %"
    quotes = [p.text for p in document.paragraphs if p.style.name == "Quote"]
    assert quotes == ["Paldies par kursiem"] * 10


def test_an_each_first_rounds_report_shows_the_agreement(as_user, org):
    round_ = services.round_start(
        organisation=org, name="Each first", user=org.people["coordinator"], mode="individual"
    )
    services.comparison_open(round=round_, user=org.people["coordinator"])
    document = _docx(as_user(org.people["viewer"]), org, round_)
    assert lv("Agreement: each first, then agree") in _headings(document, 2)
    assert lv("Where the team disagreed most") in _headings(document, 3)
