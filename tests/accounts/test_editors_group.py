"""The editors' group: exactly the rights to keep the handbook and publish submitted practices,
nothing of organisations, their answers or people; every model decided."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.urls import NoReverseMatch, reverse

from accounts.editors import (
    EDITOR_PERMISSIONS,
    EDITORS,
    NOT_FOR_EDITORS,
    editor_grant,
    editors_group_sync,
)
from tests.assessments.conftest import make_user
from tests.two_factor import log_in_verified

pytestmark = pytest.mark.django_db


def _codenames(group):
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


def _expected():
    return {
        f"{label.split('.')[0]}.{action}_{label.split('.')[1]}"
        for label, actions in EDITOR_PERMISSIONS.items()
        for action in actions
    }


def test_every_model_is_decided_for_editors():
    models = {model._meta.label_lower for model in apps.get_models()}
    assert not set(EDITOR_PERMISSIONS) & NOT_FOR_EDITORS
    assert models - set(EDITOR_PERMISSIONS) - NOT_FOR_EDITORS == set(), "decide for editors"
    assert set(EDITOR_PERMISSIONS) | NOT_FOR_EDITORS <= models, "a model that no longer exists"


def test_the_migration_made_the_group_with_exactly_the_listed_rights():
    group = Group.objects.get(name=EDITORS)
    assert _codenames(group) == _expected()
    assert "practices.change_practicesubmission" in _codenames(group)
    assert not any(
        name.startswith(("assessments.", "surveys.", "auth.", "otp_")) for name in _codenames(group)
    )
    assert "practices.view_practice" not in _codenames(group)


def test_syncing_again_changes_nothing_and_repairs_a_changed_group():
    group = Group.objects.get(name=EDITORS)
    group.permissions.add(Permission.objects.get(codename="view_organisation"))
    group.permissions.remove(Permission.objects.get(codename="change_keyarea"))
    editors_group_sync()
    editors_group_sync()
    assert Group.objects.filter(name=EDITORS).count() == 1
    assert _codenames(group) == _expected()


@pytest.fixture
def editor_client(client):
    editor = make_user("redaktore@toolkit.example")
    editor_grant(user=editor)
    return log_in_verified(client, editor)


def _registered():
    for model in admin.site._registry:
        yield model, model._meta.label_lower


def test_the_editor_sees_only_the_handbook_and_the_submissions(editor_client):
    index = editor_client.get(reverse("admin:index"))
    assert index.status_code == 200
    shown = {model["admin_url"] for app in index.context["app_list"] for model in app["models"]}
    for model, label in _registered():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert (url in shown) == (label in EDITOR_PERMISSIONS), label


@pytest.mark.parametrize("view", ["changelist", "add"])
def test_every_model_outside_the_list_answers_403(editor_client, view):
    refused = []
    for model, label in _registered():
        if label in EDITOR_PERMISSIONS:
            continue
        try:
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}")
        except NoReverseMatch:
            continue
        if editor_client.get(url).status_code != 403:
            refused.append(label)
    assert refused == []


def test_people_and_groups_answer_403(editor_client, org):
    member = org.people["coordinator"]
    for name, pk in [
        ("auth_group_change", Group.objects.get(name=EDITORS).pk),
        ("auth_user_change", member.pk),
        ("auth_user_password_change", member.pk),
    ]:
        assert editor_client.get(reverse(f"admin:{name}", args=[pk])).status_code == 403, name


def test_every_handbook_model_opens_for_the_editor(editor_client):
    for model, label in _registered():
        if label in EDITOR_PERMISSIONS:
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            assert editor_client.get(url).status_code == 200, label


def test_the_admin_shows_the_groups_name_in_the_readers_language(admin_client):
    editor = make_user("redaktore@toolkit.example")
    editor_grant(user=editor)
    user_form = admin_client.get(reverse("admin:auth_user_change", args=[editor.pk])).text
    groups = admin_client.get(reverse("admin:auth_group_changelist")).text
    users = admin_client.get(reverse("admin:auth_user_changelist")).text
    for page in (user_form, groups, users):
        assert "Redaktori" in page
    english = admin_client.get(
        reverse("admin:auth_group_changelist").replace("/lv/", "/en/", 1)
    ).text
    assert "Editors" in english and "Redaktori" not in english
