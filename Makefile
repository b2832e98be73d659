# srbgov: `make run` serves the demo county; `make test` is what CI runs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed-$(shell sha1sum requirements.txt | cut -c1-12)

.PHONY: run serve test lint typecheck checks imports test-sqlite test-postgres bench messages clean

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

var/dev.env:
	bash scripts/dev_env.sh

run: $(STAMP) var/dev.env
	set -a && . ./var/dev.env && set +a && \
	$(BIN)/python manage.py migrate --no-input -v0 && \
	$(BIN)/python manage.py load_demo_county && \
	echo "srbgov: http://127.0.0.1:$(PORT)/" && \
	$(BIN)/python manage.py runserver --insecure 127.0.0.1:$(PORT)

# The production server (gunicorn + WhiteNoise, DEBUG off, JSON logs) on this machine:
# the same settings as a deployment, with var/dev.env's keys. The demo county is loaded
# only into the embedded SQLite default, never into a DATABASE_URL (docs/deploy.md).
serve: $(STAMP) var/dev.env
	set -a && . ./var/dev.env && set +a && \
	$(BIN)/python manage.py collectstatic --no-input -v0 && \
	$(BIN)/python manage.py migrate --no-input -v0 && \
	if [ -z "$${DATABASE_URL:-}" ]; then $(BIN)/python manage.py load_demo_county; fi && \
	echo "srbgov (gunicorn): http://127.0.0.1:$(PORT)/" && \
	SRBGOV_BIND=127.0.0.1:$(PORT) exec $(BIN)/gunicorn -c deploy/gunicorn.conf.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy src

# The app layers (pyproject.toml [tool.importlinter], docs/architecture.md).
imports: $(STAMP)
	PYTHONPATH=src $(BIN)/lint-imports --no-cache

checks: $(STAMP)
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python scripts/pocheck.py

test-sqlite: $(STAMP)
	@echo "== tests on SQLite =="
	DATABASE_URL=sqlite:///:memory: $(BIN)/pytest

test-postgres: $(STAMP)
	@echo "== tests on PostgreSQL 15 (throwaway cluster) =="
	bash scripts/with_postgres.sh $(BIN)/pytest

# Test-only secrets so that mypy's Django plugin and `manage.py` checks can import the
# settings (which refuse to load without them); the suite sets the same through pytest-env.
typecheck checks test bench messages: export SECRET_KEY ?= test-secret-key-only-for-the-test-suite-never-deploy-0123456789
typecheck checks test bench messages: export SRBGOV_FIELD_KEY ?= dGVzdC1maWVsZC1rZXktMzItYnl0ZXMtbG9uZy4uLi4=
typecheck checks test bench messages: export SRBGOV_TIPS_KEY ?= dGVzdC10aXBzLWtleS0zMi1ieXRlcy1sb25nLi4uLi4=
test: $(STAMP)
	bash scripts/ensure_chromium.sh
	$(MAKE) --no-print-directory lint typecheck checks imports
	bash scripts/test_both.sh

bench: $(STAMP)
	bash scripts/with_postgres.sh $(BIN)/python -m bench

messages: $(STAMP)
	cd src && ../$(BIN)/python ../manage.py makemessages -l en --no-obsolete --ignore "*/tests/*" --ignore "stats/*" --ignore "schedules/*"
	$(BIN)/python scripts/pocheck.py --fill locale/en/glossary.json
	msgfmt -o locale/en/LC_MESSAGES/django.mo locale/en/LC_MESSAGES/django.po
	$(BIN)/python scripts/pocheck.py

clean:
	rm -rf $(VENV) var/static
