# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
"""Does the ORM read the generated history back as its own?

1. Foreign keys: every one of the written tables, set-based (COPY ran without
   row-by-row checks).
2. Invariants over all generated rows, in SQL: order and invoice totals, balanced
   entries, residuals against reconciliations, delivered and invoiced quantities,
   stock quants and valuation against the moves.
3. ORM recomputation on a sample: every stored computed field of the orders,
   lines, pickings, moves, invoices, journal items, payments and customers is
   recomputed from scratch and compared with what was written; partner credit
   (receivables) against the SQL sum.
4. Twins: for one order of each shape (paid, partly paid, unpaid) the ORM runs
   the same flow at the same times; every column of every row is compared.
5. A new order for a generated customer goes through the whole flow today.

Everything runs in transactions that are rolled back.
"""

import datetime
import random
import re
import time
from functools import partial

from .collect import RELATIONS, collect_order
from .copyrows import foreign_keys, read_rows
from .odoo_env import environment, log

GENERATED_TABLES = (
    "res_partner",
    "sale_order",
    "sale_order_line",
    "account_tax_sale_order_line_rel",
    "procurement_group",
    "stock_picking",
    "stock_move",
    "stock_move_line",
    "stock_valuation_layer",
    "stock_quant",
    "account_move",
    "account_move_line",
    "account_move_line_account_tax_rel",
    "sale_order_line_invoice_rel",
    "account_payment",
    "account_move__account_payment",
    "account_partial_reconcile",
    "account_full_reconcile",
)

# Stored computed fields the ORM cannot derive again from the rows alone.
RECOMPUTE_SKIP = {
    # Quotation validity counts from the day the quotation was made ("today").
    "sale.order": {"validity_date"},
}

# Columns whose value is an instant of writing or a number from a sequence: the
# twin has its own. Numbers are compared with their digits masked.
TWIN_IGNORE = {"id", "create_date", "write_date"}
TWIN_MASK_DIGITS = {
    "name",
    "origin",
    "reference",
    "ref",
    "memo",
    "move_name",
    "invoice_origin",
    "payment_reference",
    "description",
    "sequence_number",
    "matching_number",
}
TWIN_PRESENT = {"access_token"}


class Report:
    def __init__(self):
        self.checks = 0
        self.problems = []

    def check(self, ok, message):
        self.checks += 1
        if not ok:
            self.problems.append(message)
        return ok


# ----------------------------------------------------------------------
def check_foreign_keys(cr, report):
    for table in GENERATED_TABLES:
        cr.execute(
            """
            SELECT a.attname, c.confrelid::regclass::text, fa.attname
              FROM pg_constraint c
              JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
              JOIN pg_attribute fa
                ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1]
             WHERE c.contype = 'f' AND c.conrelid = %s::regclass
               AND array_length(c.conkey, 1) = 1
            """,
            [table],
        )
        for column, target, target_column in cr.fetchall():
            cr.execute(
                f"""
                SELECT count(*) FROM {table} t
                 WHERE t.{column} IS NOT NULL AND NOT EXISTS (
                       SELECT 1 FROM {target} r WHERE r.{target_column} = t.{column})
                """
            )
            orphans = cr.fetchone()[0]
            report.check(
                not orphans, f"{orphans} {table}.{column} point to no {target}"
            )


