# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
"""Bulk sales history in exactly the shape the ORM leaves it.

1. Through the ORM: salespeople and teams, products with a cost, the opening
   stock, one customer and three orders (paid, partly paid, unpaid) run through
   the real flow at frozen times, and a draft "catalog" order (rolled back) that
   prices every product and quantity the plan uses.
2. Those ORM rows become row templates (copyrows.RowTemplate): each generated
   row is the ORM's row with only the columns that differ per record replaced
   (SLOTS below), so a column nobody listed keeps what the ORM wrote.
3. COPY streams customers, orders, lines, procurement groups, pickings, stock
   moves and move lines, valuation layers, invoices with their product, tax and
   receivable lines, payments with their entries, partial and full
   reconciliations, and the relation tables (line taxes, invoice lines of order
   lines, payments of invoices). Then SQL updates what the ORM keeps as running
   totals (quants in stock and at the customers, the opening valuation layer),
   and the ORM moves the order and delivery sequences past the generated
   numbers. Invoice and payment numbers follow their dates, per year.

Every order is confirmed, delivered in full from one picking and invoiced in
full; the invoice (30 days) is paid, paid in part, or open (overdue once due).
Not generated: chatter (mail.message, mail.followers, tracking values),
quotations, cancelled or undelivered orders, backorders, returns, credit notes,
down payments, discounts, analytic distribution, bank statements (payment
entries keep their outstanding receipts line open), other companies and
currencies. create_date/write_date carry the history's times.
"""

import contextlib
import datetime
import decimal
import io
import json
import random
import time
import types
import uuid

from .collect import collect_order
from .copyrows import Loader, RowTemplate, cents, columns, money, read_rows, text
from .odoo_env import BENCH_PARAM, connect, environment, log
from .plan import (
    DAY,
    PAID,
    PARTIAL,
    PAYMENT_TERM_DAYS,
    QUANTITIES,
    UNPAID,
    to_datetime,
)

CHUNK = 1000
TEMPLATE_LINES = ((0, 3), (1, 4))
TEMPLATE_FRACTIONS = {PAID: 1.0, PARTIAL: 0.5, UNPAID: 0.0}
OPENING_STOCK_MARGIN = 200


def payment_cents(total_cents, fraction):
    """The amount a partial payment registers (half-up to the cent)."""
    exact = decimal.Decimal(total_cents) * decimal.Decimal(repr(fraction))
    return int(exact.quantize(decimal.Decimal(1), rounding=decimal.ROUND_HALF_UP))


def _pattern(sample, **known):
    """A str.format pattern of `sample` where the known values are fields."""
    pattern = sample.replace("{", "{{").replace("}", "}}")
    for key, value in sorted(known.items(), key=lambda item: -len(item[1])):
        if value not in pattern:
            raise ValueError(f"{value!r} is not in {sample!r}")
        pattern = pattern.replace(value, "{" + key + "}")
    return pattern


