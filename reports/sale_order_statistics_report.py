# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
import datetime

from odoo import fields, models
from odoo.osv import expression
from odoo.tools import SQL

from .sale_order_statistics_summary import (
    LINE_AMOUNT,
    LINE_COUNTS,
    LINE_DEPENDS,
    LINE_JOINS,
    LINE_QUANTITY,
    ORDER_RATE,
    SUMMARY_DIMENSIONS,
    SUMMARY_MEASURES,
    whole_hour_timezone,
)
from .sql_view import create_sql_view


class SaleStatisticsViewMixin(models.AbstractModel):
    """Shared plumbing of the order statistics SQL views (R-30)."""

    _name = "sale.statistics.view.mixin"
    _description = "Order Statistics View"

    # Measures aggregated by a weighted SQL expression rather than a plain
    # aggregate of the rows: {"field:aggregator": callable(self, query) -> SQL}.
    _group_expressions = {}

    def _read_group_select(self, aggregate_spec, query):
        expression = self._group_expressions.get(aggregate_spec)
        if expression:
            return getattr(self, expression)(query)
        return super()._read_group_select(aggregate_spec, query)

    def _column(self, query, fname):
        return self._field_to_sql(self._table, fname, query)

    def init(self):
        if self._abstract:
            return
        create_sql_view(self.env.cr, self._table, self._query())

    def _query(self):
        raise NotImplementedError