INVARIANTS = {
    "order totals = sum of lines": """
        SELECT count(*) FROM sale_order o
          JOIN (SELECT order_id, sum(price_subtotal) untaxed,
                       sum(price_total - price_subtotal) tax
                  FROM sale_order_line GROUP BY order_id) l ON l.order_id = o.id
         WHERE o.amount_untaxed <> l.untaxed OR o.amount_tax <> l.tax
            OR o.amount_total <> o.amount_untaxed + o.amount_tax
    """,
    "journal entries balance": """
        SELECT count(*) FROM (SELECT move_id FROM account_move_line
                               GROUP BY move_id HAVING sum(balance) <> 0) x
    """,
    "invoice total and residual = receivable line": """
        SELECT count(*) FROM account_move m
          JOIN account_move_line l ON l.move_id = m.id
           AND l.display_type = 'payment_term'
         WHERE m.move_type = 'out_invoice'
           AND (m.amount_total <> l.balance OR m.amount_residual <> l.amount_residual)
    """,
    "invoice = order amounts": """
        SELECT count(*) FROM account_move m
          JOIN sale_order o ON o.name = m.invoice_origin
         WHERE m.move_type = 'out_invoice'
           AND (m.amount_total <> o.amount_total OR m.amount_tax <> o.amount_tax)
    """,
    "payment state follows the residual": """
        SELECT count(*) FROM account_move m
         WHERE m.move_type = 'out_invoice' AND m.payment_state <> CASE
               WHEN m.amount_residual = 0 THEN 'paid'
               WHEN m.amount_residual = m.amount_total THEN 'not_paid'
               ELSE 'partial' END
    """,
    "receivable residual = balance - reconciled": """
        SELECT count(*) FROM account_move_line l
          JOIN account_account a ON a.id = l.account_id
           AND a.account_type = 'asset_receivable'
          LEFT JOIN (SELECT debit_move_id id, sum(amount) amount
                       FROM account_partial_reconcile GROUP BY 1) d ON d.id = l.id
          LEFT JOIN (SELECT credit_move_id id, sum(amount) amount
                       FROM account_partial_reconcile GROUP BY 1) c ON c.id = l.id
         WHERE l.amount_residual
               <> l.balance - coalesce(d.amount, 0) + coalesce(c.amount, 0)
            OR l.reconciled <> (l.amount_residual = 0)
    """,
    "full reconciliations are complete": """
        SELECT count(*) FROM account_full_reconcile f
         WHERE (SELECT sum(balance) FROM account_move_line
                 WHERE full_reconcile_id = f.id) <> 0
    """,
    "delivered quantity = done moves": """
        SELECT count(*) FROM sale_order_line s
          LEFT JOIN (SELECT sale_line_id, sum(quantity) qty FROM stock_move
                      WHERE state = 'done' GROUP BY 1) m ON m.sale_line_id = s.id
         WHERE s.state = 'sale' AND s.qty_delivered <> coalesce(m.qty, 0)
    """,
    "invoiced quantity = posted invoice lines": """
        SELECT count(*) FROM sale_order_line s
          LEFT JOIN (SELECT r.order_line_id, sum(l.quantity) qty
                       FROM sale_order_line_invoice_rel r
                       JOIN account_move_line l ON l.id = r.invoice_line_id
                      WHERE l.parent_state = 'posted' GROUP BY 1) i
            ON i.order_line_id = s.id
         WHERE s.state = 'sale' AND s.qty_invoiced <> coalesce(i.qty, 0)
    """,
    "pickings done with their moves": """
        SELECT count(*) FROM stock_picking p
         WHERE p.sale_id IS NOT NULL AND (p.state <> 'done' OR EXISTS (
               SELECT 1 FROM stock_move m
                WHERE m.picking_id = p.id AND m.state <> 'done'))
    """,
    "quants = done moves": """
        SELECT count(*) FROM (
            SELECT product_id, location_id, sum(qty) qty FROM (
                SELECT product_id, location_dest_id location_id, quantity qty
                  FROM stock_move WHERE state = 'done'
                UNION ALL
                SELECT product_id, location_id, -quantity
                  FROM stock_move WHERE state = 'done') x
             GROUP BY 1, 2) m
          FULL JOIN (SELECT product_id, location_id, sum(quantity) qty
                       FROM stock_quant GROUP BY 1, 2) q
            ON q.product_id = m.product_id AND q.location_id = m.location_id
         WHERE coalesce(q.qty, 0) <> coalesce(m.qty, 0)
    """,
    "valuation = quants in stock": """
        SELECT count(*) FROM (SELECT product_id, sum(quantity) qty,
                                     sum(remaining_qty) remaining
                                FROM stock_valuation_layer GROUP BY 1) v
          LEFT JOIN (SELECT q.product_id, sum(q.quantity) qty FROM stock_quant q
                       JOIN stock_location l ON l.id = q.location_id
                      WHERE l.usage = 'internal' GROUP BY 1) q
            ON q.product_id = v.product_id
         WHERE v.qty <> coalesce(q.qty, 0) OR v.remaining <> v.qty
    """,
}


