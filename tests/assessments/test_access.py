"""Who may do what: every organisation URL, every method, every kind of visitor."""

import pytest
from django.urls import get_resolver, reverse

from assessments.models import Membership
from tests.conftest import pdf_if
from tests.names import url_name

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "other", "viewer", "practitioner", "coordinator"]
READ = {"anonymous": 302, "other": 404, "viewer": 200, "practitioner": 200, "coordinator": 200}
WRITE = {"anonymous": 302, "other": 404, "viewer": 403, "practitioner": 302, "coordinator": 302}
MANAGE = {"anonymous": 302, "other": 404, "viewer": 403, "practitioner": 403, "coordinator": 302}
HTMX_WRITE = {
    "anonymous": 401,
    "other": 404,
    "viewer": 403,
    "practitioner": 200,
    "coordinator": 200,
}


def _member(org, role):
    return Membership.objects.get(organisation=org, user=org.people[role]).pk


def _action(org):
    from assessments import services
    from content.models import ChecklistItem

    action = org.round.actions.first() or services.action_create(
        round=org.round,
        item=ChecklistItem.objects.get(key="ka1.c1.i01"),
        title="Plan",
        owner=None,
        due_date=None,
        user=org.people["coordinator"],
    )
    return action.pk


def _invitation(org):
    from assessments import services

    invitation = org.invitations.pending().first() or services.invitation_create(
        organisation=org,
        email="invited@riga.example",
        role="viewer",
        invited_by=org.people["coordinator"],
    )
    return invitation.pk


def _individual_round(org, *, opened):
    """A round of the "each first, then agree" kind, its comparison open or not yet."""
    from assessments import services

    round_ = services.round_start(
        organisation=org, name="Each first", user=org.people["coordinator"], mode="individual"
    )
    if opened:
        services.comparison_open(round=round_, user=org.people["coordinator"])
    return round_.pk


def _closed_round(org):
    """A closed round of the organisation, to reopen."""
    from assessments import services

    round_ = services.round_start(organisation=org, name="Closed", user=org.people["coordinator"])
    services.round_close(round=round_, user=org.people["coordinator"])
    return round_.pk


