# The two commands of the README: `make run` (the demo on a bare Debian/Ubuntu machine) and
# `make test` (the whole suite). Both install what they need first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export HOST ?= 0.0.0.0
export PORT ?= 8000
# Real services used by the second pass of `make test` (required under CI=true).
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/training
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15

APP_PACKAGES := fonts-noto-cjk fonts-arphic-ukai libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
TEST_PACKAGES := $(APP_PACKAGES) chromium poppler-utils docker-compose

.PHONY: run test deps lint bench backup restore clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	touch $@

deps: $(VENV)/.installed

run: deps
	scripts/system-deps.sh $(APP_PACKAGES)
	DJANGO_DEBUG=true $(PY) manage.py migrate --noinput -v 0
	DJANGO_DEBUG=true $(PY) manage.py load_demo
	scripts/run.sh

lint: deps
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

test: deps
	scripts/system-deps.sh $(TEST_PACKAGES)
	$(MAKE) lint
	$(PY) manage.py makemigrations --check --dry-run
	DJANGO_SECRET_KEY=validate-only docker-compose -f docker-compose.yml config -q
	@echo "== Pass 1: SQLite, embedded defaults =="
	env -u DATABASE_URL -u REDIS_URL $(PY) -m pytest -m "not services"
	@echo "== Pass 2: PostgreSQL and a Celery worker on Redis =="
	@if scripts/reachable.sh $(TEST_DATABASE_URL) $(TEST_REDIS_URL); then \
	  DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(PY) -m pytest; \
	elif [ "$$CI" = "true" ]; then \
	  echo "CI=true: PostgreSQL ($(TEST_DATABASE_URL)) and Redis ($(TEST_REDIS_URL)) must be reachable." >&2; exit 1; \
	else \
	  echo "PostgreSQL or Redis not reachable: pass 2 skipped (it is required under CI=true)."; \
	fi

bench: deps
	$(PY) bench/roster_import.py
	$(PY) -W ignore::UserWarning bench/attendance_grid.py
	$(PY) bench/material_search.py
	$(PY) -W ignore::UserWarning bench/documents.py
	@if scripts/reachable.sh $(TEST_DATABASE_URL) $(TEST_REDIS_URL); then \
	  DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(PY) bench/notifications_throughput.py; \
	else echo "PostgreSQL or Redis not reachable: the notifications benchmark needs both."; fi

# Backup: the database (PostgreSQL or SQLite, as DATABASE_URL says) and the uploaded files in one
# .tar.gz under var/backups/ (or OUT=path). Restore wipes both first and checks the row counts.
backup: deps
	$(PY) manage.py backup $(if $(OUT),--out "$(OUT)",)

restore: deps
	@test -n "$(FILE)" || { echo "用法：make restore FILE=var/backups/backup-….tar.gz（会先清空现有数据）" >&2; exit 1; }
	$(PY) manage.py restore "$(FILE)" --yes

clean:
	rm -rf $(VENV) var staticfiles
