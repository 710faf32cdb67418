# Two commands on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint install clean

$(BIN)/kg: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	$(BIN)/python -m kg.extract.places  # the place table, built once from the data packages
	touch $(BIN)/kg

install: $(BIN)/kg

run: install
	rm -rf outputs/store
	$(BIN)/kg build seeds --out outputs

test: install
	$(BIN)/ruff check kg tests benchmarks
	$(BIN)/pytest

clean:
	rm -rf $(VENV) outputs/store
