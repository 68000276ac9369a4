#!/usr/bin/env bash
# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
#
# One entry point for the developer commands of sale_process_control:
#   scripts/spc.sh setup   install what is missing (system packages, venv, addons link)
#   scripts/spc.sh run     demo database on http://localhost:8069
#   scripts/spc.sh test    fresh test database, install check, every test
#   scripts/spc.sh bench   benchmark figures, one JSON line each
#   scripts/spc.sh i18n    export the .pot and merge it into the .po files
#   scripts/spc.sh core-tests [with|without]  Odoo's own sale test suites
# Re-running any of them is safe.
set -euo pipefail

MODULE=sale_process_control
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SPC_HOME="${SPC_HOME:-$HOME/.cache/$MODULE}"
ODOO_SRC="${ODOO_SRC:-$SPC_HOME/odoo-18.0}"
VENV="${SPC_VENV:-$SPC_HOME/venv}"
ADDONS="$SPC_HOME/addons"
DATA_DIR="$SPC_HOME/filestore"
LOG_DIR="$SPC_HOME/logs"
PY="$VENV/bin/python"
HTTP_PORT="${HTTP_PORT:-8069}"
DEMO_DB="${DEMO_DB:-spc_demo}"
TEST_DB="${TEST_DB:-spc_test}"
ODOO_URL="https://github.com/odoo/odoo/archive/refs/heads/18.0.tar.gz"

APT_PACKAGES=(
    postgresql postgresql-contrib libpq-dev
    chromium
    wkhtmltopdf poppler-utils poppler-data fonts-noto-cjk
    python3-venv python3-dev build-essential
    libxml2-dev libxslt1-dev libjpeg-dev zlib1g-dev libffi-dev
)

say() { printf '\033[1m[spc]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[spc]\033[0m %s\n' "$*" >&2; exit 1; }

# --------------------------------------------------------------------------
# System packages
# --------------------------------------------------------------------------
missing_apt_packages() {
    local pkg
    for pkg in "${APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || printf '%s\n' "$pkg"
    done
}

