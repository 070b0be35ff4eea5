# AgentNet: `make run` to try it, `make test` to test it. See README.md.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: install run test lint check security audit audit-latest messages bench backup restore clean

$(BIN)/python:
	@python=$$(scripts/find-python) || exit 1; \
	echo "Creating $(VENV) with $$python"; \
	"$$python" -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed

# The web server and, beside it, the worker that sends the mail queue (printed here, as no
# DJANGO_EMAIL_HOST is set). Ctrl-C stops both; so does the web server stopping on its own.
run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo
	@DJANGO_DEBUG=True $(BIN)/python manage.py db_worker --queue-name='*' & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	DJANGO_DEBUG=True $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .

# Static security analysis of our code; fails on any high-severity finding.
security: install
	$(BIN)/bandit -q -r agentnet agents projects meetings competencies -x "*/migrations/*" -lll

# Known vulnerabilities in every pinned dependency, from the package index's advisory data; pip-audit
# runs from a venv of its own so that it does not change the project's. Fails on any
# finding and on any dependency it could not look up.
AUDIT := var/audit
audit: $(BIN)/python
	@test -x $(AUDIT)/bin/pip-audit || { $(BIN)/python -m venv $(AUDIT) && \
		$(AUDIT)/bin/pip install --quiet pip-audit==2.10.1; }
	$(AUDIT)/bin/pip-audit --strict --no-deps --disable-pip -r requirements.txt -r requirements-dev.txt

# The same from the index's data for each project, which covers its latest release only.
audit-latest: $(BIN)/python
	$(BIN)/python scripts/audit_latest.py requirements.txt --dev requirements-dev.txt

check: install
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check

# Not part of `make test`: measures every page on throwaway PostgreSQL databases and writes
# docs/performance.md and .json. BENCH_DATABASE_URL names the server (see bench/run.py);
# BENCH_ARGS="--before <commit>" measures that commit too, side by side; "--quick" tries the
# benchmark itself on small networks in a minute or two.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
bench: install
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python -m bench $(BENCH_ARGS)

# Back up the database (pg_dump on PostgreSQL, JSON on SQLite) to var/backups/, or restore
# one: `make restore FILE=var/backups/agentnet-….json`.
backup: install
	$(BIN)/python manage.py backup

restore: install
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=var/backups/…"; exit 2; }
	$(BIN)/python manage.py restore "$(FILE)"

# Refresh the Danish catalogue after changing strings, then translate the new entries.
messages: install
	$(BIN)/python manage.py makemessages -l da --no-obsolete --no-location \
		--ignore=.venv --ignore=var --ignore=tests --ignore=bench --ignore=docs
	$(BIN)/python manage.py compilemessages -l da --ignore=.venv

clean:
	rm -rf $(VENV) var/static $(AUDIT)
