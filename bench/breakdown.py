"""Where a member's and a coordinator's cycle spend their time, in-process, phase by phase.

The same organisation, round and key area as bench/throughput.py (bench.data), production
settings, django.test.Client, no Redis (sessions are in PostgreSQL as in production; the cache
of each process is locmem). Each request is timed whole (median of RUNS), then the parts of
its view are timed alone, called as the view calls them:

- access: the membership and the round (`selectors.membership_and_round`)
- data: what the view reads and computes (the save's service and progress; a page's context)
- render: the template alone, with the same context
- request: the rest (middleware, the session and the user, Django's request and response)

It also counts queries and the template nodes each page renders. Run:
    .venv/bin/python bench/breakdown.py        (needs PostgreSQL on 127.0.0.1:5432)
"""

import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import machine, prepare_database, setup_django  # noqa: E402

RUNS = 40
AREA = 4


def timed(function, runs=RUNS):
    """The median milliseconds of `function()`, after two warm-up calls."""
    function(), function()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def main():
    prepare_database()
    setup_django("bench.settings")
    from django.conf import settings
    from django.db import connection
    from django.template import Node
    from django.template.loader import render_to_string
    from django.test import Client, RequestFactory
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from assessments import scoring, selectors, services
    from assessments.models import Answer, Membership
    from assessments.views import answering
    from bench import data
    from content.cache import checklist_item_by_key, key_area_by_number
    from reporting import views as reporting_views

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    translation.activate("lv")
    organisation = data.complete_organisation()
    round_ = data.open_round(organisation)
    email = data.members(organisation, "coordinator", 1)[0]
    membership = Membership.objects.select_related("organisation", "user").get(
        organisation=organisation, user__username=email
    )
    user = membership.user
    client = Client()
    client.force_login(user)
    key_area = key_area_by_number(AREA)
    item = checklist_item_by_key(data.item_keys(AREA)[-1])
    base = f"/lv/org/{organisation.slug}/rounds/{round_.pk}/"
    factory_request = RequestFactory().get(base)
    factory_request.user = user
    state = {"answer": Answer.objects.filter(round=round_, item=item).first()}

    def next_value():
        answer = state["answer"]
        return (
            "no" if answer and answer.value == "yes" else "yes"
        ), answer.version if answer else 0

    def save_request():
        value, version = next_value()
        response = client.post(
            f"{base}items/{item.key}/",
            {f"value-{item.key}": value, f"comment-{item.key}": "", f"version-{item.key}": version},
            headers={"HX-Request": "true", "HX-Target": "state"},
        )
        assert response.status_code == 200, response.status_code
        shown = re.search(rf'name="version-{re.escape(item.key)}" value="(\d+)"', response.text)
        state["answer"].value, state["answer"].version = value, int(shown.group(1))

    def save_data():
        value, version = next_value()
        saved = services.answer_set(
            round=round_, item=item, value=value, comment="", expected_version=version, user=user
        )
        assert saved.conflict is None
        state["answer"] = saved.record
        selectors.area_result(round_, key_area, user=user)

    def save_render():
        row = selectors.item_row(round_, item, state["answer"])
        context = {
            "item_template": "assessments/area.html#item_state",
            "progress_template": "assessments/area.html#progress",
            "row": row,
            "result": scoring.area_result([row.value]),
            "round": round_,
            "organisation": organisation,
            "editable": True,
            "answers_editable": True,
            "answer_choices": answering.answer_choices(),
            "item_save_url": answering._item_save_url(organisation, round_),
            "just_saved": True,
        }
        render_to_string("includes/item_saved.html", context, request=factory_request)

    area_context = answering._area_context(membership, round_, key_area)
    summary_context = reporting_views._summary_context(membership, round_)
    targets = {
        "save (HTMX)": (
            save_request,
            save_data,
            save_render,
        ),
        "checklist page": (
            lambda: client.get(f"{base}areas/{AREA}/"),
            lambda: answering._area_context(membership, round_, key_area),
            lambda: render_to_string(
                "assessments/area.html", area_context, request=factory_request
            ),
        ),
        "summary page": (
            lambda: client.get(f"{base}summary/"),
            lambda: reporting_views._summary_context(membership, round_),
            lambda: render_to_string(
                "assessments/summary.html", summary_context, request=factory_request
            ),
        ),
    }

    # Template nodes rendered per page: every node's render goes through render_annotated.
    rendered = {"nodes": 0}
    plain_render_annotated = Node.render_annotated

    def counting_render_annotated(node, context):
        rendered["nodes"] += 1
        return plain_render_annotated(node, context)

    print(f"machine: {machine()}")
    print(
        f"bench organisation {organisation.slug}, open round {round_.pk}, key area {AREA}, "
        f"its coordinator; median of {RUNS}; ms in this process"
    )
    print()
    header = f"{'':16}{'whole':>8}{'request':>9}{'access':>8}{'data':>8}{'render':>8}"
    print(header + f"{'queries':>9}{'nodes':>8}")
    for name, (whole, data_part, render_part) in targets.items():
        total = timed(whole)
        access = timed(lambda: selectors.membership_and_round(user, organisation.slug, round_.pk))
        reads = timed(data_part)
        render = timed(render_part)
        Node.render_annotated = counting_render_annotated
        rendered["nodes"] = 0
        with CaptureQueriesContext(connection) as queries:
            whole()
        Node.render_annotated = plain_render_annotated
        rest = total - access - reads - render
        print(
            f"{name:16}{total:8.1f}{rest:9.1f}{access:8.1f}{reads:8.1f}{render:8.1f}"
            f"{len(queries):9d}{rendered['nodes']:8d}"
        )
    print()
    print(
        "A member's cycle is a save and the checklist page; a coordinator's, a save and the "
        "summary. bench/throughput.py measures them under gunicorn."
    )


if __name__ == "__main__":
    os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/toolkit_bench")
    main()
