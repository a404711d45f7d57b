# Two commands on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Python 3.12+: the one pyenv selects through .python-version, else python3.12 on PATH.
PYTHON ?= $(shell for p in python3.12 python3.13 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { command -v $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never
# Bytecode is compiled once and kept (site-packages when installed, our modules and the
# assertion-rewritten tests when first imported), even where the environment says not to write
# it: otherwise every test worker and every server a test starts compiles Django, WeasyPrint
# and the tests again (about 1 s a process, and 3 s of collection a worker).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: help install run test test-quick lint messages check-python demo

# On every core (pytest-xdist): each worker has its own test database, Chromium and live server.
# Work stealing: a worker that runs out takes queued tests from the other, so the end of the
# run does not wait on one worker's long tail (browser sweeps, PDF layouts).
PYTEST := $(BIN)/python -m pytest -n auto --dist worksteal

help:
	@echo "make run         install, migrate SQLite, load content and demo data, serve http://127.0.0.1:8000/"
	@echo "make test        install and run the whole suite (unit, PostgreSQL integration, browser)"
	@echo "make test-quick  the suite without the browser tests and the PDF rendering (inner loop)"
	@echo "make install     prepare .venv, dependencies and static files only"

check-python:
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is required (install it, or set PYTHON=/path/to/python3.12)."; exit 1; }

$(BIN)/python: | check-python
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check "uv==0.13.8"

install: $(BIN)/python
	$(UV) sync --frozen --compile-bytecode --python $(BIN)/python --quiet
	$(BIN)/python manage.py collectstatic --noinput -v0

run: install
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py load_toolkit
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: install
	$(PYTEST)

test-quick: install
	$(PYTEST) -m "not browser and not pdf"

lint: install
	$(BIN)/ruff check .

messages: install
	$(BIN)/python manage.py makemessages -l lv -l en --ignore=.venv --ignore=staticfiles --no-obsolete --add-location=file
	$(BIN)/python manage.py compilemessages --ignore=.venv
