"""`housekeeping`: retention of free texts, invitations and sessions; idempotent."""

import logging
from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from assessments import services
from assessments.models import Invitation, Role, Round
from networks.models import NetworkInvitation
from networks.services import network_create
from surveys import services as survey_services
from surveys.models import Response
from tests.assessments.conftest import make_user
from tests.surveys.conftest import add_responses

pytestmark = pytest.mark.django_db


def _closed_with_texts(org, name, days_ago):
    round_ = services.round_start(organisation=org, name=name, user=org.people["coordinator"])
    survey = survey_services.survey_create(
        round=round_, key_areas=["ka1"], languages=["lv"], user=org.people["coordinator"]
    )
    add_responses(survey, 2, free_text="Paldies par palīdzību")
    services.round_close(round=round_, user=org.people["coordinator"])
    Round.objects.filter(pk=round_.pk).update(closed_at=timezone.now() - timedelta(days=days_ago))
    return round_


def _run(capsys):
    call_command("housekeeping")
    return capsys.readouterr().out


def test_housekeeping_deletes_what_expired_once(org, capsys, caplog, settings):
    settings.SURVEY_FREE_TEXT_RETENTION_DAYS = 365
    old = _closed_with_texts(org, "2024", days_ago=400)
    recent = _closed_with_texts(org, "2025", days_ago=30)
    revision = Round.objects.get(pk=old.pk).revision
    now = timezone.now()
    expired = Invitation.objects.create(
        organisation=org,
        email="late@riga.example",
        role=Role.VIEWER,
        expires_at=now - timedelta(days=1),
    )
    pending = Invitation.objects.create(
        organisation=org, email="soon@riga.example", role=Role.VIEWER
    )
    accepted = Invitation.objects.create(
        organisation=org,
        email="in@riga.example",
        role=Role.VIEWER,
        expires_at=now - timedelta(days=1),
        accepted_at=now - timedelta(days=2),
    )
    network = network_create(user=make_user("council@riga.example"), name="Padome", description="")
    NetworkInvitation.objects.create(
        network=network, email="late@riga.example", expires_at=now - timedelta(days=1)
    )
    waiting = NetworkInvitation.objects.create(network=network, email="soon@riga.example")
    for accepted_or_declined in (True, False):  # answered: the address has served its purpose
        NetworkInvitation.objects.create(
            network=network,
            email=f"answered-{accepted_or_declined}@riga.example",
            answered_at=now - timedelta(hours=2),
            accepted=accepted_or_declined,
        )
    stale = SessionStore()
    stale.set_expiry(-10)
    stale.create()
    Session.objects.filter(session_key=stale.session_key).update(
        expire_date=now - timedelta(hours=1)
    )
    live = SessionStore()
    live.create()

    with caplog.at_level(logging.INFO, logger="operations.management.commands.housekeeping"):
        first = _run(capsys)
    assert first.splitlines() == [
        "Deleted: 2 free texts, 1 invitations, 1 sessions, 0 unconfirmed signups, "
        "3 network invitations",
        "Snapshots: 2 closed rounds' figures made",
        "Reminders: 0 e-mails sent, 0 failed (tried again next run)",
    ]
    assert list(NetworkInvitation.objects.all()) == [waiting]
    assert any("'free_texts': 2" in r.getMessage() for r in caplog.records)
    assert list(Response.objects.filter(survey__round=old).values_list("free_text", flat=True)) == [
        "",
        "",
    ]
    assert Response.objects.filter(survey__round=old).count() == 2  # ratings stay
    assert set(
        Response.objects.filter(survey__round=recent).values_list("free_text", flat=True)
    ) == {"Paldies par palīdzību"}
    assert Round.objects.get(pk=old.pk).revision > revision  # cached report loses the texts
    assert set(Invitation.objects.values_list("pk", flat=True)) == {pending.pk, accepted.pk}
    assert not Invitation.objects.filter(pk=expired.pk).exists()
    assert set(Session.objects.values_list("session_key", flat=True)) == {live.session_key}

    assert _run(capsys).splitlines()[:2] == [
        "Deleted: 0 free texts, 0 invitations, 0 sessions, 0 unconfirmed signups, "
        "0 network invitations",
        "Snapshots: 0 closed rounds' figures made",
    ]


def test_an_open_rounds_texts_stay_whatever_their_age(org, capsys):
    survey = survey_services.survey_create(
        round=org.round, key_areas=["ka1"], languages=["lv"], user=org.people["coordinator"]
    )
    add_responses(survey, 1, free_text="Teksts")
    Round.objects.filter(pk=org.round.pk).update(created_at=timezone.now() - timedelta(days=900))
    _run(capsys)
    assert Response.objects.get(survey=survey).free_text == "Teksts"
