"""The Dockerfile, compose.yaml and the README's production section, checked against the project.

Docker cannot build here, so these tests catch what would otherwise break only at build or
deploy time: a COPY of a path that is not there or not in the build context, an app left out
of the image, a command that does not exist, a secret written into a file.
"""

import fnmatch
import importlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command, get_commands
from django.test import override_settings
from django.urls import resolve

from core.healthz import healthz

ROOT = Path(settings.BASE_DIR)
DOCKERFILE = ROOT / "Dockerfile"
COMPOSE = ROOT / "compose.yaml"
CADDYFILE = ROOT / "Caddyfile"
README = ROOT / "README.md"
PYTHON_IMAGE = re.compile(r"^python:3\.12(\.\d+)?-slim-bookworm(@sha256:[0-9a-f]{64})?$")


def instructions(path: Path = DOCKERFILE) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) for each instruction: continuations joined, comments dropped."""
    logical, current = [], ""
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith("#") or (not stripped and not current):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        logical.append(current + stripped)
        current = ""
    assert not current, "the Dockerfile ends inside a continued line"
    parsed = []
    for text in logical:
        keyword, _, arguments = text.partition(" ")
        parsed.append((keyword.upper(), arguments.strip()))
    return parsed


def final_stage() -> list[tuple[str, str]]:
    steps = instructions()
    last_from = max(i for i, (keyword, _) in enumerate(steps) if keyword == "FROM")
    return steps[last_from:]


def exec_form(arguments: str) -> list[str]:
    assert arguments.startswith("["), f"use the exec (JSON) form: {arguments[:60]}"
    return json.loads(arguments)


def copy_sources(arguments: str) -> list[str]:
    parts = [p for p in arguments.split() if not p.startswith("--")]
    return parts[:-1]


def dockerignore_patterns() -> list[str]:
    lines = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def ignored(relative: str, patterns: list[str]) -> bool:
    """Whether .dockerignore keeps `relative` (or a folder above it) out of the build context."""
    parts = Path(relative).parts
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    for pattern in patterns:
        pattern = pattern.rstrip("/")
        if pattern.startswith("**/"):
            if any(fnmatch.fnmatchcase(part, pattern[3:]) for part in parts):
                return True
        elif any(fnmatch.fnmatchcase(prefix, pattern) for prefix in prefixes):
            return True
    return False


def project_apps() -> list[str]:
    """The project's own Django apps: top-level packages with an apps.py."""
    return sorted(p.parent.name for p in ROOT.glob("*/apps.py"))


# --- Dockerfile ---------------------------------------------------------------------------


def test_image_is_built_in_stages_on_python_3_12_slim_bookworm():
    images = [arguments.split()[0] for keyword, arguments in instructions() if keyword == "FROM"]
    assert len(images) >= 2, "a build stage and a runtime stage"
    for image in images:
        assert PYTHON_IMAGE.match(image), f"base image {image} is not python:3.12-slim-bookworm"


def test_every_copy_source_exists_and_is_in_the_build_context():
    patterns = dockerignore_patterns()
    copies = [args for keyword, args in instructions() if keyword in {"COPY", "ADD"}]
    assert copies
    for arguments in copies:
        if "--from=" in arguments:
            continue
        for source in copy_sources(arguments):
            path = ROOT / source
            assert path.exists(), f"COPY {source}: no such file or folder"
            assert not ignored(source, patterns), f"COPY {source}: excluded by .dockerignore"
            for file in [path] if path.is_file() else path.rglob("*"):
                relative = file.relative_to(ROOT).as_posix()
                if file.is_file() and "__pycache__" not in relative:
                    assert not ignored(relative, patterns), f"{relative}: excluded by .dockerignore"


def test_the_image_holds_every_app_and_what_django_needs_at_run_time():
    copied = {
        source.rstrip("/")
        for keyword, arguments in final_stage()
        if keyword == "COPY" and "--from=" not in arguments
        for source in copy_sources(arguments)
    }
    needed = {*project_apps(), "manage.py", "toolkit_site", "templates", "static", "locale"}
    assert "operations" in needed
    assert needed <= copied, f"not copied into the image: {sorted(needed - copied)}"


