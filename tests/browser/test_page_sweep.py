"""Every kind of page on a 360 px phone and on a 1280 px screen, with the demo data: nothing
scrolls sideways, nothing sticks out of the viewport, on the phone every table is stacked
into labelled blocks while screen readers still find a table in it, and every chart shows
one drawing whose text is at least 10.5 px high.

To sweep a new page, add its path to PUBLIC_PAGES or MEMBER_PAGES; the {placeholders} are
filled from the demo data (see `demo`).
"""

import io
import json
from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from assessments import services
from assessments.models import Organisation, Role
from content.models import ChecklistItem, GoodPractice, Indicator, KeyArea
from networks.models import Network
from operations.management.commands.seed_demo import (
    DEMO_NETWORK,
    DEMO_ORGANISATIONS,
    INDIVIDUAL_ROUND,
)
from practices import services as practice_services
from practices.services import RatingChange
from surveys.models import Survey
from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 360, "height": 800}
WIDE = {"width": 1280, "height": 800}

PUBLIC_PAGES = [
    "/lv/",
    "/lv/handbook/introduction/",
    "/lv/handbook/how-it-works/",
    *[f"/lv/key-areas/{number}/" for number in range(1, 7)],
    "/lv/general-checklist/",
    "/lv/quality-indicators/",
    "/lv/glossary/",
    "/lv/testimonials/",
    "/lv/search/?q=integrācija",
    "/lv/search/?q=zzqxj",
    "/lv/practices/",
    "/lv/practices/{example}/",
    "/lv/accounts/login/",
    "/lv/accounts/signup/",
    "/lv/accounts/signup/sent/",
    "/lv/invitations/{invitation_token}/",  # signs up with the invited (long) address filled in
    "/lv/accounts/password_reset/",
    "/lv/survey/{survey_token}/",
    "/lv/survey/{survey_token}/thanks/",
    "/uk/survey/{survey_token}/",
    "/ar/survey/{survey_token}/",
    "/lv/survey/{survey_token}/privacy/",
    "/ar/survey/{survey_token}/privacy/",
    "/lv/privacy/",
    "/lv/statistics/",
    "/en/",
]

MEMBER_PAGES = [
    "/lv/my/",
    "/lv/org/new/",
    "/lv/org/{org}/",
    "/lv/org/{org}/members/",
    "/lv/org/{org}/review/",
    "/lv/org/{org}/delete/",
    "{round}",
    "{round}assignments/",
    "{round}close/",
    "{round}areas/1/",
    "{round}areas/6/",
    "{round}summary/",
    "{round}actions/new/?item=ka1.c1.i03",
    "/lv/org/{org}/actions/{action}/",
    "{round}survey/",
    "{closed}",
    "{closed}summary/",
    "{closed}survey/",
    "{individual}",
    "{individual}comparison/",
    "{individual}summary/",
    "/lv/org/{org}/practices/",
    "/lv/org/{org}/practices/new/",
    "{practice}",
    "{practice}edit/",
    "{practice}result/",
    "/lv/accounts/password_change/",
    "/lv/accounts/delete/",
    "/en/org/{org}/review/",
    "{round_en}summary/",
    "/lv/org/{org}/sharing/",
    "/lv/networks/",
    "/lv/networks/new/",
    "/lv/networks/{network}/",
]

# Long words as people type them: an address in a title, a long e-mail address, a long name
# (the action's owner: on a phone each wraps inside its value column, never under its label).
LONG_TITLE = "Informācija ukraiņu valodā: https://dzintarkrasts.example/pakalpojumi/integracija"
LONG_EMAIL = "starpkulturu.koordinatore@dzintarkrasta-novads.example"
LONG_NAME = "Anna-Marija Kalniņa-Ozoliņa-Bērziņa"


@dataclass
class Demo:
    coordinator_email: str
    coordinator_password: str
    places: dict

    def path(self, template: str) -> str:
        return template.format(**self.places)


