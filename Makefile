# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
ADDR ?= 127.0.0.1:8000
EDGE_ADDR ?= 127.0.0.1:6081
FRONTEND_ADDR ?= 127.0.0.1:3000

.PHONY: edge frontend run test test-matrix docs install migrate demo lint check-migrations bench bench-ratios bench-mail wheel clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	# The distribution's old name, which also installed cms and home: gone from older .venvs.
	$(BIN)/pip uninstall -y -q pressedienst-cms 2>/dev/null || true
	$(BIN)/pip install -e ".[dev]"
	touch $@

install: $(VENV)/.installed

migrate: install
	$(BIN)/python manage.py migrate --noinput

# The demo site takes the address the server runs at (ADDR), so that every absolute address
# (text version, feeds, photos) points there; a site an admin has configured stays as it is.
# `--frontend ""`: the pages are the CMS's own again after a `make frontend`.
demo: migrate
	$(BIN)/python manage.py load_demo_content --addr $(ADDR) --frontend ""

# Beside the dev server, the production sidecar loop (docker/publish-scheduled.sh): a release
# scheduled in the demo goes live within SCHEDULE_INTERVAL seconds of its time, as it would
# in production; the loop stops with the server (Ctrl-C, or the server's exit).
SCHEDULE_INTERVAL ?= 15
run: demo
	PATH="$(CURDIR)/$(BIN):$$PATH" PUBLISH_SCHEDULED_INTERVAL=$(SCHEDULE_INTERVAL) sh docker/publish-scheduled.sh & \
	scheduler=$$!; trap 'kill $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(ADDR)

# The CMS in gunicorn on production settings at ADDR and Varnish (deploy/varnish/default.vcl)
# in front of it at EDGE_ADDR, in the foreground; Ctrl-C stops both. Needs varnish and
# varnish-modules (Debian/Ubuntu: apt-get install varnish varnish-modules).
edge: demo
	$(BIN)/python deploy/varnish/edge.py --addr $(ADDR) --edge-addr $(EDGE_ADDR)

# The demo site (make run's content) at ADDR with the reference headless frontend (frontend/,
# needs Node.js 20 and npm) at FRONTEND_ADDR: the site's addresses point at the frontend, the
# admin's preview opens it, its webhooks refresh it.
frontend: migrate
	ADDR=$(ADDR) FRONTEND_ADDR=$(FRONTEND_ADDR) BIN=$(BIN) frontend/scripts/demo.sh

# Extra pytest options, e.g. `make test PYTEST_ARGS="-x -k text"`.
PYTEST_ARGS ?=

test: install
	$(BIN)/pytest $(PYTEST_ARGS)

# The documentation (docs/, MkDocs) into site/; a broken link or anchor fails the build.
docs: install
	$(BIN)/mkdocs build --strict --site-dir site

# Every supported Python/Django pair (noxfile.py), each in its own venv under .nox/; pytest
# options after `--`, e.g. `make test-matrix NOX_ARGS='-- -m "not browser"'`.
NOX_ARGS ?=
# With pyenv, every installed 3.11, 3.12 and 3.13 is put on the PATH for nox at once.
MATRIX_PYENV := $(shell pyenv versions --bare 2>/dev/null | grep -E '^3\.1[123]\.[0-9]+$$' | paste -sd: -)
test-matrix: install
	$(if $(MATRIX_PYENV),PYENV_VERSION=$(MATRIX_PYENV)) $(BIN)/nox $(NOX_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/hadolint Dockerfile

check-migrations: install
	$(BIN)/python manage.py makemigrations --check --dry-run

# Loopback load test with gunicorn on production settings (needs wrk); see bench/load.py.
bench: install
	$(BIN)/python bench/load.py

# In-process ratio bench (every figure relative to a trivial view, stock API v2 as the peer).
bench-ratios: install
	$(BIN)/python bench/run.py
	$(BIN)/python bench/export.py

# One release to 10,000 subscribers through the database queue and real worker processes, then
# again with the worker killed mid-way (see bench/mail.py). MAIL_DATABASE_URL: a PostgreSQL
# database that is dropped and recreated; empty: SQLite in a temporary directory.
MAIL_DATABASE_URL ?=
bench-mail: install
	$(BIN)/python bench/mail.py $(if $(MAIL_DATABASE_URL),--database-url $(MAIL_DATABASE_URL))
	$(BIN)/python bench/mail.py --kill $(if $(MAIL_DATABASE_URL),--database-url $(MAIL_DATABASE_URL))

# The plugin's distribution (press/ alone) into dist/. A leftover build/ could slip stale files
# into it, so it goes first.
wheel: install
	rm -rf build
	$(BIN)/python -m pip wheel --no-deps --no-build-isolation --wheel-dir dist .

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles build dist *.egg-info
