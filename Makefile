# CommunityLend: `make run` starts the whole site, `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
export DJANGO_DEBUG ?= 1

.PHONY: run test lint deps deps-dev assets migrate seed clean client client-check

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

## The OpenAPI document (clients/openapi.json) and the typed Python client generated from it
## (clients/python, package communitylend_client) with the pinned openapi-python-client.
client: deps-dev
	$(PY) manage.py spectacular --format openapi-json --file clients/openapi.json --validate --fail-on-warn
	rm -rf clients/python
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/openapi-python-client generate \
		--path clients/openapi.json --output-path clients/python --meta setup \
		--config clients/openapi-python-client.yaml --fail-on-warning

## CI: regenerating the document and the client changes nothing that is committed.
client-check: client
	@git add --intent-to-add clients >/dev/null 2>&1 || true
	@git diff --exit-code --stat -- clients || { echo "clients/ is stale: run 'make client' and commit it"; exit 1; }

lint: deps-dev
	$(VENV)/bin/ruff check .

clean:
	rm -rf var/ staticfiles/ test-artifacts/