# ----------------------------------------------------------------------
# 1. ORM set-up
# ----------------------------------------------------------------------
def orm_setup(env, plan):
    """Master data, opening stock, template records; returns what COPY needs."""
    from odoo import Command

    from .flows import create_customer, run_order_flow

    scale = plan.scale
    company = env.company
    if company.tax_calculation_rounding_method != "round_per_line":
        raise RuntimeError("the generator assumes taxes rounded per line")
    if company.currency_id.decimal_places != 2:
        raise RuntimeError("the generator assumes a currency with cents")
    if env.user.tz not in (False, "UTC", "Etc/UTC"):
        raise RuntimeError("the generator assumes the administrator works in UTC")
    rng = random.Random(scale.seed + 1)
    s = types.SimpleNamespace(company_id=company.id)

    # Teams and salespeople.
    teams = env["crm.team"].search(
        [("company_id", "in", [company.id, False])], order="id", limit=1
    )
    for number in range(len(teams), scale.teams):
        teams |= env["crm.team"].create({"name": f"Bench Team {number + 1}"})
    salesman = env.ref("sales_team.group_sale_salesman")
    users = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            [
                {
                    "name": f"Bench Salesperson {number + 1:02d}",
                    "login": f"bench_sales_{number + 1:02d}",
                    "email": f"sales{number + 1:02d}@bench.example.com",
                    "groups_id": [Command.link(salesman.id)],
                }
                for number in range(scale.salespeople)
            ]
        )
    )
    env["crm.team.member"].create(
        [
            {"crm_team_id": teams[number % len(teams)].id, "user_id": user.id}
            for number, user in enumerate(users)
        ]
    )
    s.user_ids = users.ids
    s.user_team_ids = [
        teams[number % len(teams)].id for number in range(scale.salespeople)
    ]

    # Products: storable goods invoiced on delivery, with a cost.
    product_values = []
    for number in range(scale.products):
        price = rng.randrange(500, 90000)
        cost = int(price * rng.uniform(0.5, 0.75))
        product_values.append(
            {
                "name": f"Bench Product {number + 1:03d}",
                "default_code": f"BP{number + 1:03d}",
                "type": "consu",
                "is_storable": True,
                "invoice_policy": "delivery",
                "list_price": price / 100,
                "standard_price": cost / 100,
            }
        )
    products = env["product.product"].create(product_values)
    taxes = {tuple(product.taxes_id.ids) for product in products}
    if len(taxes) != 1:
        raise RuntimeError("the generator assumes one set of sales taxes")
    s.product_ids = products.ids
    s.product_names = [text(product.name) for product in products]
    s.product_categ_ids = [product.categ_id.id for product in products]
    s.product_cost_cents = [round(product.standard_price * 100) for product in products]

    term = env.ref("account.account_payment_term_30days")
    if [line.nb_days for line in term.line_ids] != [PAYMENT_TERM_DAYS]:
        raise RuntimeError("the 30 days payment term changed")
    s.validity_days = company.quotation_validity_days

    log("ORM set-up: %d products, opening stock", scale.products)
    # Opening stock, three days before the history starts.
    warehouse = env["stock.warehouse"].search(
        [("company_id", "=", company.id)], limit=1
    )
    delivered = plan.delivered_per_product()
    from freezegun import freeze_time

    with freeze_time(to_datetime(plan.start - 3 * DAY)):
        quants = (
            env["stock.quant"]
            .with_context(inventory_mode=True)
            .create(
                [
                    {
                        "product_id": product.id,
                        "location_id": warehouse.lot_stock_id.id,
                        "inventory_quantity": delivered[number]
                        + delivered[number] // 10
                        + OPENING_STOCK_MARGIN,
                    }
                    for number, product in enumerate(products)
                ]
            )
        )
        quants.action_apply_inventory()
        env.flush_all()
    s.stock_location_id = warehouse.lot_stock_id.id
    s.customer_location_id = env.ref("stock.stock_location_customers").id

    log("ORM set-up: template customer and orders")
    # The template customer and its three orders, two days before the history.
    base = plan.start - 2 * DAY
    customer = create_customer(
        env, scale.customers, users[0].id, to_datetime(base - DAY)
    )
    orders = {}
    for number, (shape, fraction) in enumerate(TEMPLATE_FRACTIONS.items()):
        at = base + number * 7200
        times = {
            step: to_datetime(at + offset * 1200)
            for offset, step in enumerate(
                ("quote", "confirm", "deliver", "invoice", "pay")
            )
        }
        lines = [(products[product], qty) for product, qty in TEMPLATE_LINES]
        orders[shape] = run_order_flow(
            env,
            customer,
            lines,
            times,
            pay_amount=(lambda invoice, f=fraction: invoice.amount_total * f)
            if fraction
            else None,
            payment_term=term,
        )
    s.template_order_ids = {shape: order.id for shape, order in orders.items()}
    env.flush_all()
    cr = env.cr
    s.templates = {
        shape: collect_order(cr, order.id) for shape, order in orders.items()
    }
    s.partner_row = read_rows(cr, "res_partner", "id = %s", [customer.id])[0]
    s.customer_quant_row = read_rows(
        cr,
        "stock_quant",
        "product_id = %s AND location_id = %s",
        [products[0].id, s.customer_location_id],
    )[0]
    log("ORM set-up: catalog of %d order lines", scale.products * len(QUANTITIES))
    s.catalog = _catalog(env, customer, products, term)
    _numbering(env, s, warehouse)
    s.columns = {
        table: columns(cr, table)
        for table in [*s.templates[PAID], "res_partner", "stock_quant"]
    }
    s.country_id = env.ref("base.cn").id
    return s


def _catalog(env, customer, products, term):
    """(product index, qty) -> the ORM's figures of such an order line.

    A draft order with one line per combination is created, read back and rolled
    back, so prices, taxes, margins and their rounding are the ORM's own.
    """
    from odoo import Command

    combos = [(number, qty) for number in range(len(products)) for qty in QUANTITIES]
    with contextlib.closing(env.cr.savepoint()):
        order = env["sale.order"].create(
            {
                # A name of our own keeps the order sequence untouched.
                "name": "BENCH CATALOG",
                "partner_id": customer.id,
                "payment_term_id": term.id,
                "order_line": [
                    Command.create(
                        {"product_id": products[number].id, "product_uom_qty": qty}
                    )
                    for number, qty in combos
                ],
            }
        )
        env.flush_all()
        rows = read_rows(env.cr, "sale_order_line", "order_id = %s", [order.id])
    catalog = {}
    for (number, qty), row in zip(combos, rows, strict=True):
        subtotal = cents(row["price_subtotal"])
        total = cents(row["price_total"])
        catalog[number, qty] = types.SimpleNamespace(
            row=row,
            subtotal=subtotal,
            total=total,
            tax=total - subtotal,
            margin=cents(row["margin"]),
            qty=row["product_uom_qty"],
        )
    return catalog


def _numbering(env, s, warehouse):
    """Where the order, delivery, invoice and payment numbers go on from."""
    sequences = {
        "order": env["ir.sequence"].search(
            [("code", "=", "sale.order"), ("company_id", "in", [s.company_id, False])],
            order="company_id",
            limit=1,
        ),
        "picking": warehouse.out_type_id.sequence_id,
    }
    s.sequence_ids = {}
    for key, sequence in sequences.items():
        if "%(" in (sequence.prefix or "") + (sequence.suffix or ""):
            raise RuntimeError(f"sequence {sequence.name} has a dated prefix")
        setattr(s, f"{key}_prefix", text(sequence.prefix or ""))
        setattr(s, f"{key}_suffix", text(sequence.suffix or ""))
        setattr(s, f"{key}_padding", sequence.padding)
        setattr(s, f"{key}_next", sequence.number_next_actual)
        s.sequence_ids[key] = sequence.id
    paid = s.templates[PAID]
    invoice, payment_move = paid["account_move"]
    s.invoice_journal_id = int(invoice["journal_id"])
    s.payment_journal_id = int(payment_move["journal_id"])
    for key, move in (("invoice", invoice), ("payment", payment_move)):
        year = move["date"][:4]
        prefix = move["sequence_prefix"]
        if year not in prefix:
            raise RuntimeError(f"{move['name']}: the generator expects yearly numbers")
        setattr(s, f"{key}_prefix", prefix.replace(year, "{year}"))
        setattr(s, f"{key}_padding", len(move["name"]) - len(prefix))
    env.cr.execute(
        "SELECT journal_id, sequence_prefix, max(sequence_number) FROM account_move "
        "WHERE journal_id IN %s GROUP BY 1, 2",
        [(s.invoice_journal_id, s.payment_journal_id)],
    )
    s.sequence_last = {
        (journal, prefix): last for journal, prefix, last in env.cr.fetchall()
    }


