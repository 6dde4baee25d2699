# The two commands: `make run` and `make test`. Everything else is a step of theirs.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export DEBUG ?= 1

.PHONY: run test install assets migrate seed serve lint format bench clean totp backup restore

run: install assets migrate seed serve

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/pip install --quiet -r requirements.lock
	touch $@

install: $(VENV)/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

static/dist/.built: node_modules/.installed scripts/build-assets.mjs $(wildcard static/src/*)
	node scripts/build-assets.mjs
	touch $@

assets: static/dist/.built

migrate: install
	$(BIN)/python manage.py migrate --no-input

seed: install
	$(BIN)/python manage.py seed_demo

serve: install
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: install assets
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The current TOTP code of a demo police account, for signing in locally.
totp: install
	@test -n "$(EMAIL)" || { echo "Usage: make totp EMAIL=sso@demo.safer-schools.test"; exit 1; }
	@$(BIN)/python manage.py totp_code "$(EMAIL)"

# Back up the PostgreSQL database (DATABASE_URL), MEDIA_ROOT and the sealing keys into
# backups/<time>/, and restore one into an empty database (README, "Backup and restore").
backup:
	scripts/backup.sh

restore: install
	@test -n "$(BACKUP)" || { echo "Usage: make restore BACKUP=backups/<time>"; exit 1; }
	PYTHON=$(BIN)/python scripts/restore.sh "$(BACKUP)"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install assets
	$(BIN)/python -m benchmarks $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules static/dist staticfiles var
