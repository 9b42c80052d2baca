# Two entry points (see README): `make example` and `make test`. Both set up .venv on first use.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: example test test-all lint bench install browser

$(STAMP): pyproject.toml constraints.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch first, pinned: an unpinned resolution would pull a multi-GB CUDA build
	$(BIN)/pip install --quiet -c constraints.txt torch==2.13.0
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev,bench,parquet,pandas]'
	touch $(STAMP)

install: $(STAMP)

example: $(STAMP)
	$(BIN)/synoptic digest examples/xi-moscow-2023

# Headless Chromium for the browser tests (Debian package; no browser download at test time).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || echo "chromium not installed: browser tests will skip"; \
	  else echo "chromium missing and not root: browser tests will skip (apt-get install chromium)"; fi; \
	fi

LINTED := src tests $(wildcard bench)

lint: $(STAMP)
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/mypy

test: $(STAMP) browser lint
	$(BIN)/pytest -m "not bench" -q

test-all: $(STAMP) browser lint
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python -m bench --help
