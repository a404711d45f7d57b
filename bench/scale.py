"""Scale: the same pages at 1 organisation and at 2,000 (5 rounds each, all answered).

Run: .venv/bin/python bench/scale.py [--organisations 2000] [--rounds 5]
Every organisation also has a practice with all 34 indicators rated.
Uses its own database (toolkit_scale) and no page cache, so every request does the real work.
Prints query counts and median times for each page at both sizes, and their ratio.

Peers: .venv/bin/python bench/scale.py --peers [--organisations 10000 --sharing 5000]
measures the summary of a sharing organisation (with its peer comparison) at 1 organisation
and at 10,000, of which 5,000 share (each with a closed round's snapshot, written in bulk:
peers and statistics read nothing else), and the open statistics page at 10,000 beside the
summary. The pool's figures are kept in a cache of their own here ("peers": Redis when it
answers, as in production, else the process's memory); pages are still not cached. Goals:
the summary at 10,000 within 20 % of itself at 1, the statistics page under the summary.
A private organisation's summary (which reads nothing of the pool) is measured beside it at
both sizes: its ratio is the machine's drift between the two measurements, and the summary's
ratio is also printed less that drift.
Start from an empty database (dropdb toolkit_scale), or set BENCH_DATABASE_URL.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/toolkit_scale")

from bench.common import machine, prepare_database, setup_django  # noqa: E402

SAMPLES = 41


class AnswerSave:
    """One HTMX answer save per call, following the version the server returns (no conflict)."""

    def __init__(self, client, round_, key):
        self.client, self.round, self.key = client, round_, key
        organisation = round_.organisation.slug
        self.url = f"/lv/org/{organisation}/rounds/{round_.pk}/items/{key}/"
        self.version, self.calls = None, 0

    def __call__(self):
        import re

        from assessments.models import Answer

        if self.version is None:
            answer = Answer.objects.get(round=self.round, item__key=self.key)
            self.version = answer.version
        self.calls += 1
        response = self.client.post(
            self.url,
            {
                f"value-{self.key}": ("yes", "partly", "no")[self.calls % 3],
                f"comment-{self.key}": "scale",
                f"version-{self.key}": str(self.version),
            },
            headers={"HX-Request": "true"},
        )
        found = re.search(r'name="version-[^"]+" value="(\d+)"', response.text)
        assert found and "Saglabāts" in response.text, response.text[:500]
        self.version = int(found.group(1))
        return response


def measure(client, urls):
    """Query count and median time of each page. The pages take turns, one request each per
    pass, so that a drift of the machine during the measurement touches them all alike."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    requests = {
        name: url if callable(url) else (lambda url=url: client.get(url))
        for name, url in urls.items()
    }
    for request in requests.values():
        request()  # warm
    times = {name: [] for name in requests}
    for _ in range(SAMPLES):
        for name, request in requests.items():
            start = time.perf_counter()
            response = request()
            times[name].append(time.perf_counter() - start)
            assert response.status_code == 200, (name, response.status_code)
    results = {}
    for name, request in requests.items():
        with CaptureQueriesContext(connection) as queries:
            request()
        results[name] = (len(queries), statistics.median(times[name]) * 1000)
    return results