ensure_system_packages() {
    local missing
    missing="$(missing_apt_packages | tr '\n' ' ')"
    [ -z "${missing// /}" ] && return 0
    if [ "$(id -u)" != "0" ]; then
        die "These Debian packages are missing and installing them needs root:
    $missing
Install them (sudo apt-get install -y $missing) or run this command as root, then run it again."
    fi
    say "Installing Debian packages: $missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

# --------------------------------------------------------------------------
# PostgreSQL: a local cluster, started, with a superuser role for this user
# --------------------------------------------------------------------------
ensure_postgres() {
    local me version
    me="$(id -un)"
    if ! pg_lsclusters -h 2>/dev/null | grep -q .; then
        [ "$(id -u)" = "0" ] || die "No PostgreSQL cluster exists. As root run: pg_createcluster --start 15 main"
        version="$(ls /usr/lib/postgresql | sort -V | tail -n1)"
        say "Creating PostgreSQL cluster $version/main"
        pg_createcluster "$version" main >/dev/null
    fi
    if ! pg_lsclusters -h | awk '{print $4}' | grep -q online; then
        read -r version cluster _ < <(pg_lsclusters -h | head -n1)
        [ "$(id -u)" = "0" ] || die "PostgreSQL is not running. As root run: pg_ctlcluster $version $cluster start"
        say "Starting PostgreSQL $version/$cluster"
        pg_ctlcluster "$version" "$cluster" start
    fi
    if ! psql -d postgres -Atc "select 1" >/dev/null 2>&1; then
        [ "$(id -u)" = "0" ] || die "PostgreSQL has no role for '$me'. Ask an administrator to run:
    sudo -u postgres createuser --superuser $me"
        say "Creating PostgreSQL role $me"
        su postgres -c "createuser --superuser '$me'" 2>/dev/null || true
    fi
    psql -d postgres -Atc "select 1" >/dev/null || die "Cannot connect to PostgreSQL as '$me'."
}

# --------------------------------------------------------------------------
# Odoo source
# --------------------------------------------------------------------------
ensure_odoo_source() {
    [ -f "$ODOO_SRC/odoo-bin" ] && return 0
    say "No Odoo tree at $ODOO_SRC; downloading the official 18.0 source"
    local tmp
    tmp="$(mktemp -d)"
    if curl -fsSL --connect-timeout 15 "$ODOO_URL" -o "$tmp/odoo.tar.gz" 2>/dev/null; then
        mkdir -p "$ODOO_SRC"
        tar -xzf "$tmp/odoo.tar.gz" -C "$ODOO_SRC" --strip-components=1
        rm -rf "$tmp"
        return 0
    fi
    rm -rf "$tmp"
    die "The Odoo 18.0 source is needed and could not be downloaded.
Provide it in one of these ways, then run the command again:
  - set ODOO_SRC to the root of an Odoo 18.0 Community tree (the folder holding odoo-bin), or
  - unpack that tree into $SPC_HOME/odoo-18.0 (so that $SPC_HOME/odoo-18.0/odoo-bin exists).
The official source is at https://github.com/odoo/odoo (branch 18.0)."
}

# --------------------------------------------------------------------------
# Python virtualenv
# --------------------------------------------------------------------------
# Odoo's own pins for Python < 3.12 include sdists that no longer build;
# the pins it gives for 3.12 install cleanly on 3.11, so markers are read
# as if the interpreter were 3.12. python-ldap (auth_ldap only) is left out.
odoo_requirements() {
    "$PY" - "$ODOO_SRC/requirements.txt" <<'PYEOF'
import sys
from pip._vendor.packaging.requirements import Requirement

env = {"python_version": "3.12", "python_full_version": "3.12.0", "sys_platform": "linux"}
for raw in open(sys.argv[1], encoding="utf-8"):
    line = raw.split("#", 1)[0].strip()
    if not line:
        continue
    req = Requirement(line)
    if req.name.lower() in {"python-ldap"}:
        continue
    if req.marker is None or req.marker.evaluate(env):
        req.marker = None
        print(req)
PYEOF
}

ensure_venv() {
    local stamp want
    [ -x "$PY" ] || { say "Creating virtualenv $VENV"; python3 -m venv "$VENV"; }
    want="$(cat "$ODOO_SRC/requirements.txt" "$REPO/requirements.txt" "$REPO/requirements-dev.txt" | sha1sum | cut -c1-12)"
    stamp="$VENV/.spc-requirements-$want"
    [ -f "$stamp" ] && return 0
    say "Installing Python requirements into $VENV (first run takes a few minutes)"
    "$PY" -m pip install -q --upgrade "pip<25" wheel "setuptools<70"
    odoo_requirements > "$VENV/odoo-requirements.txt"
    "$PY" -m pip install -q -r "$VENV/odoo-requirements.txt"
    "$PY" -m pip install -q -r "$REPO/requirements.txt" -r "$REPO/requirements-dev.txt"
    rm -f "$VENV"/.spc-requirements-*
    touch "$stamp"
}

ensure_addons_link() {
    mkdir -p "$ADDONS" "$DATA_DIR" "$LOG_DIR"
    if [ "$(readlink -f "$ADDONS/$MODULE" 2>/dev/null)" != "$REPO" ]; then
        rm -f "$ADDONS/$MODULE"
        ln -s "$REPO" "$ADDONS/$MODULE"
    fi
}

setup() {
    ensure_system_packages
    ensure_postgres
    ensure_odoo_source
    ensure_venv
    ensure_addons_link
}

odoo() {
    "$PY" "$ODOO_SRC/odoo-bin" \
        --addons-path="$ODOO_SRC/addons,$ODOO_SRC/odoo/addons,$ADDONS" \
        --data-dir="$DATA_DIR" \
        --db_host="" --db-filter=".*" \
        "$@"
}

db_exists() { psql -d postgres -Atc "select 1 from pg_database where datname='$1'" | grep -q 1; }
drop_db() {
    db_exists "$1" || return 0
    psql -d postgres -qc "select pg_terminate_backend(pid) from pg_stat_activity where datname='$1'" >/dev/null
    dropdb "$1"
    rm -rf "$DATA_DIR/filestore/$1"
}

# --------------------------------------------------------------------------
# Commands
# --------------------------------------------------------------------------
cmd_run() {
    setup
    if db_exists "$DEMO_DB" && psql -d "$DEMO_DB" -Atc \
        "select 1 from ir_module_module where name='$MODULE' and state='installed'" 2>/dev/null | grep -q 1; then
        say "Updating $MODULE in database $DEMO_DB"
        odoo -d "$DEMO_DB" -u "$MODULE" --stop-after-init --log-level=warn
    else
        drop_db "$DEMO_DB"
        say "Creating demo database $DEMO_DB (Chinese demo company, 18 months of orders: a few minutes)"
        odoo -d "$DEMO_DB" -i "$MODULE" --load-language=zh_CN,en_US \
            --stop-after-init --log-level=warn
        # Jobs of modules installed after the demo data that call Odoo's
        # online services (the machine may have no internet).
        psql -d "$DEMO_DB" -qc "UPDATE ir_cron SET active = false WHERE id IN (
            SELECT res_id FROM ir_model_data WHERE model = 'ir.cron' AND
            module || '.' || name IN ('crm_iap_enrich.ir_cron_lead_enrichment',
            'partner_autocomplete.ir_cron_partner_autocomplete',
            'mail.ir_cron_module_update_notification'))"
    fi
    cat <<MSG

  Sales Process Control is running on http://localhost:$HTTP_PORT  (database $DEMO_DB)

  Demo logins (password = login):
    admin       Administrator (all rights)
    sales       Salesperson              sales2      Salesperson
    head        Department Head
    director    Sales Director           management  Management
    tech        Technical Reviewer       production  Production Reviewer
    finance     Finance Reviewer         legal       Legal Reviewer
    service     Customer Service         supervision Supervision
  Stop with Ctrl+C.

MSG
    exec "$PY" "$ODOO_SRC/odoo-bin" \
        --addons-path="$ODOO_SRC/addons,$ODOO_SRC/odoo/addons,$ADDONS" \
        --data-dir="$DATA_DIR" --db_host="" \
        -d "$DEMO_DB" --db-filter="^$DEMO_DB\$" --http-port="$HTTP_PORT" --log-level=warn
}