def test_dependencies_come_from_the_lock_file_without_dev_tools():
    steps = instructions()
    syncs = [args for keyword, args in steps if keyword == "RUN" and "uv sync" in args]
    assert syncs, "the image installs its dependencies with uv sync"
    for command in syncs:
        assert "--frozen" in command.split(), "uv sync must use --frozen (exactly uv.lock)"
        assert "--no-dev" in command.split()
    assert any(
        keyword == "COPY" and {"pyproject.toml", "uv.lock"} <= set(copy_sources(args))
        for keyword, args in steps
    )
    lock = (ROOT / "uv.lock").read_text(encoding="utf-8")
    for package in ("gunicorn", "whitenoise", "weasyprint", "psycopg"):
        assert f'name = "{package}"' in lock


def test_runtime_has_weasyprint_libraries_and_fonts_with_latvian_glyphs():
    installs = " ".join(
        args for keyword, args in final_stage() if keyword == "RUN" and "apt-get install" in args
    )
    for package in (
        "libpango-1.0-0",
        "libpangoft2-1.0-0",
        "libharfbuzz0b",
        "libfontconfig1",
        "fonts-dejavu-core",
    ):
        assert package in installs.split(), f"{package} is not installed in the runtime image"
    assert "curl" not in installs.split(), "the health check needs no curl"


def test_static_files_are_collected_at_build_time_with_whitenoise(monkeypatch, tmp_path):
    steps = final_stage()
    collect = next(
        i for i, (keyword, args) in enumerate(steps) if keyword == "RUN" and "collectstatic" in args
    )
    copied_static = next(
        i
        for i, (keyword, args) in enumerate(steps)
        if keyword == "COPY" and "static" in copy_sources(args)
    )
    assert copied_static < collect
    monkeypatch.setenv("SECRET_KEY", "test-only")
    monkeypatch.setenv("SITE_URL", "https://toolkit.example.org")
    production = importlib.import_module("toolkit_site.settings.production")
    storage = production.STORAGES["staticfiles"]["BACKEND"]
    assert storage == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    # The manifest step is the one that fails a build (a url() to a missing file); the
    # compression WhiteNoise adds on top of it cannot.
    manifest = {
        **production.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=manifest):
        call_command("collectstatic", interactive=False, verbosity=0)
    names = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    assert {"css/site.css", "vendor/htmx.min.js", "fonts/DejaVuSans.ttf"} <= set(names)


def test_the_app_runs_as_a_non_root_user():
    steps = final_stage()
    cmd = max(i for i, (keyword, _) in enumerate(steps) if keyword == "CMD")
    users = [args for keyword, args in steps[:cmd] if keyword == "USER"]
    assert users, "no USER before CMD: the app would run as root"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}


def test_cmd_runs_gunicorn_with_the_projects_wsgi_application():
    from gunicorn.config import Config

    commands = [args for keyword, args in final_stage() if keyword == "CMD"]
    assert len(commands) == 1
    argv = exec_form(commands[0])
    assert argv[0] == "gunicorn"
    assert "toolkit_site.wsgi:application" in argv
    assert (ROOT / "toolkit_site" / "wsgi.py").exists()
    options = Config().parser().parse_args(argv[1:])  # exits on an option gunicorn lacks
    port = options.bind[0].rsplit(":", 1)[1]
    exposed = [args for keyword, args in final_stage() if keyword == "EXPOSE"]
    assert exposed == [port]


def healthcheck_code() -> str:
    (arguments,) = [args for keyword, args in final_stage() if keyword == "HEALTHCHECK"]
    _, _, command = arguments.partition("CMD ")
    argv = exec_form(command.strip())
    assert argv[:2] == ["python", "-c"], "the health check runs Python (no curl in the image)"
    return argv[2]


def test_healthcheck_calls_healthz():
    code = healthcheck_code()
    assert "http://127.0.0.1:8000/healthz" in code
    assert resolve("/healthz").func is healthz


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("allowed_hosts, healthy", [("localhost", True), ("other.example", False)])
def test_healthcheck_passes_only_when_healthz_answers_200(live_server, allowed_hosts, healthy):
    code = healthcheck_code().replace("http://127.0.0.1:8000", live_server.url)
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={"ALLOWED_HOSTS": allowed_hosts},
        capture_output=True,
        timeout=30,
    )
    assert (result.returncode == 0) is healthy, result.stderr.decode()[-500:]


# --- commands named anywhere in the deploy files ----------------------------------------------


