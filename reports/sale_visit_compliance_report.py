# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import fields, models
from odoo.tools import SQL

from ..models.sale_customer_tier import VISIT_INTERVALS
from ..models.sale_visit_window import HORIZON_MONTHS
from .sql_view import create_sql_view


class SaleVisitComplianceReport(models.Model):
    """Visit compliance (R-08): one row per customer and calendar window.

    Windows are those of ``models/sale_visit_window.py``, from the window in
    which the customer was created (at most ``HORIZON_MONTHS`` back) to the
    current one, for every customer whose tier in the company has a cadence.
    Salesperson and tier are the customer's current ones; the sales team is the
    salesperson's main team. The rows are read from the stored windows of
    ``sale.visit.window``, kept in line with visits, customers and tiers.

    * Required windows: windows that have ended, plus the current window once it
      is met (a window still running is not yet failed).
    * Windows met: required windows with at least one done visit.
    * Compliance (%): windows met / required windows, weighted over any group.
    * Customers overdue: on the current window's row, 1 when the customer is
      overdue by the definition of ``res.partner.is_visit_overdue``.
    * Visits planned and missed count by planned day (UTC), visits done by
      visit date.
    """

    _name = "sale.visit.compliance.report"
    _description = "Visit Compliance Report"
    _auto = False
    _order = "window_start desc, partner_id"
    _rec_name = "partner_id"

    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    tier_id = fields.Many2one("sale.customer.tier", readonly=True)
    visit_interval = fields.Selection(
        VISIT_INTERVALS, string="Visit Cadence", readonly=True
    )
    window_start = fields.Date(string="Window", readonly=True)
    window_end = fields.Date(readonly=True)
    is_current = fields.Boolean(string="Current Window", readonly=True)
    required_count = fields.Integer(string="Required Windows", readonly=True)
    met_count = fields.Integer(string="Windows Met", readonly=True)
    compliance_rate = fields.Float(
        string="Compliance (%)",
        aggregator="avg",
        readonly=True,
        digits=(16, 1),
    )
    overdue_count = fields.Integer(string="Customers Overdue", readonly=True)
    visit_count = fields.Integer(string="Visits Done", readonly=True)
    planned_count = fields.Integer(string="Visits Planned", readonly=True)
    missed_count = fields.Integer(string="Visits Missed", readonly=True)

    def _read_group_select(self, aggregate_spec, query):
        if aggregate_spec == "compliance_rate:avg":
            # Weighted over the group: windows met / required windows.
            return SQL(
                "100.0 * SUM(%s) / NULLIF(SUM(%s), 0)",
                self._field_to_sql(self._table, "met_count", query),
                self._field_to_sql(self._table, "required_count", query),
            )
        return super()._read_group_select(aggregate_spec, query)

    def init(self):
        create_sql_view(self.env.cr, self._table, self._query(SQL("sale_visit_window")))

    @property
    def _table_query(self):
        # The stored windows reach today unless the daily job has not run for
        # longer than their look-ahead: then the windows are built here.
        Window = self.env["sale.visit.window"]
        if Window._is_current():
            return None
        today = self.env.cr.now().date()
        rows = Window._rows_query(today, today)
        return self._query(SQL("(%s)", rows), stored=False)

    def _query(self, rows, stored=True):
        """The report over the window rows ``rows`` (the stored table, or
        the same rows built at query time)."""
        row_id = (
            SQL("w.id")
            if stored
            else SQL(
                "((w.partner_id::bigint * 1000 + w.company_id) * 100000"
                " + (w.window_start - DATE '2000-01-01'))"
            )
        )
        return SQL(
            """
            SELECT %(row_id)s AS id,
                   w.company_id,
                   w.partner_id,
                   w.user_id,
                   u.sale_team_id AS team_id,
                   w.tier_id,
                   w.visit_interval,
                   w.window_start,
                   w.window_end,
                   w.window_end >= today.day AS is_current,
                   CASE WHEN w.window_end < today.day OR w.done_count > 0
                        THEN 1 ELSE 0 END AS required_count,
                   CASE WHEN w.done_count > 0 THEN 1 ELSE 0 END AS met_count,
                   CASE WHEN w.done_count > 0 THEN 100.0
                        WHEN w.window_end >= today.day THEN NULL
                        ELSE 0.0 END AS compliance_rate,
                   -- Overdue: neither the current nor the previous window is
                   -- met, and the customer existed in the previous window.
                   CASE WHEN w.window_end >= today.day AND w.done_count = 0
                             AND w.has_previous_window
                             AND w.previous_done_count = 0
                        THEN 1 ELSE 0 END AS overdue_count,
                   w.done_count AS visit_count,
                   w.planned_count,
                   w.missed_count
              FROM %(rows)s w
             CROSS JOIN (SELECT (now() AT TIME ZONE 'UTC')::date AS day) today
              LEFT JOIN res_users u ON u.id = w.user_id
             WHERE w.window_start <= today.day
               AND w.window_end
                   >= (today.day - make_interval(months => %(horizon)s))::date
            """,
            row_id=row_id,
            rows=rows,
            horizon=HORIZON_MONTHS,
        )