def _evidence(org, *, file=False):
    """A link, or a file, attached to an item of the fixture's round."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from assessments import evidence
    from content.models import ChecklistItem

    item, user = ChecklistItem.objects.get(key="ka1.c1.i01"), org.people["coordinator"]
    if file:
        upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n")
        added = evidence.evidence_file_add(
            round=org.round, item=item, title="Plan", upload=upload, user=user
        )
    else:
        added = evidence.evidence_link_add(
            round=org.round, item=item, title="Page", url="https://a.example", user=user
        )
    return added.pk


# url name -> (args from the org fixture, {method: expected statuses}, POST data, htmx)
MATRIX = {
    "organisation": (lambda o: [o.slug], {"get": READ}, {}, False),
    "members": (
        lambda o: [o.slug],
        {"get": READ, "post": {**MANAGE, "coordinator": 302}},
        {"email": "new@riga.example", "role": "viewer"},
        False,
    ),
    "member_role": (
        lambda o: [o.slug, _member(o, "viewer")],
        {"get": {**MANAGE, "coordinator": 200}, "post": MANAGE},
        {"role": "practitioner"},
        False,
    ),
    "member_remove": (
        lambda o: [o.slug, _member(o, "viewer")],
        {"get": {**MANAGE, "coordinator": 200}, "post": MANAGE},
        {},
        False,
    ),
    "invitation_revoke": (
        lambda o: [o.slug, _invitation(o)],
        {"get": {**MANAGE, "coordinator": 200}, "post": MANAGE},
        {},
        False,
    ),
    "round_start": (
        lambda o: [o.slug],
        {"get": {**MANAGE, "coordinator": 200}, "post": MANAGE},
        {"name": "Next", "confirmed": "1"},  # "Yes, start anyway": the fixture's round is open
        False,
    ),
    "round": (lambda o: [o.slug, o.round.pk], {"get": READ}, {}, False),
    "round_close": (
        lambda o: [o.slug, o.round.pk],
        {"get": {**MANAGE, "coordinator": 200}, "post": MANAGE},
        {},
        False,
    ),
    "round_reopen": (
        lambda o: [o.slug, _closed_round(o)],
        {"get": {**MANAGE, "coordinator": 200}, "post": MANAGE},
        {},
        False,
    ),
    "area": (
        lambda o: [o.slug, o.round.pk, 1],
        {"get": READ, "post": WRITE},
        {"value-ka1.c1.i01": "yes", "version-ka1.c1.i01": "0"},
        False,
    ),
    "note_save": (
        lambda o: [o.slug, o.round.pk, 1],
        {"post": WRITE},
        {"text": "Notes", "version": "0"},
        False,
    ),
    "summary": (lambda o: [o.slug, o.round.pk], {"get": READ}, {}, False),
    "comparison": (
        lambda o: [o.slug, _individual_round(o, opened=True)],
        {"get": READ},
        {},
        False,
    ),
    "comparison_open": (
        lambda o: [o.slug, _individual_round(o, opened=False)],
        {"post": MANAGE},
        {"confirm": "on"},
        False,
    ),
    "agree": (
        lambda o: [o.slug, _individual_round(o, opened=True), "ka1.c1.i01"],
        {"post": WRITE},
        {"value": "yes", "reason": "We agreed.", "version": "0"},
        False,
    ),
    "report_pdf": (lambda o: [o.slug, o.round.pk], {"get": READ}, {}, False),
    "report_docx": (lambda o: [o.slug, o.round.pk], {"get": READ}, {}, False),
    "export_csv": (lambda o: [o.slug, o.round.pk], {"get": READ}, {}, False),
    "export_json": (lambda o: [o.slug, o.round.pk], {"get": READ}, {}, False),
    "export_xlsx": (lambda o: [o.slug, o.round.pk], {"get": READ}, {}, False),
    "review": (lambda o: [o.slug], {"get": READ}, {}, False),
    "action_new": (
        lambda o: [o.slug, o.round.pk],
        {"post": WRITE},
        {"item": "ka1.c1.i01", "title": "Do it", "owner": "", "due_date": "", "status": "open"},
        False,
    ),
    "action_edit": (
        lambda o: [o.slug, _action(o)],
        {"get": {**READ, "viewer": 403}, "post": WRITE},
        {"title": "Done it", "owner": "", "due_date": "", "status": "done"},
        False,
    ),
    "organisation_export": (lambda o: [o.slug], {"get": {**MANAGE, "coordinator": 200}}, {}, False),
    "organisation_delete": (
        lambda o: [o.slug],
        {"get": {**MANAGE, "coordinator": 200}, "post": {**MANAGE, "coordinator": 400}},
        {"confirmation": "wrong name"},
        False,
    ),
    "evidence_add": (
        lambda o: [o.slug, o.round.pk, "ka1.c1.i01"],
        {"post": WRITE},
        {"title": "Page", "url": "https://a.example"},
        False,
    ),
    "evidence_remove": (
        lambda o: [o.slug, o.round.pk, _evidence(o)],
        {"get": {**WRITE, "practitioner": 200, "coordinator": 200}, "post": WRITE},
        {},
        False,
    ),
    "evidence_download": (lambda o: [o.slug, _evidence(o, file=True)], {"get": READ}, {}, False),
    "organisation_sharing": (
        lambda o: [o.slug],
        {"get": READ, "post": MANAGE},
        {"sharing": "pool"},
        False,
    ),
    "item_save": (
        lambda o: [o.slug, o.round.pk, "ka1.c1.i01"],
        {"post": HTMX_WRITE},
        {"value-ka1.c1.i01": "yes", "version-ka1.c1.i01": "0"},
        True,
    ),
}


def _patterns(resolver, prefix="", namespace=None):
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if hasattr(pattern, "url_patterns"):
            yield from _patterns(pattern, route, pattern.namespace or namespace)
        else:
            yield namespace, route, pattern.name


def test_every_organisation_url_is_in_the_matrix():
    names = {
        name
        for namespace, route, name in _patterns(get_resolver())
        if namespace in ("assessments", "reporting") and "org_slug" in route
    }
    assert names == set(MATRIX)
    for namespace, _route, name in _patterns(get_resolver()):
        if name in MATRIX:
            assert f"{namespace}:{name}" == url_name(name)


CASES = [
    pytest.param(
        name,
        method,
        persona,
        marks=pdf_if(name == "report_pdf" and methods[method][persona] == 200),
    )
    for name, (_args, methods, _data, _htmx) in MATRIX.items()
    for method in methods
    for persona in PERSONAS
]


@pytest.mark.parametrize("name, method, persona", CASES)
def test_access(client, org, other_org, media, name, method, persona):
    args, methods, data, htmx = MATRIX[name]
    if persona == "other":
        client.force_login(other_org.people["coordinator"])
    elif persona != "anonymous":
        client.force_login(org.people[persona])
    url = reverse(url_name(name), args=args(org))
    headers = {"HX-Request": "true"} if htmx else {}
    response = getattr(client, method)(url, data, headers=headers)
    assert response.status_code == methods[method][persona]
    if persona == "anonymous" and response.status_code == 302:
        assert response["Location"].startswith("/lv/accounts/login/")
    if response.status_code in (403, 404):
        body = response.content.decode()
        assert org.name not in body and org.round.name not in body


def test_viewer_and_stranger_writes_change_nothing(client, org, other_org):
    from assessments.models import Answer, Note

    for user in (org.people["viewer"], other_org.people["coordinator"]):
        client.force_login(user)
        client.post(
            reverse("assessments:area", args=[org.slug, org.round.pk, 1]),
            {"value-ka1.c1.i01": "yes", "version-ka1.c1.i01": "0"},
        )
        client.post(
            reverse("assessments:note_save", args=[org.slug, org.round.pk, 1]),
            {"text": "x", "version": "0"},
        )
    assert not Answer.objects.exists() and not Note.objects.exists()


def test_a_round_of_another_organisation_is_404_even_for_a_member(client, org, other_org):
    client.force_login(org.people["coordinator"])
    url = reverse("assessments:round", args=[org.slug, other_org.round.pk])
    assert client.get(url).status_code == 404
    url = reverse("assessments:area", args=[org.slug, other_org.round.pk, 1])
    assert (
        client.post(url, {"value-ka1.c1.i01": "yes", "version-ka1.c1.i01": "0"}).status_code == 404
    )


def test_post_without_csrf_token_is_refused(org):
    from django.test import Client

    from assessments.models import Answer

    client = Client(enforce_csrf_checks=True)
    client.force_login(org.people["practitioner"])
    response = client.post(
        reverse("assessments:item_save", args=[org.slug, org.round.pk, "ka1.c1.i01"]),
        {"value-ka1.c1.i01": "yes", "version-ka1.c1.i01": "0"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 403
    assert not Answer.objects.exists()
