# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
"""Where Odoo lives, how odoo-bin is run, and an ORM environment in this process."""

import ast
import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import psycopg2

MODULE = os.environ.get("MODULE", "sale_process_control")
REPO = Path(os.environ.get("REPO", Path(__file__).resolve().parents[2]))
SPC_HOME = Path(
    os.environ.get("SPC_HOME", Path.home() / ".cache" / "sale_process_control")
)
ODOO_SRC = Path(os.environ.get("ODOO_SRC", SPC_HOME / "odoo-18.0"))
ADDONS = Path(os.environ.get("ADDONS", SPC_HOME / "addons"))
DATA_DIR = Path(os.environ.get("DATA_DIR", SPC_HOME / "filestore"))
LOG_DIR = Path(os.environ.get("LOG_DIR", SPC_HOME / "logs"))
PY = os.environ.get("PY", sys.executable)
ADMIN_UID = 2
BENCH_PARAM = "sale_process_control.bench"


def log(message, *args):
    """Progress goes to stderr; stdout carries the JSON figures only."""
    text = message % args if args else message
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def emit(figure, value, unit=None, **extra):
    """Print one figure as one JSON line on stdout."""
    line = {"figure": figure, "value": value}
    if unit:
        line["unit"] = unit
    line.update(extra)
    print(json.dumps(line, default=str), flush=True)
    return line


def odoo_args(db):
    addons = [ODOO_SRC / "addons", ODOO_SRC / "odoo" / "addons", ADDONS]
    return [
        "--addons-path=" + ",".join(str(path) for path in addons),
        f"--data-dir={DATA_DIR}",
        "--db_host=",
        "-d",
        db,
    ]


def module_dependencies():
    manifest = ast.literal_eval((REPO / "__manifest__.py").read_text(encoding="utf-8"))
    return list(manifest["depends"])


def run_odoo(db, args, log_name):
    """Run odoo-bin to completion; its log goes to LOG_DIR. Returns seconds."""
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    logfile = LOG_DIR / f"bench-{db}-{log_name}-{time.strftime('%Y%m%d-%H%M%S')}.log"
    command = [
        PY,
        str(ODOO_SRC / "odoo-bin"),
        *odoo_args(db),
        "--no-http",
        "--stop-after-init",
        "--log-level=warn",
        f"--logfile={logfile}",
        *args,
    ]
    started = time.perf_counter()
    result = subprocess.run(command, check=False, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    text = (
        logfile.read_text(encoding="utf-8", errors="replace")
        if logfile.exists()
        else ""
    )
    errors = [
        line for line in text.splitlines() if " ERROR " in line or " CRITICAL " in line
    ]
    if result.returncode or errors:
        tail = "\n".join((errors or text.splitlines())[-20:])
        raise RuntimeError(
            f"odoo-bin {' '.join(args)} failed (exit {result.returncode}), "
            f"log {logfile}:\n{tail}\n{result.stderr[-2000:]}"
        )
    return seconds


def connect(db="postgres"):
    return psycopg2.connect(dbname=db)


def db_exists(db):
    with contextlib.closing(connect()) as cnx, cnx.cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db])
        return bool(cr.fetchone())


def drop_db(db):
    if not db.startswith("spc_bench"):
        raise ValueError(
            f"refusing to drop {db!r}: bench databases start with spc_bench"
        )
    if db_exists(db):
        cnx = connect()
        cnx.autocommit = True
        with contextlib.closing(cnx), cnx.cursor() as cr:
            cr.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [db],
            )
            cr.execute(f'DROP DATABASE "{db}"')
    shutil.rmtree(DATA_DIR / "filestore" / db, ignore_errors=True)


_LOADED = {}


def load_odoo(db):
    """Import Odoo in this process, configured for `db`; returns the registry."""
    if "odoo" not in _LOADED:
        sys.path.insert(0, str(ODOO_SRC))
        # Odoo is a source tree next to the virtualenv, not an installed package.
        import odoo

        odoo.tools.config.parse_config(
            [*odoo_args(db), "--log-level=warn", "--no-http"]
        )
        _LOADED["odoo"] = odoo
    odoo = _LOADED["odoo"]
    from odoo.modules.registry import Registry

    return Registry(db)


@contextlib.contextmanager
def environment(db, commit=True):
    """An ORM environment as the administrator; commits on success if asked."""
    registry = load_odoo(db)
    from odoo import api

    with registry.cursor() as cr:
        env = api.Environment(cr, ADMIN_UID, {})
        try:
            yield env
        except BaseException:
            cr.clear()
            cr.rollback()
            raise
        if commit:
            env.flush_all()
            cr.commit()
        else:
            # Drop pending ORM writes too: leaving the cursor commits (and
            # flushes) whatever is left.
            cr.clear()
            cr.rollback()
