# Youth Voice tasks. `make help` lists them.
.DEFAULT_GOAL := help

help: ## list the tasks
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

run: ## install what is needed and run the product on SQLite with demo data
	@scripts/setup
	@.venv/bin/youthvoice serve

test: ## install what is needed and run the whole test suite (lint, types, tests)
	@scripts/setup test
	@scripts/test

chat: ## try the check-in in this terminal
	@scripts/setup
	@.venv/bin/youthvoice chat

bench: ## run every benchmark; each prints our stack beside its bare floor
	@scripts/setup test
	@for b in engine telegram whatsapp reports themes healthz; do \
	  echo "== bench/$$b.py"; .venv/bin/python bench/$$b.py || exit 1; done
	@echo "== bench/telegram.py --http"; .venv/bin/python bench/telegram.py --http

.PHONY: help run test chat bench
