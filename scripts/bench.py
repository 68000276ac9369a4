#!/usr/bin/env python3
# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
"""Benchmark figures of sale_process_control, one JSON line each on stdout.

    make bench                                  # small scale, a few minutes
    make bench ARGS="--scale large"             # ~1,000,000 order lines
    make bench ARGS="--customers 200 --orders 2000"
    make bench ARGS="--reuse --only orm_orders_per_second"
    scripts/bench.py --list

Steps (progress on stderr):
  1. drop and recreate the database (default spc_bench), install the module's
     dependencies, then the module, without demo data -> install_seconds;
  2. generate the history: ORM set-up and templates, then COPY
     -> generator_order_lines_per_second;
  3. verify that the ORM reads it back consistently -> generator_check
     (exit status 1 when it does not);
  4. every registered figure (scripts/bench/figures.py).
With --reuse, steps 1-3 are skipped and the existing database is measured.
"""

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import figures, figures_controls, odoo_env  # noqa: F401 - registers
from bench.odoo_env import emit, log
from bench.plan import SCALES, Plan, Scale


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default="spc_bench", help="database (spc_bench*)")
    parser.add_argument("--scale", choices=sorted(SCALES), default="small")
    parser.add_argument("--customers", type=int, help="overrides the scale")
    parser.add_argument("--orders", type=int, help="overrides the scale")
    parser.add_argument("--lines-per-order", type=int, help="average, default 5")
    parser.add_argument("--products", type=int, help="default 40")
    parser.add_argument("--days", type=int, help="history length, default 540")
    parser.add_argument("--seed", type=int, help="default 2026")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the existing database: no install, generation or check",
    )
    parser.add_argument(
        "--update", action="store_true", help="with --reuse: update the module first"
    )
    parser.add_argument(
        "--drop", action="store_true", help="drop the database at the end"
    )
    parser.add_argument("--skip-verify", action="store_true")
    parser.add_argument(
        "--sample", type=int, default=100, help="orders the ORM rechecks"
    )
    parser.add_argument(
        "--only", help="comma-separated figure names (default: every figure)"
    )
    parser.add_argument("--list", action="store_true", help="list the figures and exit")
    args = parser.parse_args(argv)
    if not args.db.startswith("spc_bench"):
        parser.error("the bench database name must start with spc_bench")
    return args


def make_scale(args):
    scale = Scale(**vars(SCALES[args.scale]))
    for option, attribute in (
        ("customers", "customers"),
        ("orders", "orders"),
        ("lines_per_order", "lines_per_order"),
        ("products", "products"),
        ("days", "days"),
        ("seed", "seed"),
    ):
        value = getattr(args, option)
        if value is not None:
            setattr(scale, attribute, value)
    return scale


def install(db):
    odoo_env.drop_db(db)
    dependencies = odoo_env.module_dependencies()
    log("installing %s into a fresh %s (no demo data)", ", ".join(dependencies), db)
    seconds_deps = odoo_env.run_odoo(
        db, ["-i", ",".join(dependencies), "--without-demo=all"], "install-deps"
    )
    log("installing %s", odoo_env.MODULE)
    seconds = odoo_env.run_odoo(
        db, ["-i", odoo_env.MODULE, "--without-demo=all"], "install"
    )
    emit(
        "install_seconds",
        round(seconds, 1),
        "s",
        module=odoo_env.MODULE,
        dependencies_seconds=round(seconds_deps, 1),
        total_seconds=round(seconds + seconds_deps, 1),
    )


def generate(db, scale):
    from bench import generator

    started = time.perf_counter()
    plan = Plan(scale)
    plan_seconds = time.perf_counter() - started
    log(
        "plan: %d customers, %d orders, %d lines over %d days (%.1f s)",
        scale.customers,
        scale.orders,
        plan.line_count,
        scale.days,
        plan_seconds,
    )
    result = generator.generate(db, plan)
    timings = result["timings"]
    rows = sum(result["rows"].values())
    copy_seconds = timings["copy_seconds"]
    total_seconds = timings["total_seconds"] + plan_seconds
    emit(
        "generator_order_lines_per_second",
        round(plan.line_count / copy_seconds),
        "lines/s",
        orders=scale.orders,
        lines=plan.line_count,
        customers=scale.customers,
        rows=rows,
        rows_per_second=round(rows / copy_seconds),
        copy_seconds=round(copy_seconds, 1),
        setup_seconds=round(timings["setup_seconds"], 1),
        summary_cells=timings["summary_cells"],
        summary_seconds=round(timings["summary_seconds"], 1),
        total_seconds=round(total_seconds, 1),
        lines_per_second_overall=round(plan.line_count / total_seconds),
    )


def read_info(db):
    with odoo_env.environment(db, commit=False) as env:
        raw = env["ir.config_parameter"].sudo().get_param(odoo_env.BENCH_PARAM)
    if not raw:
        raise SystemExit(f"{db} holds no generated history: run without --reuse")
    return json.loads(raw)


def run_figures(db, names, ctx):
    failed = False
    for name in names:
        function, unit = figures.FIGURES[name]
        log("figure %s", name)
        try:
            with odoo_env.environment(db, commit=False) as env:
                result = function(env, ctx)
        except Exception as error:
            failed = True
            emit(name, None, unit, error=f"{type(error).__name__}: {error}")
            continue
        if not isinstance(result, dict):
            result = {"value": result}
        result = dict(result)
        value = result.pop("value")
        emit(name, value, result.pop("unit", unit), **result)
    return not failed


def main(argv=None):
    args = parse_args(argv)
    if args.list:
        for name, (function, unit) in sorted(figures.FIGURES.items()):
            doc = (function.__doc__ or "").strip().splitlines()
            print(f"{name} [{unit or '-'}]: {doc[0] if doc else ''}")
        return 0
    names = list(figures.FIGURES)
    if args.only:
        names = [name.strip() for name in args.only.split(",") if name.strip()]
        unknown = [name for name in names if name not in figures.FIGURES]
        if unknown:
            raise SystemExit(f"unknown figures: {', '.join(unknown)} (see --list)")
    ok = True
    if args.reuse:
        if args.update:
            seconds = odoo_env.run_odoo(args.db, ["-u", odoo_env.MODULE], "update")
            emit("update_seconds", round(seconds, 1), "s", module=odoo_env.MODULE)
    else:
        install(args.db)
        generate(args.db, make_scale(args))
    info = read_info(args.db)
    if not args.reuse and not args.skip_verify:
        from bench import verify

        result = verify.verify(args.db, info, sample=args.sample)
        emit("generator_check", result["ok"], None, **result)
        ok = ok and not result["problem_count"]
    ok = run_figures(args.db, names, info) and ok
    if args.drop:
        odoo_env.drop_db(args.db)
        log("dropped %s", args.db)
    else:
        log("database %s kept (rerun figures with --reuse; --drop to remove)", args.db)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