@pytest.fixture
def demo(toolkit):
    """The demo data seed_demo makes, plus what it leaves out: an action, a pending invitation
    and a rated practice of the demo municipality."""
    call_command("seed_demo", force=True, stdout=io.StringIO())
    spec = DEMO_ORGANISATIONS[0]
    (email, password, _role), (practitioner_email, _, _) = spec["people"][:2]
    organisation = Organisation.objects.get(slug=spec["slug"])
    coordinator = get_user_model().objects.get(username=email)
    practitioner = get_user_model().objects.get(username=practitioner_email)
    practitioner.first_name = LONG_NAME
    practitioner.save(update_fields=["first_name"])
    rounds = {round_.name: round_ for round_ in organisation.rounds.all()}
    open_round, closed = rounds["2026 pavasaris"], rounds["2025 rudens"]
    action = services.action_create(
        round=open_round,
        item=ChecklistItem.objects.get(key="ka1.c1.i02"),
        title=LONG_TITLE,
        owner=practitioner,
        due_date=date(2026, 1, 15),
        past_date_ok=True,  # overdue on purpose
        user=coordinator,
    )
    invitation = services.invitation_create(
        organisation=organisation, email=LONG_EMAIL, role=Role.VIEWER, invited_by=coordinator
    )
    practice = practice_services.practice_create(
        organisation=organisation,
        user=coordinator,
        name=LONG_TITLE,
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
    base = f"/lv/org/{organisation.slug}/rounds/"
    return Demo(
        coordinator_email=email,
        coordinator_password=password,
        places={
            "org": organisation.slug,
            "round": f"{base}{open_round.pk}/",
            "round_en": f"/en/org/{organisation.slug}/rounds/{open_round.pk}/",
            "closed": f"{base}{closed.pk}/",
            "individual": f"{base}{rounds[INDIVIDUAL_ROUND].pk}/",
            "action": action.pk,
            "practice": f"/lv/org/{organisation.slug}/practices/{practice.pk}/",
            "example": GoodPractice.objects.filter(is_published=True).first().key,
            "survey_token": Survey.objects.get(round=open_round).token,
            "invitation_token": invitation.token,
            "network": Network.objects.get(name=DEMO_NETWORK[0]).slug,
        },
    )


# Elements whose right edge (left edge, right to left) is past the viewport, inside no scrolling
# or clipping box, by a short selector; the page's own scroll width; tables without the class
# `stack`; and, in stacked tables, cells without a visible label.
LAYOUT_PROBLEMS = """() => {
  const width = window.innerWidth;
  // Right to left, a page scrolls sideways to the left: what is past its left edge is lost.
  const rtl = getComputedStyle(document.documentElement).direction === 'rtl';
  const name = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) return s + '#' + el.id;
    if (el.classList.length) s += '.' + [...el.classList].join('.');
    return s;
  };
  const path = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
      parts.unshift(name(e));
      if (e.id) break;
    }
    return parts.join(' > ');
  };
  const clipped = (el) => {
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
      if (getComputedStyle(e).overflowX !== 'visible') return true;
    }
    return false;
  };
  const sticking_out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    const out = rtl ? box.left < -1 : box.right > width + 1;
    if (box.width === 0 || box.height === 0 || !out) continue;
    if (getComputedStyle(el).visibility === 'hidden' || clipped(el)) continue;
    const edge = rtl ? 'left edge ' + Math.round(box.left) : 'right edge ' + Math.round(box.right);
    sticking_out.push(path(el) + ' (' + edge + ')');
  }
  const unlabelled = [];
  const unstacked = [];
  const under_label = [];
  for (const table of document.querySelectorAll('main table')) {
    if (!table.classList.contains('stack')) { unstacked.push(path(table)); continue; }
    const row = table.querySelector('tr');
    if (!row || getComputedStyle(row).display !== 'block') continue;  // not stacked this wide
    for (const cell of table.querySelectorAll('td')) {
      const label = getComputedStyle(cell, '::before');
      const shown = label.display !== 'none' && !['none', 'normal'].includes(label.content);
      if (!cell.dataset.label || !shown || cell.getBoundingClientRect().height === 0)
        unlabelled.push(path(cell));
      // Label and value side by side: every line of the value (each box its text and
      // elements make, line by line) starts past the label's column, never under it.
      // A label on a line of its own (a cell with controls) has nothing beside it. (A floated
      // label computes as a block too: that one has the value beside it.)
      if (!shown || (label.display === 'block' && label.float === 'none')) continue;
      const box = cell.getBoundingClientRect();
      const column = parseFloat(label.width);
      const range = document.createRange();
      range.selectNodeContents(cell);
      for (const line of range.getClientRects()) {
        if (line.width === 0) continue;
        const under = rtl ? line.right > box.right - column + 1 : line.left < box.left + column - 1;
        if (!under) continue;
        under_label.push(path(cell) + ': ' + cell.textContent.trim().slice(0, 40));
        break;
      }
    }
  }
  // Charts (core.charts): one drawing shown per chart, its text readable (an SVG
  // scales its text with its width).
  const small_chart_text = [];
  const charts_shown = new Map();
  for (const svg of document.querySelectorAll('svg.chart')) {
    if (getComputedStyle(svg).display === 'none') continue;
    const holder = svg.parentElement;
    charts_shown.set(holder, (charts_shown.get(holder) || 0) + 1);
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    for (const text of svg.querySelectorAll('text')) {
      const size = parseFloat(text.getAttribute('font-size')) * scale;
      if (size < 10.5)
        small_chart_text.push(text.textContent.trim() + ': ' + size.toFixed(1) + ' px');
    }
  }
  const charts_twice = [...charts_shown].filter(([, n]) => n > 1).map(([el]) => path(el));
  return {
    scroll_width: document.documentElement.scrollWidth,
    inner_width: width,
    sticking_out: sticking_out.slice(0, 8),
    unstacked,
    unlabelled: unlabelled.slice(0, 8),
    under_label: under_label.slice(0, 8),
    small_chart_text: small_chart_text.slice(0, 8),
    charts_twice,
  };
}"""


def _problems(page) -> dict:
    found = page.evaluate(LAYOUT_PROBLEMS)
    problems = {}
    if found["scroll_width"] > found["inner_width"]:
        problems["scrolls sideways"] = f"{found['scroll_width']} > {found['inner_width']}"
    for key in (
        "sticking_out",
        "unstacked",
        "unlabelled",
        "under_label",
        "small_chart_text",
        "charts_twice",
    ):
        if found[key]:
            problems[key] = found[key]
    return problems


def _log_in(page, demo):
    page.goto("/lv/accounts/login/")
    page.locator("#id_username").fill(demo.coordinator_email)
    page.locator("#id_password").fill(demo.coordinator_password)
    page.locator("#id_password").press("Enter")
    page.wait_for_url("**/my/")


def _sweep(browser, live_server, demo, viewport, check_page) -> dict:
    """Visit every page in one browser context (logged in once); what `check_page` finds,
    by page."""
    context = browser.new_context(
        base_url=live_server.url, bypass_csp=True, locale="lv-LV", viewport=viewport
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    found = {}
    try:
        for pages in (PUBLIC_PAGES, MEMBER_PAGES):
            if pages is MEMBER_PAGES:
                _log_in(page, demo)
            for template in pages:
                path = demo.path(template)
                response = page.goto(path)
                assert response.status == 200, (path, response.status)
                problems = check_page(page)
                if problems:
                    found[path] = problems
    finally:
        context.close()
    return found


def _table_roles(page) -> dict:
    """How many of each table role Chromium's own accessibility tree has (not Playwright's
    reading of the DOM): the tree screen readers get."""
    client = page.context.new_cdp_session(page)
    try:
        nodes = client.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        client.detach()
    counts: dict[str, int] = {}
    for node in nodes:
        role = node.get("role", {}).get("value")
        if role in ("table", "row", "columnheader", "rowheader", "cell", "gridcell"):
            counts[role] = counts.get(role, 0) + 1
    return counts


def _stacked_tables_keep_their_roles(page) -> dict:
    tables = page.locator("main table")
    if tables.count() == 0:
        return {}
    problems = {}
    stacked = page.evaluate(
        "() => [...document.querySelectorAll('main table tr')]"
        ".every(row => getComputedStyle(row).display === 'block')"
    )
    if not stacked:
        problems["not stacked at 360 px"] = True
    roles = _table_roles(page)
    if roles.get("table", 0) < tables.count() or not roles.get("columnheader"):
        problems["accessibility tree"] = roles
    if not roles.get("cell") and not roles.get("gridcell"):
        problems["no cells in the accessibility tree"] = roles
    first = page.get_by_role("table").first
    if first.get_by_role("columnheader").count() == 0 or first.get_by_role("cell").count() == 0:
        problems["role queries"] = "no columnheader or cell in the first table"
    violations = axe_violations(page)
    if violations:
        problems["axe"] = violations
    return problems


def _phone_problems(page) -> dict:
    """On the phone, each page is checked once for both: its layout, and its stacked tables
    as screen readers get them."""
    return {**_problems(page), **_stacked_tables_keep_their_roles(page)}


@pytest.mark.parametrize(
    "viewport, check", [(PHONE, _phone_problems), (WIDE, _problems)], ids=["360px", "1280px"]
)
def test_no_page_scrolls_sideways_and_every_table_fits(browser, live_server, demo, viewport, check):
    """On both screens nothing scrolls sideways and every table fits; on the phone, besides,
    stacked tables are still tables for screen readers (and axe finds nothing there)."""
    found = _sweep(browser, live_server, demo, viewport, check)
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)