def generate(organisations, rounds):
    """Many organisations with complete rounds, written in bulk."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.utils import timezone

    from assessments.models import Answer, Membership, Note, Organisation, Round
    from content.models import ChecklistItem, Indicator, KeyArea
    from practices.models import Practice, Rating

    items = list(ChecklistItem.objects.current().values_list("pk", flat=True))
    indicators = list(Indicator.objects.current().values_list("pk", flat=True))
    ratings = ["0", "1", "2", "3", "na"]
    areas = list(KeyArea.objects.current().values_list("pk", flat=True))
    existing = Organisation.objects.count()
    rng = random.Random(7)
    values = ["yes", "partly", "no", "na"]
    now = timezone.now()
    batch = 100
    user_model = get_user_model()
    for start in range(existing, organisations, batch):
        with transaction.atomic():
            orgs = Organisation.objects.bulk_create(
                Organisation(
                    slug=f"scale-{n}",
                    name=f"Organizācija {n}",
                    org_type="ngo",
                    city="Rīga",
                    country="LV",
                )
                for n in range(start, min(start + batch, organisations))
            )
            users = user_model.objects.bulk_create(
                user_model(
                    username=f"scale-{o.slug}@bench.example",
                    email=f"scale-{o.slug}@bench.example",
                    password="!",
                )
                for o in orgs
            )
            Membership.objects.bulk_create(
                Membership(user=u, organisation=o, role="coordinator")
                for u, o in zip(users, orgs, strict=True)
            )
            round_objs = Round.objects.bulk_create(
                Round(
                    organisation=o,
                    name=f"Kārta {r}",
                    status="closed" if r < rounds - 1 else "open",
                    created_at=now - timezone.timedelta(days=60 * (rounds - r)),
                )
                for o in orgs
                for r in range(rounds)
            )
            Answer.objects.bulk_create(
                (
                    Answer(
                        round=ro,
                        item_id=i,
                        value=rng.choice(values),
                        version=1,
                        comment="Komentārs par šo punktu.",
                        updated_by=users[0],
                    )
                    for ro in round_objs
                    for i in items
                ),
                batch_size=5000,
            )
            Note.objects.bulk_create(
                (
                    Note(round=ro, key_area_id=a, text="Piezīmes " * 30, version=1)
                    for ro in round_objs
                    for a in areas
                ),
                batch_size=5000,
            )
            practices = Practice.objects.bulk_create(
                Practice(organisation=o, name=f"Prakse {o.slug}", created_by=u, updated_by=u)
                for o, u in zip(orgs, users, strict=True)
            )
            Rating.objects.bulk_create(
                (
                    Rating(
                        practice=p,
                        indicator_id=i,
                        value=rng.choice(ratings),
                        evidence="Pierādījumi.",
                        version=1,
                        updated_by=u,
                    )
                    for p, u in zip(practices, users, strict=True)
                    for i in indicators
                ),
                batch_size=5000,
            )
        print(f"  {min(start + batch, organisations)} organisations", end="\r", flush=True)
    # Settle the database before measuring: statistics, visibility maps and a checkpoint now,
    # rather than autovacuum and the checkpointer competing with the measurement later.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("CHECKPOINT")
    print()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--organisations", type=int, default=None)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--peers", action="store_true", help="peers and statistics at scale")
    parser.add_argument("--sharing", type=int, default=None, help="--peers: how many share")
    args = parser.parse_args()
    if args.peers:
        from bench.scale_peers import main as peers_main

        organisations = args.organisations or 10_000
        return peers_main(organisations, args.sharing or organisations // 2, measure)
    args.organisations = args.organisations or 2000
    prepare_database()
    setup_django("bench.settings_scale")
    from django.conf import settings
    from django.test import Client

    from bench.data import complete_organisation, rated_practice

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

    organisation = complete_organisation(slug="scale-probe", rounds=args.rounds)
    round_ = organisation.rounds.order_by("-created_at").first()
    practice = rated_practice(organisation)
    client = Client()
    client.force_login(organisation.memberships.first().user)
    base = f"/lv/org/{organisation.slug}/"
    urls = {
        "control: HttpResponse('ok')": "/bench/ok",
        "organisation page": base,
        "round overview": f"{base}rounds/{round_.pk}/",
        "checklist page 5.4": f"{base}rounds/{round_.pk}/areas/4/",
        "summary": f"{base}rounds/{round_.pk}/summary/",
        "review (all rounds)": f"{base}review/",
        "key area reading page": "/lv/key-areas/4/",
        "library search": "/lv/practices/?q=integr%C4%81cija",
        "HTMX answer save": AnswerSave(client, round_, "ka4.c1.i01"),
        "practice rating page": f"{base}practices/{practice.pk}/",
        "practice result page": f"{base}practices/{practice.pk}/result/",
    }
    from assessments.models import Organisation

    if Organisation.objects.count() > 1:
        raise SystemExit("Start from an empty scale database: dropdb toolkit_scale")
    small = measure(client, urls)
    print(f"generating {args.organisations} organisations x {args.rounds} rounds ...")
    started = time.perf_counter()
    generate(args.organisations, args.rounds)
    print(f"generated in {time.perf_counter() - started:.0f} s")
    large = measure(client, urls)

    from assessments.models import Answer

    print(f"machine: {machine()}; answers in the database: {Answer.objects.count():,}")
    print(f"{'page':30} {'queries @1':>10} {'@N':>5} {'median ms @1':>13} {'@N':>8} {'ratio':>7}")
    for name in urls:
        (q1, t1), (qn, tn) = small[name], large[name]
        flag = "ok" if q1 == qn and tn <= t1 * 1.10 else "CHECK"
        print(f"{name:30} {q1:10d} {qn:5d} {t1:13.1f} {tn:8.1f} {tn / t1:6.2f}x {flag}")


if __name__ == "__main__":
    main()
