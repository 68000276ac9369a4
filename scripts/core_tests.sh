#!/usr/bin/env bash
# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
#
# Odoo's own sale, sale_stock, sale_management and sale_crm test suites, run on
# a fresh database without this module and on one with it installed (all
# switches off, as after a plain install), then both summaries side by side.
# Usage (through scripts/spc.sh core-tests): core_tests.sh [without|with|both]
set -uo pipefail

: "${MODULE:?run through scripts/spc.sh core-tests}"
MODE="${1:-both}"
TAGS="/sale,/sale_stock,/sale_management,/sale_crm"
BASE_MODULES="sale_management,sale_stock,sale_crm,sale_margin"

run_suite() {
    local label="$1" modules="$2" db="spc_core_$1" log="$LOG_DIR/core-tests-$1.log"
    drop_db "$db"
    rm -f "$log"  # Odoo appends to its log file: one run per log.
    say "Odoo's sale suites $label $MODULE (database $db, log $log)"
    odoo -d "$db" -i "$modules" --without-demo=all --test-enable --test-tags="$TAGS" \
        --stop-after-init --log-level=test --logfile="$log" --http-port="${CORE_HTTP_PORT:-8369}" \
        >/dev/null 2>&1
    # One line per failing test, without timings, so the two runs can be diffed.
    grep -E '^[0-9-]+ [0-9:,]+ [0-9]+ (ERROR|CRITICAL) [^ ]+ [^ ]+: (FAIL|ERROR): ' "$log" \
        | sed -E 's/^.*: (FAIL|ERROR): /\1: /' | sort > "$LOG_DIR/core-tests-$label.failures"
    summary="$(grep -E '[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests' "$log" | tail -n1 \
        | sed -E 's/.*(: |INFO [^ ]+ [^ ]+: )//')"
    printf '%s\n' "${summary:-no summary, see $log}" > "$LOG_DIR/core-tests-$label.summary"
    drop_db "$db"
}

case "$MODE" in
    without) run_suite without "$BASE_MODULES" ;;
    with) run_suite with "$BASE_MODULES,$MODULE" ;;
    both)
        run_suite without "$BASE_MODULES"
        run_suite with "$BASE_MODULES,$MODULE"
        ;;
    *) die "usage: core_tests.sh [without|with|both]" ;;
esac

for label in without with; do
    [ -f "$LOG_DIR/core-tests-$label.summary" ] || continue
    printf '%-8s %s  %s failing test(s)\n' "$label" "$(cat "$LOG_DIR/core-tests-$label.summary")" \
        "$(wc -l < "$LOG_DIR/core-tests-$label.failures")"
done
if [ -f "$LOG_DIR/core-tests-without.failures" ] && [ -f "$LOG_DIR/core-tests-with.failures" ]; then
    if diff -u "$LOG_DIR/core-tests-without.failures" "$LOG_DIR/core-tests-with.failures"; then
        say "Same result with and without $MODULE."
    else
        die "Odoo's own tests differ with $MODULE installed (diff above)."
    fi
fi
