# Two commands: `make run` sets everything up and starts Jiaoguan; `make test` runs the suite.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
JG := $(BIN)/jiaoguan
PORT ?= 8000

.PHONY: run setup test lint bench clean

run: setup
	$(JG) migrate --no-input
	$(JG) demo --if-empty
	$(JG) serve --port $(PORT)

setup: $(VENV)/.installed node_modules/.installed translations

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

translations: $(VENV)/.installed
	cd src/jiaoguan && ../../$(JG) compilemessages --ignore '.venv' -v 0

# Debian's chromium drives the browser tests; installed here when missing (never a browser download).
/usr/bin/chromium:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk

# LibreOffice (headless) and poppler turn the exported summary into a PDF the tests measure.
/usr/bin/soffice:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		libreoffice-writer-nogui poppler-utils fonts-noto-cjk

test: setup /usr/bin/chromium /usr/bin/soffice
	JIAOGUAN_ENV=test $(BIN)/pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check src tests bench

bench: setup
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) node_modules var
