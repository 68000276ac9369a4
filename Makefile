# Sales Process Control: developer commands (see README.md).
SPC := scripts/spc.sh

.PHONY: run test bench lint setup core-tests i18n

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

i18n:       ## export the .pot and merge it into zh_CN.po / zh_TW.po
	@$(SPC) i18n
