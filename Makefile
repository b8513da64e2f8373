# Two commands on a fresh Debian machine:
#   make serve   set everything up, build and serve the bundled playbook on http://127.0.0.1:8000
#   make test    set everything up, then run the whole test suite

VENV    := .venv
PYTHON  := $(VENV)/bin/python
PLAYBOOK := $(VENV)/bin/playbook
STAMP   := $(VENV)/.installed
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve test check build bench setup system-deps browser clean

serve: setup
	$(PLAYBOOK) serve

test: setup browser
	$(PYTHON) -m pytest

check: setup
	$(PLAYBOOK) check

build: setup
	$(PLAYBOOK) build

bench: setup
	$(PYTHON) -m benchmarks.diagrams

setup: system-deps $(STAMP)

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -e ".[test]"
	touch $@

# Graphviz draws the diagrams; apt-get installs it (and Python's venv module) where missing.
system-deps:
	@python3 -c "import ensurepip, venv" 2>/dev/null || { \
	  if command -v apt-get >/dev/null 2>&1; then \
	    $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-venv; \
	  else \
	    echo "Python's venv module is missing: install the 'python3-venv' package"; exit 1; \
	  fi; }
	@command -v dot >/dev/null 2>&1 || { \
	  if command -v apt-get >/dev/null 2>&1; then \
	    $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq graphviz; \
	  else \
	    echo "Graphviz is missing: install the 'graphviz' package (it provides 'dot')"; exit 1; \
	  fi; }

# The browser tests drive Debian's Chromium.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if command -v apt-get >/dev/null 2>&1; then \
	    $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; \
	  else \
	    echo "Chromium is missing: install the 'chromium' package"; exit 1; \
	  fi; }

clean:
	rm -rf site docs/playbook .pytest_cache
