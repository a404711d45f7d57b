"""Tables on phones: each data table is written stackable in its template.

Its class `stack` makes site.css turn its rows into blocks below 60em; its ARIA roles keep it a
table for screen readers (`display: block` drops the implicit ones in Chromium); every body cell's
`data-label` is the text of its column header, shown before the cell there. The guard reads the
page templates themselves, so a new table cannot forget them, and the pages the demo data
renders, where a label must equal its column's header as the reader sees it.
"""

import io
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from assessments import services
from assessments.models import Organisation, Role, RoundMode
from content.models import ChecklistItem, Indicator, KeyArea
from networks import services as network_services
from networks.models import NetworkMember
from practices import services as practice_services
from practices.services import RatingChange
from surveys import services as survey_services
from surveys.models import Survey
from surveys.selectors import survey_questions

TEMPLATES = Path(settings.BASE_DIR) / "templates"
SECTIONS = ("thead", "tbody", "tfoot")


class TableCheck(HTMLParser):
    """What the tables of a piece of HTML (a template or a rendered page) lack: the class
    `stack`, a role, or a cell's label equal to its column header's text."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.tables = 0
        self.section = None
        self.headers: list[str] = []
        self.column = 0
        self.cell = None  # (tag, attributes) of the cell being read
        self.text: list[str] = []
        self.feed(source)
        self.close()

    def _expect(self, tag: str, attributes: dict, name: str, value: str):
        if attributes.get(name) != value:
            self.problems.append(f"line {self.getpos()[0]}: <{tag}> without {name}={value!r}")

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "table":
            self.tables, self.headers = self.tables + 1, []
            if "stack" not in (attributes.get("class") or "").split():
                self.problems.append(f"line {self.getpos()[0]}: <table> without class 'stack'")
            self._expect(tag, attributes, "role", "table")
        elif tag in SECTIONS:
            self.section = tag
            self._expect(tag, attributes, "role", "rowgroup")
        elif tag == "tr":
            self.column = 0
            self._expect(tag, attributes, "role", "row")
        elif tag in ("th", "td"):
            self.column += 1
            self.cell, self.text = (tag, attributes), []
            if self.section == "thead":
                self._expect(tag, attributes, "role", "columnheader")
            else:
                self._expect(tag, attributes, "role", "cell" if tag == "td" else "rowheader")

    def handle_data(self, data):
        if self.cell is not None:
            self.text.append(data)

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self.cell is not None:
            self._end_cell()
        elif tag in SECTIONS:
            self.section = None

    def _end_cell(self):
        tag, attributes = self.cell
        self.cell = None
        text = " ".join("".join(self.text).split())
        if self.section == "thead":
            self.headers.append(text)
            return
        header = self.headers[self.column - 1] if self.column <= len(self.headers) else None
        if attributes.get("data-label") != header:
            self.problems.append(
                f"line {self.getpos()[0]}: <{tag}> labelled {attributes.get('data-label')!r}, "
                f"its column header is {header!r}"
            )


LABELLED = (
    '<table class="data stack" role="table"><caption>Results</caption>'
    '<thead role="rowgroup"><tr role="row"><th scope="col" role="columnheader">Key area</th>'
    '<th scope="col" role="columnheader">Owner <span class="hint">(e-mail)</span></th></tr>'
    '</thead><tbody role="rowgroup"><tr role="row">'
    '<th scope="row" role="rowheader" data-label="Key area">5.1.</th>'
    '<td role="cell" data-label="Owner (e-mail)">a@b.example</td></tr></tbody>'
    '<tfoot role="rowgroup"><tr role="row">'
    '<th scope="row" role="rowheader" data-label="Key area">Overall</th>'
    '<td role="cell" data-label="Owner (e-mail)">–</td></tr></tfoot></table>'
)


def test_a_stackable_labelled_table_passes():
    check = TableCheck(LABELLED)
    assert (check.tables, check.problems) == (1, [])


@pytest.mark.parametrize(
    "written, instead",
    [
        ('class="data stack"', 'class="data"'),
        (' role="table"', ""),
        ('<tbody role="rowgroup">', "<tbody>"),
        ('<tfoot role="rowgroup"><tr role="row">', '<tfoot role="rowgroup"><tr>'),
        ('role="columnheader">Key area', ">Key area"),
        (' role="rowheader"', ' role="cell"'),
        (' role="cell"', ""),
        (' data-label="Owner (e-mail)"', ""),
        ('data-label="Key area">5.1.', 'data-label="Area">5.1.'),
        ('data-label="Owner (e-mail)">a@', 'data-label="Owner">a@'),
    ],
)
def test_a_table_without_its_class_a_role_or_its_labels_fails(written, instead):
    assert written in LABELLED
    assert TableCheck(LABELLED.replace(written, instead, 1)).problems != []


def _page_templates() -> dict[str, str]:
    """The templates with a table, by name, but those printed on A4 only (never on a phone)."""
    found = {}
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text()
        if "<table" in text and '{% extends "pdf/' not in text:
            found[str(path.relative_to(TEMPLATES))] = text
    return found


PAGE_TEMPLATES = _page_templates()


@pytest.mark.parametrize("name", sorted(PAGE_TEMPLATES))
def test_every_table_of_a_page_template_is_stackable_and_labelled(name):
    """A table without the class would push a phone's page sideways; one without its roles
    would be no table to a screen reader; an unlabelled cell is a bare figure on a phone."""
    check = TableCheck(PAGE_TEMPLATES[name])
    assert check.tables == PAGE_TEMPLATES[name].count("<table")
    assert check.problems == []


@pytest.fixture
def demo_pages(db, client):
    """The paths of every page with a table, in the demo data as its municipality's coordinator
    sees them, plus what shows the rest: an action, a pending invitation, a rated practice, a
    round whose members still answer each on their own, and enough survey responses to show
    groups by age and gender."""
    call_command("seed_demo", force=True, stdout=io.StringIO())
    organisation = Organisation.objects.get(slug="dzintarkrasta-pasvaldiba")
    coordinator = get_user_model().objects.get(username="koordinatore@dzintarkrasts.example")
    open_round = organisation.rounds.get(name="2026 pavasaris")
    services.action_create(
        round=open_round,
        item=ChecklistItem.objects.get(key="ka1.c1.i02"),
        title="Tulkošana ukraiņu valodā",
        owner=coordinator,
        due_date=date(2026, 1, 15),
        user=coordinator,
    )
    services.invitation_create(
        organisation=organisation,
        email="jauna@dzintarkrasts.example",
        role=Role.VIEWER,
        invited_by=coordinator,
    )
    practice = practice_services.practice_create(
        organisation=organisation,
        user=coordinator,
        name="Konsultācijas",
        description="Konsultācijas un tulkošana vienuviet.",
        key_areas=list(KeyArea.objects.current()[:2]),
    )
    practice_services.ratings_set(
        practice=practice,
        changes=[
            RatingChange(indicator=indicator, value="2", evidence="", expected_version=0)
            for indicator in Indicator.objects.current()
        ],
        user=coordinator,
    )
    services.round_start(
        organisation=organisation, name="2026 katrs", user=coordinator, mode=RoundMode.INDIVIDUAL
    )
    survey = Survey.objects.get(round=open_round)
    statements, _open = survey_questions(survey)
    for index in range(3 * settings.SURVEY_MIN_RESPONSES):
        survey_services.response_submit(
            survey=survey,
            ratings={question: 1 + index % 5 for question in statements},
            age_band=("18-29", "30-44", "")[index % 3],
            gender=("woman", "man", "")[index % 3],
        )
    network = network_services.network_create(user=coordinator, name="Padome", description="")
    NetworkMember.objects.create(
        network=network, organisation=Organisation.objects.get(slug="biedriba-atvertas-durvis")
    )
    client.force_login(coordinator)
    org = f"/lv/org/{organisation.slug}/"
    paths = [org, f"{org}members/", f"{org}review/", f"{org}practices/"]
    paths += [f"{org}practices/{practice.pk}/result/", f"/en/org/{organisation.slug}/review/"]
    paths += ["/lv/statistics/", network.get_absolute_url()]
    for round_ in organisation.rounds.all():
        paths += [f"{org}rounds/{round_.pk}/", f"{org}rounds/{round_.pk}/summary/"]
        if round_.comparison_open:
            paths.append(f"{org}rounds/{round_.pk}/comparison/")
    return paths


def test_every_table_of_the_rendered_pages_is_stackable_and_labelled(client, demo_pages):
    rendered, problems = set(), {}
    for path in demo_pages:
        response = client.get(path)
        assert response.status_code == 200, path
        rendered.update(template.name for template in response.templates)
        check = TableCheck(response.content.decode())
        if check.problems:
            problems[path] = check.problems[:5]
    assert problems == {}
    # Every template with a table was on one of the pages.
    assert set(PAGE_TEMPLATES) <= rendered
