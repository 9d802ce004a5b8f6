# baocao — the two commands a newcomer needs: `make run` (demo) and `make test` (whole suite).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export BAOCAO_DATA_DIR ?= $(CURDIR)/var
# `make run PORT=8080 HOST=0.0.0.0` serves elsewhere; `make test PYTEST_ARGS="tests/cases -m 'not browser'"`
# runs one app's tests without the browser ones.
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# The demo, the tests, the OpenAPI export and the benchmarks run with a public development key
# (without SECRET_KEY the production settings refuse to start).
export DJANGO_SETTINGS_MODULE ?= baocao.config.dev_settings

.PHONY: run test install install-test install-bench lint openapi hooks system-deps system-deps-run bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[test]"
	touch $@ $(VENV)/.installed

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e ".[test,bench]"
	touch $@ $(VENV)/.installed $(VENV)/.installed-test

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test
install-bench: $(VENV)/.installed-bench

run: install system-deps-run
	$(BIN)/baocao migrate --noinput
	$(BIN)/baocao demo
	@echo "Mở http://$(HOST):$(PORT) — mật khẩu của mọi tài khoản mẫu: baocao2022"
	@echo "Tác vụ nền (thư thông báo): baocao db_worker chạy cùng máy chủ; thư được ghi vào $(BAOCAO_DATA_DIR)/mail"
	@# The task worker runs in the background for as long as the server does (the trap stops it).
	export EMAIL_BACKEND="$${EMAIL_BACKEND:-django.core.mail.backends.filebased.EmailBackend}"; \
	$(BIN)/baocao db_worker --interval 2 --no-reload --no-startup-delay --verbosity 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/baocao runserver $(HOST):$(PORT)

# Debian packages: the documents need Liberation fonts 2.x and Pango (WeasyPrint); the tests also
# drive Chromium, LibreOffice Writer and poppler. Installed when missing and we may (root);
# otherwise the tests that need them are skipped, saying so.
RUN_PACKAGES := fonts-liberation2 libpangoft2-1.0-0
TEST_PACKAGES := $(RUN_PACKAGES) chromium libreoffice-writer poppler-utils
define apt_ensure
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			(apt-get update -q && apt-get install -y -q --no-install-recommends $$missing) >/dev/null; \
		else echo "Thiếu gói hệ thống:$$missing (cài bằng apt-get với quyền root)."; fi; \
	fi
endef

system-deps-run:
	$(call apt_ensure,$(RUN_PACKAGES))

system-deps:
	$(call apt_ensure,$(TEST_PACKAGES))

lint: install-test
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

openapi: install
	$(BIN)/baocao export_openapi

# Git hooks (.pre-commit-config.yaml): ruff and the committed OpenAPI schema, before each commit.
hooks: install-test
	$(BIN)/pre-commit install

test: install-test system-deps lint
	$(BIN)/pytest $(PYTEST_ARGS)

bench: install-bench
	$(BIN)/python bench/bench_spine.py
	$(BIN)/python bench/bench_report.py
	$(BIN)/python bench/bench_reorganisation.py

clean:
	rm -rf $(VENV) var test-artifacts .pytest_cache
