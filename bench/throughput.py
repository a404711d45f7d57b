"""Throughput of members' working cycles and of public pages, against /healthz, in one run.

Run: .venv/bin/python bench/throughput.py [--seconds 3] [--pairs 3] [--connections 4]
Needs PostgreSQL on 127.0.0.1, and wrk and redis-server from Debian.

gunicorn: 2 sync workers, production settings (bench.settings), its own PostgreSQL database
(which keeps the sessions, as in production), the shared cache in a Redis of its own; wrk on
127.0.0.1. The baseline is GET /healthz (a query
of the database). A revalidation is what a proxy or CDN in front sends for a page it keeps: a
GET with the page's ETag in If-None-Match, answered 304 without rendering. A cycle is what a
member does all day: an HTMX save that changes an answer,
then a fresh view of the page it changed (the checklist page; a coordinator's, the summary).
Each wrk connection is a member of its own, saving an item of its own, so saves do not
conflict; a save that did not change the answer, a stale page or any status other than 2xx is
a failure. After each run the answer versions in the database must have grown by exactly the
saves counted. The bench relies on URLs, the save's form fields and the hidden `version-<key>`
input of the HTML it gets back, and status codes: not on the code behind them.
"""

import argparse
import http.cookiejar
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BENCH_DATABASE_URL, ROOT, machine, prepare_database, setup_django  # noqa: E402

PORT = 8765
REDIS_PORT = 8766
ORIGIN = f"http://127.0.0.1:{PORT}"
BASELINE = "/healthz"
AREA = 4  # the key area whose checklist page and handbook chapter are measured
COMMENT = urllib.parse.quote("Pārbaudīts darba grupā.")


def start_redis():
    """The shared cache lives in Redis in production (see settings.base): so it does here."""
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
            urllib.request.urlopen(ORIGIN + BASELINE, timeout=1)
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start")


@dataclass
class Connection:
    """One wrk connection: a member's session, and the item only this connection saves."""

    cookie: str
    csrf: str
    key: str