# ----------------------------------------------------------------------
# 2. Row templates
# ----------------------------------------------------------------------
SLOTS = {
    "res_partner": (
        "id name complete_name commercial_company_name ref email email_normalized "
        "phone phone_sanitized street city zip user_id commercial_partner_id "
        "customer_rank signup_type calendar_last_notif_ack create_date write_date"
    ),
    "sale_order": (
        "id name partner_id partner_invoice_id partner_shipping_id user_id team_id "
        "access_token validity_date amount_untaxed amount_tax amount_total "
        "date_order effective_date procurement_group_id margin margin_percent "
        "promised_date delivery_done_date is_on_time is_delivered_late "
        "create_date write_date"
    ),
    "sale_order_line": (
        "id order_id order_partner_id salesman_id product_id name product_uom_qty "
        "price_unit price_subtotal price_total price_reduce_taxexcl "
        "price_reduce_taxinc qty_delivered qty_invoiced untaxed_amount_invoiced "
        "technical_price_unit price_tax purchase_price margin margin_percent "
        "create_date write_date"
    ),
    "account_tax_sale_order_line_rel": "sale_order_line_id",
    "procurement_group": "id partner_id name sale_id create_date write_date",
    "stock_picking": (
        "id group_id partner_id name origin scheduled_date date_deadline date "
        "date_done sale_id create_date write_date"
    ),
    "stock_move": (
        "id product_id partner_id picking_id group_id name origin reference "
        "reservation_date description_picking product_qty product_uom_qty quantity "
        "date date_deadline sale_line_id create_date write_date"
    ),
    "stock_move_line": (
        "id picking_id move_id product_id reference quantity quantity_product_uom "
        "date create_date write_date"
    ),
    "stock_valuation_layer": (
        "id product_id categ_id stock_move_id description quantity unit_cost value "
        "create_date write_date"
    ),
    "invoice": (
        "id sequence_number sequence_prefix name partner_id commercial_partner_id "
        "partner_shipping_id invoice_user_id team_id access_token payment_reference "
        "payment_state invoice_partner_display_name invoice_origin date invoice_date "
        "invoice_date_due delivery_date amount_untaxed amount_tax amount_total "
        "amount_residual amount_untaxed_signed amount_untaxed_in_currency_signed "
        "amount_tax_signed amount_total_signed amount_total_in_currency_signed "
        "amount_residual_signed create_date write_date"
    ),
    "payment_move": (
        "id sequence_number sequence_prefix name ref origin_payment_id partner_id "
        "commercial_partner_id invoice_partner_display_name date invoice_date_due "
        "amount_total amount_total_signed amount_total_in_currency_signed "
        "create_date write_date"
    ),
    "aml_product": (
        "id move_id sequence partner_id product_id move_name name date invoice_date "
        "credit balance amount_currency quantity price_unit price_subtotal "
        "price_total create_date write_date"
    ),
    "aml_tax": (
        "id move_id partner_id move_name date invoice_date credit balance "
        "amount_currency tax_base_amount create_date write_date"
    ),
    "aml_receivable": (
        "id move_id partner_id move_name name date invoice_date date_maturity debit "
        "balance amount_currency amount_residual amount_residual_currency "
        "matching_number full_reconcile_id reconciled create_date write_date"
    ),
    "aml_liquidity": (
        "id move_id partner_id payment_id move_name ref name date date_maturity "
        "debit balance amount_currency amount_residual amount_residual_currency "
        "price_subtotal price_total create_date write_date"
    ),
    "aml_counterpart": (
        "id move_id partner_id payment_id move_name ref name date date_maturity "
        "credit balance amount_currency price_subtotal price_total matching_number "
        "full_reconcile_id create_date write_date"
    ),
    "account_move_line_account_tax_rel": "account_move_line_id",
    "sale_order_line_invoice_rel": "invoice_line_id order_line_id",
    "account_payment": (
        "id move_id partner_id name state memo date amount "
        "amount_company_currency_signed create_date write_date"
    ),
    "account_move__account_payment": "invoice_id payment_id",
    "account_partial_reconcile": (
        "id debit_move_id credit_move_id full_reconcile_id max_date amount "
        "debit_amount_currency credit_amount_currency create_date write_date"
    ),
    "account_full_reconcile": "id create_date write_date",
    "stock_quant": (
        "id product_id quantity inventory_diff_quantity create_date write_date"
    ),
}


def _token_maker(row):
    if row["access_token"] == "\\N":
        return lambda: "\\N"
    return lambda: str(uuid.uuid4())


