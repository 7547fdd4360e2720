# One task runner: `make` builds the site and the PDF handbook into site/, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: all build serve check test lint format clean system-test-deps bench-search bench bench-weight

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

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
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

# Search quality and speed: our Czech search against stock Material (needs Chromium).
bench-search: $(STAMP)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check playwright
	$(VENV)/bin/python bench/search.py

# Build cost against plain MkDocs and its growth at 1×, 10× and 50× content (not part of `make test`).
bench: $(STAMP)
	$(PY) bench/run.py

# Bytes a first visit transfers per page type, gzip-compressed (not part of `make test`).
bench-weight: $(STAMP)
	$(PY) bench/page_weight.py

clean:
	rm -rf site .cache
