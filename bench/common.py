"""Shared set-up for the benchmarks: a PostgreSQL database of their own, filled with data."""

import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/toolkit_bench"
)


def setup_django(settings_module="bench.settings"):
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module
    os.environ.setdefault("DATABASE_URL", BENCH_DATABASE_URL)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare_database():
    """Create the bench database if needed, migrate it and load the handbook."""
    import psycopg

    dbname = BENCH_DATABASE_URL.rsplit("/", 1)[1]
    with psycopg.connect(BENCH_DATABASE_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as c:
        exists = c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone()
        if not exists:
            c.execute(f'CREATE DATABASE "{dbname}"')
    env = {
        **os.environ,
        "DATABASE_URL": BENCH_DATABASE_URL,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
    }
    for command in (["migrate", "--noinput", "-v0"], ["load_toolkit"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )


def median_ms(samples):
    return statistics.median(samples) * 1000


def p99_ms(samples):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000


def machine():
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {cpu}"
