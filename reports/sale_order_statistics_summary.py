# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
"""The order statistics' summary: confirmed order lines added up per hour.

The order statistics (R-30) read every confirmed order line, so their cost
grew with the history. Most of their groupings (salesperson, team, company,
region, date) do not need the lines: they are answered from cells of one
hour, company, salesperson, team and region, about a fifth of the lines at a
million lines, and far fewer where salespeople sell in few regions.

Keeping the cells exact:

* Triggers in the database mark the hour of every confirmed order whose
  figures change (its lines, its state, date, salesperson, team or rate, its
  customer's region, a unit's factor), in the same transaction as the
  change, whatever made it (the ORM, an import, SQL).
* A marked hour is read from the lines until a job folds it into the cells,
  so a reader always gets the figures of the lines it can see.
* ``_rebuild`` makes every cell again; ``_check_against_lines`` compares them
  with the lines.

Hours in UTC line up with the days and months of every time zone whose offset
is a whole number of hours; other time zones and the groupings the cells do
not hold (customer, product, category, order) read the lines.
"""

import datetime
import logging

import pytz

from odoo import api, fields, models
from odoo.tools import SQL

from .sql_view import create_sql_view

_logger = logging.getLogger(__name__)

# An order's untaxed amount in its company's currency (the rate is frozen on
# the order at confirmation, as in Odoo's own sales analysis).
ORDER_RATE = "COALESCE(NULLIF(o.currency_rate, 0), 1.0)"

# What a confirmed order line counts for, shared by the line report's view
# and the summary's cells so that the two cannot drift apart: the joins from
# an order ``o`` and its line ``l`` to the customer's commercial partner
# ``cp``, the product's template ``t`` and both units, the quantity in the
# product's unit, the amount in the company's currency, and which lines count.
LINE_JOINS = """
          JOIN res_partner p ON p.id = o.partner_id
          JOIN res_partner cp ON cp.id = COALESCE(p.commercial_partner_id, p.id)
          LEFT JOIN product_product pp ON pp.id = l.product_id
          LEFT JOIN product_template t ON t.id = pp.product_tmpl_id
          LEFT JOIN uom_uom u ON u.id = l.product_uom
          LEFT JOIN uom_uom u2 ON u2.id = t.uom_id"""
LINE_QUANTITY = """CASE WHEN l.product_id IS NOT NULL
                        THEN l.product_uom_qty / u.factor * u2.factor
                        ELSE 0 END"""
LINE_AMOUNT = "l.price_subtotal / " + ORDER_RATE
LINE_COUNTS = "o.state = 'sale' AND l.display_type IS NULL"
FOLD_LOCK = 61_700_301  # pg advisory lock of the folding job
FOLD_BATCH = 20_000

# Fields of the line report that the cells hold, and measures they add up.
SUMMARY_DIMENSIONS = (
    "date",
    "company_id",
    "currency_id",
    "user_id",
    "team_id",
    "state_id",
    "country_id",
)
SUMMARY_MEASURES = ("order_count", "quantity", "amount_untaxed")

# What the figures are made of (the views' _depends: flushed before a read).
LINE_DEPENDS = {
    "sale.order": [
        "date_order",
        "state",
        "company_id",
        "partner_id",
        "user_id",
        "team_id",
        "currency_rate",
    ],
    "sale.order.line": [
        "order_id",
        "product_id",
        "product_uom",
        "product_uom_qty",
        "price_subtotal",
        "display_type",
    ],
    "res.partner": ["commercial_partner_id", "state_id", "country_id"],
    "product.product": ["product_tmpl_id"],
    "product.template": ["categ_id", "uom_id"],
    "uom.uom": ["factor"],
}

TRIGGER_FUNCTIONS = (
    "spc_statistics_mark_lines",
    "spc_statistics_mark_orders",
    "spc_statistics_mark_partner",
    "spc_statistics_mark_uom",
)
TRIGGERS = (
    ("sale_order_line", "spc_statistics_lines_insert"),
    ("sale_order_line", "spc_statistics_lines_update"),
    ("sale_order_line", "spc_statistics_lines_delete"),
    ("sale_order", "spc_statistics_orders_insert"),
    ("sale_order", "spc_statistics_orders_update"),
    ("sale_order", "spc_statistics_orders_delete"),
    ("res_partner", "spc_statistics_partner_update"),
    ("uom_uom", "spc_statistics_uom_update"),
)


