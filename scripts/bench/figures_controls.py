# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
"""Figures of the customers/visits, order-intake and credit issues.

Every figure runs in a transaction that is rolled back, so the extra rows some
of them add (visits, receivable items, review rules) never stay in the bench
database. Rows are added by SQL, cloned from one row the ORM wrote, for the
same reason the history is: the ORM would take longer than the measure.
"""

import statistics
from datetime import timedelta

from .figures import Timer, figure


def _columns(cr, table):
    cr.execute(
        """
        SELECT column_name FROM information_schema.columns
         WHERE table_name = %s AND column_name != 'id'
         ORDER BY ordinal_position
        """,
        [table],
    )
    return [row[0] for row in cr.fetchall()]


def clone_rows(env, table, template_id, count, overrides):
    """Insert ``count`` copies of row ``template_id`` of ``table``; ``overrides``
    maps a column to an SQL expression of ``g`` (1..count) and ``t`` (the
    template row). Return the new ids."""
    cr = env.cr
    names = _columns(cr, table)
    select = [overrides.get(name, f't."{name}"') for name in names]
    cr.execute(
        f"""
        INSERT INTO "{table}" ({", ".join(f'"{name}"' for name in names)})
        SELECT {", ".join(select)}
          FROM "{table}" t, generate_series(1, %s) g
         WHERE t.id = %s
        RETURNING id
        """,
        [count, template_id],
    )
    return [row[0] for row in cr.fetchall()]


def _customers(env):
    env.cr.execute(
        """
        SELECT id FROM res_partner
         WHERE active AND customer_rank > 0 AND parent_id IS NULL
         ORDER BY id
        """
    )
    return [row[0] for row in env.cr.fetchall()]


def _all_customers(env):
    """Make every company of the data set a customer: the generator's 100,000
    customers include some 50,000 that never bought (Odoo leaves their
    customer rank at 0); the customer figures are measured over all of them,
    the requirements' 100,000."""
    env.flush_all()
    env.cr.execute(
        """
        UPDATE res_partner SET customer_rank = 1
         WHERE customer_rank = 0 AND parent_id IS NULL AND is_company AND active
        """
    )
    env.cr.execute("ANALYZE res_partner")
    env.invalidate_all()


def _assign_tiers(env, review):
    """Give every customer its proposed tier in one statement (what confirming
    the whole review would do, without the chatter of 100,000 customers)."""
    env.flush_all()
    env.cr.execute(
        """
        UPDATE res_partner p
           SET customer_tier_id =
               jsonb_build_object(r.company_id::text, l.final_tier_id)
          FROM sale_tier_review_line l
          JOIN sale_tier_review r ON r.id = l.review_id
         WHERE l.review_id = %s AND p.id = l.partner_id
        """,
        [review.id],
    )
    # Statistics as autovacuum would have them for tiers given over time.
    env.cr.execute("ANALYZE res_partner")
    env.invalidate_all()


def _generous_credit(env):
    """A limit and an overdue tolerance nobody reaches: the check runs in full
    and passes, so what is measured is the check, not the hold it would post."""
    env.flush_all()
    env.cr.execute(
        "UPDATE res_partner SET credit_limit = jsonb_build_object(%s, 1e12)",
        [str(env.company.id)],
    )
    env.company.sale_credit_overdue_amount = 1e12
    env.invalidate_all()


