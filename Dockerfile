# syntax=docker/dockerfile:1
# Build stage: resolve the locked dependencies into a virtual environment.
FROM python:3.12-slim-bookworm AS build
ENV UV_PROJECT_ENVIRONMENT=/opt/venv UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy
RUN pip install --no-cache-dir uv==0.13.8
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

# Runtime stage: WeasyPrint's libraries, fonts with Latvian glyphs, a non-root user.
FROM python:3.12-slim-bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b \
    libfontconfig1 fonts-dejavu-core fonts-noto-core curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home --uid 10001 toolkit
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=toolkit_site.settings.production
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY manage.py ./
COPY toolkit_site ./toolkit_site
COPY content ./content
COPY assessments ./assessments
COPY practices ./practices
COPY templates ./templates
COPY static ./static
COPY locale ./locale
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput -v0
USER toolkit
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s CMD curl -fsS http://127.0.0.1:8000/healthz || exit 1
# Release step (run once per deploy, before the new containers take traffic):
#   docker run --rm --env-file .env IMAGE sh -c "python manage.py migrate --noinput && python manage.py load_toolkit"
CMD ["gunicorn", "toolkit_site.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2", "--access-logfile", "-"]