def cells_sql(keys=None):
    """Confirmed product lines added up per cell: of every hour, or of the
    hours of ``keys`` (an SQL relation ``d`` of ``company_id, date``), each
    read through the orders' date index. The last column is the cell's first
    line."""
    if keys is None:
        source = SQL("sale_order_line l JOIN sale_order o ON o.id = l.order_id")
    else:
        source = SQL(
            """%s
              JOIN sale_order o ON o.company_id = d.company_id
                               AND o.date_order >= d.date
                               AND o.date_order < d.date + interval '1 hour'
              JOIN sale_order_line l ON l.order_id = o.id""",
            keys,
        )
    return SQL(
        """
        SELECT o.company_id AS company_id,
               date_trunc('hour', o.date_order) AS date,
               o.user_id AS user_id,
               o.team_id AS team_id,
               cp.state_id AS state_id,
               cp.country_id AS country_id,
               COUNT(DISTINCT o.id) AS order_count,
               COUNT(*) AS line_count,
               SUM(%(quantity)s) AS quantity,
               SUM(%(amount)s) AS amount_untaxed,
               MIN(l.id) AS line_id
          FROM %(source)s%(joins)s
         WHERE %(counts)s
         GROUP BY 1, 2, 3, 4, 5, 6
        """,
        quantity=SQL(LINE_QUANTITY),
        amount=SQL(LINE_AMOUNT),
        source=source,
        joins=SQL(LINE_JOINS),
        counts=SQL(LINE_COUNTS),
    )


def insert_cells_sql(keys=None):
    return SQL(
        "INSERT INTO sale_order_statistics_cell (%s) SELECT %s FROM (%s) x",
        CELL_COLUMNS,
        CELL_COLUMNS,
        cells_sql(keys),
    )


CELL_COLUMNS = SQL(
    "company_id, date, user_id, team_id, state_id, country_id, "
    "order_count, line_count, quantity, amount_untaxed"
)


# The trigger functions: each inserts the (company, hour) of the confirmed
# orders a statement changed; "@MARK@" is replaced by that INSERT's start.
MARK_FUNCTIONS_SQL = """
CREATE OR REPLACE FUNCTION spc_statistics_mark_lines()
RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        @MARK@
          FROM new_rows l JOIN sale_order o ON o.id = l.order_id
         WHERE o.state = 'sale';
    ELSIF TG_OP = 'DELETE' THEN
        @MARK@
          FROM old_rows l JOIN sale_order o ON o.id = l.order_id
         WHERE o.state = 'sale';
    ELSE
        @MARK@
          FROM old_rows ol
          JOIN new_rows nl ON nl.id = ol.id
          JOIN sale_order o ON o.id IN (ol.order_id, nl.order_id)
         WHERE o.state = 'sale'
           AND (ol.order_id IS DISTINCT FROM nl.order_id
                OR ol.product_id IS DISTINCT FROM nl.product_id
                OR ol.product_uom IS DISTINCT FROM nl.product_uom
                OR ol.product_uom_qty IS DISTINCT FROM nl.product_uom_qty
                OR ol.price_subtotal IS DISTINCT FROM nl.price_subtotal
                OR ol.display_type IS DISTINCT FROM nl.display_type);
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION spc_statistics_mark_orders()
RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        @MARK@ FROM new_rows o WHERE o.state = 'sale';
    ELSIF TG_OP = 'DELETE' THEN
        @MARK@ FROM old_rows o WHERE o.state = 'sale';
    ELSE
        @MARK@
          FROM old_rows ob
          JOIN new_rows n ON n.id = ob.id
          CROSS JOIN LATERAL (
                VALUES (ob.state, ob.company_id, ob.date_order),
                       (n.state, n.company_id, n.date_order)
               ) AS o(state, company_id, date_order)
         WHERE o.state = 'sale'
           AND (ob.state IS DISTINCT FROM n.state
                OR ob.date_order IS DISTINCT FROM n.date_order
                OR ob.company_id IS DISTINCT FROM n.company_id
                OR ob.user_id IS DISTINCT FROM n.user_id
                OR ob.team_id IS DISTINCT FROM n.team_id
                OR ob.partner_id IS DISTINCT FROM n.partner_id
                OR ob.currency_rate IS DISTINCT FROM n.currency_rate);
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION spc_statistics_mark_partner()
RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    @MARK@
      FROM sale_order o JOIN res_partner p ON p.id = o.partner_id
     WHERE o.state = 'sale'
       AND (p.id = NEW.id OR p.commercial_partner_id = NEW.id);
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION spc_statistics_mark_uom()
RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    @MARK@
      FROM sale_order_line l
      JOIN sale_order o ON o.id = l.order_id
      LEFT JOIN product_product pp ON pp.id = l.product_id
      LEFT JOIN product_template t ON t.id = pp.product_tmpl_id
     WHERE o.state = 'sale'
       AND (l.product_uom = NEW.id OR t.uom_id = NEW.id);
    RETURN NULL;
END $$;
""".replace(
    "@MARK@",
    "INSERT INTO sale_order_statistics_dirty (company_id, date) "
    "SELECT DISTINCT o.company_id, date_trunc('hour', o.date_order)",
)


