# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import fields, models
from odoo.tools import SQL

from ..models.sale_target import TARGET_DIMENSIONS, TARGET_STATES
from .sql_view import create_sql_view


class SaleTargetMonthReport(models.Model):
    """Target vs actual by month (R-09): one row per month-level target, with
    its amount and its actual revenue measured as the target's own
    achievement is (``sale.target._get_actual_lines_sql``). Annual and
    quarterly targets show through the months they were decomposed into."""

    _name = "sale.target.month.report"
    _description = "Target vs Actual by Month"
    _auto = False
    _order = "date desc, target_id"
    _rec_name = "target_id"

    target_id = fields.Many2one("sale.target", readonly=True)
    parent_id = fields.Many2one("sale.target", string="Parent Target", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    date = fields.Date(string="Month", readonly=True)
    state = fields.Selection(TARGET_STATES, string="Status", readonly=True)
    dimension = fields.Selection(TARGET_DIMENSIONS, readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    categ_id = fields.Many2one(
        "product.category", string="Product Category", readonly=True
    )
    region_id = fields.Many2one("res.country.state", readonly=True)
    tier_id = fields.Many2one(
        "sale.customer.tier", string="Customer Tier", readonly=True
    )
    target_amount = fields.Monetary(readonly=True)
    actual_amount = fields.Monetary(string="Actual", readonly=True)
    gap_amount = fields.Monetary(string="Gap", readonly=True)

    def _query(self):
        Target = self.env["sale.target"]
        targets = SQL(
            "SELECT id, company_id, dimension, team_id, user_id, categ_id, "
            "region_id, tier_id, date_from, date_to "
            "FROM sale_target WHERE period_type = 'month'"
        )
        return SQL(
            """
            SELECT t.id, t.id AS target_id, t.parent_id, t.company_id,
                   c.currency_id, t.date_from AS date, t.state, t.dimension,
                   t.team_id, t.user_id, t.categ_id, t.region_id, t.tier_id,
                   t.amount AS target_amount,
                   COALESCE(a.amount, 0) AS actual_amount,
                   t.amount - COALESCE(a.amount, 0) AS gap_amount
              FROM sale_target t
              JOIN res_company c ON c.id = t.company_id
              LEFT JOIN (
                    SELECT target_id, SUM(amount) AS amount
                      FROM (%s) lines
                     GROUP BY target_id
              ) a ON a.target_id = t.id
             WHERE t.period_type = 'month'
            """,
            Target._get_actual_lines_sql(targets),
        )

    def init(self):
        create_sql_view(self.env.cr, self._table, self._query())
