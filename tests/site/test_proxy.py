"""The shipped proxy (Caddyfile) in front of gunicorn as the Dockerfile runs it: clients sending
their bodies slowly do not stall the site, and the proxy's own refusals carry security headers.

Runs Debian's caddy and gunicorn on free ports; the app uses the development settings on an
empty SQLite file (/healthz needs no tables)."""

import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.test_deploy_files import exec_form, final_stage

ROOT = Path(settings.BASE_DIR)
SLOW_CLIENTS = 8  # twice the threads of the one worker below


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def caddy() -> str:
    binary = shutil.which("caddy")
    if not binary:
        if os.environ.get("CI"):
            pytest.fail("caddy is required in CI (apt-get install caddy).")
        pytest.skip("caddy not installed (apt-get install caddy)")
    return binary


def caddyfile(binary: str) -> str:
    """The shipped Caddyfile; Debian bookworm's caddy (2.6.2) knows `request_buffers` (2.6.4)
    by its older name, which buffers the whole body."""
    text = (ROOT / "Caddyfile").read_text(encoding="utf-8")
    version = subprocess.run([binary, "version"], capture_output=True, text=True).stdout
    major, minor, patch = map(int, re.search(r"(\d+)\.(\d+)\.(\d+)", version).groups())
    if (major, minor, patch) < (2, 6, 4):
        text = re.sub(r"request_buffers \S+", "buffer_requests", text)
    return text


def gunicorn_argv(port: int) -> list[str]:
    (command,) = [args for keyword, args in final_stage() if keyword == "CMD"]
    argv = exec_form(command)
    argv[argv.index("--bind") + 1] = f"127.0.0.1:{port}"
    return [sys.executable, "-m", *argv]


def get(port: int, path: str, timeout: float):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders())
    finally:
        connection.close()


def wait_until_up(port: int, processes, seconds: float = 40) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for process in processes:
            assert process.poll() is None, process.stderr.read()[-2000:]
        try:
            if get(port, "/healthz", timeout=2)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError("the site did not come up")


def start_caddy(tmp_path: Path, upstream_port: int) -> tuple[subprocess.Popen, int]:
    binary = caddy()
    port = free_port()
    config = tmp_path / f"Caddyfile-{port}"
    config.write_text(caddyfile(binary), encoding="utf-8")
    process = subprocess.Popen(
        [binary, "run", "--adapter", "caddyfile", "--config", str(config)],
        env=environment()
        | {
            "SITE_URL": f"http://127.0.0.1:{port}",
            "APP_UPSTREAM": f"127.0.0.1:{upstream_port}",
            "CADDY_ADMIN": f"127.0.0.1:{free_port()}",
            "HOME": str(tmp_path),
            "XDG_DATA_HOME": str(tmp_path),
            "XDG_CONFIG_HOME": str(tmp_path),
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    return process, port


def environment() -> dict:
    return {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "REDIS_URL"}
    }


def stop(*processes) -> None:
    for process in processes:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The proxy's port, with caddy in front of gunicorn (one worker)."""
    tmp_path = tmp_path_factory.mktemp("proxy")
    app_port = free_port()
    app = subprocess.Popen(
        gunicorn_argv(app_port),
        cwd=ROOT,
        env=environment()
        | {
            "DJANGO_SETTINGS_MODULE": "toolkit_site.settings.dev",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "WEB_CONCURRENCY": "1",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    proxy, port = start_caddy(tmp_path, app_port)
    try:
        wait_until_up(port, [app, proxy])
        yield port
    finally:
        stop(proxy, app)


def test_clients_sending_slowly_do_not_stall_the_site(site):
    slow = []
    for _ in range(SLOW_CLIENTS):
        client = socket.create_connection(("127.0.0.1", site))
        client.sendall(
            f"POST /lv/accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1:{site}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n"
            "u".encode()
        )
        slow.append(client)
    try:
        time.sleep(1)  # the slow requests are under way
        started = time.monotonic()
        status, _headers = get(site, "/healthz", timeout=10)
        assert status == 200
        assert time.monotonic() - started < 3
    finally:
        for client in slow:
            client.close()


def test_a_body_over_the_proxys_limit_is_refused(site):
    connection = http.client.HTTPConnection("127.0.0.1", site, timeout=10)
    try:
        connection.request("POST", "/lv/accounts/login/", body=b"x" * (4 * 1000 * 1000))
    except (BrokenPipeError, ConnectionResetError):
        pass  # the proxy may answer before taking the whole body
    response = connection.getresponse()
    connection.close()
    # 413, or 502 from Debian's caddy 2.6.2, whose proxy reports the cut body so.
    assert response.status in (413, 502)


def test_the_proxys_own_error_page_carries_security_headers(tmp_path):
    proxy, port = start_caddy(tmp_path, free_port())  # nothing listens there: 502
    try:
        deadline = time.monotonic() + 20
        while True:
            assert proxy.poll() is None, proxy.stderr.read()[-2000:]
            try:
                status, headers = get(port, "/lv/", timeout=5)
                break
            except OSError:
                assert time.monotonic() < deadline, "caddy did not start"
                time.sleep(0.1)
    finally:
        stop(proxy)
    assert status == 502
    assert headers["Server"] == "Caddy"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert headers["Strict-Transport-Security"].startswith("max-age=")
    assert headers["Cache-Control"] == "no-store"
