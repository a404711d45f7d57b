"""Peers and open statistics at scale (bench/scale.py --peers): see that module's docstring."""

import cProfile
import pstats
import random
import statistics
import time

from bench.common import machine, prepare_database, setup_django

BATCH = 500
TYPES = ["local_authority", "ngo", "ngo", "education", "state_authority", "religious", "other"]


def generate_pool(organisations: int, sharing: int) -> None:
    """`organisations` with one closed round each and its snapshot (as a close writes it), the
    first `sharing` of them sharing (pool or network), written in bulk."""
    from django.db import connection, transaction
    from django.utils import timezone

    from assessments.models import Organisation, Round
    from content.models import KeyArea
    from peers import pool
    from peers.models import AreaFigures, RoundFigures

    areas = list(KeyArea.objects.current().values_list("pk", flat=True))
    rng = random.Random(28)
    now = timezone.now()
    verdicts = ["comprehensive", "improve", "improve", "rethink"]
    for start in range(0, organisations, BATCH):
        numbers = range(start, min(start + BATCH, organisations))
        with transaction.atomic():
            orgs = Organisation.objects.bulk_create(
                Organisation(
                    slug=f"pool-{n}",
                    name=f"Organizācija {n}",
                    org_type=TYPES[n % len(TYPES)],
                    city="Rīga",
                    country="LV",
                    sharing=("pool", "network")[n % 2] if n < sharing else "private",
                )
                for n in numbers
            )
            rounds = Round.objects.bulk_create(
                Round(organisation=o, name="Kārta 1", status="closed", closed_at=now) for o in orgs
            )
            figures = RoundFigures.objects.bulk_create(
                RoundFigures(
                    round=r, organisation=o, closed_at=now, latest=True, answered=1, applicable=1
                )
                for r, o in zip(rounds, orgs, strict=True)
            )
            AreaFigures.objects.bulk_create(
                (
                    AreaFigures(
                        figures=f,
                        key_area_id=a,
                        # One area in ten unfinished (no score), as in real pools.
                        score=None if rng.random() < 0.1 else round(rng.random(), 4),
                        verdict=rng.choice(verdicts),
                        answered=20,
                        applicable=20,
                    )
                    for f in figures
                    for a in areas
                ),
                batch_size=5000,
            )
        print(f"  {numbers.stop} organisations", end="\r", flush=True)
    pool.bump()  # bulk writes send no signals: the pool changed
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        cursor.execute("CHECKPOINT")
    print()


def computing_ms(function, samples=5) -> float:
    """The median time of computing the pool's figures afresh (what the first request after a
    change of the pool pays)."""
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def profile(client, url, top=15) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(10):
        client.get(url)
    profiler.disable()
    # The project's own functions (Django's request handling is the same at any size).
    project = r"/(peers|reporting|assessments|surveys|core|content)/"
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(project, top)


def main(organisations: int, sharing: int, measure) -> None:
    prepare_database()
    setup_django("bench.settings_scale")
    from django.conf import settings
    from django.test import Client

    from assessments.models import Organisation
    from bench.data import complete_organisation
    from peers import comparison
    from peers import statistics as open_statistics

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if Organisation.objects.exclude(slug__in=["scale-probe", "scale-private"]).exists():
        raise SystemExit("Start from an empty scale database: dropdb toolkit_scale")
    probe = complete_organisation(slug="scale-probe", rounds=2)
    probe.sharing = "pool"
    probe.save(update_fields=["sharing"])
    # A private organisation's summary, measured beside the other: it reads nothing of the
    # pool, so its change from 1 to N is the machine's drift between the two measurements.
    private = complete_organisation(slug="scale-private", rounds=2)
    person = probe.memberships.first().user  # a coordinator of both
    private.memberships.get_or_create(user=person, defaults={"role": "coordinator"})
    client = Client()
    client.force_login(person)

    def summary_of(organisation):
        round_ = organisation.rounds.order_by("-created_at").first()
        return f"/lv/org/{organisation.slug}/rounds/{round_.pk}/summary/"

    summary = summary_of(probe)
    urls = {
        "summary (with peers)": summary,
        "summary (private)": summary_of(private),
        "statistics page": "/lv/statistics/",
    }
    small = measure(client, urls)
    print(f"generating {organisations} organisations, {sharing} sharing ...")
    started = time.perf_counter()
    generate_pool(organisations, sharing)
    print(f"generated in {time.perf_counter() - started:.0f} s")
    large = measure(client, urls)
    assert 'data-peers="shown"' in client.get(summary).text, "no comparison at scale"
    computed = {
        "peer figures": computing_ms(comparison._distributions),
        "statistics": computing_ms(open_statistics._figures),
    }

    print(f"machine: {machine()}; cache of the pool's figures: {settings.CACHES['peers']}")
    print(f"organisations: {Organisation.objects.count():,}, sharing: {sharing:,}")
    print(f"{'page':24} {'queries @1':>10} {'@N':>5} {'median ms @1':>13} {'@N':>8} {'ratio':>7}")
    for name in urls:
        (q1, t1), (qn, tn) = small[name], large[name]
        print(f"{name:24} {q1:10d} {qn:5d} {t1:13.1f} {tn:8.1f} {tn / t1:6.2f}x")
    summary_ratio = large["summary (with peers)"][1] / small["summary (with peers)"][1]
    drift = large["summary (private)"][1] / small["summary (private)"][1]
    statistics_ratio = large["statistics page"][1] / large["summary (with peers)"][1]
    goals = [
        ("summary @N / summary @1 (goal <= 1.20)", summary_ratio, summary_ratio <= 1.20),
        ("statistics @N / summary @N (goal < 1.00)", statistics_ratio, statistics_ratio < 1.0),
    ]
    for name, ratio, met in goals:
        print(f"{name:44} {ratio:6.2f}x {'ok' if met else 'MISSED'}")
    print(
        f"{'  the same, less the drift of the private one':44} {summary_ratio / drift:6.2f}x"
        f" (private summary @N / @1: {drift:.2f}x)"
    )
    for name, ms in computed.items():
        print(f"computing the {name} afresh @N (once per change of the pool): {ms:.0f} ms")
    if not all(met for _name, _ratio, met in goals):
        for url in urls.values():
            print(f"profile of {url} @N (10 requests):")
            profile(client, url)
