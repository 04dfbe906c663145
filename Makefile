# Two commands: `make run` (serve the demo clinic) and `make test` (the whole check).
# Measurements (README "Benchmarks, load and fault drills"): `make bench`, `make load`,
# `make faults` -- on 127.0.0.1 against PostgreSQL (BENCH_PG_URL) and their own redis-server.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export PIP_CONSTRAINT := $(CURDIR)/constraints-build.txt
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test venv dev-venv lint security migrate seed bench faults load bench-smoke clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; found " + sys.version.split()[0] + ". Install it, or run: make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt constraints-build.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt constraints-build.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $(VENV)/.installed $@

venv: $(VENV)/.installed
dev-venv: $(VENV)/.installed-dev

run: venv
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --no-input
	DJANGO_DEBUG=1 $(BIN)/python manage.py seed_demo
	@echo ""
	@echo "  Dystonia Clinic: http://127.0.0.1:8000/   (Ctrl-C stops web, worker and beat)"
	@echo "  The demo users have two-factor sign-in off (CLINIC_REQUIRE_2FA=0); production has it on."
	@echo ""
	CLINIC_REQUIRE_2FA=0 DJANGO_DEBUG=1 PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start -f Procfile

lint: dev-venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Security gates (README "Security gates"): bandit, 0 medium/high findings; pip-audit through
# .ci/pip_audit_gate.py (a closed network reports NOT AUDITED and passes unless
# PIP_AUDIT_REQUIRED=1). `check --deploy` runs in pytest (tests/clinic/test_deploy_check.py).
security: dev-venv
	$(BIN)/bandit -q -c pyproject.toml -r clinic patients treatments bench .ci --severity-level medium
	$(BIN)/python .ci/pip_audit_gate.py

test: dev-venv lint security
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=tests.settings
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Each target finishes in well under 15 minutes on 2 cores (sizes: BENCH_PATIENTS, BENCH_DAYS).
bench: dev-venv
	$(BIN)/python -m bench.run_bench

load: dev-venv
	$(BIN)/python -m bench.run_load

faults: dev-venv
	$(BIN)/python -m bench.faults

# The harness on a tiny clinic in a few seconds (also part of `make test`).
bench-smoke: dev-venv
	$(BIN)/python -m pytest -q tests/bench

clean:
	rm -rf var/test var/celery
