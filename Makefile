# Two commands on a fresh machine:
#   make build   install everything (virtualenv, package, TeX Live when missing) and
#                solve every shipped sheet into build/
#   make test    lint (ruff), types (mypy) and the whole test suite (what CI runs)

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: build test install tex bench clean

build: install tex
	$(BIN)/derive build -o build/

test: install tex
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

bench: install tex
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf build $(VENV)