def check_invariants(cr, report):
    for name, query in INVARIANTS.items():
        cr.execute(query)
        count = cr.fetchone()[0]
        report.check(not count, f"{name}: {count} rows disagree")


# ----------------------------------------------------------------------
def _sample_orders(cr, info, size, rng):
    first = info["first_ids"]["order"]
    last = first + info["orders"] - 1
    cr.execute(
        "SELECT id FROM sale_order WHERE id BETWEEN %s AND %s ORDER BY id",
        [first, last],
    )
    ids = [row[0] for row in cr.fetchall()]
    return sorted(rng.sample(ids, min(size, len(ids))))


def _same(field, stored, computed):
    if field.type in ("float", "monetary"):
        return abs((stored or 0.0) - (computed or 0.0)) < 1e-6
    if field.type == "many2one":
        return stored.id == computed.id
    if field.type in ("one2many", "many2many"):
        return set(stored.ids) == set(computed.ids)
    return (stored or False) == (computed or False)


def _records_of(env, orders):
    invoices = orders.invoice_ids
    payments = env["account.payment"].search([("invoice_ids", "in", invoices.ids)])
    moves = invoices | payments.move_id
    return {
        "sale.order": orders,
        "sale.order.line": orders.order_line,
        "stock.picking": orders.picking_ids,
        "stock.move": orders.picking_ids.move_ids,
        "stock.move.line": orders.picking_ids.move_line_ids,
        "account.move": moves,
        "account.move.line": moves.line_ids,
        "account.payment": payments,
        "res.partner": orders.partner_id,
    }


def _recompute(env, field, records):
    """(stored, recomputed) values of `field` on `records`, nothing written."""
    stored = [record[field.name] for record in records]
    records.invalidate_recordset([field.name])
    env.add_to_compute(field, records)
    try:
        computed = [record[field.name] for record in records]
    finally:
        # Forget the recomputed values (and anything else pending).
        env.transaction.clear()
    return stored, computed


def check_recompute(env, order_ids, orm_order_ids, report):
    """Recompute each stored computed field from the stored values it depends on.

    Fields are recomputed one at a time, so a wrong input shows up on the field
    that holds it. Orders the ORM made itself (templates, twins) go first: a
    field that differs on those too cannot be derived again from the rows (an
    editable default, a value of the day) and is listed, not reported.
    """
    env = env(su=True)
    generated = _records_of(env, env["sale.order"].browse(order_ids))
    orm_made = _records_of(env, env["sale.order"].browse(orm_order_ids))
    not_derivable = []
    for model, records in generated.items():
        fields = [
            field
            for field in records._fields.values()
            if field.store
            and field.compute
            and field.name not in RECOMPUTE_SKIP.get(model, ())
        ]
        for field in fields:
            key = f"{model}.{field.name}"
            try:
                stored, computed = _recompute(env, field, orm_made[model])
                orm_ok = all(map(partial(_same, field), stored, computed))
            except Exception:
                orm_ok = False
            if not orm_ok:
                not_derivable.append(key)
                continue
            try:
                stored, computed = _recompute(env, field, records)
            except Exception as error:
                report.check(False, f"recomputing {key} fails: {error}")
                continue
            report.checks += len(records)
            wrong = [
                f"{record.display_name}: {before!r} -> {after!r}"
                for record, before, after in zip(records, stored, computed, strict=True)
                if not _same(field, before, after)
            ]
            if wrong:
                report.problems.append(
                    f"recomputed {key} differs on {len(wrong)} generated records, "
                    f"e.g. {wrong[0]}"
                )
    return not_derivable


