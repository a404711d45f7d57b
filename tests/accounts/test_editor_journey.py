"""The editor's journey in the admin: what needs attention first, a text edited in Latvian and
English side by side, seen on the public page at once, a submitted practice published; every
change in the object's history with who and when."""

import json

import pytest
from django import forms
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from accounts.editors import editor_grant
from content.models import GlossaryTerm, GoodPractice, SuccessFactor
from practices import services
from practices.models import PracticeSubmission, SubmissionStatus
from tests.practices.conftest import practice, rate  # noqa: F401 - shared fixture
from tests.two_factor import log_in_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(org):
    from tests.assessments.conftest import make_user

    user = make_user("redaktore@toolkit.example", name="Agnese Liepa")
    editor_grant(user=user)
    return user


@pytest.fixture
def editor_client(client, editor):
    return log_in_verified(client, editor)


@pytest.fixture
def submission(practice):  # noqa: F811
    rate(practice, practice.organisation.people["practitioner"], "3")
    return services.submission_create(
        practice=practice, user=practice.organisation.people["practitioner"]
    )


def form_data(response, **changes) -> dict:
    """What the change form posts back unchanged, with `changes`."""
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, forms.JSONField):
            value = json.dumps(value)
        if value is not None and value is not False:
            data[name] = value
    return {**data, **changes, "_save": "1"}


def history(obj):
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    )


def test_the_index_opens_with_what_waits_for_the_editor(editor_client, submission):
    term = GlossaryTerm.objects.current().first()
    term.definition_en = ""
    term.save()
    attention = editor_client.get(reverse("admin:index")).context["attention"]
    links = {url: count for _what, count, url in attention}
    submissions = reverse("admin:practices_practicesubmission_changelist")
    glossary = reverse("admin:content_glossaryterm_changelist")
    assert links[f"{submissions}?status__exact=submitted"] == 1
    assert links[f"{glossary}?english=missing"] == 1
    listed = editor_client.get(f"{glossary}?english=missing").context["cl"].result_list
    assert list(listed) == [term]


def test_an_edit_is_on_the_public_page_at_once_and_in_the_history(editor_client, editor):
    term = GlossaryTerm.objects.current().first()
    public = Client()
    assert "Jauna definīcija" not in public.get(reverse("content:glossary")).text  # now cached
    url = reverse("admin:content_glossaryterm_change", args=[term.pk])
    page = editor_client.get(url)
    # Latvian and English of each text side by side, and the public page one click away.
    assert ("definition_lv", "definition_en") in [
        tuple(line.fields) for fieldset in page.context["adminform"] for line in fieldset
    ]
    view_on_site = page.context["original"].get_absolute_url()
    assert page.context["has_absolute_url"] and view_on_site.startswith("/lv/glossary/")

    response = editor_client.post(url, form_data(page, definition_lv="Jauna definīcija."))
    assert response.status_code == 302
    assert "Jauna definīcija." in public.get(reverse("content:glossary")).text
    entry = history(term).get()
    assert entry.user == editor and entry.action_flag == CHANGE and entry.action_time
    shown = editor_client.get(reverse("admin:content_glossaryterm_history", args=[term.pk]))
    assert shown.status_code == 200 and list(shown.context["action_list"]) == [entry]


def test_the_editor_publishes_a_submitted_practice(editor_client, editor, submission):
    url = reverse("admin:practices_practicesubmission_change", args=[submission.pk])
    page = editor_client.get(url)
    factor = SuccessFactor.objects.get(key="ka4.sf1")
    editor_client.post(
        url,
        form_data(page, title_en="Family support point", success_factor=factor.pk),
    )
    library = f"{reverse('practices:library')}?factor=ka4.sf1"
    assert submission.title_lv not in Client().get(library).text  # and now cached

    response = editor_client.post(
        reverse("admin:practices_practicesubmission_changelist"),
        {"action": "publish", "_selected_action": [submission.pk]},
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PUBLISHED and submission.reviewed_by == editor
    example = GoodPractice.objects.get(pk=submission.good_practice_id)
    assert example.is_published and example.title_en == "Family support point"
    assert submission.title_lv in Client().get(library).text
    assert [e.action_flag for e in history(submission).order_by("pk")] == [CHANGE, CHANGE]
    assert history(example).get().action_flag == ADDITION
    assert {e.user for e in LogEntry.objects.all()} == {editor}


def test_the_editor_sees_a_submitted_practice_without_the_organisations_ratings(
    editor_client, submission
):
    page = editor_client.get(
        reverse("admin:practices_practicesubmission_change", args=[submission.pk])
    )
    assert page.status_code == 200
    assert reverse("admin:practices_practice_change", args=[submission.practice_id]) not in (
        page.text
    )
    assert PracticeSubmission.objects.get().practice.name in page.text
