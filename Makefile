# Two commands: `make run` serves the portal with demo data, `make test` runs the suite.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed

.PHONY: run test setup messages compile-messages lint check deploy-check upgrade worker beat clean

$(STAMP): requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found; set PYTHON=/path/to/python3.11"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements-dev.txt
	touch $(STAMP)

setup: $(STAMP) compile-messages

# Compiles locale/*/LC_MESSAGES/django.po; uses msgfmt when present, else a pure-Python compiler.
compile-messages: $(STAMP)
	DEBUG=true $(PY) manage.py compile_catalogue

run: export DEBUG ?= true
run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

test: setup
	$(VENV)/bin/pytest -n $${TEST_WORKERS:-2} $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

check: $(STAMP)
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run

# Regenerate the catalogues after changing translatable text (needs GNU gettext).
messages: $(STAMP)
	DEBUG=true $(PY) manage.py makemessages -l fa -l en --no-obsolete --ignore=.venv --ignore=var

# nginx -t on deploy/nginx/civic-portal.conf and systemd-analyze verify on deploy/systemd/ (deploy/check.sh).
deploy-check: $(STAMP)
	VENV=$(VENV) deploy/check.sh

# The portal's own steps of an upgrade, on the server, as the civic user with /etc/civic-portal/env
# loaded (docs/deployment.md, "Upgrading"); then reload the web server and restart worker and beat.
upgrade:
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput
	$(PY) manage.py compile_catalogue

worker: setup
	$(VENV)/bin/celery -A civic_portal worker -l info

beat: setup
	$(VENV)/bin/celery -A civic_portal beat -l info

clean:
	rm -rf $(VENV) var .pytest_cache