def _templates(s):
    """RowTemplates per shape from the ORM-made template orders."""

    def make(key, table, base):
        return RowTemplate(table, s.columns[table], base, SLOTS[key].split())

    result = {}
    for shape, rows in s.templates.items():
        t = types.SimpleNamespace()
        for table in (
            "sale_order",
            "sale_order_line",
            "account_tax_sale_order_line_rel",
            "procurement_group",
            "stock_picking",
            "stock_move",
            "stock_move_line",
            "stock_valuation_layer",
            "account_move_line_account_tax_rel",
            "sale_order_line_invoice_rel",
        ):
            setattr(t, table, make(table, table, rows[table][0]))
        moves = rows["account_move"]
        t.invoice = make("invoice", "account_move", moves[0])
        # Portal tokens are secrets: a new one where the ORM had made one.
        t.order_token = _token_maker(rows["sale_order"][0])
        t.invoice_token = _token_maker(moves[0])
        invoice_lines = [
            row for row in rows["account_move_line"] if row["move_id"] == moves[0]["id"]
        ]
        kinds = {row["display_type"]: row for row in reversed(invoice_lines)}
        t.aml_product = make("aml_product", "account_move_line", kinds["product"])
        t.aml_tax = make("aml_tax", "account_move_line", kinds["tax"])
        t.aml_receivable = make(
            "aml_receivable", "account_move_line", kinds["payment_term"]
        )
        if shape != UNPAID:
            receivable = kinds["payment_term"]["account_id"]
            payment_lines = [
                row
                for row in rows["account_move_line"]
                if row["move_id"] == moves[1]["id"]
            ]
            liquidity, counterpart = sorted(
                payment_lines, key=lambda row: row["account_id"] == receivable
            )
            t.payment_move = make("payment_move", "account_move", moves[1])
            t.aml_liquidity = make("aml_liquidity", "account_move_line", liquidity)
            t.aml_counterpart = make(
                "aml_counterpart", "account_move_line", counterpart
            )
            for table in (
                "account_payment",
                "account_move__account_payment",
                "account_partial_reconcile",
            ):
                setattr(t, table, make(table, table, rows[table][0]))
            if shape == PAID:
                t.account_full_reconcile = make(
                    "account_full_reconcile",
                    "account_full_reconcile",
                    rows["account_full_reconcile"][0],
                )
        result[shape] = t
    return result


# ----------------------------------------------------------------------
# 3. COPY
# ----------------------------------------------------------------------
def _route(table):
    """Which COPY connection loads `table`: accounting on one, the rest on the
    other, which splits the indexing work about evenly."""
    return 0 if table.startswith("account_") else 1


class _Ids:
    """Id blocks reserved from the tables' own sequences."""

    def __init__(self, cnx, needs):
        self.first = {}
        cnx.autocommit = True
        with cnx.cursor() as cr:
            for key, (table, count) in needs.items():
                if not count:
                    self.first[key] = 0
                    continue
                cr.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                    "nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
                    [table, table, count],
                )
                self.first[key] = cr.fetchone()[0] - count + 1
        cnx.autocommit = False


