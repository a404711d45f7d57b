"""Throughput of real pages against a minimal Django view, on the same gunicorn, in one run.

Run: .venv/bin/python bench/throughput.py [--seconds 3] [--pairs 3]
Needs PostgreSQL, and wrk and redis-server from Debian.
gunicorn: 2 workers, production settings (bench.settings), PostgreSQL, sessions in Redis (as in
production); wrk on 127.0.0.1 only.
"""

import argparse
import http.cookiejar
import os
import re
import resource
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BENCH_DATABASE_URL, ROOT, machine, prepare_database, setup_django  # noqa: E402

PORT = 8765
REDIS_PORT = 8766
ORIGIN = f"http://127.0.0.1:{PORT}"


def start_redis():
    """Sessions live in Redis in production (see settings.base): so they do here."""
    process = subprocess.Popen(
        ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(100):
        if subprocess.run(
            ["redis-cli", "-p", str(REDIS_PORT), "ping"], capture_output=True
        ).stdout.startswith(b"PONG"):
            return process
        time.sleep(0.05)
    process.kill()
    raise SystemExit("redis-server did not start")


def start_gunicorn():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": BENCH_DATABASE_URL,
        "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
    }
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "toolkit_site.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(ORIGIN + "/healthz", timeout=1)
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start")


def log_in(email, password):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(ORIGIN + "/lv/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"username": email, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(
        ORIGIN + "/lv/accounts/login/",
        data=data,
        headers={"Referer": ORIGIN + "/lv/accounts/login/"},
    )
    opener.open(request)
    cookies = {c.name: c.value for c in jar}
    assert "sessionid" in cookies, "login failed"
    return "; ".join(f"{k}={v}" for k, v in cookies.items()), cookies["csrftoken"]


def cpu_ticks():
    """CPU time so far of each process serving the run, by pid: (kind, ticks), kind being
    gunicorn, postgres or redis."""
    found = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        for kind in ("gunicorn", "postgres", "redis"):
            if kind.encode() in command or stat.startswith(f"{pid} ({kind}"):
                found[pid] = (kind, int(fields[11]) + int(fields[12]))  # utime + stime
                break
    return found


def cpu_used(before, after) -> dict[str, int]:
    """Ticks used between two readings, by kind. A process that ended meanwhile (an autovacuum
    worker, say) is left out: its time cannot be read any more."""
    used = dict.fromkeys(("gunicorn", "postgres", "redis"), 0)
    for pid, (kind, ticks) in after.items():
        used[kind] += ticks - before.get(pid, (kind, 0))[1]
    return used


CPU_SECONDS_PER_TICK = 1 / os.sysconf("SC_CLK_TCK")


def wrk(path, seconds, *, cookie=None, script=None, env=None, connections=8, threads=2):
    """Requests/s, p50 and p99 (ms), errors, and the CPU ms per request of each kind of process."""
    before, wrk_before = cpu_ticks(), resource.getrusage(resource.RUSAGE_CHILDREN)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if script:
        command += ["-s", str(script)]
    output = subprocess.run(
        command + [ORIGIN + path],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=True,
    ).stdout
    after, wrk_after = cpu_ticks(), resource.getrusage(resource.RUSAGE_CHILDREN)
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    cpu = {
        kind: ticks * CPU_SECONDS_PER_TICK * 1000 / requests
        for kind, ticks in cpu_used(before, after).items()
    }
    cpu["wrk"] = (
        (wrk_after.ru_utime + wrk_after.ru_stime - wrk_before.ru_utime - wrk_before.ru_stime)
        * 1000
        / requests
    )
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return (
        rps,
        _latency(output, "50"),
        _latency(output, "99"),
        int(non2xx.group(1)) if non2xx else 0,
        cpu,
    )


