# CQO Portal — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: run test install lint format bench bench-small messages prod

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

## Set up everything on SQLite, load the demo site and serve http://127.0.0.1:$(PORT), the demo logins printed last
run: export WAGTAILADMIN_BASE_URL ?= http://127.0.0.1:$(PORT)
run: $(STAMP)
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo_data --logins-file var/demo-logins.txt
	$(BIN)/python manage.py rundemo 127.0.0.1:$(PORT)

## Run the whole suite (SQLite by default; set DATABASE_URL for PostgreSQL)
PYTEST_ARGS ?= -n 2

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l zh_Hans -l en --ignore=.venv --ignore=var
	$(BIN)/python manage.py compilemessages --ignore=.venv

bench: $(STAMP)
	$(BIN)/python -m bench --scale full

bench-small: $(STAMP)
	$(BIN)/python -m bench --scale small

## The production-like stack on this machine (gunicorn, tasks worker, clock) against local PostgreSQL and Redis
prod: $(STAMP)
	bin/prod
