# The README's two commands: `make run` and `make test`. Both build the virtualenv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# What the service needs, and on top of it the tests' and benchmarks' tools.
SERVICE := $(VENV)/.installed-service
TOOLS := $(VENV)/.installed-tools
# The browser tests drive Debian's Chromium through Playwright, which cannot download its own here.
CHROMIUM := /usr/bin/chromium

.PHONY: run test clean

$(SERVICE): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	@touch $(SERVICE)

$(TOOLS): $(SERVICE)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	@touch $(TOOLS)

run: $(SERVICE)
	$(BIN)/mcu serve

$(CHROMIUM):
	apt-get install -y chromium || (apt-get update && apt-get install -y chromium)

test: $(TOOLS) $(CHROMIUM)
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis
