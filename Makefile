# Sales Process Control: developer commands (see README.md).
SPC := scripts/spc.sh

.PHONY: run test bench lint setup core-tests

run:        ## Odoo with the module and demo data on http://localhost:8069
	@$(SPC) run

test:       ## fresh test database, install check, every test
	@$(SPC) test

bench:      ## benchmark figures, one JSON line each
	@$(SPC) bench $(ARGS)

lint:       ## pre-commit hooks on the whole tree
	@$(SPC) lint

setup:      ## install what is missing, nothing else
	@$(SPC) setup

core-tests: ## Odoo's own sale suites with and without the module
	@$(SPC) core-tests