def test_every_manage_py_command_in_the_deploy_files_exists():
    named = set()
    for path in (DOCKERFILE, COMPOSE, README):
        named |= set(
            re.findall(r"python\s+manage\.py\s+([a-z][a-z0-9_]*)", path.read_text("utf-8"))
        )
    assert {"migrate", "load_toolkit", "collectstatic", "backup_data", "restore_data"} <= named
    commands = get_commands()
    assert named <= set(commands), f"not management commands: {sorted(named - set(commands))}"


# --- compose.yaml -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def test_compose_runs_the_app_and_postgres_15_with_a_named_volume(compose):
    services = compose["services"]
    assert {"app", "db", "release"} <= set(services)
    db = services["db"]
    assert db["image"] == "postgres:15"
    volume = db["volumes"][0].split(":")[0]
    assert volume in compose["volumes"], "the database lives in a named volume"
    app = services["app"]
    assert app["build"] == "."
    assert app["depends_on"]["release"]["condition"] == "service_completed_successfully"
    assert app["depends_on"]["db"]["condition"] == "service_healthy"


def test_compose_release_step_migrates_and_loads_the_handbook(compose):
    release = compose["services"]["release"]
    command = " ".join(release["command"])
    assert "python manage.py migrate --noinput && python manage.py load_toolkit" in command
    assert release["restart"] == "no"
    assert release["environment"] == compose["services"]["app"]["environment"]


def test_compose_takes_every_secret_from_the_environment(compose):
    reference = re.compile(r"^\$\{[A-Z_]+(:?\?[^}]*|:-)?\}$")  # required, or empty by default
    for name, service in compose["services"].items():
        for key, value in (service.get("environment") or {}).items():
            if re.search(r"SECRET|PASSWORD|TOKEN|_KEY", key):
                assert reference.match(str(value)), f"{name}.{key} is written into the file"
    app = compose["services"]["app"]["environment"]
    assert re.match(r"^\$\{SECRET_KEY:\?.+\}$", app["SECRET_KEY"]), "SECRET_KEY must be required"
    url = app["DATABASE_URL"]
    assert re.match(r"^postgres://\w+:\$\{POSTGRES_PASSWORD:\?[^}]+\}@db:5432/\w+$", url)


def test_compose_sets_only_variables_that_the_settings_or_gunicorn_read(compose):
    sources = "".join(
        p.read_text("utf-8") for p in (ROOT / "toolkit_site" / "settings").glob("*.py")
    )
    for key in compose["services"]["app"]["environment"]:
        assert key == "WEB_CONCURRENCY" or f'"{key}"' in sources, f"{key} is not read anywhere"


def test_compose_runs_housekeeping_every_hour_once_the_release_is_done(compose):
    service = compose["services"]["housekeeping"]
    command = " ".join(service["command"])
    assert re.search(r"while true; do python manage\.py housekeeping; sleep 3600; done", command)
    assert service["environment"] == compose["services"]["app"]["environment"]
    assert service["depends_on"]["release"]["condition"] == "service_completed_successfully"
    assert service["restart"] == "unless-stopped" and not service.get("ports")
    cron = "0 * * * * cd /srv/toolkit && docker compose exec -T app python manage.py housekeeping"
    assert cron in README.read_text(encoding="utf-8")  # or from the host's cron instead


def published_on_all_interfaces(service: dict) -> list[str]:
    """The service's published ports that a host's other machines can reach."""
    return [
        str(port)
        for port in service.get("ports", [])
        if not str(port).startswith(("127.0.0.1:", "localhost:", "[::1]:"))
    ]


def test_only_the_proxy_is_published_and_it_reaches_the_app(compose):
    services = compose["services"]
    for name, service in services.items():
        if name != "proxy":
            assert not published_on_all_interfaces(service), f"{name} is reachable from outside"
    proxy = services["proxy"]
    assert proxy["image"].startswith("caddy:2")
    assert {"80:80", "443:443"} <= set(proxy["ports"])
    assert "./Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    assert proxy["environment"]["SITE_URL"] == services["app"]["environment"]["SITE_URL"]
    assert re.match(r"^\$\{SITE_URL:\?.+\}$", proxy["environment"]["SITE_URL"]), "required"
    # Its default upstream is the app's service and the port gunicorn binds.
    upstream = re.search(r"reverse_proxy \{\$APP_UPSTREAM:([\w.-]+):(\d+)\}", caddyfile())
    assert upstream, "reverse_proxy {$APP_UPSTREAM:app:8000}"
    assert upstream.group(1) == "app"
    exposed = [args for keyword, args in final_stage() if keyword == "EXPOSE"]
    assert exposed == [upstream.group(2)]


