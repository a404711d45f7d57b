"""Editors keep the handbook in the admin: both languages on one form, search and filters."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst

from content import models
from tests.dom import field, find_all, lv, parse, text

pytestmark = pytest.mark.django_db

MODELS = [
    models.Page,
    models.KeyArea,
    models.SuccessFactor,
    models.Checklist,
    models.ChecklistItem,
    models.GoodPractice,
    models.GeneralChecklistItem,
    models.QualityDomain,
    models.GuidingQuestion,
    models.Indicator,
    models.GlossaryTerm,
    models.Testimonial,
]


@pytest.fixture
def editor(admin_client):
    return admin_client


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_and_change_form_open(editor, model):
    meta = model._meta
    assert (
        editor.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")).status_code
        == 200
    )
    obj = model.objects.first()
    response = editor.get(
        reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    )
    assert response.status_code == 200


def test_good_practice_form_shows_latvian_and_english_together(editor):
    practice = models.GoodPractice.objects.first()
    response = editor.get(reverse("admin:content_goodpractice_change", args=[practice.pk]))
    page = parse(response)
    for name in ("title_lv", "title_en", "body_lv", "body_en"):
        assert field(page, name) is not None, name


def test_editor_filters_examples_by_key_area_country_and_missing_english(editor):
    url = reverse("admin:content_goodpractice_changelist")
    area = models.KeyArea.objects.get(number=4)
    response = editor.get(url, {"key_area__id__exact": area.pk})
    assert response.context["cl"].result_count == area.good_practices.count()
    response = editor.get(url, {"country": "PL"})
    assert (
        response.context["cl"].result_count
        == models.GoodPractice.objects.filter(country="PL").count()
        > 0
    )
    models.GoodPractice.objects.filter(pk=models.GoodPractice.objects.first().pk).update(body_en="")
    response = editor.get(url, {"english": "missing"})
    assert response.context["cl"].result_count == 1


def test_editor_searches_checklist_items_in_both_languages(editor):
    url = reverse("admin:content_checklistitem_changelist")
    assert editor.get(url, {"q": "ka4.c2"}).context["cl"].result_count == 5


def test_editing_text_in_the_admin_keeps_the_key_and_shows_in_export(editor):
    from content.toolkit_io import export_document

    item = models.ChecklistItem.objects.get(key="ka2.c1.i03")
    response = editor.get(reverse("admin:content_checklistitem_change", args=[item.pk]))
    form = response.context["adminform"].form
    data = {name: form.initial.get(name, "") for name in form.fields}
    data.update(
        text_lv=item.text_lv,
        text_en="Edited in the admin.",
        not_applicable_for="[]",
        order=item.order,
        checklist=item.checklist_id,
    )
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data.pop("retired", None)
    response = editor.post(reverse("admin:content_checklistitem_change", args=[item.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    item.refresh_from_db()
    assert item.key == "ka2.c1.i03" and item.text_en == "Edited in the admin."
    exported = export_document()["key_areas"][1]["checklists"][0]["items"][2]
    assert exported == {
        "key": "ka2.c1.i03",
        "text": {"lv": item.text_lv, "en": "Edited in the admin."},
        "not_applicable_for": item.not_applicable_for,
    }


# --- Latvian and English side by side; English gaps in plain sight -------------------------


def _url(model, view, *args):
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


def _first_translated_field(model):
    from content.admin import translated_fields

    return translated_fields(model)[0]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_change_form_puts_each_fields_latvian_and_english_on_one_row(editor, model):
    import re

    from content.admin import translated_fields

    html = editor.get(_url(model, "change", model.objects.first().pk)).text
    assert "css/admin_content.css" in html
    assert re.search(r'<fieldset class="module aligned [^"]*lv-en', html)
    for name in translated_fields(model):
        start = html.find(
            f'<div class="form-row flex-container form-multiline field-{name}_lv field-{name}_en">'
        )
        assert start > 0, f"{name}: no row with both languages"
        row = re.split(r'<div class="form-row|</fieldset>', html[start + 10 :])[0]
        assert f'name="{name}_lv"' in row and f'name="{name}_en"' in row


def test_inlines_put_latvian_and_english_side_by_side_too(editor):
    area = models.KeyArea.objects.get(number=1)
    html = editor.get(_url(models.KeyArea, "change", area.pk)).text
    assert "field-text_lv field-text_en" in html  # benefits
    assert "field-description_lv field-description_en" in html  # further reading


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_changelist_marks_records_missing_english_and_filters_them(editor, model):
    url = _url(model, "changelist")
    response = editor.get(url)
    assert "column-english_status" in response.text
    before = editor.get(url, {"english": "missing"}).context["cl"].result_count
    obj = model.objects.first()
    name = _first_translated_field(model)
    model.objects.filter(pk=obj.pk).update(**{f"{name}_en": ""})
    response = editor.get(url, {"english": "missing"})
    assert response.context["cl"].result_count == before + 1
    assert obj.pk in {row.pk for row in response.context["cl"].result_list}
    column = [text(td) for td in find_all(response, ".//td[@class='field-english_status']")]
    assert lv("missing") in column  # the admin speaks Latvian; a word, not a colour
    present = editor.get(url, {"english": "present"}).context["cl"]
    assert present.result_count == model.objects.count() - before - 1


def test_the_english_filter_is_one_query_whatever_the_number_of_records(
    editor, django_assert_max_num_queries
):
    url = _url(models.GoodPractice, "changelist")
    editor.get(url, {"english": "missing"})  # warm the session and content types
    with django_assert_max_num_queries(12) as first:
        editor.get(url, {"english": "missing"})
    models.GoodPractice.objects.update(place_en="")
    with django_assert_max_num_queries(12) as second:
        response = editor.get(url, {"english": "missing"})
    assert response.context["cl"].result_count == 38  # every example with a place
    assert len(first.captured_queries) == len(second.captured_queries)


def test_change_form_names_the_fields_missing_english(editor):
    practice = models.GoodPractice.objects.get(key="kethea-athens-addiction-support-programme")
    html = editor.get(_url(models.GoodPractice, "change", practice.pk)).text
    assert lv("Every text has its English translation.") in text(parse(html))
    models.GoodPractice.objects.filter(pk=practice.pk).update(place_en="", body_en="")
    html = editor.get(_url(models.GoodPractice, "change", practice.pk)).text
    with translation.override("lv"):
        fields = [
            str(models.GoodPractice._meta.get_field(f).verbose_name) for f in ("body", "place")
        ]
    missing = lv("English is missing: %(fields)s.", fields=capfirst(", ".join(fields)))
    assert missing in text(parse(html))


def _form_data(response) -> dict:
    """What the change form would post back unchanged: the main form and every inline."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            if value is None:
                continue
            if isinstance(value, bool):
                if value:
                    data[form.add_prefix(name)] = "on"
                continue
            if isinstance(value, (list, tuple)):
                value = json.dumps(value) if "not_applicable_for" in name else value
            data[form.add_prefix(name)] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for form in formset.initial_forms:
            add(form)
    return data