def check_credit(env, order_ids, report):
    """Partner credit (receivables) as the ORM computes it = the SQL sum."""
    partners = env["sale.order"].browse(order_ids).partner_id
    env.cr.execute(
        """
        SELECT l.partner_id, sum(l.amount_residual) FROM account_move_line l
          JOIN account_account a ON a.id = l.account_id
         WHERE a.account_type = 'asset_receivable' AND l.parent_state = 'posted'
           AND NOT l.reconciled AND l.partner_id = ANY(%s)
         GROUP BY 1
        """,
        [partners.ids],
    )
    expected = dict(env.cr.fetchall())
    env.invalidate_all()
    for partner in partners:
        report.check(
            abs(partner.credit - float(expected.get(partner.id, 0))) < 0.005,
            f"{partner.name}: credit {partner.credit} != {expected.get(partner.id, 0)}",
        )
        report.check(
            abs(partner.credit_to_invoice) < 0.005,
            f"{partner.name}: credit_to_invoice {partner.credit_to_invoice} != 0",
        )


# ----------------------------------------------------------------------
def _order_times(env, order):
    invoice = order.invoice_ids[:1]
    payment = env["account.payment"].search(
        [("invoice_ids", "in", invoice.ids)], limit=1
    )
    env.cr.execute("SELECT create_date FROM sale_order WHERE id = %s", [order.id])
    quote = env.cr.fetchone()[0]
    env.cr.execute("SELECT create_date FROM account_move WHERE id = %s", [invoice.id])
    invoiced = env.cr.fetchone()[0]
    times = {
        "quote": quote,
        "confirm": order.date_order,
        "deliver": order.picking_ids[:1].date_done,
        "invoice": invoiced,
        "pay": payment.move_id.create_date if payment else None,
    }
    return times, payment.amount if payment else None


def _mask(value):
    return re.sub(r"\d+", "#", value)


def diff_twin(cr, generated_id, twin_id, report):
    """Compare every column of every row of two orders."""
    mine = collect_order(cr, generated_id)
    theirs = collect_order(cr, twin_id)
    id_map = {}
    for table, rows in mine.items():
        if table in RELATIONS:
            continue
        other = theirs.get(table, [])
        if not report.check(
            len(rows) == len(other),
            f"twin of order {generated_id}: {len(rows)} {table} rows, the ORM made "
            f"{len(other)}",
        ):
            continue
        for row, twin in zip(rows, other, strict=True):
            id_map[table, twin["id"]] = row["id"]
    for table, rows in mine.items():
        other = theirs.get(table, [])
        if len(rows) != len(other):
            report.check(False, f"twin of order {generated_id}: {table} row count")
            continue
        fks = foreign_keys(cr, table)
        for row, twin in zip(rows, other, strict=True):
            for column, value in row.items():
                if column in TWIN_IGNORE:
                    continue
                expected = twin[column]
                target = fks.get(column)
                if target and (target, expected) in id_map:
                    expected = id_map[target, expected]
                if column in TWIN_MASK_DIGITS:
                    value, expected = _mask(value), _mask(expected)
                if column in TWIN_PRESENT:
                    value, expected = value != "\\N", expected != "\\N"
                report.check(
                    value == expected,
                    f"twin of order {generated_id}: {table}.{column} is {value!r}, "
                    f"the ORM wrote {expected!r}",
                )


def make_twins(env, info, rng):
    """One generated order per payment shape, redone by the ORM."""
    from .flows import run_order_flow

    first = info["first_ids"]["order"]
    last = first + info["orders"] - 1
    twins = []
    for state in ("paid", "partial", "not_paid"):
        env.cr.execute(
            """
            SELECT o.id FROM sale_order o
              JOIN account_move m ON m.invoice_origin = o.name
             WHERE o.id BETWEEN %s AND %s AND m.payment_state = %s
             ORDER BY o.id LIMIT 50
            """,
            [first, last, state],
        )
        candidates = [row[0] for row in env.cr.fetchall()]
        if not candidates:
            continue
        order = env["sale.order"].browse(rng.choice(candidates))
        times, amount = _order_times(env, order)
        lines = [(line.product_id, line.product_uom_qty) for line in order.order_line]
        twin = run_order_flow(
            env,
            order.partner_id,
            lines,
            times,
            pay_amount=amount,
            payment_term=order.payment_term_id,
        )
        twins.append((order.id, twin.id))
    return twins