def test_the_app_trusts_exactly_the_one_proxy(compose):
    assert str(compose["services"]["app"]["environment"]["AXES_PROXY_COUNT"]) == "1"
    # Caddy writes X-Forwarded-For itself (a client's own header is dropped) unless told to
    # trust a proxy in front of it.
    assert "trusted_proxies" not in caddyfile()


def caddyfile() -> str:
    """The Caddyfile without its comments."""
    lines = CADDYFILE.read_text(encoding="utf-8").splitlines()
    return "\n".join(line.split("#", 1)[0].rstrip() for line in lines)


def caddy_bytes(size: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([KMG]B)", size).groups()
    return int(number) * {"KB": 1000, "MB": 1000**2, "GB": 1000**3}[unit]


def test_the_proxy_buffers_and_limits_bodies_above_the_apps_limit():
    text = caddyfile()
    max_size = caddy_bytes(re.search(r"request_body \{\s*max_size (\S+)\s*\}", text).group(1))
    buffered = caddy_bytes(re.search(r"request_buffers (\S+)", text).group(1))
    assert buffered >= max_size, "every body the proxy accepts is read whole first"
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE < max_size <= 10 * 1000**2


def test_the_proxy_reads_with_time_limits_and_heads_its_own_errors():
    text = caddyfile()
    timeouts = dict(re.findall(r"^\s*(read_header|read_body|write|idle) (\d+[sm])$", text, re.M))
    assert {"read_header", "read_body", "write", "idle"} <= set(timeouts)
    errors = text.split("handle_errors", 1)[1]
    for header in (
        "Strict-Transport-Security",
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "X-Frame-Options",
    ):
        assert header in errors, f"{header} missing on the proxy's error pages"


def test_gunicorn_workers_are_threaded_with_timeouts():
    from gunicorn.config import Config

    (command,) = [args for keyword, args in final_stage() if keyword == "CMD"]
    options = Config().parser().parse_args(exec_form(command)[1:])
    assert options.worker_class == "gthread"
    assert options.threads >= 2
    assert 30 <= options.timeout <= 90
    assert options.graceful_timeout and options.keepalive


# --- .dockerignore and README -------------------------------------------------------------


def test_dockerignore_keeps_local_state_and_secrets_out_of_the_image():
    patterns = dockerignore_patterns()
    for path in (".git", ".venv", ".env", "db.sqlite3", "staticfiles", "tests/conftest.py"):
        assert ignored(path, patterns), f"{path} would be sent to the build"


def test_readme_ends_with_running_in_production():
    text = README.read_text(encoding="utf-8")
    sections = re.findall(r"^## (.+)$", text, flags=re.MULTILINE)
    assert sections[-1] == "Running in production"
    section = text.split("## Running in production", 1)[1]
    for needed in (
        "DATABASE_URL",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        "EMAIL_HOST",
        "compose.yaml",
        "release",
        "backup_data",
        "restore_data",
        "SITE_URL",
        "Caddyfile",
        "gthread",
    ):
        assert needed in section


def test_the_proxy_takes_an_evidence_file_on_its_upload_path_alone():
    """The upload path gets a limit of its own, above the app's (a file and a form's data),
    and is read whole first like every other body; the path is the app's upload URL."""
    from django.urls import reverse

    text = caddyfile()
    pattern = re.search(r"@evidence_upload path_regexp (\S+)", text).group(1)
    block = text.split("handle @evidence_upload", 1)[1]
    max_size = caddy_bytes(re.search(r"request_body \{\s*max_size (\S+)\s*\}", block).group(1))
    buffered = caddy_bytes(re.search(r"request_buffers (\S+)", block).group(1))
    assert buffered >= max_size
    app_limit = settings.EVIDENCE_MAX_FILE_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert app_limit < max_size <= app_limit + 2 * 1000**2
    upload = reverse("assessments:evidence_add", args=["riga", 12, "ka1.c1.i01"])
    assert re.match(pattern, upload)
    assert not re.match(pattern, reverse("assessments:area", args=["riga", 12, 1]))
