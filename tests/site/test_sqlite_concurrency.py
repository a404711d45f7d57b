"""`make run`'s path (runserver's threads on a SQLite file) under simultaneous saves: they wait
for each other instead of failing with "database is locked"."""

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

SERVER = Path(__file__).with_name("sqlite_server.py")
CSRF_TOKEN = "t" * 32
# Ten members' browsers saving at once, three saves each (runserver's listen queue holds 10).
AT_ONCE = 10
SAVES = 3 * AT_ONCE


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port: int, server: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server stopped"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("the server did not start")


@pytest.fixture
def sqlite_server(tmp_path):
    port = free_port()
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "REDIS_URL"}
    }
    environment["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    server = subprocess.Popen(
        [sys.executable, str(SERVER), str(port)],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = ""
        while not line.startswith("seeded "):  # the log goes to stdout too
            line = server.stdout.readline()
            assert line, server.stderr.read()[-2000:]
        seeded = json.loads(line.removeprefix("seeded "))
        wait_for(port, server)
        yield port, seeded
    finally:
        server.terminate()
        server.wait(timeout=10)


def request(port, method, path, session, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Cookie": f"sessionid={session}; csrftoken={CSRF_TOKEN}"}
    if body is not None:
        headers |= {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-CSRFToken": CSRF_TOKEN,
            "HX-Request": "true",
        }
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_simultaneous_saves_on_a_sqlite_file_all_stored(sqlite_server):
    port, seeded = sqlite_server
    status, document = request(port, "GET", seeded["export_url"], seeded["sessions"][0])
    assert status == 200
    keys = [answer["item"] for answer in json.loads(document)["answers"]][:SAVES]
    values = ["yes", "partly", "no"]
    wanted = {key: (values[i % 3], f"comment {i}") for i, key in enumerate(keys)}
    barrier = threading.Barrier(AT_ONCE)
    statuses = {}

    def save_in_turn(worker):
        barrier.wait()
        for key in keys[worker::AT_ONCE]:
            value, comment = wanted[key]
            body = f"value-{key}={value}&comment-{key}={comment.replace(' ', '+')}&version-{key}=0"
            session = seeded["sessions"][worker % 2]
            statuses[key] = request(port, "POST", f"{seeded['save_url']}{key}/", session, body)[0]

    threads = [threading.Thread(target=save_in_turn, args=(i,)) for i in range(AT_ONCE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(statuses.values()) == [200] * SAVES, statuses
    status, document = request(port, "GET", seeded["export_url"], seeded["sessions"][1])
    stored = {
        answer["item"]: (answer["value"], answer["comment"])
        for answer in json.loads(document)["answers"]
    }
    assert {key: stored[key] for key in keys} == wanted
