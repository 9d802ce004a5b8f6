# baocao — the two commands a newcomer needs: `make run` (demo) and `make test` (whole suite).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export BAOCAO_DATA_DIR ?= $(CURDIR)/var

.PHONY: run test install install-test lint openapi chromium bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[test]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

run: install
	$(BIN)/baocao migrate --noinput
	$(BIN)/baocao demo
	@echo "Mở http://127.0.0.1:8000 — mật khẩu của mọi tài khoản mẫu: baocao2022"
	$(BIN)/baocao runserver 127.0.0.1:8000

# Debian's Chromium drives the browser tests; installed when missing and we may (root).
chromium:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
		(apt-get update -q && apt-get install -y -q chromium) >/dev/null; } || \
		echo "Chromium không có sẵn: các kiểm thử trình duyệt sẽ được bỏ qua."

lint: install-test
	$(BIN)/ruff check src tests bench

openapi: install
	$(BIN)/baocao export_openapi

test: install-test chromium lint
	$(BIN)/pytest

bench: install-test
	$(BIN)/python bench/bench_spine.py

clean:
	rm -rf $(VENV) var test-artifacts .pytest_cache
