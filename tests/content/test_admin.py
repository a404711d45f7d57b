"""Editors keep the handbook in the admin: both languages on one form, search and filters."""

import pytest
from django.urls import reverse

from content import models

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
    html = response.text
    assert 'name="title_lv"' in html and 'name="title_en"' in html
    assert 'name="body_lv"' in html and 'name="body_en"' in html


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
