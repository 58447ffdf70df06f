# Two commands on a fresh machine:
#   make build   install everything (virtualenv, package, TeX Live and Chromium when
#                missing) and build every shipped sheet into build/ (PDFs and pages)
#   make test    lint (ruff), types (mypy) and the whole test suite (what CI runs)

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: build test install tex browser bench clean

build: install tex browser
	$(BIN)/derive build --format all -o build/

test: install tex browser
	$(BIN)/ruff check derivations tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

tex:
	scripts/install-tex.sh

browser:
	scripts/install-chromium.sh

bench: install tex
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf build $(VENV)
