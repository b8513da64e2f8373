# Two commands on a fresh Debian machine:
#   make serve   set everything up, build and serve the bundled playbook on http://127.0.0.1:8000 (ADDR=host:port)
#   make test    set everything up, then run the whole test suite

VENV    := .venv
PYTHON  := $(VENV)/bin/python
PLAYBOOK := $(VENV)/bin/playbook
STAMP   := $(VENV)/.installed
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve test check build bench setup system-deps browser clean
AXE     := node_modules/axe-core/axe.min.js

# Where `make serve` listens: `make serve ADDR=127.0.0.1:8011` picks another port or address.
ADDR    ?= 127.0.0.1:8000

serve: setup
	$(PLAYBOOK) serve -a $(ADDR)

# The suite on every core; each test file stays on one worker, so its module fixtures are built once.
test: setup browser $(AXE)
	$(PYTHON) -m pytest -n auto --dist loadfile

check: setup
	$(PLAYBOOK) check

build: setup
	$(PLAYBOOK) build

# The scale benchmark (200, 1,000, 2,000 and 10,000 entries; about two hours) writes benchmarks/results.md,
# which the site's Benchmarks page includes; then the diagram drawing benchmark and the time to the first
# search result at 2,000 and 10,000 entries.
BENCH_ARGS ?= --sizes 200,1000,2000,10000
bench: setup browser
	$(PYTHON) -m pip install --quiet -e ".[zensical]"
	$(PYTHON) -m benchmarks $(BENCH_ARGS)
	$(PYTHON) -m benchmarks.diagrams
	$(PYTHON) -m benchmarks.search --sizes 2000,10000 --out benchmarks/search.md

setup: system-deps $(STAMP)

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -e ".[test]"
	touch $@

# $(call need,TEST,PACKAGE,WHAT): run TEST; when it fails, install the Debian PACKAGE with apt-get,
# or say exactly what to install where apt-get is missing.
need = $(1) >/dev/null 2>&1 || { \
	  if command -v apt-get >/dev/null 2>&1; then \
	    $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $(2); \
	  else \
	    echo "$(3) is missing: install the '$(2)' package"; exit 1; \
	  fi; }

# Python's venv module and Graphviz (it draws the diagrams).
system-deps:
	@$(call need,python3 -c "import ensurepip; import venv",python3-venv,the Python venv module)
	@$(call need,command -v dot,graphviz,Graphviz (the 'dot' command))

# The browser tests drive Debian's Chromium and check accessibility with axe-core (from npm).
browser:
	@$(call need,command -v chromium,chromium,Chromium)
	@$(call need,command -v npm,npm,npm (Node.js))

$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf site docs/playbook .pytest_cache node_modules
