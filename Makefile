# CommunityLend: `make run` starts the whole site, `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
export DJANGO_DEBUG ?= 1

.PHONY: run test lint deps deps-dev assets migrate seed clean

$(VENV)/.deps: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.deps-dev: $(VENV)/.deps requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

node_modules/.deps: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

deps: $(VENV)/.deps
deps-dev: $(VENV)/.deps-dev
assets: node_modules/.deps

migrate: deps
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

## Web (127.0.0.1:8000), Celery worker and beat in one terminal; Ctrl-C stops all three.
run: deps assets seed
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/honcho start -f Procfile

## The whole suite with ruff. DATABASE_URL/REDIS_URL switch it to PostgreSQL and Redis.
test: deps-dev assets
	$(VENV)/bin/ruff check .
	$(PY) -m pytest

lint: deps-dev
	$(VENV)/bin/ruff check .

clean:
	rm -rf var/ staticfiles/ test-artifacts/
