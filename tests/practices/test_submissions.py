"""Submitting a good practice to the library; editors publish or decline it in the admin."""

import os

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from content.models import GoodPractice, SuccessFactor
from practices import services
from practices.models import PracticeSubmission, SubmissionStatus
from tests.dom import field, lv, lv_plural, parse
from tests.practices.conftest import indicator_keys, rate
from tests.two_factor import log_in_verified

pytestmark = pytest.mark.django_db


def en(url: str) -> str:
    return url.replace("/lv/", "/en/", 1)


def submit_url(practice):
    return en(reverse("practices:practice_submit", args=[practice.organisation.slug, practice.pk]))


def result_url(practice):
    return en(reverse("practices:practice_result", args=[practice.organisation.slug, practice.pk]))


@pytest.fixture
def good(practice):
    rate(practice, practice.organisation.people["practitioner"], "3")
    return practice


@pytest.fixture
def editor(db):
    return get_user_model().objects.create_superuser("editor", "editor@toolkit.example", "x")


@pytest.fixture
def submission(good):
    submission = services.submission_create(
        practice=good, user=good.organisation.people["practitioner"]
    )
    submission.title_en = "Family support point in Cēsis"
    submission.body_en = "Advice for refugee families."
    submission.success_factor = SuccessFactor.objects.get(key="ka4.sf1")
    submission.links = ["https://cesis.example/atbalsts"]
    submission.save()
    return submission


def test_a_good_practice_is_submitted_with_its_scores(as_user, good):
    client = as_user(good.organisation.people["practitioner"])
    response = client.post(submit_url(good), follow=True)
    assert "The practice was submitted." in response.text
    submission = PracticeSubmission.objects.get()
    assert submission.status == SubmissionStatus.SUBMITTED
    assert (submission.title_lv, submission.body_lv) == (good.name, good.description)
    assert (submission.place, submission.country, submission.actor) == (
        "Rīga",
        "LV",
        "local_authority",
    )
    assert submission.verdict_at_submission == "good" and submission.score_at_submission == 100
    assert submission.submitted_by == good.organisation.people["practitioner"]
    # The members see its status on the practice and its result.
    for url in (en(good.get_absolute_url()), result_url(good)):
        html = client.get(url).text
        assert "Submitted, waiting for review" in html
    assert "Submit to the library" not in client.get(result_url(good)).text


@pytest.mark.parametrize(
    "values",
    [
        {},  # nothing rated
        {"d1.q1.i1": "3"},  # incomplete
        "promising",
        "emerging",
    ],
)
def test_a_practice_below_the_gate_is_refused_and_nothing_changes(as_user, practice, values):
    org = practice.organisation
    if values == "promising":
        values = dict.fromkeys(indicator_keys(), "3")
        values.update({k: "0" for k in values if k.startswith("d4.")})
    elif values == "emerging":
        values = dict.fromkeys(indicator_keys(), "1")
    rate(practice, org.people["practitioner"], values)
    client = as_user(org.people["practitioner"])
    response = client.post(submit_url(practice), follow=True)
    assert response.status_code == 200
    assert "Only a practice with the verdict “good practice” can be submitted" in response.text
    assert not PracticeSubmission.objects.exists()
    assert not GoodPractice.objects.filter(title_lv=practice.name).exists()


def test_a_practice_is_submitted_only_once_while_waiting_or_published(
    as_user, org, submission, editor
):
    client = as_user(org.people["coordinator"])
    response = client.post(submit_url(submission.practice), follow=True)
    assert "already been submitted" in response.text
    services.submission_publish(submission=submission, user=editor)
    response = client.post(submit_url(submission.practice), follow=True)
    assert "already been submitted" in response.text
    stored = PracticeSubmission.objects.get()
    assert stored.status == SubmissionStatus.PUBLISHED
    assert stored.submitted_by == org.people["practitioner"]


def test_publishing_creates_a_published_example_marked_as_submitted(
    client, org, submission, editor
):
    example = services.submission_publish(submission=submission, user=editor)
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PUBLISHED and submission.good_practice == example
    assert submission.reviewed_by == editor
    assert example.key == "gimenu-atbalsta-punkts-cesis"
    assert example.is_published and not example.retired
    assert (example.title_lv, example.title_en) == (
        "Ģimeņu atbalsta punkts Cēsīs",
        "Family support point in Cēsis",
    )
    assert example.key_area.key == "ka4" and example.success_factor.key == "ka4.sf1"
    assert example.links == ["https://cesis.example/atbalsts"]
    # In the library, with its own page naming the organisation.
    assert "Family support point in Cēsis" in client.get("/en/practices/?area=ka4&country=LV").text
    page = client.get(f"/en/practices/{example.key}/")
    assert page.status_code == 200 and "Submitted by" in page.text and "Riga" in page.text
    # The organisation sees it published, with a link.
    client.force_login(org.people["viewer"])
    html = client.get(en(submission.practice.get_absolute_url())).text
    assert "Published in the library" in html and f"/en/practices/{example.key}/" in html


def test_publishing_needs_the_latvian_text_and_a_success_factor(submission, editor):
    submission.success_factor = None
    submission.title_lv = " "
    submission.save()
    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.submission_publish(submission=submission, user=editor)
    assert "title (Latvian)" in error.value.messages[0]
    assert "success factor" in error.value.messages[0]
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED and submission.good_practice is None