class SaleOrderStatisticsDirty(models.Model):
    """An hour of a company whose cells no longer match the lines: marked by
    the database's triggers, removed when the hour is folded."""

    _name = "sale.order.statistics.dirty"
    _description = "Order Statistics Hour to Refresh"
    _log_access = False

    company_id = fields.Many2one("res.company", required=True)
    date = fields.Datetime(required=True)

    def init(self):
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS sale_order_statistics_dirty_company_date "
            "ON sale_order_statistics_dirty (company_id, date)"
        )


class SaleOrderStatisticsCell(models.Model):
    """One hour of confirmed order lines of a company, salesperson, team and
    region. Written only by the summary's own code."""

    _name = "sale.order.statistics.cell"
    _description = "Order Statistics Cell"
    _log_access = False

    company_id = fields.Many2one("res.company", required=True, index=True)
    date = fields.Datetime(required=True, index=True)
    user_id = fields.Many2one("res.users", string="Salesperson")
    team_id = fields.Many2one("crm.team", string="Sales Team")
    state_id = fields.Many2one("res.country.state")
    country_id = fields.Many2one("res.country")
    order_count = fields.Integer()
    line_count = fields.Integer()
    quantity = fields.Float()
    amount_untaxed = fields.Float()

    def init(self):
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS sale_order_statistics_cell_company_date "
            "ON sale_order_statistics_cell (company_id, date)"
        )
        self._create_triggers()
        self.env.cr.execute("SELECT 1 FROM sale_order_statistics_cell LIMIT 1")
        if not self.env.cr.fetchone():
            self._rebuild()

    @api.model
    def _create_triggers(self):
        cr = self.env.cr
        cr.execute(MARK_FUNCTIONS_SQL)
        self._drop_triggers(cr, functions=False)
        cr.execute(
            """
            CREATE TRIGGER spc_statistics_lines_insert AFTER INSERT ON sale_order_line
                REFERENCING NEW TABLE AS new_rows
                FOR EACH STATEMENT EXECUTE FUNCTION spc_statistics_mark_lines();
            CREATE TRIGGER spc_statistics_lines_update AFTER UPDATE ON sale_order_line
                REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                FOR EACH STATEMENT EXECUTE FUNCTION spc_statistics_mark_lines();
            CREATE TRIGGER spc_statistics_lines_delete AFTER DELETE ON sale_order_line
                REFERENCING OLD TABLE AS old_rows
                FOR EACH STATEMENT EXECUTE FUNCTION spc_statistics_mark_lines();
            CREATE TRIGGER spc_statistics_orders_insert AFTER INSERT ON sale_order
                REFERENCING NEW TABLE AS new_rows
                FOR EACH STATEMENT EXECUTE FUNCTION spc_statistics_mark_orders();
            CREATE TRIGGER spc_statistics_orders_update AFTER UPDATE ON sale_order
                REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                FOR EACH STATEMENT EXECUTE FUNCTION spc_statistics_mark_orders();
            CREATE TRIGGER spc_statistics_orders_delete AFTER DELETE ON sale_order
                REFERENCING OLD TABLE AS old_rows
                FOR EACH STATEMENT EXECUTE FUNCTION spc_statistics_mark_orders();
            CREATE TRIGGER spc_statistics_partner_update
                AFTER UPDATE OF state_id, country_id, commercial_partner_id
                ON res_partner FOR EACH ROW
                WHEN (OLD.state_id IS DISTINCT FROM NEW.state_id
                      OR OLD.country_id IS DISTINCT FROM NEW.country_id
                      OR OLD.commercial_partner_id
                         IS DISTINCT FROM NEW.commercial_partner_id)
                EXECUTE FUNCTION spc_statistics_mark_partner();
            CREATE TRIGGER spc_statistics_uom_update AFTER UPDATE OF factor ON uom_uom
                FOR EACH ROW WHEN (OLD.factor IS DISTINCT FROM NEW.factor)
                EXECUTE FUNCTION spc_statistics_mark_uom();
            """
        )

    @staticmethod
    def _drop_triggers(cr, functions=True):
        for table, name in TRIGGERS:
            cr.execute(
                SQL(
                    "DROP TRIGGER IF EXISTS %s ON %s",
                    SQL.identifier(name),
                    SQL.identifier(table),
                )
            )
        if functions:
            for name in TRIGGER_FUNCTIONS:
                cr.execute(SQL("DROP FUNCTION IF EXISTS %s()", SQL.identifier(name)))

    @api.model
    def _rebuild(self):
        """Make every cell again from the lines (after a restore, or when
        ``_check_against_lines`` finds a difference)."""
        self.env.flush_all()
        cr = self.env.cr
        cr.execute("LOCK sale_order_statistics_dirty IN EXCLUSIVE MODE")
        cr.execute("DELETE FROM sale_order_statistics_dirty")
        cr.execute("DELETE FROM sale_order_statistics_cell")
        cr.execute(insert_cells_sql())
        count = cr.rowcount
        cr.execute("ANALYZE sale_order_statistics_cell")
        self.env.invalidate_all()
        _logger.info("order statistics: %s cells made from the lines", count)
        return count

    @api.model
    def _fold_dirty(self, batch=None):
        """Fold the marked hours of up to ``batch`` marks into the cells;
        returns how many hours were folded (None when another transaction is
        folding)."""
        batch = batch or self.env.context.get("fold_batch") or FOLD_BATCH
        self.env.flush_all()
        cr = self.env.cr
        cr.execute("SELECT pg_try_advisory_xact_lock(%s)", [FOLD_LOCK])
        if not cr.fetchone()[0]:
            return None
        # Only the marks this transaction sees are taken: a mark committed
        # meanwhile stays, and its hour is read from the lines until the next
        # fold.
        cr.execute(
            """
            DELETE FROM sale_order_statistics_dirty
             WHERE id IN (SELECT id FROM sale_order_statistics_dirty
                           ORDER BY id LIMIT %s)
         RETURNING company_id, date
            """,
            [batch],
        )
        keys = sorted(set(cr.fetchall()))
        if not keys:
            return 0
        companies = [key[0] for key in keys]
        dates = [key[1] for key in keys]
        cr.execute(
            """
            DELETE FROM sale_order_statistics_cell c
             USING unnest(%s::int[], %s::timestamp[]) AS k(company_id, date)
             WHERE c.company_id = k.company_id AND c.date = k.date
            """,
            [companies, dates],
        )
        cr.execute(
            insert_cells_sql(
                SQL(
                    "unnest(%s::int[], %s::timestamp[]) AS d(company_id, date)",
                    companies,
                    dates,
                )
            )
        )
        self.env.invalidate_all()
        return len(keys)

    @api.model
    def _cron_fold_dirty(self, max_batches=50):
        # Until no mark is left; a bounded number of batches, so that a flow
        # of changes that never stops cannot keep the job running.
        for _batch in range(max_batches):
            if not self._fold_dirty():
                return
            if self.env.context.get("cron_id"):
                # Each batch is kept, whatever happens to the next one.
                self.env.cr.commit()  # pylint: disable=invalid-commit

    @api.model
    def _check_against_lines(self):
        """Cells (with the marked hours read from the lines) that differ from
        the lines: ``[(company, hour, user, team, state, country, what the
        summary says, what the lines say)]``; empty when they agree."""
        self.env.flush_all()
        names = ("company_id", "date", "user_id", "team_id", "state_id", "country_id")
        key = ", ".join(names)
        join = " AND ".join(
            f"COALESCE(s.{name}, 0) = COALESCE(l.{name}, 0)"
            if name != "date"
            else "s.date = l.date"
            for name in names
        )
        result = ", ".join(f"COALESCE(s.{name}, l.{name})" for name in names)
        self.env.cr.execute(
            SQL(
                f"""
                WITH summary AS (
                    SELECT {key}, SUM(order_count) AS order_count,
                           SUM(line_count) AS line_count,
                           ROUND(SUM(quantity)::numeric, 3) AS quantity,
                           ROUND(SUM(amount_untaxed)::numeric, 2) AS amount
                      FROM sale_order_statistics_summary GROUP BY {key}
                ), lines AS (
                    SELECT {key}, order_count, line_count,
                           ROUND(quantity::numeric, 3) AS quantity,
                           ROUND(amount_untaxed::numeric, 2) AS amount
                      FROM (%s) cells
                )
                SELECT {result},
                       ARRAY[s.order_count, s.line_count, s.quantity, s.amount],
                       ARRAY[l.order_count, l.line_count, l.quantity, l.amount]
                  FROM summary s FULL JOIN lines l ON {join}
                 WHERE ROW(s.order_count, s.line_count, s.quantity, s.amount)
                       IS DISTINCT FROM
                       ROW(l.order_count, l.line_count, l.quantity, l.amount)
                """,
                cells_sql(),
            )
        )
        return self.env.cr.fetchall()