# ---------------------------------------------------------------------------
# Customers and visits
# ---------------------------------------------------------------------------
@figure("tier_evaluation_seconds", unit="s")
def tier_evaluation_seconds(env, ctx):
    """Quarterly tier evaluation of every customer (set-based), with the same
    evaluation done one customer at a time on a sample, for the ratio."""
    company = env.company
    _all_customers(env)
    Review = env["sale.tier.review"]
    day = env.cr.now().date()
    Review.search([("company_id", "=", company.id)]).unlink()
    with Timer() as timer:
        review = Review._get_or_create_review(company, day)
        env.flush_all()
    lines = len(review.line_ids)

    # The same figures per customer: one aggregate query each.
    tiers = env["sale.customer.tier"]._get_company_tiers(company)
    windows = sorted(set(tiers.mapped("window_months")))
    customers = _customers(env)
    sample = customers[:: max(1, len(customers) // 1000)][:1000]
    from dateutil.relativedelta import relativedelta

    end = review.date_start
    with Timer() as loop_timer:
        for partner_id in sample:
            for months in windows:
                env.cr.execute(
                    """
                    SELECT SUM(o.amount_untaxed), COUNT(*)
                      FROM sale_order o
                      JOIN res_partner p ON p.id = o.partner_id
                     WHERE p.commercial_partner_id = %s AND o.company_id = %s
                       AND o.state = 'sale'
                       AND o.date_order >= %s AND o.date_order < %s
                    """,
                    [partner_id, company.id, end - relativedelta(months=months), end],
                )
                env.cr.fetchall()
    loop_seconds = loop_timer.seconds * len(customers) / max(len(sample), 1)
    # The set-based figures alone, to compare like with like.
    env.invalidate_all()
    with Timer() as figures_timer:
        review._get_customer_figures(tiers)
    return {
        "value": round(timer.seconds, 2),
        "customers": len(customers),
        "review_lines": lines,
        "order_lines": ctx["lines"],
        "figures_set_based_seconds": round(figures_timer.seconds, 2),
        "figures_per_customer_loop_seconds": round(loop_seconds, 1),
        "loop_sample": len(sample),
        "ratio_loop_to_set": round(loop_seconds / figures_timer.seconds, 1),
    }


@figure("visit_due_job_seconds", unit="s")
def visit_due_job_seconds(env, ctx):
    """The daily visit-due job with every customer holding a tier."""
    company = env.company
    _all_customers(env)
    Review = env["sale.tier.review"]
    Review.search([("company_id", "=", company.id)]).unlink()
    review = Review._get_or_create_review(company, env.cr.now().date())
    _assign_tiers(env, review)
    env.cr.execute(
        """
        SELECT t.visit_interval, COUNT(*)
          FROM res_partner p
          JOIN sale_customer_tier t
            ON t.id = (p.customer_tier_id ->> %s)::int
         GROUP BY 1
        """,
        [str(company.id)],
    )
    by_interval = dict(env.cr.fetchall())
    activities_before = env["mail.activity"].search_count([])
    with Timer() as timer:
        env["sale.visit"]._cron_schedule_due_visits()
        env.flush_all()
    given = env["mail.activity"].search_count([]) - activities_before
    return {
        "value": round(timer.seconds, 2),
        "customers": sum(by_interval.values()),
        "customers_by_cadence": by_interval,
        "activities_given": given,
    }


@figure("visit_compliance_read_group_ms", unit="ms")
def visit_compliance_read_group_ms(env, ctx):
    """The visit compliance report's default view (last six months, grouped by
    salesperson) over 200,000 visits, read from the stored windows; with the
    time to build those windows, the daily job's refresh and one visit logged."""
    company = env.company
    _all_customers(env)
    Review = env["sale.tier.review"]
    Review.search([("company_id", "=", company.id)]).unlink()
    review = Review._get_or_create_review(company, env.cr.now().date())
    _assign_tiers(env, review)
    customers = _customers(env)

    def log_visit(partner_id, days_ago):
        visit = env["sale.visit"].create(
            {
                "partner_id": partner_id,
                "purpose": "Benchmark visit",
                "summary": "Benchmark visit summary.",
                "planned_date": env.cr.now() - timedelta(days=days_ago),
            }
        )
        visit.action_done()
        env.flush_all()
        return visit

    template = log_visit(customers[0], 3)
    visits = 200_000
    count = len(customers)
    clone_rows(
        env,
        "sale_visit",
        template.id,
        visits - 1,
        {
            # Spread over customers and the last 200 days.
            "partner_id": f"(ARRAY{customers})[1 + mod(g, {count})]",
            "commercial_partner_id": f"(ARRAY{customers})[1 + mod(g, {count})]",
            "visit_date": "(now() AT TIME ZONE 'UTC')::date - mod(g, 200)",
            "planned_date": (
                "(now() AT TIME ZONE 'UTC') - make_interval(days => mod(g, 200))"
            ),
            "name": "t.name || '/' || g",
        },
    )
    env.cr.execute("ANALYZE sale_visit")
    # The stored windows: built for every customer (what installing the module
    # or the first daily job does), then the daily job with nothing changed.
    Window = env["sale.visit.window"]
    with Timer() as build_timer:
        Window._refresh()
    env.cr.execute("ANALYZE sale_visit_window")
    with Timer() as daily_timer:
        daily_changes = Window._refresh()
    env.cr.execute("SELECT COUNT(*) FROM sale_visit_window")
    window_rows = env.cr.fetchone()[0]
    # One visit logged: the customer's windows follow in one statement.
    with Timer() as visit_timer:
        log_visit(customers[1], 1)
    Report = env["sale.visit.compliance.report"]
    first_day = (env.cr.now().date().replace(day=1) - timedelta(days=150)).replace(
        day=1
    )
    domain = [("window_start", ">=", first_day)]
    runs = []
    for _run in range(3):
        env.invalidate_all()
        with Timer() as timer:
            groups = Report.read_group(
                domain,
                ["required_count:sum", "met_count:sum", "compliance_rate:avg"],
                ["user_id"],
            )
        runs.append(timer.seconds * 1000)
    # The windows out of date (the daily job stopped for longer than their
    # look-ahead): the report builds them at query time.
    env["ir.config_parameter"].set_param(
        "sale_process_control.visit_windows_until",
        str(env.cr.now().date() - timedelta(days=1)),
    )
    env.invalidate_all()
    with Timer() as fallback_timer:
        Report.read_group(
            domain,
            ["required_count:sum", "met_count:sum", "compliance_rate:avg"],
            ["user_id"],
        )
    return {
        "value": round(statistics.median(runs), 1),
        "visits": visits,
        "customers": count,
        "groups": len(groups),
        "runs_ms": [round(run, 1) for run in runs],
        "window_rows": window_rows,
        "windows_build_seconds": round(build_timer.seconds, 2),
        "windows_daily_job_seconds": round(daily_timer.seconds, 2),
        "windows_daily_job_changes": daily_changes,
        "visit_logged_ms": round(visit_timer.seconds * 1000, 1),
        "windows_out_of_date_ms": round(fallback_timer.seconds * 1000, 1),
    }


# ---------------------------------------------------------------------------
# Order intake
# ---------------------------------------------------------------------------
def _customers_with_orders(env):
    """Customers with confirmed orders: a first order would wait for a credit
    evaluation when credit control is on, which is not what is measured."""
    env.flush_all()
    env.cr.execute(
        "SELECT DISTINCT partner_id FROM sale_order WHERE state = 'sale' "
        "ORDER BY partner_id"
    )
    return [row[0] for row in env.cr.fetchall()]


def _bench_orders(env, ctx, count, offset=0, partners=None):
    from odoo import Command

    partners = partners or _customers_with_orders(env)
    products = ctx["product_ids"][:5]
    orders = env["sale.order"].create(
        [
            {
                "partner_id": partners[((offset + number) * 7) % len(partners)],
                "commitment_date": env.cr.now() + timedelta(days=30),
                "requirement_description": "Standard products.",
                "order_line": [
                    Command.create({"product_id": product, "product_uom_qty": 2})
                    for product in products
                ],
            }
            for number in range(count)
        ]
    )
    for order in orders:
        contact = order.partner_id.child_ids[:1]
        if not contact:
            contact = env["res.partner"].create(
                {
                    "name": "Buyer",
                    "parent_id": order.partner_id.id,
                    "phone": "0510-8000000",
                }
            )
        order.customer_contact_id = contact
    env.flush_all()
    return orders


def _time_confirmations(env, orders):
    per_order = []
    queries = []
    for order in orders:
        env.invalidate_all()
        before = env.cr.sql_log_count
        with Timer() as timer:
            order.action_confirm()
            env.flush_all()
        per_order.append(timer.seconds)
        queries.append(env.cr.sql_log_count - before)
    return per_order, queries


@figure("order_confirm_overhead", unit="%")
def order_confirm_overhead(env, ctx):
    """Wall time of confirming an order with every control on, against plain
    Odoo on the same data, with 1 and with 100 review rules."""
    company = env.company
    controls = {
        "sale_review_enabled": True,
        "sale_discount_control_enabled": True,
        "sale_credit_control_enabled": True,
        "sale_contract_required": True,
        "sale_contract_amount": 10_000_000,
    }
    off = dict.fromkeys(controls, False)
    off["sale_contract_amount"] = 0
    rounds = 3
    size = 10
    results = {
        "plain": [],
        "plain_without_summary_triggers": [],
        "controls_1_rule": [],
        "controls_100_rules": [],
    }
    Cell = env["sale.order.statistics.cell"]
    queries = {}
    # Unlimited credit for the customers of the orders, so nothing is held.
    _generous_credit(env)
    head_group = env.ref("sale_process_control.group_sale_department_head")
    rules = env["sale.review.rule"].search([])
    reviewer = env["res.users"].create(
        {
            "name": "Bench Reviewer",
            "login": "bench_reviewer",
            "groups_id": [(6, 0, [head_group.id])],
        }
    )
    # Warm-up.
    _time_confirmations(env, _bench_orders(env, ctx, 2, offset=900))
    offset = 0
    for _round in range(rounds):
        for variant in results:
            if variant == "controls_100_rules" and len(rules) < 100:
                rules |= env["sale.review.rule"].create(
                    [
                        {
                            "name": f"Bench rule {i}",
                            "group_id": head_group.id,
                            "stage": "3",
                            "credit_grades": "D",
                        }
                        for i in range(100 - len(rules))
                    ]
                )
            if variant == "controls_1_rule":
                rules.filtered(lambda r: r.name.startswith("Bench rule")).active = False
            company.write(off if variant.startswith("plain") else controls)
            orders = _bench_orders(env, ctx, size, offset=offset)
            offset += size
            if not variant.startswith("plain"):
                for order in orders:
                    order.action_submit_for_approval()
                    if order.approval_state != "approved":
                        order.with_user(reviewer).action_approve()
            if variant == "plain_without_summary_triggers":
                Cell._drop_triggers(env.cr, functions=False)
            seconds, counts = _time_confirmations(env, orders)
            if variant == "plain_without_summary_triggers":
                Cell._create_triggers()
            results[variant].extend(seconds)
            queries.setdefault(variant, set()).update(counts)
    median = {key: statistics.median(values) * 1000 for key, values in results.items()}
    overhead_1 = 100 * (median["controls_1_rule"] / median["plain"] - 1)
    overhead_100 = 100 * (median["controls_100_rules"] / median["plain"] - 1)
    return {
        "value": round(max(overhead_1, overhead_100), 1),
        "overhead_1_rule_pct": round(overhead_1, 1),
        "overhead_100_rules_pct": round(overhead_100, 1),
        "summary_triggers_pct": round(
            100 * (median["plain"] / median["plain_without_summary_triggers"] - 1),
            1,
        ),
        "median_ms": {key: round(value, 1) for key, value in median.items()},
        "queries_per_confirmation": {
            key: sorted(values) for key, values in queries.items()
        },
        "orders_per_variant": rounds * size,
        "active_rules": env["sale.review.rule"].search_count([]),
    }


# ---------------------------------------------------------------------------
# Credit
# ---------------------------------------------------------------------------
@figure("credit_check_ms", unit="ms")
def credit_check_ms(env, ctx):
    """The credit check of one order for a customer with 0 and with 10,000
    open receivable items: time and queries."""
    company = env.company
    company.write({"sale_credit_control_enabled": True, "sale_review_enabled": False})
    env.flush_all()
    # A customer without any open item.
    env.cr.execute(
        """
        SELECT p.id FROM res_partner p
         WHERE p.id = ANY(%s)
           AND NOT EXISTS (
                SELECT 1 FROM account_move_line l
                  JOIN account_account a ON a.id = l.account_id
                 WHERE l.partner_id = p.id AND NOT l.reconciled
                   AND a.account_type = 'asset_receivable')
         LIMIT 1
        """,
        [_customers_with_orders(env)],
    )
    clean = env.cr.fetchone()[0]
    # A customer who takes over 10,000 open receivable items (of their moves).
    heavy = _customers_with_orders(env)[-1]
    env.cr.execute(
        """
        WITH items AS (
            SELECT l.id, l.move_id FROM account_move_line l
              JOIN account_account a ON a.id = l.account_id
             WHERE a.account_type = 'asset_receivable' AND NOT l.reconciled
               AND l.parent_state = 'posted'
             ORDER BY l.id LIMIT 10000
        ), moves AS (
            UPDATE account_move m SET partner_id = %s, commercial_partner_id = %s
              FROM (SELECT DISTINCT move_id FROM items) i WHERE m.id = i.move_id
        )
        UPDATE account_move_line l SET partner_id = %s
          FROM items WHERE l.id = items.id
        """,
        [heavy, heavy, heavy],
    )
    env.cr.execute(
        """
        SELECT COUNT(*) FROM account_move_line l
          JOIN account_account a ON a.id = l.account_id
         WHERE l.partner_id = %s AND NOT l.reconciled
           AND a.account_type = 'asset_receivable'
        """,
        [heavy],
    )
    heavy_items = env.cr.fetchone()[0]
    env.cr.execute("ANALYZE account_move_line")
    # The open receivables' job folds the customers the move marked.
    Cell = env["sale.receivable.open.cell"]
    Cell._cron_fold_dirty()
    env.cr.execute("ANALYZE sale_receivable_open_cell")
    _generous_credit(env)
    partners = env["res.partner"].browse([clean, heavy])
    results = {}
    for label, partner in (("open_0", partners[0]), ("open_10000", partners[1])):
        row = {}
        for control in (False, True):
            company.sale_credit_control_enabled = control
            orders = _bench_orders(env, ctx, 6, partners=[partner.id])
            seconds, counts = _time_confirmations(env, orders)
            row[control] = (seconds[1:], counts[1:])
        # The check alone, on orders of the same customer: with nothing in
        # the cache ("cold"), and with what a confirmation has read before the
        # check (the order, its company, customer and user).
        checks = []
        cold = []
        for order in _bench_orders(env, ctx, 11, partners=[partner.id]):
            env.invalidate_all()
            if len(cold) < 6:
                with Timer() as timer:
                    order._check_credit_and_hold()
                cold.append(timer.seconds * 1000)
                continue
            order.read(["amount_total", "currency_rate", "partner_id", "state"])
            order.company_id.read(
                [
                    "currency_id",
                    "sale_credit_control_enabled",
                    "sale_credit_overdue_days",
                    "sale_credit_overdue_amount",
                ]
            )
            order.partner_id.commercial_partner_id.read(["display_name"])
            env.user.read(["tz"])
            with Timer() as timer:
                order._check_credit_and_hold()
            checks.append(timer.seconds * 1000)
        results[label] = {
            "check_median_ms": round(statistics.median(checks), 2),
            "check_cold_median_ms": round(statistics.median(cold[1:]), 2),
            "confirm_median_ms_off": round(statistics.median(row[False][0]) * 1000, 1),
            "confirm_median_ms_on": round(statistics.median(row[True][0]) * 1000, 1),
            "extra_queries": sorted(
                {on - off for on, off in zip(row[True][1], row[False][1], strict=True)}
            ),
        }
    env.cr.execute(
        "SELECT COUNT(*) FROM sale_receivable_open_cell WHERE partner_key = %s",
        [heavy],
    )
    heavy_cells = env.cr.fetchone()[0]
    return {
        "value": results["open_10000"]["check_median_ms"],
        "open_items": heavy_items,
        "open_item_cells": heavy_cells,
        "extra_queries_max": max(
            max(result["extra_queries"]) for result in results.values()
        ),
        "by_open_items": results,
    }


@figure("aging_report_read_group_ms", unit="ms")
def aging_report_read_group_ms(env, ctx):
    """The receivable aging report's default grouping over 200,000 open items."""
    env.flush_all()
    env.cr.execute(
        """
        SELECT COUNT(*), MIN(l.id) FROM account_move_line l
          JOIN account_account a ON a.id = l.account_id
         WHERE a.account_type = 'asset_receivable' AND NOT l.reconciled
           AND l.parent_state = 'posted'
        """
    )
    open_items, template = env.cr.fetchone()
    target = 200_000
    if open_items < target:
        env.cr.execute(
            """
            SELECT l.id FROM account_move_line l
              JOIN account_account a ON a.id = l.account_id
             WHERE a.account_type = 'asset_receivable' AND NOT l.reconciled
               AND l.parent_state = 'posted'
             ORDER BY l.id
            """
        )
        sources = [row[0] for row in env.cr.fetchall()]
        # Duplicates of the open items, each on its source's move and partner.
        names = _columns(env.cr, "account_move_line")
        copies = target - open_items
        # Each source's copies are due on up to 30 different days, as a
        # customer's invoices of a month are.
        shifted = {
            "date_maturity": f'l."date_maturity" + (g / {len(sources)}) %% 30',
        }
        env.cr.execute(
            f"""
            INSERT INTO account_move_line ({", ".join(f'"{n}"' for n in names)})
            SELECT {", ".join(shifted.get(n, f'l."{n}"') for n in names)}
              FROM generate_series(0, %s - 1) g
              JOIN account_move_line l ON l.id = (%s::int[])[1 + g %% %s]
            """,
            [copies, sources, len(sources)],
        )
        env.cr.execute("ANALYZE account_move_line")
    # The open receivables' job folds what the copies marked.
    with Timer() as fold_timer:
        env["sale.receivable.open.cell"]._cron_fold_dirty()
    env.cr.execute("ANALYZE sale_receivable_open_cell")
    env.cr.execute("SELECT COUNT(*) FROM sale_receivable_open_cell")
    cells = env.cr.fetchone()[0]
    env.cr.execute(
        """
        SELECT COUNT(*) FROM account_move_line l
          JOIN account_account a ON a.id = l.account_id
         WHERE a.account_type = 'asset_receivable' AND NOT l.reconciled
           AND l.parent_state = 'posted'
        """
    )
    items = env.cr.fetchone()[0]
    Report = env["sale.receivable.aging.report"]
    amount_fields = [
        f"{name}:sum"
        for name, field in Report._fields.items()
        if field.type == "monetary" and field.store
    ]
    runs = []
    for _run in range(3):
        env.invalidate_all()
        with Timer() as timer:
            groups = Report.read_group([], amount_fields, ["partner_id"], limit=80)
        runs.append(timer.seconds * 1000)
    items_ms, item_groups = _best_ms(
        env,
        lambda: Report.with_context(aging_from_items=True).read_group(
            [], amount_fields, ["partner_id"], limit=80
        ),
    )
    raw_ms, _raw = _best_ms(env, lambda: _raw_aging_by_partner(env))
    value = statistics.median(runs)
    return {
        "value": round(value, 1),
        "open_items": items,
        "cells": cells,
        "fold_ms": round(fold_timer.seconds * 1000, 1),
        "template_item": template,
        "groups_shown": len(groups),
        "runs_ms": [round(run, 1) for run in runs],
        "from_items_ms": round(items_ms, 1),
        "raw_sql_ms": round(raw_ms, 1),
        "ratio_to_raw_sql": round(value / raw_ms, 2) if raw_ms else None,
        "same_figures": groups == item_groups,
    }


def _raw_aging_by_partner(env):
    """The aging's default pivot in plain SQL over the open items: the open
    amount per customer and band, for the first 80 customers."""
    today = env.cr.now().date()
    env.cr.execute(
        """
        SELECT COALESCE(p.commercial_partner_id, l.partner_id) AS partner,
               SUM(l.amount_residual),
               SUM(CASE WHEN d.days < 0 THEN l.amount_residual ELSE 0 END),
               SUM(CASE WHEN d.days = 0 THEN l.amount_residual ELSE 0 END),
               SUM(CASE WHEN d.days > 0 AND d.days <= c.sale_aging_band_1
                        THEN l.amount_residual ELSE 0 END),
               SUM(CASE WHEN d.days > c.sale_aging_band_1
                         AND d.days <= c.sale_aging_band_2
                        THEN l.amount_residual ELSE 0 END),
               SUM(CASE WHEN d.days > c.sale_aging_band_2
                         AND d.days <= c.sale_aging_band_3
                        THEN l.amount_residual ELSE 0 END),
               SUM(CASE WHEN d.days > c.sale_aging_band_3
                        THEN l.amount_residual ELSE 0 END)
          FROM account_move_line l
          JOIN account_account a ON a.id = l.account_id
          JOIN res_company c ON c.id = l.company_id
          LEFT JOIN res_partner p ON p.id = l.partner_id
         CROSS JOIN LATERAL (
                SELECT %s::date - COALESCE(l.date_maturity, l.date) AS days) d
         WHERE a.account_type = 'asset_receivable' AND l.parent_state = 'posted'
           AND l.reconciled IS NOT TRUE AND l.amount_residual != 0
         GROUP BY 1 ORDER BY 1 LIMIT 80
        """,
        [today],
    )
    return env.cr.fetchall()


# ---------------------------------------------------------------------------
# Statistics and appraisal
# ---------------------------------------------------------------------------
# Each statistics view as its menu opens it: the default date filter and the
# first row grouping of its pivot.
STATISTICS_VIEWS = (
    ("sale.order.statistics.report", "date", "year", "user_id"),
    ("sale.order.growth.report", "month", "year", "month:month"),
    ("sale.customer.frequency.report", "date", "year", "user_id"),
    ("sale.product.ranking.report", "month", "month", "product_id"),
    ("sale.delivery.performance.report", "date_done", "year", "user_id"),
    ("sale.complaint.rate.report", "date", "year", "user_id"),
)


def _best_ms(env, function, runs=3):
    times = []
    result = None
    for _run in range(runs):
        env.invalidate_all()
        with Timer() as timer:
            result = function()
        times.append(timer.seconds * 1000)
    return min(times), result


def _raw_lines_by_user(env, start):
    """The orders view's default pivot in plain SQL over the lines: confirmed
    product lines of the period by salesperson, with the same joins."""
    env.cr.execute(
        """
        SELECT o.user_id, COUNT(*), COUNT(DISTINCT o.id),
               SUM(l.price_subtotal / COALESCE(NULLIF(o.currency_rate, 0), 1.0)),
               SUM(l.product_uom_qty / u.factor * u2.factor)
          FROM sale_order_line l
          JOIN sale_order o ON o.id = l.order_id
          JOIN res_partner p ON p.id = o.partner_id
          JOIN res_partner cp ON cp.id = COALESCE(p.commercial_partner_id, p.id)
          JOIN product_product pp ON pp.id = l.product_id
          JOIN product_template t ON t.id = pp.product_tmpl_id
          JOIN uom_uom u ON u.id = l.product_uom
          JOIN uom_uom u2 ON u2.id = t.uom_id
         WHERE o.state = 'sale' AND l.display_type IS NULL AND o.date_order >= %s
         GROUP BY o.user_id
        """,
        [start],
    )
    return env.cr.fetchall()


@figure("statistics_views_ms", unit="ms")
def statistics_views_ms(env, ctx):
    """Each order statistics view's default pivot (its default date filter,
    grouped by its first row): the slowest one, and each one. The orders view
    also next to the same grouping read from its lines, in plain SQL over the
    lines and in Odoo's own sales analysis (sale.report), in the same run."""
    from dateutil.relativedelta import relativedelta

    today = env.cr.now().date()
    # The history ends today: the last twelve months hold most of it, which a
    # year filter in January would not; use the year before today.
    starts = {
        "year": today - relativedelta(years=1),
        "month": today.replace(day=1),
    }
    by_view = {}
    for model, date_field, period, groupby in STATISTICS_VIEWS:
        Report = env[model]
        measures = [
            f"{name}:{field.aggregator}"
            for name, field in Report._fields.items()
            if field.store
            and field.aggregator
            and field.type in ("integer", "float", "monetary")
            and name != "id"
        ][:6]
        domain = [(date_field, ">=", starts[period])]
        ms, groups = _best_ms(
            env, lambda: Report.read_group(domain, measures, [groupby], lazy=False)
        )
        by_view[model] = {"ms": round(ms, 1), "groups": len(groups)}
    # The orders view, four ways.
    start = starts["year"]
    Orders = env["sale.order.statistics.report"]
    measures = ["order_count:sum", "quantity:sum", "amount_untaxed:sum"]
    domain = [("date", ">=", start)]
    summary_ms, summary = _best_ms(
        env, lambda: Orders.read_group(domain, measures, ["user_id"], lazy=False)
    )
    lines_ms, lines = _best_ms(
        env,
        lambda: Orders.with_context(statistics_from_lines=True).read_group(
            domain, measures, ["user_id"], lazy=False
        ),
    )
    raw_ms, raw = _best_ms(env, lambda: _raw_lines_by_user(env, start))
    sale_report_ms, _sale = _best_ms(
        env,
        lambda: env["sale.report"].read_group(
            [("date", ">=", start), ("state", "=", "sale")],
            ["price_subtotal:sum", "product_uom_qty:sum", "nbr:sum"],
            ["user_id"],
            lazy=False,
        ),
    )

    def figures(groups):
        return sorted(
            (
                group["user_id"] and group["user_id"][0],
                group["order_count"],
                round(group["amount_untaxed"], 2),
            )
            for group in groups
        )

    same = figures(summary) == figures(lines) and sorted(
        (row[0], row[2], round(row[3], 2)) for row in raw
    ) == figures(lines)
    return {
        "value": max(view["ms"] for view in by_view.values()),
        "order_lines": ctx["lines"],
        "by_view": by_view,
        "orders_view": {
            "summary_ms": round(summary_ms, 1),
            "from_lines_ms": round(lines_ms, 1),
            "raw_sql_over_lines_ms": round(raw_ms, 1),
            "sale_report_ms": round(sale_report_ms, 1),
            "summary_vs_raw_sql": round(summary_ms / raw_ms, 3),
            "sale_report_vs_raw_sql": round(sale_report_ms / raw_ms, 2),
            "from_lines_vs_raw_sql": round(lines_ms / raw_ms, 2),
            "same_figures": same,
            "cells": env["sale.order.statistics.cell"].search_count([]),
        },
    }


@figure("statistics_summary_check", unit=None)
def statistics_summary_check(env, ctx):
    """A mixed workload on the history (confirmations, new lines, quantity
    changes, cancellations, a salesperson and a region changed), then the
    summary compared with the lines before and after the fold."""
    Cell = env["sale.order.statistics.cell"]
    env.flush_all()
    before = Cell._check_against_lines()
    _generous_credit(env)
    orders = _bench_orders(env, ctx, 20, offset=500)
    orders[:10].action_confirm()
    env.cr.execute(
        "SELECT id FROM sale_order WHERE state = 'sale' ORDER BY id DESC LIMIT 200"
    )
    history = env["sale.order"].browse([row[0] for row in env.cr.fetchall()])
    for order in history[:20]:
        order.order_line[:1].product_uom_qty += 1
    history[20:30]._action_cancel()
    history[30:40].user_id = history[40].user_id
    for order in history[40:60]:
        order.order_line[:1].copy({"order_id": order.id, "product_uom_qty": 3})
    for partner in history[60:70].partner_id.commercial_partner_id:
        partner.state_id = history[0].partner_id.commercial_partner_id.state_id
    env.flush_all()
    env.cr.execute("SELECT COUNT(*) FROM sale_order_statistics_dirty")
    marks = env.cr.fetchone()[0]
    with Timer() as check_timer:
        unfolded = Cell._check_against_lines()
    with Timer() as fold_timer:
        folded = Cell._fold_dirty()
    folded_check = Cell._check_against_lines()
    if before or unfolded or folded_check:
        raise AssertionError(
            "the summary differs from the lines: "
            f"{len(before)} cells before the workload, {len(unfolded)} after it, "
            f"{len(folded_check)} after the fold, e.g. "
            f"{(before or unfolded or folded_check)[:2]}"
        )
    return {
        "value": not (before or unfolded or folded_check),
        "differences_before": len(before),
        "differences_before_fold": len(unfolded),
        "differences_after_fold": len(folded_check),
        "marks": marks,
        "hours_folded": folded,
        "fold_ms": round(fold_timer.seconds * 1000, 1),
        "check_seconds": round(check_timer.seconds, 2),
    }


@figure("receivable_summary_check", unit=None)
def receivable_summary_check(env, ctx):
    """A mixed workload on the receivables (invoices posted, paid in part and
    in full, another salesperson, invoices back to draft), then the open
    receivables' summary compared with the items before and after the fold."""
    Cell = env["sale.receivable.open.cell"]
    env.flush_all()
    before = Cell._check_against_items()
    from odoo import Command

    customers = _customers_with_orders(env)
    invoices = env["account.move"].create(
        [
            {
                "move_type": "out_invoice",
                "partner_id": customers[(number * 13) % len(customers)],
                "invoice_date": env.cr.now().date() - timedelta(days=number * 7),
                "invoice_line_ids": [
                    Command.create({"product_id": product, "quantity": 2})
                    for product in ctx["product_ids"][:3]
                ],
            }
            for number in range(10)
        ]
    )
    invoices.action_post()
    env.cr.execute(
        """
        SELECT m.id FROM account_move m
         WHERE m.move_type = 'out_invoice' AND m.state = 'posted'
           AND m.payment_state = 'not_paid'
         ORDER BY m.id DESC LIMIT 40
        """
    )
    history = env["account.move"].browse([row[0] for row in env.cr.fetchall()])
    for number, invoice in enumerate(history[:10]):
        share = 0.5 if number % 2 else 1.0
        env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": invoice.amount_residual * share})._create_payments()
    history[10:20].invoice_user_id = history[20].invoice_user_id or env.user
    history[20:25].button_draft()
    env.flush_all()
    env.cr.execute("SELECT COUNT(*) FROM sale_receivable_open_dirty")
    marks = env.cr.fetchone()[0]
    with Timer() as check_timer:
        unfolded = Cell._check_against_items()
    with Timer() as fold_timer:
        folded = Cell._fold_dirty()
    folded_check = Cell._check_against_items()
    if before or unfolded or folded_check:
        raise AssertionError(
            "the open receivables' summary differs from the items: "
            f"{len(before)} cells before the workload, {len(unfolded)} after it, "
            f"{len(folded_check)} after the fold, e.g. "
            f"{(before or unfolded or folded_check)[:2]}"
        )
    return {
        "value": True,
        "differences_before": len(before),
        "differences_before_fold": len(unfolded),
        "differences_after_fold": len(folded_check),
        "marks": marks,
        "customers_folded": folded,
        "fold_ms": round(fold_timer.seconds * 1000, 1),
        "check_seconds": round(check_timer.seconds, 2),
    }


@figure("appraisal_generation_seconds", unit="s")
def appraisal_generation_seconds(env, ctx):
    """Quarterly appraisals of 200 salespeople: the history's orders are
    spread over 200 salespeople, then the quarter's appraisals generated."""
    from odoo import Command

    company = env.company
    template = env["sale.appraisal.template"].search(
        [("company_id", "in", (company.id, False)), ("period_type", "=", "quarter")],
        limit=1,
    )
    if not template:
        return {"value": None, "error": "no quarterly appraisal template"}
    group = env.ref("sales_team.group_sale_salesman")
    users = env["res.users"].create(
        [
            {
                "name": f"Bench Seller {number}",
                "login": f"bench_seller_{number}",
                "groups_id": [Command.set([group.id])],
            }
            for number in range(200)
        ]
    )
    env.flush_all()
    env.cr.execute(
        "UPDATE sale_order SET user_id = (%s::int[])[1 + mod(id, 200)]",
        [users.ids],
    )
    env.cr.execute(
        "UPDATE account_move SET invoice_user_id = (%s::int[])[1 + mod(id, 200)] "
        "WHERE move_type IN ('out_invoice', 'out_refund')",
        [users.ids],
    )
    env.cr.execute("ANALYZE sale_order")
    env.invalidate_all()
    from dateutil.relativedelta import relativedelta

    from odoo.tools import date_utils

    quarter_start = date_utils.start_of(env.cr.now().date(), "quarter")

    date_from = quarter_start - relativedelta(months=3)
    date_to = quarter_start - relativedelta(days=1)
    before = env.cr.sql_log_count
    with Timer() as timer:
        appraisals = env["sale.appraisal"]._generate(
            template, users, date_from, date_to, env["crm.team"]
        )
        env.flush_all()
    return {
        "value": round(timer.seconds, 2),
        "salespeople": len(users),
        "appraisals": len(appraisals),
        "kpi_lines": len(appraisals.line_ids),
        "queries": env.cr.sql_log_count - before,
        "order_lines": ctx["lines"],
        "period": [str(date_from), str(date_to)],
    }


@figure("target_achievement_ms", unit="ms")
def target_achievement_ms(env, ctx):
    """The achievement of a list of targets, as the Targets list computes it:
    this year and each of its months, by company, by each of the ten busiest
    salespeople, by three product categories and by two regions."""
    company = env.company
    year = env.cr.now().year
    env.cr.execute(
        """
        SELECT user_id FROM sale_order
         WHERE company_id = %s AND state = 'sale' AND user_id IS NOT NULL
         GROUP BY user_id ORDER BY COUNT(*) DESC LIMIT 10
        """,
        [company.id],
    )
    user_ids = [row[0] for row in env.cr.fetchall()]
    env.cr.execute(
        """
        SELECT pt.categ_id FROM sale_order_line sol
          JOIN product_product pp ON pp.id = sol.product_id
          JOIN product_template pt ON pt.id = pp.product_tmpl_id
         GROUP BY pt.categ_id ORDER BY COUNT(*) DESC LIMIT 3
        """
    )
    categ_ids = [row[0] for row in env.cr.fetchall()]
    env.cr.execute(
        """
        SELECT cp.state_id FROM sale_order so
          JOIN res_partner cp ON cp.id = so.partner_id
         WHERE cp.state_id IS NOT NULL
         GROUP BY cp.state_id ORDER BY COUNT(*) DESC LIMIT 2
        """
    )
    region_ids = [row[0] for row in env.cr.fetchall()]
    dimensions = (
        [("company", {})]
        + [("user", {"user_id": user_id}) for user_id in user_ids]
        + [("category", {"categ_id": categ_id}) for categ_id in categ_ids]
        + [("region", {"region_id": region_id}) for region_id in region_ids]
    )
    periods = [{"period_type": "year"}] + [
        {"period_type": "month", "month": str(month)} for month in range(1, 13)
    ]
    targets = env["sale.target"].create(
        [
            {
                "name": f"Bench {dimension} {number} {period.get('month', year)}",
                "company_id": company.id,
                "year": year,
                "dimension": dimension,
                "amount": 1000000.0,
                **values,
                **period,
            }
            for number, (dimension, values) in enumerate(dimensions)
            for period in periods
        ]
    )
    env.flush_all()
    runs = []
    for _run in range(3):
        env.invalidate_all()
        targets = targets.browse(targets.ids)
        with Timer() as timer:
            figures = targets._get_actual_figures()
        runs.append(timer.seconds * 1000)
    return {
        "value": round(statistics.median(runs), 1),
        "targets": len(targets),
        "targets_with_figures": len(figures),
        "total_actual": round(sum(row[0] for row in figures.values()), 2),
        "order_lines": ctx["lines"],
        "runs_ms": [round(run, 1) for run in runs],
    }
