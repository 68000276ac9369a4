#!/usr/bin/env bash
# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
#
# The whole test suite, on a fresh database (called by scripts/spc.sh test):
#   1. install the module without demo data; fail on any ERROR, or on a
#      WARNING raised by this module, in the install log;
#   2. run every test of the module (TransactionCase, HttpCase tours);
#   3. uninstall the module and check that a full sales flow still works.
# Prints one closing line "N passed, M failed" and exits non-zero on failure.
set -uo pipefail

: "${MODULE:?run through scripts/spc.sh test}"
STAMP="$(date +%Y%m%d-%H%M%S)"
INSTALL_LOG="$LOG_DIR/test-install-$STAMP.log"
TEST_LOG="$LOG_DIR/test-run-$STAMP.log"
UNINSTALL_LOG="$LOG_DIR/test-uninstall-$STAMP.log"
passed=0
failed=0

pass() { passed=$((passed + 1)); say "PASS $*"; }
fail() { failed=$((failed + 1)); say "FAIL $*"; }

drop_db "$TEST_DB"

# 1. Install -------------------------------------------------------------
say "Installing $MODULE into a fresh database $TEST_DB (no demo data)"
odoo -d "$TEST_DB" -i "$MODULE" --without-demo=all --stop-after-init \
    --log-level=info --logfile="$INSTALL_LOG" >/dev/null 2>&1
install_rc=$?
# Any ERROR, or a WARNING that names this module (its logger or its files).
problems="$(grep -E ' (ERROR|CRITICAL) ' "$INSTALL_LOG"; \
    grep -E ' WARNING ' "$INSTALL_LOG" | grep -E "$MODULE" || true)"
installed="$(psql -d "$TEST_DB" -Atc \
    "select state from ir_module_module where name='$MODULE'" 2>/dev/null)"
if [ "$install_rc" -eq 0 ] && [ -z "$problems" ] && [ "$installed" = "installed" ]; then
    pass "install: clean install log ($INSTALL_LOG)"
else
    fail "install (exit $install_rc, state '$installed'): see $INSTALL_LOG"
    printf '%s\n' "$problems" | head -n 40
fi
demo_loaded="$(psql -d "$TEST_DB" -Atc \
    "select count(*) from ir_model_data where module='$MODULE' and noupdate and name like '%\\_demo'" 2>/dev/null)"
if [ "${demo_loaded:-1}" = "0" ]; then
    pass "install: no demo data in the test database"
else
    fail "install: demo records found in the test database"
fi

# 2. Tests ---------------------------------------------------------------
if [ "$installed" = "installed" ]; then
    say "Running the tests of $MODULE (log: $TEST_LOG)"
    odoo -d "$TEST_DB" --test-tags="/$MODULE" --stop-after-init \
        --log-level=test --logfile="$TEST_LOG" --http-port="${TEST_HTTP_PORT:-8169}" >/dev/null 2>&1
    test_rc=$?
    summary="$(grep -E '[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests' "$TEST_LOG" | tail -n1)"
    if [ -z "$summary" ]; then
        fail "tests: the test run printed no summary (exit $test_rc), see $TEST_LOG"
        grep -E ' (ERROR|CRITICAL) ' "$TEST_LOG" | head -n 40
    else
        read -r t_failed t_errors t_total < <(printf '%s\n' "$summary" \
            | sed -E 's/.* ([0-9]+) failed, ([0-9]+) error\(s\) of ([0-9]+) tests.*/\1 \2 \3/')
        t_bad=$((t_failed + t_errors))
        passed=$((passed + t_total - t_bad))
        failed=$((failed + t_bad))
        say "Module tests: $((t_total - t_bad)) passed, $t_bad failed (of $t_total)"
        if [ "$t_bad" -gt 0 ]; then
            grep -E '^(FAIL|ERROR):|(ERROR|FAIL) .*: (FAIL|ERROR)' "$TEST_LOG" | head -n 40
            grep -E ' ERROR ' "$TEST_LOG" | head -n 60
        fi
        if [ "$t_total" -eq 0 ]; then
            fail "tests: no test ran"
        fi
    fi
fi

# 2b. Two HTTP clients against a server with two workers -----------------
if [ "$installed" = "installed" ]; then
    RACE_LOG="$LOG_DIR/test-http-race-$STAMP.log"
    RACE_PORT="${TEST_RACE_PORT:-8171}"
    say "Two HTTP clients confirming at once, server with --workers=2 (log: $RACE_LOG)"
    race_ids="$("$PY" "$ODOO_SRC/odoo-bin" shell -d "$TEST_DB" \
        --addons-path="$ODOO_SRC/addons,$ODOO_SRC/odoo/addons,$ADDONS" \
        --data-dir="$DATA_DIR" --db_host="" --no-http --log-level=warn \
        < "$REPO/scripts/http_race_setup.py" 2>>"$RACE_LOG" | sed -n 's/^RACE-SETUP //p')"
    odoo -d "$TEST_DB" --db-filter="^$TEST_DB\$" --workers=2 --max-cron-threads=0 \
        --http-port="$RACE_PORT" --logfile="$RACE_LOG" --log-level=info &
    race_server=$!
    for _i in $(seq 1 60); do
        curl -fs "http://127.0.0.1:$RACE_PORT/web/health" >/dev/null 2>&1 && break
        sleep 1
    done
    # shellcheck disable=SC2086
    if [ -n "$race_ids" ] && race_result="$("$PY" "$REPO/scripts/http_race_check.py" \
            "http://127.0.0.1:$RACE_PORT" "$TEST_DB" $race_ids 20 2>>"$RACE_LOG")"; then
        pass "http race: 20 rounds, one order confirmed and one held in each"
    else
        fail "http race: ${race_result:-no result}, see $RACE_LOG"
    fi
    kill "$race_server" 2>/dev/null
    wait "$race_server" 2>/dev/null
fi

# 3. Uninstall, then the sales flow still works ----------------------------
if [ "$installed" = "installed" ]; then
    say "Uninstalling $MODULE and running a sales flow without it"
    "$PY" "$ODOO_SRC/odoo-bin" shell -d "$TEST_DB" \
        --addons-path="$ODOO_SRC/addons,$ODOO_SRC/odoo/addons,$ADDONS" \
        --data-dir="$DATA_DIR" --db_host="" --no-http --log-level=warn \
        < "$REPO/scripts/uninstall_check.py" > "$UNINSTALL_LOG" 2>&1
    if grep -q "UNINSTALL-CHECK-OK" "$UNINSTALL_LOG"; then
        pass "uninstall: module removed, quotation confirmed, delivered and invoiced"
    else
        fail "uninstall: see $UNINSTALL_LOG"
        tail -n 30 "$UNINSTALL_LOG"
    fi
fi

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
