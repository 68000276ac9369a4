# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.sale_customer_tier import VISIT_INTERVALS
from ..models.sale_visit_window import window_start_sql, window_step_sql

# Months of windows the report covers, back from today.
HORIZON_MONTHS = 24


class SaleVisitComplianceReport(models.Model):
    """Visit compliance (R-08): one row per customer and calendar window.

    Windows are those of ``models/sale_visit_window.py``, from the window in
    which the customer was created (at most ``HORIZON_MONTHS`` back) to the
    current one, for every customer whose tier in the company has a cadence.
    Salesperson and tier are the customer's current ones; the sales team is the
    salesperson's main team.

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
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._query(),
            )
        )

    def _query(self):
        interval = SQL("c.visit_interval")
        return SQL(
            """
            WITH today AS (
                SELECT (now() AT TIME ZONE 'UTC')::date AS day
            ),
            customer AS (
                SELECT p.id AS partner_id,
                       t.company_id,
                       t.id AS tier_id,
                       t.visit_interval,
                       p.user_id,
                       u.sale_team_id AS team_id,
                       GREATEST(
                           p.create_date::date,
                           (today.day - make_interval(months => %(horizon)s))::date
                       ) AS first_day,
                       today.day AS today
                  FROM res_partner p
                  JOIN sale_customer_tier t
                    ON p.customer_tier_id ? t.company_id::text
                   AND t.id = (p.customer_tier_id ->> t.company_id::text)::int
                  LEFT JOIN res_users u ON u.id = p.user_id
                 CROSS JOIN today
                 WHERE p.active
                   AND p.id = p.commercial_partner_id
                   AND t.active
                   AND t.visit_interval IN ('weekly', 'biweekly', 'monthly')
            ),
            customer_window AS (
                SELECT c.partner_id,
                       c.company_id,
                       c.user_id,
                       c.team_id,
                       c.tier_id,
                       c.visit_interval,
                       w.start::date AS window_start,
                       (w.start + %(step)s)::date - 1 AS window_end,
                       (w.start + %(step)s)::date > c.today AS is_current
                  FROM customer c
                 CROSS JOIN LATERAL generate_series(
                       %(first_window)s::timestamp,
                       c.today::timestamp,
                       %(step)s
                 ) AS w(start)
            ),
            -- Visits take their customer's cadence from the tables themselves
            -- (primary-key lookups), not from the CTE above: the planner cannot
            -- estimate the JSON tier join, and a join between two misestimated
            -- sets turns into a nested loop over every window and visit.
            visit_day AS (
                SELECT v.commercial_partner_id AS partner_id,
                       v.company_id,
                       t.visit_interval,
                       v.visit_date AS day,
                       1 AS done,
                       0 AS planned,
                       0 AS missed
                  FROM sale_visit v
                  JOIN res_partner p ON p.id = v.commercial_partner_id
                  JOIN sale_customer_tier t
                    ON t.id = (p.customer_tier_id ->> v.company_id::text)::int
                 WHERE v.state = 'done'
                   AND v.visit_date
                       >= (now() AT TIME ZONE 'UTC')::date
                          - make_interval(months => %(horizon)s + 1)
                 UNION ALL
                SELECT v.commercial_partner_id,
                       v.company_id,
                       t.visit_interval,
                       v.planned_date::date,
                       0,
                       1,
                       CASE WHEN v.state = 'missed' THEN 1 ELSE 0 END
                  FROM sale_visit v
                  JOIN res_partner p ON p.id = v.commercial_partner_id
                  JOIN sale_customer_tier t
                    ON t.id = (p.customer_tier_id ->> v.company_id::text)::int
                 WHERE v.state != 'cancelled'
                   AND v.planned_date
                       >= (now() AT TIME ZONE 'UTC')::date
                          - make_interval(months => %(horizon)s + 1)
            ),
            -- Windows and visits meet by aggregation (one hash or sort whatever
            -- the estimates); visits outside every window of the customer drop.
            window_row AS (
                SELECT partner_id, company_id, window_start,
                       1 AS is_window, user_id, team_id, tier_id,
                       visit_interval, window_end, is_current,
                       0 AS done, 0 AS planned, 0 AS missed
                  FROM customer_window
                 UNION ALL
                SELECT d.partner_id, d.company_id, %(visit_window)s,
                       0, NULL::int, NULL::int, NULL::int,
                       NULL::varchar, NULL::date, NULL::boolean,
                       d.done, d.planned, d.missed
                  FROM visit_day d
            ),
            customer_window_visits AS (
                SELECT partner_id,
                       company_id,
                       window_start,
                       MAX(user_id) AS user_id,
                       MAX(team_id) AS team_id,
                       MAX(tier_id) AS tier_id,
                       MAX(visit_interval) AS visit_interval,
                       MAX(window_end) AS window_end,
                       BOOL_OR(is_current) AS is_current,
                       SUM(done) AS done,
                       SUM(planned) AS planned,
                       SUM(missed) AS missed
                  FROM window_row
                 GROUP BY partner_id, company_id, window_start
                HAVING MAX(is_window) = 1
            ),
            -- Overdue: neither the current nor the previous window is met, and
            -- the customer existed in the previous window (windows are
            -- consecutive from the customer's first one, so the previous row
            -- is the previous window).
            cw AS (
                SELECT *,
                       LAG(done) OVER (
                           PARTITION BY partner_id, company_id
                           ORDER BY window_start
                       ) AS previous_done
                  FROM customer_window_visits
            )
            SELECT ((cw.partner_id::bigint * 1000 + cw.company_id) * 100000
                    + (cw.window_start - DATE '2000-01-01')) AS id,
                   cw.company_id,
                   cw.partner_id,
                   cw.user_id,
                   cw.team_id,
                   cw.tier_id,
                   cw.visit_interval,
                   cw.window_start,
                   cw.window_end,
                   cw.is_current,
                   CASE WHEN NOT cw.is_current OR cw.done > 0
                        THEN 1 ELSE 0 END AS required_count,
                   CASE WHEN cw.done > 0 THEN 1 ELSE 0 END AS met_count,
                   CASE WHEN cw.done > 0 THEN 100.0
                        WHEN cw.is_current THEN NULL
                        ELSE 0.0 END AS compliance_rate,
                   CASE WHEN cw.is_current AND cw.done = 0
                             AND cw.previous_done = 0
                        THEN 1 ELSE 0 END AS overdue_count,
                   cw.done AS visit_count,
                   cw.planned AS planned_count,
                   cw.missed AS missed_count
              FROM cw
            """,
            horizon=HORIZON_MONTHS,
            visit_window=window_start_sql(SQL("d.day"), SQL("d.visit_interval")),
            first_window=window_start_sql(SQL("c.first_day"), interval),
            step=window_step_sql(SQL("c.visit_interval")),
        )