def log_in(email, password, page_path):
    """The member's session cookies, and the CSRF token of the page at `page_path`."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    login_url = ORIGIN + "/lv/accounts/login/"
    page = opener.open(login_url).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = {"username": email, "password": password, "csrfmiddlewaretoken": token}
    opener.open(
        urllib.request.Request(
            login_url,
            data=urllib.parse.urlencode(data).encode(),
            headers={"Referer": login_url, "Origin": ORIGIN},
        )
    )
    page = opener.open(ORIGIN + page_path).read().decode()
    cookies = {c.name: c.value for c in jar}
    assert "sessionid" in cookies, f"{email} could not log in"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    return "; ".join(f"{k}={v}" for k, v in cookies.items()), token.group(1)


def cpu_ticks(server, redis):
    """CPU time so far of each process serving the run, by pid: (kind, ticks). The kinds are
    gunicorn (the server and its workers), redis, and postgres: the bench database's backends
    and the server's own processes, not other databases' backends (the machine may be shared)."""
    dbname = BENCH_DATABASE_URL.rsplit("/", 1)[1].encode()
    found = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        parent = int(fields[1])
        if int(pid) == server.pid or parent == server.pid:
            kind = "gunicorn"
        elif int(pid) == redis.pid:
            kind = "redis"
        elif command.startswith(b"postgres") and (
            dbname in command or not re.search(rb"\(\d+\)|\[local\]", command)
        ):
            kind = "postgres"
        else:
            continue
        found[pid] = (kind, int(fields[11]) + int(fields[12]))  # utime + stime
    return found


def cpu_used(before, after) -> dict[str, int]:
    """Ticks used between two readings, by kind. A process that ended meanwhile (an autovacuum
    worker, say) is left out: its time cannot be read any more."""
    used = dict.fromkeys(("gunicorn", "postgres", "redis"), 0)
    for pid, (kind, ticks) in after.items():
        used[kind] += ticks - before.get(pid, (kind, 0))[1]
    return used


CPU_SECONDS_PER_TICK = 1 / os.sysconf("SC_CLK_TCK")
CPU_KINDS = ("gunicorn", "postgres", "redis", "wrk")


@dataclass
class Run:
    """One wrk run. `units` are requests, or cycles for a cycle script."""

    units: int
    rate: float
    p50: float
    p99: float
    cpu: dict
    failures: int
    reasons: list = field(default_factory=list)
    connections: list = field(default_factory=list)  # (key, version, value, saves, in flight)


def wrk(path, seconds, *, connections, script, env=None, processes=None):
    """Run wrk with one connection per thread; the CPU ms of each kind of process per unit."""
    before, wrk_before = cpu_ticks(*processes), resource.getrusage(resource.RUSAGE_CHILDREN)
    command = ["wrk", f"-t{connections}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    completed = subprocess.run(
        command + ["-s", str(ROOT / "bench" / script), ORIGIN + path],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=True,
    )
    after, wrk_after = cpu_ticks(*processes), resource.getrusage(resource.RUSAGE_CHILDREN)
    output = completed.stdout
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    lines = [line.split("\t") for line in output.splitlines() if line.startswith("bench-")]
    seconds_measured = int(next(f[1] for f in lines if f[0] == "bench-duration")) / 1e6
    failures = [f for f in lines if f[0] == "bench-failures"]
    connection_lines = [f for f in lines if f[0] == "bench-connection"]
    reasons = [f[2] for f in failures if f[2]]
    socket_errors = re.search(r"Socket errors: (.*)", output)
    if socket_errors:
        reasons.append("socket errors: " + socket_errors.group(1))
    units = sum(int(f[5]) for f in connection_lines) if connection_lines else requests
    wrk_seconds = (
        wrk_after.ru_utime + wrk_after.ru_stime - wrk_before.ru_utime - wrk_before.ru_stime
    )
    cpu = {
        kind: ticks * CPU_SECONDS_PER_TICK * 1000 / max(units, 1)
        for kind, ticks in cpu_used(before, after).items()
    }
    cpu["wrk"] = wrk_seconds * 1000 / max(units, 1)
    return Run(
        units=units,
        rate=units / seconds_measured,
        p50=_latency(output, "50"),
        p99=_latency(output, "99"),
        cpu=cpu,
        failures=sum(int(f[1]) for f in failures) + (1 if socket_errors else 0),
        reasons=reasons,
        connections=[(f[1], int(f[2]), f[3], int(f[4]), int(f[6])) for f in connection_lines],
    )


def _latency(output, percentile):
    match = re.search(rf"{percentile}%\s+([\d.]+)(us|ms|s)", output)
    return float(match.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[match.group(2)]


@dataclass
class Target:
    name: str
    unit: str  # "req" or "cycle"
    goal: float | None
    run: object  # seconds -> Run
    pairs: list = field(default_factory=list)  # (ratio, Run)
    failures: int = 0
    reasons: list = field(default_factory=list)
    saves: int = 0
    stored: int = 0  # answer versions the database gained
    late: int = 0  # saves sent as wrk stopped, stored though wrk did not count them
    mismatches: list = field(default_factory=list)


def check_saves(target, before, after, run):
    """Hold a cycle run's saves against the answers' versions the database gained."""
    gained = sum(version for _, version in after.values()) - sum(
        version for _, version in before.values()
    )
    late = 0
    for key, version, value, _saves, in_flight in run.connections:
        stored_value, stored_version = after[key]
        if in_flight and stored_version == version + 1:
            late += 1
        elif (stored_version, stored_value) != (version, value):
            target.mismatches.append(
                f"{key}: stored {stored_value} v{stored_version}, wrk saw {value} v{version}"
            )
    saves = sum(connection[3] for connection in run.connections)
    if gained != saves + late:
        target.mismatches.append(f"versions +{gained} for {saves} saves (+{late} late)")
    target.saves += saves
    target.stored += gained
    target.late += late


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=3, help="of each wrk run")
    parser.add_argument("--pairs", type=int, default=3, help="baseline-target turns per target")
    parser.add_argument("--connections", type=int, default=4, help="of wrk, one per thread")
    args = parser.parse_args()
    for tool, package in (("wrk", "wrk"), ("redis-server", "redis-server")):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is needed: apt-get install {package}")
    prepare_database()
    setup_django()
    from bench import data

    organisation = data.complete_organisation()
    round_ = data.open_round(organisation)
    keys = data.item_keys(AREA)
    n = args.connections
    if len(keys) < 2 * n:
        raise SystemExit(
            f"key area {AREA} has {len(keys)} items: at most {len(keys) // 2} connections"
        )
    round_path = f"/lv/org/{organisation.slug}/rounds/{round_.pk}/"
    area_path = round_path + f"areas/{AREA}/"

    load_before = os.getloadavg()[0]
    redis = start_redis()
    server = start_gunicorn()
    processes = (server, redis)
    try:
        teams = {
            role: [
                Connection(*log_in(email, data.PASSWORD, area_path), key)
                for email, key in zip(data.members(organisation, role, n), own_keys, strict=True)
            ]
            for role, own_keys in (("practitioner", keys[:n]), ("coordinator", keys[n : 2 * n]))
        }

        def get(path):
            return lambda seconds: wrk(
                path, seconds, connections=n, script="get.lua", processes=processes
            )

        def revalidate(path):
            etag = urllib.request.urlopen(ORIGIN + path).headers["ETag"]
            return lambda seconds: wrk(
                path,
                seconds,
                connections=n,
                script="get.lua",
                env={"BENCH_ETAG": etag},
                processes=processes,
            )

        def cycle(role, view_path):
            def run(seconds):
                stored = data.answers(round_)
                lines = (
                    "\t".join([c.cookie, c.csrf, c.key, str(stored[c.key][1]), stored[c.key][0]])
                    for c in teams[role]
                )
                env = {
                    "BENCH_CONNECTIONS": "\n".join(lines),
                    "BENCH_ORIGIN": ORIGIN,
                    "BENCH_SAVE_PATH": round_path + "items/",
                    "BENCH_PAGE_PATH": area_path,
                    "BENCH_VIEW_PATH": view_path,
                    "BENCH_COMMENT": COMMENT,
                    "BENCH_VIEW_SHOWS_ITEM": "1" if view_path == area_path else "",
                }
                return wrk(
                    view_path,
                    seconds,
                    connections=n,
                    script="cycle.lua",
                    env=env,
                    processes=processes,
                )

            return run

        targets = [
            Target(
                "member: save, then the checklist page",
                "cycle",
                0.08,
                cycle("practitioner", area_path),
            ),
            Target(
                "coordinator: save, then the summary",
                "cycle",
                0.06,
                cycle("coordinator", round_path + "summary/"),
            ),
            Target(
                f"key area {AREA} handbook page (public)",
                "req",
                0.60,
                get(f"/lv/key-areas/{AREA}/"),
            ),
            Target(
                f"key area {AREA} handbook page revalidated (public, 304)",
                "req",
                3.00,
                revalidate(f"/lv/key-areas/{AREA}/"),
            ),
            Target("glossary (public)", "req", None, get("/lv/glossary/")),
            Target(
                "good-practice library search (public)",
                "req",
                None,
                get("/lv/practices/?q=integr%C4%81cija"),
            ),
        ]

        def measure(target, seconds):
            before = data.answers(round_)
            run = target.run(seconds)
            if target.unit == "cycle":
                time.sleep(0.5)  # a save sent as wrk stopped is finished by its worker meanwhile
                check_saves(target, before, data.answers(round_), run)
            target.failures += run.failures
            target.reasons += run.reasons
            return run

        baseline = get(BASELINE)
        baselines = [baseline(1)]
        for target in targets:  # warm up caches and workers; failures count all the same
            measure(target, 1)
        for target in targets:
            # Side by side: the baseline and the target take turns, and the ratio is the median
            # of each pair's, so that the machine's drift during the run falls on both sides.
            for _ in range(args.pairs):
                base = baseline(args.seconds)
                run = measure(target, args.seconds)
                baselines.append(base)
                target.pairs.append((run.rate / base.rate, run))
    finally:
        server.terminate()
        server.wait()
        redis.terminate()
        redis.wait()
    report(args, targets, baselines, (load_before, os.getloadavg()[0]))


def report(args, targets, baselines, load):
    measured = baselines[1:]  # not the warm-up
    rates = [run.rate for run in measured]
    failures = sum(run.failures for run in baselines)
    print(
        f"machine: {machine()}; gunicorn 2 sync workers, production settings, PostgreSQL, Redis; "
        f"wrk {args.connections} connections, one member and one item each; load average "
        f"(1 min) {load[0]:.1f} before the run, {load[1]:.1f} after it, the bench's own included"
    )
    print(
        f"baseline GET {BASELINE}: {min(rates):.0f} to {max(rates):.0f} req/s this run "
        f"(median {statistics.median(rates):.0f}, CPU ms per request: "
        + ", ".join(
            f"{kind} {statistics.median(run.cpu[kind] for run in measured):.2f}"
            for kind in CPU_KINDS
        )
        + f"); failures: {failures}"
        + "".join(f"; {reason}" for run in baselines for reason in run.reasons)
    )
    print(
        f"each target {args.pairs} times {args.seconds} s, each time right after the baseline; "
        "ratio = the target's per second / the baseline's req/s; ratio, rate, p50 and CPU: "
        "the median pair; p99: the worst run; p50 and p99 are per request. A cycle is 2 "
        "requests (a save, then a page)."
    )
    print()
    print(f"{'':98}CPU ms per request or cycle")
    print(
        f"{'target':40} {'per s':>13} {'ratio':>6} {'goal':>5} {'result':>6} {'p50 ms':>7} "
        f"{'p99 ms':>7} {'fail':>5}  " + " ".join(f"{kind:>8}" for kind in CPU_KINDS)
    )
    for target in targets:
        target.pairs.sort(key=lambda pair: pair[0])
        ratio, run = target.pairs[len(target.pairs) // 2]
        p99 = max(result.p99 for _, result in target.pairs)
        failed = target.failures + len(target.mismatches)
        if target.goal is None:
            goal, verdict = "", "MISS" if failed else ""
        else:
            goal = f"{target.goal:.0%}"
            verdict = "PASS" if ratio >= target.goal and not failed else "MISS"
        print(
            f"{target.name:40} {f'{run.rate:.1f} {target.unit}s':>13} {ratio:6.1%} {goal:>5} "
            f"{verdict:>6} {run.p50:7.1f} {p99:7.1f} {failed:5d}  "
            + " ".join(f"{run.cpu[kind]:8.2f}" for kind in CPU_KINDS)
        )
    print()
    for target in targets:
        if target.unit == "cycle":
            print(
                f"{target.name}: {target.saves} saves counted by wrk (with the warm-up), "
                f"{target.stored} answer versions gained in the database"
                + (f" ({target.late} of them sent as wrk stopped)" if target.late else "")
                + (": " + "; ".join(target.mismatches) if target.mismatches else ": they agree")
            )
        if target.reasons:
            print(f"{target.name} failures: " + "; ".join(target.reasons))


if __name__ == "__main__":
    main()
