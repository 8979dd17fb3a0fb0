# Two commands a fresh machine needs: `make demo` and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck setup clean bench browser-deps postgres-deps fuzz

$(STAMP): pyproject.toml requirements.lock
	@command -v $(PY) >/dev/null 2>&1 || { echo "python3.11 not found; set PY=/path/to/python3.11"; exit 2; }
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps -e .
	@$(MAKE) --no-print-directory browser-deps
	@$(MAKE) --no-print-directory postgres-deps
	touch $(STAMP)

setup: $(STAMP)

# Debian's chromium for the browser tests of the HTML report (Playwright drives it;
# Playwright's own browser download is not used). Needs root and apt-get; without
# them, or if the install fails, the browser tests are skipped with the reason.
browser-deps:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing Debian's chromium for the browser tests (apt-get)"; \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
			|| echo "warning: could not install chromium; the browser tests will be skipped"; \
	else \
		echo "note: /usr/bin/chromium is missing and cannot be installed here (needs root and apt-get):"; \
		echo "      run 'apt-get install chromium' as root, or the browser tests will be skipped"; \
	fi

# Debian's PostgreSQL for the store tests: they start a throwaway cluster of their own
# (initdb + pg_ctl on a Unix socket in a temporary folder, run as the 'postgres' user
# when root). Needs root and apt-get; without them, or if the install fails, the
# PostgreSQL tests are skipped with the reason (the SQLite ones always run).
postgres-deps:
	@if command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing Debian's postgresql for the store tests (apt-get)"; \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; } \
			|| echo "warning: could not install postgresql; the PostgreSQL tests will be skipped"; \
	else \
		echo "note: PostgreSQL (initdb) is missing and cannot be installed here (needs root and apt-get):"; \
		echo "      run 'apt-get install postgresql' as root, or the PostgreSQL tests will be skipped"; \
	fi

demo: $(STAMP)
	mkdir -p out
	$(BIN)/storylens analyze examples/sample -f json -o out/sample.json
	$(BIN)/storylens analyze examples/sample -f md -o out/sample.md
	$(BIN)/storylens analyze examples/sample -f html -o out/sample.html
	@if [ -d ../shared/seeds ]; then \
		$(BIN)/storylens analyze ../shared/seeds -f json -o out/seeds.json; \
		$(BIN)/storylens analyze ../shared/seeds -f md -o out/seeds.md; \
		$(BIN)/storylens analyze ../shared/seeds -f html -o out/seeds.html; \
	fi
	$(BIN)/storylens add examples/sample --db sqlite:///out/demo.db --quiet
	@echo "reports written to out/; the demo corpus is out/demo.db: $(BIN)/storylens serve --db sqlite:///out/demo.db"

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run_all

# the hostile-input corpus at full sizes (4 GiB bombs, 200 MB files, 200,000 records, slow
# and endless servers on loopback), one process per case with its peak memory;
# `make test` runs the same cases at small sizes. Writes benchmarks/results/hostile.md.
fuzz: $(STAMP)
	$(BIN)/python -m benchmarks.hostile --scale full

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache

# Side venv with PyTorch + sentence-transformers for benchmarks/embedder_choice.py only
# (torch is not a storylens dependency). torch is pinned to 2.13.0: pip takes the CPU build
# when its wheel is in a --find-links folder; pass one with TORCH_PIP_ARGS="--find-links DIR",
# or PyPI's CUDA build (several GB) is pulled.
BENCH_VENV := .bench-venv
BENCH_STAMP := $(BENCH_VENV)/.installed
TORCH_PIP_ARGS ?=

.PHONY: bench-embedders

$(BENCH_STAMP): pyproject.toml requirements.lock benchmarks/requirements-embedders.txt
	@command -v $(PY) >/dev/null 2>&1 || { echo "python3.11 not found; set PY=/path/to/python3.11"; exit 2; }
	test -x $(BENCH_VENV)/bin/python || $(PY) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install -q --upgrade pip
	$(BENCH_VENV)/bin/python -m pip install -q $(TORCH_PIP_ARGS) torch==2.13.0
	$(BENCH_VENV)/bin/python -m pip install -q $(TORCH_PIP_ARGS) -r benchmarks/requirements-embedders.txt
	$(BENCH_VENV)/bin/python -m pip install -q --no-deps -e .
	$(BENCH_VENV)/bin/python -c "import torch; v = torch.__version__; assert v.split('+')[0] == '2.13.0', v; print('torch', v)"
	touch $(BENCH_STAMP)

bench-embedders: $(BENCH_STAMP)
	$(BENCH_VENV)/bin/python -m benchmarks.embedder_choice
