"""load_toolkit / export_toolkit: idempotent, keyed, atomic, and a faithful round trip."""

import copy
import io
import json

import pytest
import yaml
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from content import models
from content.toolkit_io import export_document

pytestmark = pytest.mark.django_db


def run(command, *args):
    out = io.StringIO()
    call_command(command, *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_loading_twice_changes_nothing():
    before = export_document()
    output = run("load_toolkit")
    assert "0 created, 0 updated, 0 retired" in output
    assert export_document() == before


def test_export_load_export_gives_the_same_document(tmp_path):
    first = tmp_path / "first.json"
    call_command("export_toolkit", "--output", str(first), stderr=io.StringIO())
    models.Page.objects.all().delete()
    models.Testimonial.objects.all().delete()
    models.GlossaryTerm.objects.all().delete()
    run("load_toolkit", "--file", str(first))
    assert export_document() == json.loads(first.read_text(encoding="utf-8"))


def test_yaml_export_loads_back(tmp_path):
    path = tmp_path / "content.yaml"
    call_command("export_toolkit", "--output", str(path), stderr=io.StringIO())
    assert yaml.safe_load(path.read_text(encoding="utf-8")) == export_document()
    assert "0 created, 0 updated" in run("load_toolkit", "--file", str(path))


def test_export_to_stdout_is_json_with_latvian_unescaped():
    document = json.loads(run("export_toolkit"))
    assert document["schema"] == 1
    assert "ē" in json.dumps(document, ensure_ascii=False)
    assert "\\u0113" not in run("export_toolkit")


def _write(tmp_path, document, name="content.json"):
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def test_edited_text_updates_in_place_keeping_the_record(tmp_path):
    document = export_document()
    item = models.ChecklistItem.objects.get(key="ka1.c1.i01")
    document["key_areas"][0]["checklists"][0]["items"][0]["text"]["en"] = "Edited wording."
    run("load_toolkit", "--file", str(_write(tmp_path, document)))
    item_after = models.ChecklistItem.objects.get(key="ka1.c1.i01")
    assert item_after.pk == item.pk
    assert item_after.text_en == "Edited wording."


def test_an_item_that_disappears_is_retired_not_deleted(tmp_path):
    document = export_document()
    items = document["key_areas"][3]["checklists"][1]["items"]
    removed = items.pop()
    run("load_toolkit", "--file", str(_write(tmp_path, document)))
    retired = models.ChecklistItem.objects.get(key=removed["key"])
    assert retired.retired
    assert not models.ChecklistItem.objects.current().filter(key=removed["key"]).exists()
    # It comes back when the document has it again.
    items.append(removed)
    run("load_toolkit", "--file", str(_write(tmp_path, document)))
    assert not models.ChecklistItem.objects.get(key=removed["key"]).retired


def test_loading_never_touches_users(tmp_path):
    user = get_user_model().objects.create_user("editor", password="x-long-password-1")
    run("load_toolkit")
    assert get_user_model().objects.filter(pk=user.pk).exists()


def test_records_without_keys_follow_the_document_by_position(tmp_path):
    document = export_document()
    first, second = document["key_areas"][0], document["key_areas"][1]
    first["benefits"].pop()
    moved = first["further_reading"].pop(0)
    second["further_reading"].append(moved)
    document["testimonials"].pop()
    output = run("load_toolkit", "--file", str(_write(tmp_path, document)))
    assert export_document() == document
    assert models.Benefit.objects.filter(key_area__key="ka1").count() == len(first["benefits"])
    readings = models.FurtherReading.objects.filter(key_area__key="ka2").order_by("order")
    assert readings.last().citation == moved["citation"]
    assert models.Testimonial.objects.count() == 2
    assert "1 created" in output
    assert "0 created, 0 updated, 0 retired" in run(
        "load_toolkit", "--file", str(_write(tmp_path, document))
    )


def test_a_load_that_changes_the_text_shows_on_the_cached_pages(client, tmp_path):
    assert "Foreword" in client.get("/en/handbook/foreword/").text  # now cached
    document = export_document()
    page = next(p for p in document["pages"] if p["key"] == "foreword")
    page["title"]["en"] = "A foreword, edited"
    run("load_toolkit", "--file", str(_write(tmp_path, document)))
    assert "A foreword, edited" in client.get("/en/handbook/foreword/").text


def test_loading_costs_a_few_queries_per_table_not_one_per_record(
    tmp_path, django_assert_max_num_queries
):
    path = _write(tmp_path, export_document())
    for model in (models.Testimonial, models.Benefit, models.FurtherReading, models.PracticeLink):
        model.objects.all().delete()
    with django_assert_max_num_queries(40):
        output = run("load_toolkit", "--file", str(path))
    assert "86 created" in output
    with django_assert_max_num_queries(25):
        assert "0 created, 0 updated" in run("load_toolkit", "--file", str(path))


BAD_DOCUMENTS = [
    (
        "general item maps to unknown area",
        lambda d: d["general_checklist"][0].update(key_areas=["ka9"]),
        "ka9",
    ),
    (
        "unknown success factor",
        lambda d: d["key_areas"][3]["good_practices"][0].update(success_factor="ka4.sf99"),
        "ka4.sf99",
    ),
    (
        "missing english",
        lambda d: d["key_areas"][0]["checklists"][0]["items"][2]["text"].update(en=""),
        "ka1.c1.i03",
    ),
    (
        "duplicate key",
        lambda d: d["glossary"][1].update(key=d["glossary"][0]["key"]),
        "duplicate key",
    ),
    (
        "unknown organisation type",
        lambda d: d["key_areas"][2]["checklists"][0]["items"][0].update(
            not_applicable_for=["martians"]
        ),
        "ka3.c1.i01",
    ),
    (
        "bad actor",
        lambda d: d["key_areas"][1]["good_practices"][0].update(actor="pirates"),
        "pirates",
    ),
    (
        "missing field",
        lambda d: d["quality_domains"][0]["questions"][0]["indicators"][0].pop("text"),
        "d1.q1",
    ),
]


@pytest.mark.parametrize("label, spoil, named", BAD_DOCUMENTS, ids=[b[0] for b in BAD_DOCUMENTS])
def test_a_bad_document_is_refused_naming_file_and_key_and_changes_nothing(
    tmp_path, label, spoil, named
):
    document = export_document()
    spoiled = copy.deepcopy(document)
    # Also carry an edit that would be applied if the load were not atomic.
    spoiled["pages"][0]["title"]["en"] = "Should never be saved"
    spoil(spoiled)
    path = _write(tmp_path, spoiled, "broken.json")
    with pytest.raises(CommandError) as error:
        call_command("load_toolkit", "--file", str(path), stdout=io.StringIO())
    assert "broken.json" in str(error.value)
    assert named in str(error.value)
    assert export_document() == document


def test_invalid_yaml_is_refused_with_the_file_named(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("schema: 1\npages: [\n", encoding="utf-8")
    with pytest.raises(CommandError, match="broken.yaml"):
        call_command("load_toolkit", "--file", str(path), stdout=io.StringIO())


def test_wrong_schema_version_is_refused(tmp_path):
    path = _write(tmp_path, {"schema": 2, "pages": []}, "future.json")
    with pytest.raises(CommandError, match="future.json.*schema"):
        call_command("load_toolkit", "--file", str(path), stdout=io.StringIO())


def test_database_counts_match_the_handbook():
    assert models.Page.objects.current().count() == 11
    assert models.KeyArea.objects.current().count() == 6
    assert models.SuccessFactor.objects.current().count() == 30
    assert models.Checklist.objects.current().count() == 7
    assert models.ChecklistItem.objects.current().count() == 80
    assert models.GoodPractice.objects.current().count() == 62
    assert models.FurtherReading.objects.count() == 42
    assert models.GeneralChecklistItem.objects.current().count() == 13
    assert models.QualityDomain.objects.current().count() == 5
    assert models.GuidingQuestion.objects.current().count() == 12
    assert models.Indicator.objects.current().count() == 34
    assert models.GlossaryTerm.objects.current().count() == 19
    assert models.Testimonial.objects.count() == 3