cmd_test() {
    setup
    "$REPO/scripts/run_tests.sh"
}

cmd_bench() {
    setup
    "$PY" "$REPO/scripts/bench.py" "$@"
}

cmd_lint() {
    setup
    "$REPO/scripts/lint.sh" "$@"
}

cmd_i18n() {
    # Export the .pot from a scratch database with the module installed, then
    # merge it into the .po files (existing translations are kept).
    setup
    local db="spc_i18n"
    drop_db "$db"
    odoo -d "$db" -i "$MODULE" --without-demo=all --stop-after-init --log-level=warn
    odoo -d "$db" --modules="$MODULE" --i18n-export="$REPO/i18n/$MODULE.pot" \
        --stop-after-init --log-level=warn
    drop_db "$db"
    "$PY" "$REPO/scripts/i18n_update.py" "$REPO/i18n" || true
    # Traditional Chinese follows the reviewed Simplified Chinese.
    "$PY" "$REPO/scripts/i18n_zh_tw.py" "$REPO/i18n" || true
}

cmd_core_tests() {
    setup
    "$REPO/scripts/core_tests.sh" "$@"
}

export MODULE REPO SPC_HOME ODOO_SRC VENV ADDONS DATA_DIR LOG_DIR PY TEST_DB
export -f odoo db_exists drop_db say die

case "${1:-}" in
    setup) setup ;;
    run) cmd_run ;;
    test) cmd_test ;;
    bench) shift; cmd_bench "$@" ;;
    lint) shift; cmd_lint "$@" ;;
    core-tests) shift; cmd_core_tests "$@" ;;
    i18n) cmd_i18n ;;
    *) die "usage: scripts/spc.sh setup|run|test|bench|lint|i18n|core-tests" ;;
esac