class SaleOrderStatisticsReport(models.Model):
    """Confirmed order lines with the dimensions of the sales statistics.

    One row per product line of a confirmed order (sections and notes left
    out). Amounts are untaxed, in the company's currency at the order's rate.
    *Orders* counts distinct orders in any grouping (an order with three lines
    of a product counts once for that product); *Quantity* is in the product's
    unit of measure. The region is the customer company's state and country.
    """

    _name = "sale.order.statistics.report"
    _inherit = "sale.statistics.view.mixin"
    _description = "Order Statistics"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "order_id"
    _group_expressions = {"order_count:sum": "_order_count_sql"}
    _depends = LINE_DEPENDS

    date = fields.Datetime(string="Order Date", readonly=True)
    order_id = fields.Many2one("sale.order", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one(
        "product.category", string="Product Category", readonly=True
    )
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    state_id = fields.Many2one(
        "res.country.state", string="State/Province", readonly=True
    )
    country_id = fields.Many2one("res.country", readonly=True)
    order_count = fields.Integer(string="Orders", readonly=True)
    quantity = fields.Float(readonly=True, digits="Product Unit of Measure")
    amount_untaxed = fields.Monetary(string="Untaxed Amount", readonly=True)

    def _read_group(
        self,
        domain,
        groupby=(),
        aggregates=(),
        having=(),
        offset=0,
        limit=None,
        order=None,
    ):
        # A grouping that needs no line is answered from the summary's cells
        # (sale_order_statistics_summary.py), with the same figures.
        summary_aggregates = self._summary_aggregates(
            domain, groupby, aggregates, having, order
        )
        if summary_aggregates is None:
            return super()._read_group(
                domain, groupby, aggregates, having, offset, limit, order
            )
        self.browse().check_access("read")
        rule_domain = self.env["ir.rule"]._compute_domain(self._name, "read")
        if not self._summary_domain_ok(rule_domain):
            return super()._read_group(
                domain, groupby, aggregates, having, offset, limit, order
            )
        Summary = self.env["sale.order.statistics.summary"].sudo()
        rows = Summary._read_group(
            expression.AND([domain or [], rule_domain or []]),
            groupby,
            summary_aggregates,
            offset=offset,
            limit=limit,
            order=order,
        )
        return [
            tuple(
                value.with_env(self.env).sudo(False)
                if isinstance(value, models.BaseModel)
                else value
                for value in row
            )
            for row in rows
        ]

    def _summary_aggregates(self, domain, groupby, aggregates, having, order):
        """The summary's aggregates for a read_group, or None when the lines
        must be read."""
        if self.env.context.get("statistics_from_lines") or having:
            return None
        grouped = set()
        for spec in groupby:
            name = spec.split(":")[0]
            if name not in SUMMARY_DIMENSIONS:
                return None
            grouped.add(spec)
            grouped.add(name)
            if name == "date" and not whole_hour_timezone(self.env.context.get("tz")):
                return None
        if order:
            for term in order.split(","):
                words = term.split()
                if words and words[0] not in grouped:
                    return None
        result = []
        for spec in aggregates:
            if spec == "__count":
                result.append("line_count:sum")
            elif spec.split(":")[0] in SUMMARY_MEASURES and spec.endswith(":sum"):
                result.append(spec)
            else:
                return None
        if not self._summary_domain_ok(domain):
            return None
        return result

    def _summary_domain_ok(self, domain):
        """Whether ``domain`` reads only fields of the cells, and dates on a
        whole hour."""
        for leaf in domain or []:
            if not isinstance(leaf, (list, tuple)) or leaf in (
                expression.TRUE_LEAF,
                expression.FALSE_LEAF,
            ):
                continue
            if len(leaf) != 3 or not isinstance(leaf[0], str):
                return False
            name = leaf[0].split(".")[0]
            if name not in SUMMARY_DIMENSIONS:
                return False
            if name == "date":
                values = leaf[2] if isinstance(leaf[2], (list, tuple)) else [leaf[2]]
                if not all(self._on_whole_hour(value) for value in values):
                    return False
        return True

    @staticmethod
    def _on_whole_hour(value):
        if value is False or value is None:
            return True
        if isinstance(value, datetime.datetime):
            moment = value
        elif isinstance(value, datetime.date):
            return True
        elif isinstance(value, str):
            try:
                moment = fields.Datetime.to_datetime(value)
            except ValueError:
                return False
        else:
            return False
        return not (moment.minute or moment.second or moment.microsecond)

    def _order_count_sql(self, query):
        # Distinct orders, whatever the grouping.
        return SQL("COUNT(DISTINCT %s)", self._column(query, "order_id"))

    def _query(self):
        return SQL(
            """
            SELECT l.id AS id,
                   o.date_order AS date,
                   o.id AS order_id,
                   o.company_id AS company_id,
                   c.currency_id AS currency_id,
                   cp.id AS partner_id,
                   l.product_id AS product_id,
                   t.categ_id AS categ_id,
                   o.user_id AS user_id,
                   o.team_id AS team_id,
                   cp.state_id AS state_id,
                   cp.country_id AS country_id,
                   1 AS order_count,
                   %(quantity)s AS quantity,
                   %(amount)s AS amount_untaxed
              FROM sale_order_line l
              JOIN sale_order o ON o.id = l.order_id
              JOIN res_company c ON c.id = o.company_id%(joins)s
             WHERE %(counts)s
            """,
            quantity=SQL(LINE_QUANTITY),
            amount=SQL(LINE_AMOUNT),
            joins=SQL(LINE_JOINS),
            counts=SQL(LINE_COUNTS),
        )


class SaleOrderGrowthReport(models.Model):
    """Month-on-month and year-on-year growth of confirmed orders.

    One row per month, company, salesperson and sales team, from the first
    month with orders to the current month. *Previous Month* and *Same Month
    Last Year* are the amounts of the same salesperson and team one and twelve
    months earlier. Growth (%) is (amount - base) / base, over any grouping;
    it is empty when the base is zero (no growth can be computed from nothing).
    """

    _name = "sale.order.growth.report"
    _inherit = "sale.statistics.view.mixin"
    _description = "Order Growth"
    _auto = False
    _order = "month desc, id"
    _rec_name = "month"
    _group_expressions = {
        "growth_mom:avg": "_growth_mom_sql",
        "growth_yoy:avg": "_growth_yoy_sql",
    }
    _depends = SaleOrderStatisticsReport._depends

    month = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    order_count = fields.Integer(string="Orders", readonly=True)
    amount = fields.Monetary(string="Untaxed Amount", readonly=True)
    amount_previous_month = fields.Monetary(string="Previous Month", readonly=True)
    amount_last_year = fields.Monetary(string="Same Month Last Year", readonly=True)
    growth_mom = fields.Float(
        string="Growth on Previous Month (%)",
        aggregator="avg",
        readonly=True,
        digits=(16, 1),
    )
    growth_yoy = fields.Float(
        string="Growth on Last Year (%)",
        aggregator="avg",
        readonly=True,
        digits=(16, 1),
    )

    def _growth_sql(self, query, base):
        amount = self._column(query, "amount")
        base = self._column(query, base)
        return SQL(
            "100.0 * (SUM(%s) - SUM(%s)) / NULLIF(SUM(%s), 0)", amount, base, base
        )

    def _growth_mom_sql(self, query):
        return self._growth_sql(query, "amount_previous_month")

    def _growth_yoy_sql(self, query):
        return self._growth_sql(query, "amount_last_year")

    def _query(self):
        return SQL(
            """
            WITH monthly AS (
                SELECT date_trunc('month', o.date_order)::date AS month,
                       o.company_id,
                       o.user_id,
                       o.team_id,
                       COUNT(*) AS order_count,
                       SUM(o.amount_untaxed / %(rate)s) AS amount
                  FROM sale_order o
                 WHERE o.state = 'sale'
                 GROUP BY 1, 2, 3, 4
            ),
            shifted AS (
                SELECT month, company_id, user_id, team_id, order_count,
                       amount, 0 AS previous, 0 AS last_year
                  FROM monthly
                 UNION ALL
                SELECT (month + interval '1 month')::date, company_id, user_id,
                       team_id, 0, 0, amount, 0
                  FROM monthly
                 UNION ALL
                SELECT (month + interval '12 months')::date, company_id, user_id,
                       team_id, 0, 0, 0, amount
                  FROM monthly
            ),
            grouped AS (
                SELECT s.month,
                       s.company_id,
                       s.user_id,
                       s.team_id,
                       SUM(s.order_count) AS order_count,
                       SUM(s.amount) AS amount,
                       SUM(s.previous) AS amount_previous_month,
                       SUM(s.last_year) AS amount_last_year
                  FROM shifted s
                 WHERE s.month <= date_trunc('month', now() AT TIME ZONE 'UTC')::date
                 GROUP BY 1, 2, 3, 4
            )
            SELECT ROW_NUMBER() OVER (
                       ORDER BY g.month, g.company_id, g.user_id, g.team_id
                   ) AS id,
                   g.*,
                   c.currency_id,
                   100.0 * (g.amount - g.amount_previous_month)
                       / NULLIF(g.amount_previous_month, 0) AS growth_mom,
                   100.0 * (g.amount - g.amount_last_year)
                       / NULLIF(g.amount_last_year, 0) AS growth_yoy
              FROM grouped g
              JOIN res_company c ON c.id = g.company_id
            """,
            rate=SQL(ORDER_RATE),
        )


class SaleCustomerFrequencyReport(models.Model):
    """Purchase frequency: one row per confirmed order of each customer.

    *Days Since Previous Order* is the number of days since the customer's
    previous confirmed order in the same company (empty on the first one), so
    its average over a customer is the average interval between orders.
    """

    _name = "sale.customer.frequency.report"
    _inherit = "sale.statistics.view.mixin"
    _description = "Purchase Frequency"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "order_id"
    _depends = SaleOrderStatisticsReport._depends

    date = fields.Datetime(string="Order Date", readonly=True)
    order_id = fields.Many2one("sale.order", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    order_count = fields.Integer(string="Orders", readonly=True)
    amount = fields.Monetary(string="Untaxed Amount", readonly=True)
    days_since_previous = fields.Float(
        string="Days Since Previous Order",
        aggregator="avg",
        readonly=True,
        digits=(16, 1),
    )

    def _query(self):
        return SQL(
            """
            SELECT o.id AS id,
                   o.date_order AS date,
                   o.id AS order_id,
                   o.company_id,
                   c.currency_id,
                   cp.id AS partner_id,
                   o.user_id,
                   o.team_id,
                   1 AS order_count,
                   o.amount_untaxed / %(rate)s AS amount,
                   EXTRACT(EPOCH FROM o.date_order - LAG(o.date_order) OVER (
                       PARTITION BY o.company_id, cp.id
                       ORDER BY o.date_order, o.id
                   )) / 86400.0 AS days_since_previous
              FROM sale_order o
              JOIN res_company c ON c.id = o.company_id
              JOIN res_partner p ON p.id = o.partner_id
              JOIN res_partner cp ON cp.id = COALESCE(p.commercial_partner_id, p.id)
             WHERE o.state = 'sale'
            """,
            rate=SQL(ORDER_RATE),
        )


class SaleProductRankingReport(models.Model):
    """Products ranked by untaxed amount within each month and company.

    Rank 1 is the best-selling product of the month; grouped over several
    months, the best (lowest) monthly rank is shown.
    """

    _name = "sale.product.ranking.report"
    _inherit = "sale.statistics.view.mixin"
    _description = "Product Ranking"
    _auto = False
    _order = "month desc, sales_rank, id"
    _rec_name = "product_id"
    _depends = SaleOrderStatisticsReport._depends

    month = fields.Date(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one(
        "product.category", string="Product Category", readonly=True
    )
    order_count = fields.Integer(string="Orders", readonly=True)
    quantity = fields.Float(readonly=True, digits="Product Unit of Measure")
    amount = fields.Monetary(string="Untaxed Amount", readonly=True)
    sales_rank = fields.Integer(string="Rank", aggregator="min", readonly=True)

    def _query(self):
        return SQL(
            """
            WITH monthly AS (
                SELECT date_trunc('month', o.date_order)::date AS month,
                       o.company_id,
                       l.product_id,
                       t.categ_id,
                       COUNT(DISTINCT o.id) AS order_count,
                       SUM(l.product_uom_qty / u.factor * u2.factor) AS quantity,
                       SUM(l.price_subtotal / %(rate)s) AS amount
                  FROM sale_order_line l
                  JOIN sale_order o ON o.id = l.order_id
                  JOIN product_product pp ON pp.id = l.product_id
                  JOIN product_template t ON t.id = pp.product_tmpl_id
                  JOIN uom_uom u ON u.id = l.product_uom
                  JOIN uom_uom u2 ON u2.id = t.uom_id
                 WHERE o.state = 'sale'
                   AND l.display_type IS NULL
                 GROUP BY 1, 2, 3, 4
            )
            -- A computed id rather than ROW_NUMBER(): a window over all rows
            -- would keep a filter on the month from reaching the lines.
            SELECT (m.product_id::bigint * 100000 + (m.month - DATE '2000-01-01'))
                       * 1000 + m.company_id AS id,
                   m.*,
                   c.currency_id,
                   RANK() OVER (
                       PARTITION BY m.month, m.company_id ORDER BY m.amount DESC
                   ) AS sales_rank
              FROM monthly m
              JOIN res_company c ON c.id = m.company_id
            """,
            rate=SQL(ORDER_RATE),
        )
