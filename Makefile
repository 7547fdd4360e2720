# One task runner: `make` builds the site and the PDF handbook into site/, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PIP := --quiet --disable-pip-version-check
# requirements.lock pins every Python package with its hashes (uv pip compile, see README).
LOCK_INPUTS := pyproject.toml requirements-tools.in
LOCK_OPTIONS := --extra test --universal --python-version 3.11 --generate-hashes
LATEST := .venv-latest

.PHONY: all build serve check test lint format clean system-test-deps bench-search bench bench-weight \
	upgrade test-latest

all: build

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Potřebujete Python 3.11 nebo novější (python3 --version)." >&2; exit 1; }
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			rm -rf $(VENV); apt-get update -qq && apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); \
		else \
			rm -rf $(VENV); echo "Chybí modul venv: nainstalujte balíček python3-venv (sudo apt-get install python3-venv)." >&2; exit 1; \
		fi; }

# Exactly the locked versions, checked against their hashes; then the project itself, built
# with the locked setuptools, so a fresh machine gets what the tests passed with.
$(STAMP): requirements.lock pyproject.toml | $(PY)
	$(PY) -m pip install $(PIP) --require-hashes --no-deps -r requirements.lock
	$(PY) -m pip install $(PIP) --no-deps --no-build-isolation -e .
	$(PY) -m pip check >/dev/null
	@touch $@

build: $(STAMP)
	$(VENV)/bin/metodiky build

serve: $(STAMP)
	$(VENV)/bin/metodiky serve

check: $(STAMP)
	$(VENV)/bin/metodiky check

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests macros
	$(VENV)/bin/ruff format --check src tests macros

format: $(STAMP)
	$(VENV)/bin/ruff format src tests macros
	$(VENV)/bin/ruff check --fix src tests macros

# Spell-checking uses Debian's Czech Hunspell dictionary; install it when we may, else say how.
system-test-deps:
	@if ! command -v hunspell >/dev/null || [ ! -f /usr/share/hunspell/cs_CZ.dic ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq hunspell hunspell-cs >/dev/null; \
		else \
			echo "Testy pravopisu potřebují hunspell a český slovník: sudo apt-get install hunspell hunspell-cs" >&2; exit 1; \
		fi; \
	fi
# The hosting test runs deploy/nginx.conf in Debian's nginx (as the current user, on a loopback port).
	@if [ ! -x /usr/sbin/nginx ] && ! command -v nginx >/dev/null; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; \
		else \
			echo "Test webového serveru potřebuje nginx: sudo apt-get install nginx" >&2; exit 1; \
		fi; \
	fi
# Browser tests (tests/browser) drive Debian's Chromium headless.
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "Testy v prohlížeči potřebují Chromium: sudo apt-get install chromium" >&2; exit 1; \
		fi; \
	fi

test: lint system-test-deps
	$(VENV)/bin/python -m pytest

# Refresh requirements.lock to the newest versions pyproject.toml allows (then run `make test`).
upgrade: $(STAMP)
	$(VENV)/bin/uv pip compile $(LOCK_INPUTS) $(LOCK_OPTIONS) --upgrade --quiet -o requirements.lock

# The whole suite against the newest allowed versions, in a venv of its own; the lock is untouched.
test-latest: system-test-deps
	rm -rf $(LATEST)
	$(PYTHON) -m venv $(LATEST)
	$(LATEST)/bin/python -m pip install $(PIP) --upgrade pip
	$(LATEST)/bin/python -m pip install $(PIP) --upgrade --upgrade-strategy eager -e '.[test]'
	$(LATEST)/bin/python -m pip list --format=freeze > $(LATEST)/versions.txt
	$(LATEST)/bin/ruff check src tests macros
	$(LATEST)/bin/ruff format --check src tests macros
	$(LATEST)/bin/python -m pytest

# Search quality and speed: our Czech search against stock Material (needs Chromium).
bench-search: $(STAMP)
	$(VENV)/bin/python bench/search.py

# The design before #24 and the current one side by side at 1×, 10×, 50× and 100× content (not part
# of `make test`); a quick trial: make bench BENCH_ARGS="--scales 1 --skip-serve".
BENCH_ARGS ?=
bench: $(STAMP)
	$(PY) bench/run.py $(BENCH_ARGS)

# Bytes a first visit transfers per page type, gzip-compressed (not part of `make test`).
bench-weight: $(STAMP)
	$(PY) bench/page_weight.py

clean:
	rm -rf site .cache $(LATEST)
