# CoQuan developer commands. `make run` and `make test` work from a fresh clone.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
COQUAN := $(BIN)/coquan
PG_URL ?= postgres://postgres@127.0.0.1:5432/coquan_test
HOST ?= 127.0.0.1
PORT ?= 8000
export COQUAN_DEBUG ?= 1
# The suite runs on every core (pytest-xdist; one test database per worker).
# `make test PYTEST_ARGS=` runs it in one process.
PYTEST_ARGS ?= -n auto --dist loadfile

.PHONY: help setup venv run serve worker demo migrate test test-pg lint format messages bench clean api-snapshot test-faults demo-exchange

help:
	@echo "make run       install everything, create demo data, serve http://$(HOST):$(PORT)"
	@echo "make test      the whole test suite on SQLite (browser tests included)"
	@echo "make test-pg   the same suite on PostgreSQL ($(PG_URL))"
	@echo "make lint      ruff, Django checks, missing migrations"
	@echo "make bench     benchmarks (ratios against a floor measured in the same run)"

# System packages (Debian/Ubuntu): Chromium for browser tests, gettext for catalogues,
# Pango and Noto fonts for WeasyPrint PDFs, poppler-utils to read PDFs (text layers, pages of
# scans), tesseract with the Vietnamese model for the OCR of scanned attachments.
SYSTEM_PACKAGES := chromium gettext libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core poppler-utils \
	tesseract-ocr tesseract-ocr-vie
setup:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages: $$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

$(BIN)/coquan: pyproject.toml
	@test -d $(VENV) || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip >/dev/null
	$(BIN)/pip install -q -e '.[dev]'
	@touch $(BIN)/coquan

venv: $(BIN)/coquan

migrate: venv
	@mkdir -p var
	$(COQUAN) migrate --noinput -v0

# Demo signing keys (self-signed test keys, created once): the Department's seal, applied
# by the clerk "vanthu" at issue, and the personal key of its director "giamdoc" (the demo
# signer, the only leader of the Department in seed_demo).
DEMO_AGENCY := 000.00.14.H06
DEMO_SIGNERS := giamdoc

demo: migrate
	$(COQUAN) seed_demo
	$(COQUAN) registry_seed_demo
	$(COQUAN) onestop_seed_demo
	$(COQUAN) documents_signing_key $(DEMO_AGENCY) --if-missing
	@for signer in $(DEMO_SIGNERS); do \
		$(COQUAN) documents_signing_key $(DEMO_AGENCY) --user $$signer --if-missing || exit 1; \
	done

run: setup venv demo
	@echo "Starting the background worker and the web server on http://$(HOST):$(PORT)"
	@$(COQUAN) run_worker & trap "kill $$! 2>/dev/null" EXIT INT TERM; \
		$(COQUAN) runserver $(HOST):$(PORT)

serve: venv
	$(COQUAN) runserver $(HOST):$(PORT)

worker: venv
	$(COQUAN) run_worker

test: setup venv
	$(BIN)/pytest -q $(PYTEST_ARGS)

test-pg: setup venv
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -q $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check src bench
	$(BIN)/ruff format --check src bench
	COQUAN_DEBUG=0 COQUAN_SECRET_KEY=$$($(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))") COQUAN_KEY_PASSPHRASE=$$($(BIN)/python -c "import secrets; print(secrets.token_urlsafe(32))") COQUAN_SSL_REDIRECT=1 COQUAN_HSTS_SECONDS=31536000 COQUAN_HSTS_INCLUDE_SUBDOMAINS=1 COQUAN_HSTS_PRELOAD=1 COQUAN_SECURE_COOKIES=1 $(COQUAN) check --deploy --fail-level WARNING
	$(COQUAN) makemigrations --check --dry-run -v1

format: venv
	$(BIN)/ruff format src bench
	$(BIN)/ruff check --fix src bench

messages: venv
	cd src/coquan && for app in */; do \
		if [ -d "$$app/locale" ]; then (cd $$app && ../../../$(COQUAN) makemessages -l vi --no-obsolete -v0 && ../../../$(COQUAN) compilemessages -l vi -v0); fi; \
	done

bench: venv
	@for b in bench/*.py; do [ "$$b" = bench/harness.py ] && continue; \
		echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf var/*.sqlite3* var/files var/static

api-snapshot: venv
	$(BIN)/python -m coquan.api.snapshot

# Exchange: kill -9 of delivery workers at named points, then the exactly-once checker.
FAULT_RUNS ?= 10
FAULT_RECIPIENTS ?= 6
test-faults: venv
	PYTHONPATH=src $(BIN)/python -m coquan.exchange.faults --runs $(FAULT_RUNS) --recipients $(FAULT_RECIPIENTS)
	PYTHONPATH=src $(BIN)/python -m coquan.exchange.faults claims

# Exchange: two CoQuan nodes on loopback (ports 8101/8102, separate SQLite databases under
# var/demo-exchange/), a document sent from one to the other and its statuses back.
# DEMO_ARGS=--keep leaves both nodes running.
demo-exchange: venv
	PYTHONPATH=src $(BIN)/python -m coquan.exchange.demo $(DEMO_ARGS)