def test_a_published_submission_is_not_published_twice(submission, editor):
    services.submission_publish(submission=submission, user=editor)
    count = GoodPractice.objects.count()
    with pytest.raises(ValidationError):
        services.submission_publish(submission=submission, user=editor)
    assert GoodPractice.objects.count() == count


def test_example_keys_are_unique_slugs(submission, editor):
    GoodPractice.objects.create(
        key="gimenu-atbalsta-punkts-cesis",
        key_area=submission.success_factor.key_area,
        success_factor=submission.success_factor,
        title_lv="x",
        body_lv="y",
        actor="ngo",
    )
    example = services.submission_publish(submission=submission, user=editor)
    assert example.key == "gimenu-atbalsta-punkts-cesis-2"


def test_a_declined_practice_shows_the_message_and_may_be_submitted_again(
    as_user, org, submission, editor
):
    services.submission_decline(submission=submission, user=editor, note="Add an English text.")
    practice = submission.practice
    client = as_user(org.people["practitioner"])
    html = client.get(result_url(practice)).text
    assert "Declined" in html and "Add an English text." in html
    assert "Submit to the library" in html
    client.post(submit_url(practice))
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED and submission.editor_note == ""


# --- the admin -------------------------------------------------------------------------------


def listed(response):
    """The rows of an admin change list."""
    return list(response.context["cl"].result_list)


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


def test_editor_sees_submissions_and_which_lack_english(client, submission, editor):
    log_in_verified(client, editor)
    changelist = reverse("admin:practices_practicesubmission_changelist")
    response = client.get(changelist)
    assert response.status_code == 200 and listed(response) == [submission]
    assert client.get(changelist + "?english=missing").status_code == 200
    submission.title_en = ""
    submission.save()
    assert listed(client.get(changelist + "?english=missing")) == [submission]
    assert listed(client.get(changelist + "?english=present&status=submitted")) == []
    change = client.get(reverse("admin:practices_practicesubmission_change", args=[submission.pk]))
    assert change.status_code == 200
    assert field(parse(change), "title_lv") is not None
    assert field(parse(change), "title_en") is not None
    practice_page = reverse("admin:practices_practice_change", args=[submission.practice_id])
    assert client.get(practice_page).status_code == 200


def test_editor_edits_translates_and_publishes_with_the_admin_action(client, submission, editor):
    log_in_verified(client, editor)
    change = reverse("admin:practices_practicesubmission_change", args=[submission.pk])
    factor = SuccessFactor.objects.get(key="ka2.sf1")
    response = client.post(
        change,
        {
            "title_lv": "Ģimeņu atbalsta punkts",
            "title_en": "Family support point",
            "body_lv": "Konsultācijas ģimenēm.",
            "body_en": "Advice for families.",
            "success_factor": factor.pk,
            "actor": "local_authority",
            "place": "Cēsis",
            "country": "LV",
            "links": "[]",
            "editor_note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    response = client.post(
        reverse("admin:practices_practicesubmission_changelist"),
        {"action": "publish", "_selected_action": [submission.pk]},
        follow=True,
    )
    assert messages_of(response)[-1:] == [  # after the change form's own message
        lv_plural(
            "Published %(count)d example in the library.",
            "Published %(count)d examples in the library.",
            1,
            count=1,
        )
    ]
    example = GoodPractice.objects.get(practice_submission=submission)
    assert (example.title_en, example.key_area.key, example.place) == (
        "Family support point",
        "ka2",
        "Cēsis",
    )
    # The submission now links to the example it became.
    assert f">{example.key}</a>" in client.get(change).text


def test_admin_action_reports_what_is_missing_and_publishes_nothing(client, submission, editor):
    submission.success_factor = None
    submission.save()
    log_in_verified(client, editor)
    count = GoodPractice.objects.count()
    response = client.post(
        reverse("admin:practices_practicesubmission_changelist"),
        {"action": "publish", "_selected_action": [submission.pk]},
        follow=True,
    )
    [message] = messages_of(response)
    fill_in = lv("Fill in before publishing: %(fields)s.", fields="")
    assert message.startswith(f"{submission}: {fill_in[: fill_in.index(':')]}")
    assert GoodPractice.objects.count() == count


def test_admin_decline_action(client, submission, editor):
    log_in_verified(client, editor)
    client.post(
        reverse("admin:practices_practicesubmission_changelist"),
        {"action": "decline", "_selected_action": [submission.pk]},
    )
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.DECLINED and submission.reviewed_by == editor


def test_published_submission_survives_load_toolkit(submission, editor):
    from content.toolkit_io import export_document

    example = services.submission_publish(submission=submission, user=editor)
    call_command("load_toolkit", stdout=open(os.devnull, "w"))
    example.refresh_from_db()
    assert not example.retired and example.source == "submitted"
    # The handbook export stays the handbook: submitted examples are not written into it.
    keys = {p["key"] for a in export_document()["key_areas"] for p in a["good_practices"]}
    assert example.key not in keys


def test_deleting_the_organisation_deletes_its_practices_but_keeps_published_examples(
    client, org, submission, editor
):
    from assessments import services as assessment_services

    example = services.submission_publish(submission=submission, user=editor)
    assessment_services.organisation_delete(organisation=org, confirmation=org.name)
    assert not PracticeSubmission.objects.exists()
    example.refresh_from_db()
    assert example.is_published
    page = client.get(f"/en/practices/{example.key}/")
    assert page.status_code == 200 and "Submitted by" not in page.text