def check_partner_twin(env, info, rng, report):
    """A generated customer and the same customer created by the ORM."""
    from .flows import create_customer

    first = info["first_ids"]["partner"]
    # Preferably one without orders: the ORM marks customers it notified of
    # their documents for a portal sign-up (signup_type).
    env.cr.execute(
        """
        SELECT id, create_date, user_id, customer_rank FROM res_partner
         WHERE id BETWEEN %s AND %s
         ORDER BY customer_rank = 0 DESC, md5(id::text) LIMIT 1
        """,
        [first, first + info["customers"] - 1],
    )
    partner_id, created, user_id, rank = env.cr.fetchone()
    index = partner_id - first
    twin = create_customer(env, index, user_id, created)
    env.cr.flush()
    mine = read_rows(env.cr, "res_partner", "id = %s", [partner_id])[0]
    theirs = read_rows(env.cr, "res_partner", "id = %s", [twin.id])[0]
    theirs["commercial_partner_id"] = mine["commercial_partner_id"]
    for column, value in mine.items():
        if column in TWIN_IGNORE or column == "customer_rank":
            continue
        if column == "signup_type" and rank:
            continue
        report.check(
            value == theirs[column],
            f"twin of customer {partner_id}: res_partner.{column} is {value!r}, "
            f"the ORM wrote {theirs[column]!r}",
        )


def check_new_order(env, info, rng, report):
    """Today, the ORM sells to a generated customer from start to payment."""
    from .flows import run_order_flow

    partner = env["res.partner"].browse(
        info["first_ids"]["partner"] + rng.randrange(info["customers"])
    )
    products = env["product.product"].browse(info["product_ids"][:3])
    credit_before = partner.credit
    now = datetime.datetime.now().replace(microsecond=0)
    times = dict.fromkeys(("quote", "confirm", "deliver", "invoice", "pay"), now)
    order = run_order_flow(
        env,
        partner,
        [(product, 2) for product in products],
        times,
        pay_amount=lambda invoice: invoice.amount_total / 2,
        payment_term=env.ref("account.account_payment_term_30days"),
    )
    invoice = order.invoice_ids
    env.invalidate_all()
    report.check(
        order.state == "sale" and order.invoice_status == "invoiced",
        f"new order {order.name}: {order.state}/{order.invoice_status}",
    )
    report.check(
        invoice.payment_state == "partial",
        f"new invoice {invoice.name}: {invoice.payment_state}",
    )
    report.check(
        abs(partner.credit - credit_before - invoice.amount_residual) < 0.005,
        f"new order: credit {credit_before} -> {partner.credit}, "
        f"open {invoice.amount_residual}",
    )


# ----------------------------------------------------------------------
def verify(db, info, sample=100, seed=7):
    """Run every check; returns the fields of the generator_check figure."""
    started = time.perf_counter()
    report = Report()
    rng = random.Random(seed)
    with environment(db, commit=False) as env:
        log("verify: foreign keys of %d tables", len(GENERATED_TABLES))
        check_foreign_keys(env.cr, report)
        log("verify: invariants over every row")
        check_invariants(env.cr, report)
        log("verify: ORM twins of generated orders")
        twins = make_twins(env, info, rng)
        for generated_id, twin_id in twins:
            diff_twin(env.cr, generated_id, twin_id, report)
        check_partner_twin(env, info, rng, report)
        order_ids = _sample_orders(env.cr, info, sample, rng)
        orm_order_ids = info["template_order_ids"] + [twin for _mine, twin in twins]
        log("verify: ORM recomputation of %d sample orders", len(order_ids))
        not_derivable = check_recompute(env, order_ids, orm_order_ids, report)
        check_credit(env, order_ids, report)
        log("verify: a new order for a generated customer")
        check_new_order(env, info, rng, report)
    return {
        "ok": not report.problems,
        "checks": report.checks,
        "sample_orders": len(order_ids),
        "twins": len(twins),
        "not_derivable": not_derivable,
        "problems": report.problems[:25],
        "problem_count": len(report.problems),
        "seconds": round(time.perf_counter() - started, 1),
    }
