# Two commands on a fresh machine: `make demo` and `make test` (README quickstart).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

PYWB_VENV := .venv-pywb
PYWB_STAMP := $(PYWB_VENV)/.installed

.PHONY: demo test lint format bench bench-quick clean system-deps pywb-venv

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev,redis,bench]'
	touch $(STAMP)

# Debian packages the tests need (machines run as root; CI starts with nothing installed).
system-deps:
	@command -v redis-server >/dev/null 2>&1 || { \
	  echo "installing redis-server (Debian package)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; }

# pywb pins redis<3, which conflicts with scrapy-redis: it gets its own virtualenv, which
# tests/e2e/test_archive.py runs as a subprocess (tests fail with a hint when it is missing).
$(PYWB_STAMP):
	test -x $(PYWB_VENV)/bin/python || $(PYTHON) -m venv $(PYWB_VENV)
	$(PYWB_VENV)/bin/python -m pip install -q 'pywb==2.10.0'
	touch $(PYWB_STAMP)

pywb-venv: $(PYWB_STAMP)

demo: $(STAMP)
	$(PY) -m tests.demo

test: $(STAMP) system-deps pywb-venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest -n 2 --dist loadscope

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: $(STAMP)
	$(PY) -m tests.benchmarks.run

bench-quick: $(STAMP)
	$(PY) -m tests.benchmarks.run --quick

clean:
	rm -rf build dist *.egg-info .pytest_cache .ruff_cache
