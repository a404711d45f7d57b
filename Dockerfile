# syntax=docker/dockerfile:1
# The production image: gunicorn serving Django, WhiteNoise serving the static files.
#
#   docker build -t toolkit .
#
# Release step, once per deploy and before the new containers take traffic (compose.yaml runs
# it as its `release` service):
#
#   docker run --rm --env-file .env toolkit \
#     sh -c "python manage.py migrate --noinput && python manage.py load_toolkit"
#
# Settings come from the environment (SECRET_KEY and DATABASE_URL at least): see the README's
# "Running in production".

# --- build: the locked dependencies in a virtual environment ---------------------------------
FROM python:3.12-slim-bookworm AS build
ENV UV_PROJECT_ENVIRONMENT=/opt/venv \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN pip install --no-cache-dir uv==0.13.8
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

# --- runtime: WeasyPrint's libraries, fonts with Latvian glyphs, a non-root user
# (the survey poster's Cyrillic and Arabic come from the vendored DejaVu Sans in static/fonts) --------------
FROM python:3.12-slim-bookworm AS runtime
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
    libfontconfig1 fontconfig fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/* \
 && fc-cache -f \
 && groupadd --system --gid 10001 toolkit \
 && useradd --system --uid 10001 --gid toolkit --no-create-home --home-dir /app \
    --shell /usr/sbin/nologin toolkit \
 && install -d -o toolkit -g toolkit -m 0700 /data/media
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    XDG_CACHE_HOME=/tmp/.cache \
    DJANGO_SETTINGS_MODULE=toolkit_site.settings.production \
    MEDIA_ROOT=/data/media \
    WEB_CONCURRENCY=3
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY manage.py ./
COPY toolkit_site ./toolkit_site
COPY core ./core
COPY accounts ./accounts
COPY content ./content
COPY assessments ./assessments
COPY practices ./practices
COPY surveys ./surveys
COPY peers ./peers
COPY networks ./networks
COPY reporting ./reporting
COPY operations ./operations
COPY templates ./templates
COPY static ./static
COPY locale ./locale
# Hashed, compressed copies for WhiteNoise (CompressedManifestStaticFilesStorage in the
# production settings). The key only satisfies the settings: nothing is signed at build time.
RUN SECRET_KEY=collectstatic-only-not-a-secret python manage.py collectstatic --noinput -v0 \
 && python -m compileall -q manage.py toolkit_site core accounts content assessments practices surveys reporting operations

# The code stays owned by root: the app can read it but not change it.
USER toolkit:toolkit
EXPOSE 8000
# /healthz answers 200 when the app and its database work. The request names an allowed host
# (the first plain entry of ALLOWED_HOSTS) so that Django's host check lets it through.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; host = next((h.strip().lstrip('.') for h in os.environ.get('ALLOWED_HOSTS', '').split(',') if h.strip() and '*' not in h), 'localhost'); urllib.request.urlopen(urllib.request.Request('http://127.0.0.1:8000/healthz', headers={'Host': host}), timeout=4)"]
# Workers from WEB_CONCURRENCY, four threads each (gthread): a slow client holds one thread,
# never a whole worker, and idle keep-alive connections hold none. The proxy in front
# (Caddyfile) reads request bodies whole before passing them on. A PDF report takes a second
# or two, hence the longer timeout. No control socket: it would live in the home directory,
# which this user cannot write.
CMD ["gunicorn", "toolkit_site.wsgi:application", "--bind", "0.0.0.0:8000", \
     "--worker-class", "gthread", "--threads", "4", \
     "--timeout", "60", "--graceful-timeout", "30", "--keep-alive", "5", \
     "--max-requests", "1000", "--max-requests-jitter", "100", \
     "--access-logfile", "-", "--no-control-socket"]
