"""Reminders by e-mail from `housekeeping`: one e-mail a day per person gathering what is due
for them, in their language, each kind turned off on request, idempotent, tolerant of a
failing SMTP server."""

import logging
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import formats, timezone, translation

from accounts.models import Profile, ReminderKind, ReminderSent
from assessments import services
from assessments.models import (
    Action,
    ActionStatus,
    Invitation,
    Membership,
    Role,
    Round,
    RoundMode,
)
from content.models import ChecklistItem
from tests.dom import lv

pytestmark = pytest.mark.django_db

SITE = "https://toolkit.example.org"
REFUSING = {"default": {"BACKEND": "tests.operations.mail.RefusingBackend"}}


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


def _housekeeping():
    call_command("housekeeping", stdout=open("/dev/null", "w"))


def _action(org, owner, days, title="Sarunāt tulku", status=ActionStatus.OPEN):
    return Action.objects.create(
        round=org.round,
        item=ChecklistItem.objects.get(key="ka1.c1.i01"),
        title=title,
        owner=owner,
        due_date=timezone.localdate() + timedelta(days=days),
        status=status,
    )


def _everything_due(org):
    """For the coordinator: an action due soon, an overdue one, a round open for 40 days with
    unanswered items, an invitation they sent expiring tomorrow; for the members who answer,
    the comparison of an "each first" round."""
    coordinator = org.people["coordinator"]
    _action(org, coordinator, 3, title="Sagatavot bukletu")
    _action(org, coordinator, -2, title="Sarunāt tulku")
    _action(org, coordinator, -5, title="Jau paveikts", status=ActionStatus.DONE)
    _action(org, coordinator, 20, title="Vēl tālu")
    Round.objects.filter(pk=org.round.pk).update(created_at=timezone.now() - timedelta(days=40))
    Invitation.objects.create(
        organisation=org,
        email="new@riga.example",
        role=Role.PRACTITIONER,
        invited_by=coordinator,
        expires_at=timezone.now() + timedelta(days=1),
    )
    each_first = services.round_start(
        organisation=org, name="Katrs pats", user=coordinator, mode=RoundMode.INDIVIDUAL
    )
    services.comparison_open(round=each_first, user=coordinator)
    return each_first


def _to(address):
    return [m for m in mail.outbox if m.to == [address]]


def _html(message):
    return next(content for content, kind in message.alternatives if kind == "text/html")


def _links(message):
    return re.findall(r"https?://\S+", message.body)


def test_one_email_a_day_gathers_everything_due_for_a_person(org):
    _everything_due(org)
    _housekeeping()

    coordinator = _to("coordinator@riga.example")
    assert len(coordinator) == 1
    body = coordinator[0].body
    for title in ("Sagatavot bukletu", "Sarunāt tulku", "2026 spring", "new@riga.example"):
        assert title in body and title in _html(coordinator[0])
    assert "Jau paveikts" not in body and "Vēl tālu" not in body
    assert "Katrs pats" in body  # the comparison: a coordinator answers too
    assert org.name in coordinator[0].subject  # the organisation named
    assert set(
        ReminderSent.objects.filter(user=org.people["coordinator"]).values_list("kind", flat=True)
    ) == set(ReminderKind.values)

    practitioner = _to("practitioner@riga.example")
    assert len(practitioner) == 1
    assert "Katrs pats" in practitioner[0].body
    assert "Sarunāt tulku" not in practitioner[0].body  # not their action
    assert "2026 spring" not in practitioner[0].body  # the weekly note is the coordinators'
    assert _to("viewer@riga.example") == []  # viewers do not agree on answers
    assert len(mail.outbox) == 2


def test_running_twice_sends_nothing_twice(org):
    _everything_due(org)
    _housekeeping()
    sent = len(mail.outbox)
    assert sent == 2
    _housekeeping()
    assert len(mail.outbox) == sent

    # Something new the same day waits for tomorrow: at most one e-mail a day.
    _action(org, org.people["coordinator"], 1, title="Jauns pasākums")
    _housekeeping()
    assert len(mail.outbox) == sent

    # The next day: only what is new or due again (the overdue action, the weekly round note
    # only after a week; the once-only reminders never again).
    ReminderSent.objects.update(sent_on=timezone.localdate() - timedelta(days=1))
    _housekeeping()
    assert len(mail.outbox) == sent + 1
    next_day = mail.outbox[-1]
    assert next_day.to == ["coordinator@riga.example"]
    assert "Jauns pasākums" in next_day.body
    assert "Sagatavot bukletu" not in next_day.body and "Sarunāt tulku" not in next_day.body
    assert "new@riga.example" not in next_day.body and "2026 spring" not in next_day.body

    ReminderSent.objects.update(sent_on=timezone.localdate() - timedelta(days=7))
    _housekeeping()
    week_later = mail.outbox[-1]
    assert len(mail.outbox) == sent + 2
    assert "Sarunāt tulku" in week_later.body and "2026 spring" in week_later.body
    assert "Sagatavot bukletu" not in week_later.body  # due soon: said once


def test_each_kind_can_be_turned_off(org):
    _everything_due(org)
    Profile.objects.create(
        user=org.people["coordinator"], remind_actions=False, remind_invitations=False
    )
    Profile.objects.create(user=org.people["practitioner"], remind_comparison=False)
    _housekeeping()
    assert _to("practitioner@riga.example") == []
    [message] = _to("coordinator@riga.example")
    assert "Sarunāt tulku" not in message.body and "new@riga.example" not in message.body
    assert "2026 spring" in message.body and "Katrs pats" in message.body