class _Clock:
    """COPY texts of instants and dates, cached per day."""

    def __init__(self):
        self.days = {}

    def instant(self, seconds):
        return str(to_datetime(seconds))

    def date(self, seconds):
        day = seconds // DAY
        value = self.days.get(day)
        if value is None:
            value = self.days[day] = str(to_datetime(day * DAY).date())
        return value

    def date_plus(self, seconds, days):
        return self.date(seconds // DAY * DAY + days * DAY)


class Bulk:
    """Writes the planned history with COPY."""

    def __init__(self, cnx, plan, setup):
        self.cnx = cnx
        self.plan = plan
        self.s = setup
        self.t = _templates(setup)
        self.clock = _Clock()
        scale = plan.scale
        paid = sum(1 for shape in plan.shape if shape != UNPAID)
        full = sum(1 for shape in plan.shape if shape == PAID)
        lines = plan.line_count
        orders = scale.orders
        self.ids = _Ids(
            cnx,
            {
                "partner": ("res_partner", scale.customers),
                "order": ("sale_order", orders),
                "line": ("sale_order_line", lines),
                "group": ("procurement_group", orders),
                "picking": ("stock_picking", orders),
                "move": ("stock_move", lines),
                "move_line": ("stock_move_line", lines),
                "layer": ("stock_valuation_layer", lines),
                "account_move": ("account_move", orders + paid),
                "aml": ("account_move_line", lines + 2 * orders + 2 * paid),
                "payment": ("account_payment", paid),
                "partial": ("account_partial_reconcile", paid),
                "full": ("account_full_reconcile", full),
            },
        ).first
        self.paid_count = paid
        self.first_delivery = {}
        self.customer_names = []

    # ------------------------------------------------------------------
    def run(self, db):
        loader = Loader(db, _route)
        try:
            self._fill(loader)
        except BaseException:
            loader.abort()
            raise
        loader.finish()
        self._stock_totals(self.cnx.cursor())
        self.cnx.commit()
        return loader.rows

    def _fill(self, loader):
        self._customers(loader)
        payment_index = 0
        full_index = 0
        orders = self.plan.scale.orders
        started = time.perf_counter()
        for first in range(0, orders, CHUNK):
            out = {}
            for index in range(first, min(first + CHUNK, orders)):
                payment_index, full_index = self._order(
                    index, payment_index, full_index, out
                )
            for template, rows in out.values():
                loader.put(template, rows)
            done = min(first + CHUNK, orders)
            if done % (CHUNK * 20) == 0 or done == orders:
                rate = self.plan.line_start[done] / (time.perf_counter() - started)
                log("COPY %d/%d orders (%.0f lines/s)", done, orders, rate)

    def _customers(self, loader):
        plan = self.plan
        s = self.s
        from_index = self.ids["partner"]
        ranks = plan.documents_per_customer()
        template = RowTemplate(
            "res_partner",
            s.columns["res_partner"],
            s.partner_row,
            SLOTS["res_partner"].split(),
        )
        from .flows import customer_values

        # The ORM prepares a portal sign-up for customers it notified.
        signup = s.partner_row["signup_type"]
        rows = []
        for index in range(plan.scale.customers):
            user_index = plan.customer_user[index]
            values = customer_values(index, s.user_ids[user_index], s.country_id)
            partner_id = str(from_index + index)
            created = self.clock.instant(plan.customer_created[index])
            name = text(values["name"])
            self.customer_names.append(name)
            email = text(values["email"])
            rows.append(
                template(
                    {
                        "id": partner_id,
                        "name": name,
                        "complete_name": name,
                        "commercial_company_name": name,
                        "ref": text(values["ref"]),
                        "email": email,
                        "email_normalized": email,
                        "phone": text(values["phone"]),
                        "phone_sanitized": text(values["phone"]),
                        "street": text(values["street"]),
                        "city": text(values["city"]),
                        "zip": text(values["zip"]),
                        "user_id": str(values["user_id"]),
                        "commercial_partner_id": partner_id,
                        "customer_rank": str(ranks[index]),
                        "signup_type": signup if ranks[index] else "\\N",
                        "calendar_last_notif_ack": created,
                        "create_date": created,
                        "write_date": created,
                    }
                )
            )
            if len(rows) >= 20000:
                loader.put(template, rows)
                rows = []
        loader.put(template, rows)

    # ------------------------------------------------------------------
    def _order(self, index, payment_index, full_index, out):
        """All rows of order `index`; returns the next payment and full indexes."""
        plan = self.plan
        s = self.s
        ids = self.ids
        clock = self.clock
        shape = plan.shape[index]
        t = self.t[shape]

        def add(template, row):
            bucket = out.get(id(template))
            if bucket is None:
                bucket = out[id(template)] = (template, [])
            bucket[1].append(template(row))

        customer = plan.customer[index]
        partner = str(ids["partner"] + customer)
        user_index = plan.customer_user[customer]
        user = str(s.user_ids[user_index])
        team = str(s.user_team_ids[user_index])
        partner_name = self.customer_names[customer]
        quote, confirm = plan.quote[index], plan.confirm[index]
        deliver, invoiced = plan.deliver[index], plan.invoice[index]
        quote_at, confirm_at = clock.instant(quote), clock.instant(confirm)
        deliver_at, invoice_at = clock.instant(deliver), clock.instant(invoiced)
        invoice_date = clock.date(invoiced)
        late = deliver // DAY > confirm // DAY
        first_line = plan.line_start[index]
        lines = plan.lines(index)

        order_id = str(ids["order"] + index)
        group_id = str(ids["group"] + index)
        picking_id = str(ids["picking"] + index)
        order_name = (
            s.order_prefix
            + str(s.order_next + index).zfill(s.order_padding)
            + s.order_suffix
        )
        picking_name = (
            s.picking_prefix
            + str(s.picking_next + plan.picking_rank[index][1] - 1).zfill(
                s.picking_padding
            )
            + s.picking_suffix
        )
        year, rank = plan.invoice_rank[index]
        invoice_prefix = s.invoice_prefix.format(year=year)
        invoice_number = (
            s.sequence_last.get((s.invoice_journal_id, invoice_prefix), 0) + rank
        )
        invoice_name = invoice_prefix + str(invoice_number).zfill(s.invoice_padding)
        invoice_id = str(ids["account_move"] + index)
        aml_first = ids["aml"] + first_line + 2 * index

        untaxed = tax = margin = 0
        for offset, (product, qty) in enumerate(lines):
            figures = s.catalog[product, qty]
            row = figures.row
            untaxed += figures.subtotal
            tax += figures.tax
            margin += figures.margin
            line_id = str(ids["line"] + first_line + offset)
            move_id = str(ids["move"] + first_line + offset)
            product_id = str(s.product_ids[product])
            qty_text = figures.qty
            add(
                t.sale_order_line,
                {
                    "id": line_id,
                    "order_id": order_id,
                    "order_partner_id": partner,
                    "salesman_id": user,
                    "product_id": product_id,
                    "name": row["name"],
                    "product_uom_qty": qty_text,
                    "price_unit": row["price_unit"],
                    "price_subtotal": row["price_subtotal"],
                    "price_total": row["price_total"],
                    "price_reduce_taxexcl": row["price_reduce_taxexcl"],
                    "price_reduce_taxinc": row["price_reduce_taxinc"],
                    "qty_delivered": qty_text,
                    "qty_invoiced": qty_text,
                    "untaxed_amount_invoiced": row["price_subtotal"],
                    "technical_price_unit": row["technical_price_unit"],
                    "price_tax": row["price_tax"],
                    "purchase_price": row["purchase_price"],
                    "margin": row["margin"],
                    "margin_percent": row["margin_percent"],
                    "create_date": quote_at,
                    "write_date": invoice_at,
                },
            )
            add(t.account_tax_sale_order_line_rel, {"sale_order_line_id": line_id})
            add(
                t.stock_move,
                {
                    "id": move_id,
                    "product_id": product_id,
                    "partner_id": partner,
                    "picking_id": picking_id,
                    "group_id": group_id,
                    "name": row["name"],
                    "origin": order_name,
                    "reference": picking_name,
                    "reservation_date": clock.date(confirm),
                    "description_picking": s.product_names[product],
                    "product_qty": qty_text[:-1],
                    "product_uom_qty": qty_text,
                    "quantity": qty_text,
                    "date": deliver_at,
                    "date_deadline": confirm_at,
                    "sale_line_id": line_id,
                    "create_date": confirm_at,
                    "write_date": deliver_at,
                },
            )
            add(
                t.stock_move_line,
                {
                    "id": str(ids["move_line"] + first_line + offset),
                    "picking_id": picking_id,
                    "move_id": move_id,
                    "product_id": product_id,
                    "reference": picking_name,
                    "quantity": qty_text,
                    "quantity_product_uom": qty_text,
                    "date": deliver_at,
                    "create_date": deliver_at,
                    "write_date": deliver_at,
                },
            )
            cost = s.product_cost_cents[product]
            add(
                t.stock_valuation_layer,
                {
                    "id": str(ids["layer"] + first_line + offset),
                    "product_id": product_id,
                    "categ_id": str(s.product_categ_ids[product]),
                    "stock_move_id": move_id,
                    "description": f"{picking_name} - {s.product_names[product]}",
                    "quantity": "-" + qty_text,
                    "unit_cost": money(cost),
                    "value": money(-cost * qty),
                    "create_date": deliver_at,
                    "write_date": deliver_at,
                },
            )
            aml_id = str(aml_first + offset)
            add(
                t.aml_product,
                {
                    "id": aml_id,
                    "move_id": invoice_id,
                    "sequence": str(offset),
                    "partner_id": partner,
                    "product_id": product_id,
                    "move_name": invoice_name,
                    "name": row["name"],
                    "date": invoice_date,
                    "invoice_date": invoice_date,
                    "credit": row["price_subtotal"],
                    "balance": money(-figures.subtotal),
                    "amount_currency": money(-figures.subtotal),
                    "quantity": qty_text,
                    "price_unit": row["price_unit"],
                    "price_subtotal": row["price_subtotal"],
                    "price_total": row["price_total"],
                    "create_date": invoice_at,
                    "write_date": invoice_at,
                },
            )
            add(t.account_move_line_account_tax_rel, {"account_move_line_id": aml_id})
            add(
                t.sale_order_line_invoice_rel,
                {"invoice_line_id": aml_id, "order_line_id": line_id},
            )
            if product not in self.first_delivery:
                self.first_delivery[product] = (qty, deliver)

        total = untaxed + tax
        add(
            t.sale_order,
            {
                "id": order_id,
                "name": order_name,
                "partner_id": partner,
                "partner_invoice_id": partner,
                "partner_shipping_id": partner,
                "user_id": user,
                "team_id": team,
                "access_token": t.order_token(),
                "validity_date": clock.date_plus(quote, s.validity_days),
                "amount_untaxed": money(untaxed),
                "amount_tax": money(tax),
                "amount_total": money(total),
                "date_order": confirm_at,
                "effective_date": deliver_at,
                # The products have no customer lead time: the promised date
                # is the confirmation, the delivery is done when it is.
                "promised_date": confirm_at,
                "delivery_done_date": deliver_at,
                "is_on_time": "f" if late else "t",
                "is_delivered_late": "t" if late else "f",
                "procurement_group_id": group_id,
                "margin": money(margin),
                "margin_percent": repr((margin / 100) / (untaxed / 100))
                if untaxed
                else "0.0",
                "create_date": quote_at,
                "write_date": invoice_at,
            },
        )
        add(
            t.procurement_group,
            {
                "id": group_id,
                "partner_id": partner,
                "name": order_name,
                "sale_id": order_id,
                "create_date": confirm_at,
                "write_date": confirm_at,
            },
        )
        add(
            t.stock_picking,
            {
                "id": picking_id,
                "group_id": group_id,
                "partner_id": partner,
                "name": picking_name,
                "origin": order_name,
                "scheduled_date": confirm_at,
                "date_deadline": confirm_at,
                "date": confirm_at,
                "date_done": deliver_at,
                "sale_id": order_id,
                "create_date": confirm_at,
                "write_date": deliver_at,
            },
        )
        count = len(lines)
        add(
            t.aml_tax,
            {
                "id": str(aml_first + count),
                "move_id": invoice_id,
                "partner_id": partner,
                "move_name": invoice_name,
                "date": invoice_date,
                "invoice_date": invoice_date,
                "credit": money(tax),
                "balance": money(-tax),
                "amount_currency": money(-tax),
                "tax_base_amount": money(untaxed),
                "create_date": invoice_at,
                "write_date": invoice_at,
            },
        )
        receivable_id = str(aml_first + count + 1)
        due = clock.date_plus(invoiced, PAYMENT_TERM_DAYS)
        paid_cents = 0
        matching = "\\N"
        full_id = "\\N"
        pay_at = invoice_at
        if shape != UNPAID:
            paid_cents = (
                total
                if shape == PAID
                else payment_cents(total, plan.pay_fraction[index])
            )
            pay = plan.pay[index]
            pay_at = clock.instant(pay)
            pay_date = clock.date(pay)
            partial_id = str(ids["partial"] + payment_index)
            if shape == PAID:
                full_id = str(ids["full"] + full_index)
                matching = full_id
                add(
                    t.account_full_reconcile,
                    {"id": full_id, "create_date": pay_at, "write_date": pay_at},
                )
                full_index += 1
            else:
                matching = "P" + partial_id
            pay_year, pay_rank = plan.payment_rank[index]
            pay_prefix = s.payment_prefix.format(year=pay_year)
            pay_number = (
                s.sequence_last.get((s.payment_journal_id, pay_prefix), 0) + pay_rank
            )
            pay_name = pay_prefix + str(pay_number).zfill(s.payment_padding)
            pay_move_id = str(ids["account_move"] + plan.scale.orders + payment_index)
            payment_id = str(ids["payment"] + payment_index)
            pay_aml = (
                ids["aml"] + plan.line_count + 2 * plan.scale.orders + 2 * payment_index
            )
            amount = money(paid_cents)
            line_name = text(f"Manual Payment: {invoice_name}")
            add(
                t.payment_move,
                {
                    "id": pay_move_id,
                    "sequence_number": str(pay_number),
                    "sequence_prefix": pay_prefix,
                    "name": pay_name,
                    "ref": invoice_name,
                    "origin_payment_id": payment_id,
                    "partner_id": partner,
                    "commercial_partner_id": partner,
                    "invoice_partner_display_name": partner_name,
                    "date": pay_date,
                    "invoice_date_due": pay_date,
                    "amount_total": amount,
                    "amount_total_signed": amount,
                    "amount_total_in_currency_signed": amount,
                    "create_date": pay_at,
                    "write_date": pay_at,
                },
            )
            add(
                t.aml_liquidity,
                {
                    "id": str(pay_aml),
                    "move_id": pay_move_id,
                    "partner_id": partner,
                    "payment_id": payment_id,
                    "move_name": pay_name,
                    "ref": invoice_name,
                    "name": line_name,
                    "date": pay_date,
                    "date_maturity": pay_date,
                    "debit": amount,
                    "balance": amount,
                    "amount_currency": amount,
                    "amount_residual": amount,
                    "amount_residual_currency": amount,
                    "price_subtotal": amount,
                    "price_total": amount,
                    "create_date": pay_at,
                    "write_date": pay_at,
                },
            )
            counterpart_id = str(pay_aml + 1)
            add(
                t.aml_counterpart,
                {
                    "id": counterpart_id,
                    "move_id": pay_move_id,
                    "partner_id": partner,
                    "payment_id": payment_id,
                    "move_name": pay_name,
                    "ref": invoice_name,
                    "name": line_name,
                    "date": pay_date,
                    "date_maturity": pay_date,
                    "credit": amount,
                    "balance": money(-paid_cents),
                    "amount_currency": money(-paid_cents),
                    "price_subtotal": money(-paid_cents),
                    "price_total": money(-paid_cents),
                    "matching_number": matching,
                    "full_reconcile_id": full_id,
                    "create_date": pay_at,
                    "write_date": pay_at,
                },
            )
            add(
                t.account_payment,
                {
                    "id": payment_id,
                    "move_id": pay_move_id,
                    "partner_id": partner,
                    "name": pay_name,
                    "state": "paid" if shape == PAID else "in_process",
                    "memo": invoice_name,
                    "date": pay_date,
                    "amount": amount,
                    "amount_company_currency_signed": amount,
                    "create_date": pay_at,
                    "write_date": pay_at,
                },
            )
            add(
                t.account_move__account_payment,
                {"invoice_id": invoice_id, "payment_id": payment_id},
            )
            add(
                t.account_partial_reconcile,
                {
                    "id": partial_id,
                    "debit_move_id": receivable_id,
                    "credit_move_id": counterpart_id,
                    "full_reconcile_id": full_id,
                    "max_date": pay_date,
                    "amount": amount,
                    "debit_amount_currency": amount,
                    "credit_amount_currency": amount,
                    "create_date": pay_at,
                    "write_date": pay_at,
                },
            )
            payment_index += 1
        residual = money(total - paid_cents)
        add(
            t.aml_receivable,
            {
                "id": receivable_id,
                "move_id": invoice_id,
                "partner_id": partner,
                "move_name": invoice_name,
                "name": invoice_name,
                "date": invoice_date,
                "invoice_date": invoice_date,
                "date_maturity": due,
                "debit": money(total),
                "balance": money(total),
                "amount_currency": money(total),
                "amount_residual": residual,
                "amount_residual_currency": residual,
                "matching_number": matching,
                "full_reconcile_id": full_id,
                "reconciled": "t" if shape == PAID else "f",
                "create_date": invoice_at,
                "write_date": pay_at,
            },
        )
        add(
            t.invoice,
            {
                "id": invoice_id,
                "sequence_number": str(invoice_number),
                "sequence_prefix": invoice_prefix,
                "name": invoice_name,
                "partner_id": partner,
                "commercial_partner_id": partner,
                "partner_shipping_id": partner,
                "invoice_user_id": user,
                "team_id": team,
                "access_token": t.invoice_token(),
                "payment_reference": invoice_name,
                "payment_state": {PAID: "paid", PARTIAL: "partial"}.get(
                    shape, "not_paid"
                ),
                "invoice_partner_display_name": partner_name,
                "invoice_origin": order_name,
                "date": invoice_date,
                "invoice_date": invoice_date,
                "invoice_date_due": due,
                "delivery_date": clock.date(deliver),
                "amount_untaxed": money(untaxed),
                "amount_tax": money(tax),
                "amount_total": money(total),
                "amount_residual": residual,
                "amount_untaxed_signed": money(untaxed),
                "amount_untaxed_in_currency_signed": money(untaxed),
                "amount_tax_signed": money(tax),
                "amount_total_signed": money(total),
                "amount_total_in_currency_signed": money(total),
                "amount_residual_signed": residual,
                "create_date": invoice_at,
                "write_date": pay_at,
            },
        )
        return payment_index, full_index

    # ------------------------------------------------------------------
    def _stock_totals(self, cr):
        """What the ORM keeps as running totals: quants and the opening layer."""
        s = self.s
        delivered = self.plan.delivered_per_product()
        by_product = [
            (s.product_ids[number], qty, s.product_cost_cents[number])
            for number, qty in enumerate(delivered)
            if qty
        ]
        cr.execute(
            "CREATE TEMP TABLE bench_delivered "
            "(product_id int, qty numeric, cost numeric) ON COMMIT DROP"
        )
        cr.executemany(
            "INSERT INTO bench_delivered VALUES (%s, %s, %s / 100.0)", by_product
        )
        cr.execute(
            """
            UPDATE stock_quant q SET quantity = q.quantity - d.qty
              FROM bench_delivered d
             WHERE q.product_id = d.product_id AND q.location_id = %s
            """,
            [s.stock_location_id],
        )
        # The opening layer is the only incoming one: FIFO takes from it.
        cr.execute(
            """
            UPDATE stock_valuation_layer l
               SET remaining_qty = l.remaining_qty - d.qty,
                   remaining_value = l.remaining_value - d.qty * d.cost
              FROM bench_delivered d
             WHERE l.product_id = d.product_id AND l.quantity > 0
            """
        )
        cr.execute(
            """
            UPDATE stock_quant q SET quantity = q.quantity + d.qty
              FROM bench_delivered d
             WHERE q.product_id = d.product_id AND q.location_id = %s
            RETURNING q.product_id
            """,
            [s.customer_location_id],
        )
        existing = {row[0] for row in cr.fetchall()}
        missing = [
            (number, qty)
            for number, qty in enumerate(delivered)
            if qty and s.product_ids[number] not in existing
        ]
        if missing:
            template = RowTemplate(
                "stock_quant",
                s.columns["stock_quant"],
                s.customer_quant_row,
                SLOTS["stock_quant"].split(),
            )
            cr.execute(
                "SELECT setval(pg_get_serial_sequence('stock_quant', 'id'), "
                "nextval(pg_get_serial_sequence('stock_quant', 'id')) + %s - 1)",
                [len(missing)],
            )
            first = cr.fetchone()[0] - len(missing) + 1
            rows = []
            for offset, (number, qty) in enumerate(missing):
                first_qty, first_at = self.first_delivery[number]
                created = self.clock.instant(first_at)
                rows.append(
                    template(
                        {
                            "id": str(first + offset),
                            "product_id": str(s.product_ids[number]),
                            "quantity": f"{qty}.00",
                            "inventory_diff_quantity": f"-{first_qty}.00",
                            "create_date": created,
                            "write_date": created,
                        }
                    )
                )
            cr.copy_expert(
                f"COPY stock_quant ({', '.join(template.columns)}) FROM STDIN",
                io.StringIO("".join(rows)),
            )


# ----------------------------------------------------------------------
def generate(db, plan):
    """Set up through the ORM, COPY the history; returns timings and counts."""
    timings = {}
    started = time.perf_counter()
    log("ORM set-up: salespeople, products, opening stock, template orders")
    with environment(db) as env:
        setup = orm_setup(env, plan)
    timings["setup_seconds"] = time.perf_counter() - started
    log(
        "COPY %d customers, %d orders, %d lines",
        plan.scale.customers,
        plan.scale.orders,
        plan.line_count,
    )
    copy_started = time.perf_counter()
    cnx = connect(db)
    try:
        bulk = Bulk(cnx, plan, setup)
        rows = bulk.run(db)
    finally:
        cnx.close()
    timings["copy_seconds"] = time.perf_counter() - copy_started
    with environment(db) as env:
        _finish_orm(env, plan, setup, bulk)
    analyze_started = time.perf_counter()
    cnx = connect(db)
    cnx.autocommit = True
    with contextlib.closing(cnx), cnx.cursor() as cr:
        for table in sorted({*rows, "stock_quant"}):
            cr.execute(f"ANALYZE {table}")
    timings["analyze_seconds"] = time.perf_counter() - analyze_started
    # COPY went past the ORM: the summaries' cells are made again from the
    # lines and the open items, as after a restore.
    summary_started = time.perf_counter()
    with environment(db) as env:
        timings["summary_cells"] = env["sale.order.statistics.cell"]._rebuild()
        timings["receivable_cells"] = env["sale.receivable.open.cell"]._rebuild()
    timings["summary_seconds"] = time.perf_counter() - summary_started
    timings["total_seconds"] = time.perf_counter() - started
    return {"rows": rows, "timings": timings, "setup": setup, "first_ids": bulk.ids}


def _finish_orm(env, plan, setup, bulk):
    """Move the sequences on and record what was generated."""
    sequences = env["ir.sequence"].browse(setup.sequence_ids["order"])
    sequences.number_next = setup.order_next + plan.scale.orders
    picking = env["ir.sequence"].browse(setup.sequence_ids["picking"])
    picking.number_next = setup.picking_next + plan.scale.orders
    first = bulk.ids
    info = {
        "customers": plan.scale.customers,
        "orders": plan.scale.orders,
        "lines": plan.line_count,
        "payments": bulk.paid_count,
        "seed": plan.scale.seed,
        "days": plan.scale.days,
        "today": str(plan.today),
        "history_start": str(to_datetime(plan.start)),
        "first_ids": first,
        "template_order_ids": list(setup.template_order_ids.values()),
        "product_ids": setup.product_ids,
        "user_ids": setup.user_ids,
        "generated_at": str(datetime.datetime.now().replace(microsecond=0)),
    }
    env["ir.config_parameter"].sudo().set_param(BENCH_PARAM, json.dumps(info))