def test_good_practice_links_are_inline_rows_and_an_added_one_round_trips_export(editor, tmp_path):
    from content.toolkit_io import export_document

    practice = models.GoodPractice.objects.get(key="hameenlinna-myintegration-website")
    change = _url(models.GoodPractice, "change", practice.pk)
    response = editor.get(change)
    page = parse(response)
    assert field(page, "example_links-0-url").get("value") == "https://myintegration.fi"
    assert field(page, "example_links-0-title_lv") is not None
    assert field(page, "example_links-0-title_en") is not None
    assert field(page, "links") is None  # no raw JSON box

    data = _form_data(response)
    data.update(
        {
            "example_links-TOTAL_FORMS": "2",
            "example_links-1-title_lv": "Pilsētas tīmekļvietne",
            "example_links-1-title_en": "The city's website",
            "example_links-1-url": "https://www.hameenlinna.fi/",
            "example_links-1-practice": str(practice.pk),
        }
    )
    response = editor.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors or [
        f.errors for i in response.context["inline_admin_formsets"] for f in i.formset
    ]
    assert [(link.order, link.url) for link in practice.example_links.all()] == [
        (0, "https://myintegration.fi"),
        (1, "https://www.hameenlinna.fi/"),
    ]
    exported = export_document()
    doc = next(
        p
        for area in exported["key_areas"]
        for p in area["good_practices"]
        if p["key"] == practice.key
    )
    assert doc["links"] == [
        "https://myintegration.fi",
        {
            "url": "https://www.hameenlinna.fi/",
            "title": {"lv": "Pilsētas tīmekļvietne", "en": "The city's website"},
        },
    ]
    # Into an empty database and out again: the same document.
    path = tmp_path / "export.json"
    path.write_text(json.dumps(exported, ensure_ascii=False), encoding="utf-8")
    models.GoodPractice.objects.all().delete()
    call_command("load_toolkit", "--file", str(path), stdout=io.StringIO())
    assert export_document() == exported


def test_editor_translates_the_place_in_the_admin(editor):
    practice = models.GoodPractice.objects.get(key="ravenna-intercultural-immigration-network")
    change = _url(models.GoodPractice, "change", practice.pk)
    data = _form_data(editor.get(change))
    data.update(place_lv="Ravenna", place_en="Ravenna (Emilia-Romagna)")
    assert editor.post(change, data).status_code == 302
    practice.refresh_from_db()
    assert (practice.place_lv, practice.place_en) == ("Ravenna", "Ravenna (Emilia-Romagna)")