def test_only_members_who_can_be_emailed_are_reminded(org, other_org):
    _action(org, other_org.people["coordinator"], 1)  # owner no longer a member of riga
    practitioner = org.people["practitioner"]
    _action(org, practitioner, 1, title="Neaktīvam")
    practitioner.is_active = False
    practitioner.save()
    _housekeeping()
    assert mail.outbox == []


def test_each_person_reads_their_language(org):
    _everything_due(org)
    Profile.objects.create(user=org.people["coordinator"], language="en")
    _housekeeping()
    [english] = _to("coordinator@riga.example")
    [latvian] = _to("practitioner@riga.example")
    assert english.subject == (f"{org.name}: reminders from the refugee inclusion toolkit")
    assert "Your actions" in english.body and "Invitations about to expire" in english.body
    assert all("/en/" in link for link in _links(english))
    assert latvian.subject == lv(
        "%(organisation)s: reminders from the refugee inclusion toolkit", organisation=org.name
    )
    assert lv("Comparisons waiting for your team to agree") in latvian.body
    assert "Comparisons waiting" not in latvian.body
    assert all("/lv/" in link for link in _links(latvian))
    assert lv("Stop all reminders") in _html(latvian)


def test_links_are_absolute_and_open_the_pages(org, client):
    _everything_due(org)
    _housekeeping()
    [message] = _to("coordinator@riga.example")
    links = _links(message)
    assert len(links) >= 8
    assert all(link.startswith(SITE + "/") for link in links)
    html_links = re.findall(r'href="([^"]+)"', _html(message))
    assert html_links and all(link.startswith(SITE + "/") for link in html_links)
    client.force_login(org.people["coordinator"])
    for link in links:
        response = client.get(link.removeprefix(SITE))
        assert response.status_code == 200, link


def _unsubscribe_links(message):
    return [link for link in _links(message) if "/unsubscribe/" in link]


def test_unsubscribe_link_works_without_login_and_only_by_post(org, client):
    _action(org, org.people["practitioner"], 2)
    _housekeeping()
    [message] = _to("practitioner@riga.example")
    one_kind, every_kind = _unsubscribe_links(message)
    assert message.extra_headers["List-Unsubscribe"] == f"<{every_kind}>"

    page = client.get(one_kind.removeprefix(SITE))
    assert page.status_code == 200
    assert Profile.objects.get(user=org.people["practitioner"]).remind_actions  # GET asks
    done = client.post(one_kind.removeprefix(SITE))
    assert done.status_code == 200
    profile = Profile.objects.get(user=org.people["practitioner"])
    assert not profile.remind_actions and profile.remind_comparison

    client.post(every_kind.removeprefix(SITE))
    profile.refresh_from_db()
    assert not any(profile.wants(kind) for kind in ReminderKind.values)

    tampered = one_kind.removeprefix(SITE).replace(":", "x:", 1)
    assert client.post(tampered).status_code == 400


def test_an_smtp_failure_is_logged_and_retried_next_run(org, settings, caplog):
    _everything_due(org)
    settings.MAILERS = REFUSING
    with caplog.at_level(logging.ERROR, logger="assessments.reminders"):
        _housekeeping()
    assert [m.to for m in mail.outbox] == [["practitioner@riga.example"]]  # the others' went
    assert any(
        f"user {org.people['coordinator'].pk} not sent" in r.getMessage() for r in caplog.records
    )
    assert not ReminderSent.objects.filter(user=org.people["coordinator"]).exists()

    _housekeeping()  # still refused: still nothing recorded, the practitioner not again
    assert len(mail.outbox) == 1
    assert not ReminderSent.objects.filter(user=org.people["coordinator"]).exists()

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    _housekeeping()
    assert [m.to for m in mail.outbox] == [
        ["practitioner@riga.example"],
        ["coordinator@riga.example"],
    ]
    assert "Sarunāt tulku" in mail.outbox[-1].body


def test_the_lines_say_the_dates_in_the_readers_language(org):
    action = _action(org, org.people["practitioner"], 2)
    _housekeeping()
    [message] = _to("practitioner@riga.example")
    with translation.override("lv"):
        date = formats.date_format(action.due_date, "SHORT_DATE_FORMAT")
    due = lv(
        "%(organisation)s: “%(title)s” is due on %(date)s.",
        organisation=org.name,
        title=action.title,
        date=date,
    )
    assert due in message.body


def test_one_email_gathers_several_organisations_and_names_each(org, other_org):
    person = org.people["practitioner"]
    Membership.objects.create(user=person, organisation=other_org, role=Role.PRACTITIONER)
    _action(org, person, 1, title="Rīgā")
    Action.objects.create(
        round=other_org.round,
        item=ChecklistItem.objects.get(key="ka1.c1.i01"),
        title="Valmierā",
        owner=person,
        due_date=timezone.localdate() - timedelta(days=1),
    )
    _housekeeping()
    [message] = mail.outbox
    assert message.subject == lv("Reminders from the refugee inclusion toolkit")
    lines = [line for line in message.body.splitlines() if line.startswith("- ")]
    assert len(lines) == 2
    assert any(line.startswith(f"- {org.name}: ") and "“Rīgā”" in line for line in lines)
    assert any(line.startswith(f"- {other_org.name}: ") and "“Valmierā”" in line for line in lines)
    assert ReminderSent.objects.filter(user=person).count() == 2