def _latency(output, percentile):
    match = re.search(rf"{percentile}%\s+([\d.]+)(us|ms|s)", output)
    return float(match.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[match.group(2)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=3, help="of each wrk run")
    parser.add_argument("--pairs", type=int, default=3, help="baseline-target turns per target")
    args = parser.parse_args()
    for tool, package in (("wrk", "wrk"), ("redis-server", "redis-server")):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is needed: apt-get install {package}")
    prepare_database()
    setup_django()
    from django.urls import NoReverseMatch, reverse

    from bench.data import PASSWORD, complete_organisation, rated_practice
    from content.models import ChecklistItem, Indicator

    organisation = complete_organisation()
    round_ = organisation.rounds.order_by("-created_at").first()
    if not round_.is_open:
        from assessments import services

        services.round_reopen(round=round_, user=organisation.memberships.first().user)
    email = organisation.memberships.first().user.email
    base = f"/lv/org/{organisation.slug}/rounds/{round_.pk}/"
    practice = rated_practice(organisation)
    practice_base = f"/lv/org/{organisation.slug}/practices/{practice.pk}/"
    targets = [
        ("baseline: HttpResponse('ok')", "/bench/ok", False, None),
        ("key area reading page (public)", "/lv/key-areas/4/", False, 0.50),
        ("glossary (public)", "/lv/glossary/", False, 0.50),
        ("checklist page, answered round", base + "areas/4/", True, 0.25),
        ("summary page", base + "summary/", True, 0.20),
        # The assessment table, held to the goals of its counterparts in the self-assessment.
        ("practice rating page, all rated", practice_base, True, 0.25),
        ("practice result page", practice_base + "result/", True, 0.20),
    ]
    try:
        targets.insert(
            3,
            (
                "good-practice library search (public)",
                reverse("practices:library") + "?q=integr%C4%81cija",
                False,
                0.50,
            ),
        )
    except NoReverseMatch:
        pass

    redis = start_redis()
    server = start_gunicorn()
    try:
        cookie, csrf = log_in(email, PASSWORD)
        items = list(
            ChecklistItem.objects.filter(checklist__key_area__number=2).values_list(
                "key", flat=True
            )[:4]
        )
        indicators = list(Indicator.objects.current().values_list("key", flat=True)[:4])
        save_env = {
            "BENCH_COOKIE": cookie,
            "BENCH_CSRF": csrf,
            "BENCH_ORIGIN": ORIGIN,
            "BENCH_ITEMS": ",".join(items),
            "BENCH_SAVE_PATH": base + "items/",
        }
        saves = [
            ("HTMX answer save (POST)", base + "items/x/", save_env, 0.25),
            (
                "HTMX practice rating save (POST)",
                practice_base + "indicators/x/",
                {
                    **save_env,
                    "BENCH_ITEMS": ",".join(indicators),
                    "BENCH_SAVE_PATH": practice_base + "indicators/",
                    "BENCH_VALUES": "1,2,3",
                    "BENCH_TEXT_FIELD": "evidence",
                },
                0.25,
            ),
            # For reference, not a page: a minimal write through Django's login check on this
            # stack (session, user query, CSRF check, one UPDATE and its commit).
            (
                "reference: Django login, one UPDATE",
                "/bench/write/x/",
                {**save_env, "BENCH_SAVE_PATH": "/bench/write/"},
                None,
            ),
        ]
        runs = [
            (name, target, lambda s, path=path, auth=auth: wrk(path, s, cookie=auth and cookie))
            for name, path, auth, target in targets[1:]
        ] + [
            (
                name,
                target,
                lambda s, path=path, env=env: wrk(
                    path, s, script=ROOT / "bench/save.lua", env=env, connections=4, threads=4
                ),
            )
            for name, path, env, target in saves
        ]
        for _name, _target, run in runs:  # warm up caches and workers
            run(1)
        baselines, results = [], []
        for name, target, run in runs:
            # Side by side: the baseline and the target take turns, and the ratio is the median
            # of each pair's, so that the machine's drift during the run (seen here: 2,700 to
            # 3,400 req/s for the baseline within minutes) falls on both sides alike.
            pairs = []
            for _ in range(args.pairs):
                baseline = wrk(targets[0][1], args.seconds)
                measured = run(args.seconds)
                baselines.append(baseline[0])
                pairs.append((measured[0] / baseline[0], measured))
            pairs.sort(key=lambda pair: pair[0])
            ratio, (rps, p50, _p99, _errors, cpu) = pairs[len(pairs) // 2]
            p99 = max(measured[2] for _, measured in pairs)
            errors = sum(measured[3] for _, measured in pairs)
            results.append((name, rps, ratio, p50, p99, errors, target, cpu))
    finally:
        server.terminate()
        server.wait()
        redis.terminate()
        redis.wait()

    print(
        f"machine: {machine()}; gunicorn 2 workers, production settings, PostgreSQL, Redis; "
        f"each target {args.pairs} times {args.seconds} s, each time right after the baseline "
        f"(HttpResponse('ok'), {min(baselines):.0f} to {max(baselines):.0f} req/s this run); "
        "ratio, req/s, p50 and CPU: the median pair; p99: the worst of the target's runs"
    )
    print(
        f"{'target':42} {'req/s':>9} {'ratio':>7} {'goal':>6} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'errors':>7}    CPU ms per request: gunicorn, postgres, redis, wrk"
    )
    for name, rps, ratio, p50, p99, errors, target, cpu in results:
        if target is None:
            goal, mark = "", ""
        else:
            goal, mark = f"{target:5.0%}", "ok" if ratio >= target else "LOW"
        print(
            f"{name:42} {rps:9.1f} {ratio:6.0%} {goal:>6} {p50:7.1f} {p99:7.1f} {errors:7d} "
            f"{mark:3}  {cpu['gunicorn']:5.2f} {cpu['postgres']:5.2f} {cpu['redis']:5.2f} "
            f"{cpu['wrk']:5.2f}"
        )


if __name__ == "__main__":
    main()
