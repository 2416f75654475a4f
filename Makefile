# Two commands do all set-up on a fresh machine: `make extract` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
ARTICLES ?= seeds
OUT ?= output
REFERENCE_DATE ?=
WORKERS ?=
CORPUS ?=
DASK ?=
EXTRACT_ARGS := $(if $(REFERENCE_DATE),--reference-date $(REFERENCE_DATE)) $(if $(WORKERS),--workers $(WORKERS))

.PHONY: install extract test bench report clean

$(VENV)/.installed: setup.cfg
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,dask]'
	touch $@

install: $(VENV)/.installed

extract: install
	$(PY) -m pipeline extract $(ARTICLES) --out $(OUT) $(EXTRACT_ARGS)

bench: install
	$(PY) -m pipeline bench $(CORPUS) $(if $(WORKERS),--workers $(WORKERS)) $(if $(DASK),--dask)

report: install
	$(PY) -m pipeline report $(OUT)

# Lint and format checks (pyproject.toml), then two test processes, each taking whole files (a file's shared
# extraction run or cluster is made once).
test: install
	$(PY) -m ruff check pipeline tests
	$(PY) -m ruff format --check pipeline tests
	$(PY) -m pytest -n 2 --dist loadfile

clean:
	rm -rf $(VENV) $(OUT) *.egg-info .pytest_cache
