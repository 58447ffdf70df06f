# Two commands on a fresh machine:
#   make build   install everything (virtualenv, package, TeX Live and Chromium when
#                missing) and build every shipped sheet into build/ (PDFs and pages,
#                the week-4 pools of variants, Moodle and Canvas quizzes,
#                check-work's report on the seed write-up, and derive analyse's
#                reports on generated classes of the week-4 pools)
#   make test    lint (ruff), types (mypy), the shipped sheets' question tests on every
#                variant (`derive test`) and the whole test suite (what CI runs)

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: build test install tex browser bench bench-large clean

build: install tex browser
	# question tests (written and generated) of every shipped sheet, on every variant
	$(BIN)/derive test problems/*.toml -q
	$(BIN)/derive build --format all -o build/
	$(BIN)/derive variants problems/genai_week4.toml -o build/ -q
	$(BIN)/derive variants problems/dlp_week4.toml -o build/ -q
	$(BIN)/derive export moodle problems/genai_week4.toml \
	    --variants build/genai_week4.variants.json -o build/genai_week4-moodle.xml -q
	$(BIN)/derive export canvas problems/genai_week4.toml \
	    --variants build/genai_week4.variants.json -o build/genai_week4-canvas.zip -q
	# examples of derive analyse, on generated classes (scripts/example_class.py plants
	# copied answers, a harder variant and, in genai_week4, an unlisted mistake)
	for sheet in genai_week4 dlp_week4; do \
	    $(BIN)/python scripts/example_class.py problems/$$sheet.toml \
	        build/$$sheet.variants.json build/$$sheet-example-class.csv && \
	    $(BIN)/derive check problems/$$sheet.toml build/$$sheet-example-class.csv \
	        --variants build/$$sheet.variants.json --format json \
	        -o build/$$sheet-example-results.json --exit-zero && \
	    $(BIN)/derive analyse problems/$$sheet.toml build/$$sheet-example-results.json \
	        --variants build/$$sheet.variants.json -q \
	        --report build/$$sheet-analysis.html -o build/$$sheet-analysis.txt || exit 1; \
	done
	# an example of check-work: the seed write-up has false lines, so exit 1 is expected
	$(BIN)/derive check-work problems/genai_week4.toml tests/fixtures/writeups/genai_week4_seed.md \
	    --report build/genai_week4-seed-check.pdf -o build/genai_week4-seed-check.txt || [ $$? -eq 1 ]

test: install tex browser
	$(BIN)/ruff check derivations tests benchmarks
	$(BIN)/mypy
	$(BIN)/derive test problems/*.toml -q
	$(BIN)/python -m pytest -q

install: $(VENV)/.installed

# llm-analysis is the peer calculator tests/library/test_peer.py compares against,
# installed without its transformers and huggingface-hub (they only fetch configs it
# also ships).
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	$(BIN)/python -m pip install -q --no-deps 'llm-analysis==0.2.2'
	touch $@

tex:
	scripts/install-tex.sh

browser:
	scripts/install-chromium.sh

bench: install tex
	$(BIN)/python benchmarks/run.py

bench-large: install tex
	$(BIN)/python benchmarks/run.py --large

clean:
	rm -rf build $(VENV)