class SaleOrderStatisticsSummary(models.Model):
    """The cells, with each marked hour read from the lines: what the order
    statistics read when a grouping needs no line."""

    _name = "sale.order.statistics.summary"
    _description = "Order Statistics Summary"
    _auto = False
    _depends = {
        **LINE_DEPENDS,
        "sale.order.statistics.cell": [
            "company_id",
            "date",
            "user_id",
            "team_id",
            "state_id",
            "country_id",
        ],
    }

    date = fields.Datetime(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    state_id = fields.Many2one("res.country.state", readonly=True)
    country_id = fields.Many2one("res.country", readonly=True)
    order_count = fields.Integer(readonly=True)
    line_count = fields.Integer(readonly=True)
    quantity = fields.Float(readonly=True)
    amount_untaxed = fields.Float(readonly=True)

    def init(self):
        create_sql_view(
            self.env.cr,
            self._table,
            SQL(
                """
                SELECT s.id, s.company_id, c.currency_id, s.date, s.user_id,
                       s.team_id, s.state_id, s.country_id, s.order_count,
                       s.line_count, s.quantity, s.amount_untaxed
                  FROM sale_order_statistics_cell s
                  JOIN res_company c ON c.id = s.company_id
                 WHERE NOT EXISTS (
                        SELECT 1 FROM sale_order_statistics_dirty d
                         WHERE d.company_id = s.company_id AND d.date = s.date)
                UNION ALL
                SELECT -x.line_id AS id, x.company_id, c.currency_id,
                       x.date, x.user_id, x.team_id, x.state_id, x.country_id,
                       x.order_count, x.line_count, x.quantity, x.amount_untaxed
                  FROM (%s) x
                  JOIN res_company c ON c.id = x.company_id
                """,
                cells_sql(
                    SQL(
                        "(SELECT DISTINCT company_id, date "
                        "FROM sale_order_statistics_dirty) d"
                    )
                ),
            ),
        )


def whole_hour_timezone(tz_name):
    """Whether the time zone's days start on a whole UTC hour, summer and
    winter."""
    try:
        zone = pytz.timezone(tz_name or "UTC")
    except pytz.UnknownTimeZoneError:
        return False
    year = datetime.date.today().year
    for month in (1, 7):
        offset = zone.utcoffset(datetime.datetime(year, month, 1))
        if offset.total_seconds() % 3600:
            return False
    return True
