# The two commands of the README: `make demo` and `make test`. Both set up .venv first.
VENV := .venv
STAMP := $(VENV)/.installed
PYTHON ?= python3

.PHONY: demo test
demo: $(STAMP)
	$(VENV)/bin/factcheck demo

test: $(STAMP)
	$(VENV)/bin/pytest

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e ".[dev]"
	touch $(STAMP)
