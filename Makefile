# Two commands for a newcomer: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/sic_community
REDIS_TEST_URL ?= redis://127.0.0.1:6379/0

.PHONY: run test test-embedded test-services test-e2e chromium install migrate seed lint bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Reinstall whenever the dependency list changes.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

run: seed
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(VENV)/bin/daphne --bind $(HOST) --port $(PORT) --websocket_timeout 3600 --websocket-max-message-size 4096 --websocket-max-frame-size 4096 community.asgi:application

# The linter, then the whole suite twice: on the embedded SQLite + in-memory channel layer,
# then on the real PostgreSQL + Redis services. With CI=true a missing service fails the run.
test: lint test-embedded test-services

test-embedded: install chromium
	env -u DATABASE_URL -u REDIS_URL $(PY) -m pytest -p no:cacheprovider

# Only the browser tests (tests/e2e): they start their own server on a fresh SQLite database.
test-e2e: install chromium
	env -u DATABASE_URL -u REDIS_URL $(PY) -m pytest -p no:cacheprovider -m e2e

# The browser tests drive Debian's Chromium: Playwright's own browser download needs the internet.
CHROMIUM ?= /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
chromium:
	@test -x $(CHROMIUM) || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }

test-services: install
	@bash scripts/ensure_services.sh; rc=$$?; \
	if [ $$rc -eq 2 ]; then exit 0; elif [ $$rc -ne 0 ]; then exit $$rc; fi; \
	DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS_TEST_URL) $(PY) -m pytest -p no:cacheprovider -m "not e2e"

# Reports, not tests (see README "Benchmarks"): each prints its figures next to the targets.
# wrk loads the forum pages from C: Python client threads on this machine's two cores would
# measure their own waits.
bench: install
	@command -v wrk >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq wrk; }
	$(PY) bench/meetings_file_rejections.py
	$(PY) bench/forum_pages.py --database-url postgres://postgres@127.0.0.1:5432/sic_bench
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/sic_bench_notifications REDIS_URL=redis://127.0.0.1:6379/14 \
		$(PY) bench/notifications.py

lint: install
	$(PY) -m ruff check .

clean:
	rm -rf $(VENV) var/*.sqlite3* staticfiles
