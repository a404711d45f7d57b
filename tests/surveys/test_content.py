"""The participant statements: content in five languages, loaded and exported with the rest."""

import io
import json

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from content.models import ParticipantQuestion
from content.toolkit_io import content_files, export_document, read_documents
from tests.conftest import CONTENT_DIR

pytestmark = pytest.mark.django_db
CODES = {code for code, _name, _direction in settings.SURVEY_LANGUAGES}


def test_two_to_four_statements_per_key_area_and_one_open_question():
    data = read_documents(content_files(CONTENT_DIR)).data["participant_questions"]
    per_area = {}
    for question in data:
        if question.get("kind") != "free_text":
            per_area.setdefault(question["key"].split(".")[0], []).append(question["key"])
    assert sorted(per_area) == [f"ka{n}" for n in range(1, 7)]
    assert all(2 <= len(keys) <= 4 for keys in per_area.values()), per_area
    assert [q["key"] for q in data if q.get("kind") == "free_text"] == ["open.p1"]
    assert {q["source"] for q in data} == {"toolkit"}
    assert all(set(q["texts"]) == CODES for q in data)


def test_they_are_loaded_linked_to_their_key_area():
    question = ParticipantQuestion.objects.select_related("key_area").get(key="ka4.p2")
    assert question.key_area.key == "ka4"
    assert question.success_factors == ["ka4.sf5"]
    assert question.source == "toolkit"
    assert question.text_in("ar") and question.text_in("xx") == question.texts["lv"]
    assert ParticipantQuestion.objects.get(key="open.p1").key_area is None


def test_they_are_exported_and_load_back_unchanged(tmp_path):
    path = tmp_path / "export.json"
    call_command("export_toolkit", "--output", str(path), stderr=io.StringIO())
    document = json.loads(path.read_text(encoding="utf-8"))
    assert len(document["participant_questions"]) == ParticipantQuestion.objects.count()
    document["participant_questions"][0]["texts"]["uk"] = "Змінений текст."
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    call_command("load_toolkit", "--file", str(path), stdout=io.StringIO())
    assert ParticipantQuestion.objects.get(key="ka1.p1").texts["uk"] == "Змінений текст."
    assert export_document() == document


@pytest.mark.parametrize(
    "spoil, named",
    [
        (lambda q: q["texts"].pop("ar"), "ka1.p1"),
        (lambda q: q.update(source="handbook"), "source: toolkit"),
        (lambda q: q.update(success_factors=["ka2.sf1"]), "ka2.sf1"),
        (lambda q: q.update(key="ka9.p1"), "unknown key area"),
    ],
)
def test_a_bad_statement_is_refused(tmp_path, spoil, named):
    document = export_document()
    spoil(document["participant_questions"][0])
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match=named):
        call_command("load_toolkit", "--file", str(path), stdout=io.StringIO())
