# The two commands of the README: `make example` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

setup: $(VENV)/.installed

example: $(VENV)/.installed
	$(VENV)/bin/hadath extract examples/article.txt --published 2023-11-13 --format table

test: $(VENV)/.installed
	$(PY) -m pytest -q

bench: $(VENV)/.installed
	$(PY) benchmarks/bench_pipeline.py

.PHONY: setup example test bench
