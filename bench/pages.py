"""Member pages rendered in-process: median of 30 GETs and the queries each costs.

The demo municipality's coordinator (seed_demo) reads the summary of the open round, a
checklist page and the round page through django.test.Client, production settings, the cache
of each process (locmem) as without Redis.

Run: .venv/bin/python bench/pages.py [--profile summary]   (needs PostgreSQL on 127.0.0.1:5432)
"""

import argparse
import cProfile
import os
import pstats
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/toolkit_pages")

from bench.common import ROOT, machine, median_ms, prepare_database, setup_django  # noqa: E402

RUNS = 30
SLUG = "dzintarkrasta-pasvaldiba"
LOGIN = "koordinatore@dzintarkrasts.example"


def seed():
    env = {**os.environ, "DATABASE_URL": os.environ["BENCH_DATABASE_URL"]}
    env["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    subprocess.run(
        [sys.executable, "manage.py", "seed_demo", "--force"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--profile", choices=["summary", "area", "round"])
    parser.add_argument("--sort", default="tottime")
    args = parser.parse_args()

    prepare_database()
    seed()
    setup_django("bench.settings")
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from assessments.models import Membership

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    membership = Membership.objects.select_related("organisation", "user").get(
        organisation__slug=SLUG, user__username=LOGIN
    )
    round_ = membership.organisation.rounds.filter(status="open").latest("created_at")
    client = Client()
    client.force_login(membership.user)
    base = f"/lv/org/{SLUG}/rounds/{round_.pk}/"
    pages = {"summary": base + "summary/", "area": base + "areas/4/", "round": base}

    for url in pages.values():  # warm up templates, translations and per-revision memos
        for _ in range(3):
            assert client.get(url).status_code == 200

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(RUNS):
            client.get(pages[args.profile])
        profiler.disable()
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(40)
        return

    print(f"machine: {machine()}")
    print(f"demo coordinator, open round {round_.pk}; median of {RUNS} GETs, interleaved")
    samples = {name: [] for name in pages}
    cpu = {name: [] for name in pages}
    for _ in range(RUNS):
        for name, url in pages.items():
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            samples[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - start_cpu)
            assert response.status_code == 200, (url, response.status_code)
    for name, url in pages.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        print(
            f"{name:8} {median_ms(samples[name]):7.1f} ms (CPU of this process "
            f"{median_ms(cpu[name]):6.1f} ms)  {len(queries):3d} queries  "
            f"{len(response.content) // 1024:4d} KiB  {url}"
        )


if __name__ == "__main__":
    main()
