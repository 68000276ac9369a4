# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import api, fields, models, tools
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

    @property
    def _table_query(self):
        # A search that starts its windows at a date reads only the windows it
        # needs (and the one before each, for the overdue rule) instead of the
        # whole horizon of the view: the default view asks for six months of
        # a horizon of twenty-four.
        window_from = self.env.context.get("visit_compliance_window_from")
        return self._query(window_from) if window_from else None

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        window_from = self._get_window_lower_bound(domain)
        report = (
            self.with_context(visit_compliance_window_from=window_from)
            if window_from
            else self
        )
        return super(SaleVisitComplianceReport, report)._search(
            domain, offset=offset, limit=limit, order=order
        )

    @api.model
    def _get_window_lower_bound(self, domain):
        """The latest ``window_start >= day`` (or ``>``) that every row of
        ``domain`` must satisfy, or None. Only plain conjunctions are read: a
        domain with "or" or "not" gives None (the whole horizon is read)."""
        bound = None
        for item in domain or ():
            if item in ("|", "!"):
                return None
            if (
                isinstance(item, list | tuple)
                and len(item) == 3
                and item[0] == "window_start"
                and item[1] in (">=", ">")
                and item[2]
            ):
                try:
                    day = fields.Date.to_date(item[2])
                except (TypeError, ValueError):
                    continue
                if day and (bound is None or day > bound):
                    bound = day
        return bound

    def _query(self, window_from=None):
        """The rows of the report; with ``window_from``, only the windows from
        the one holding that day."""
        interval = SQL("c.visit_interval")
        # Visits from here count in the windows read (or as their previous).
        window_floor = (
            SQL("%s::date - interval '1 month'", window_from)
            if window_from
            else SQL("'1900-01-01'::date")
        )
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
                       GREATEST(
                           p.create_date::date,
                           (today.day - make_interval(months => %(horizon)s))::date,
                           (%(window_from)s)::date
                       ) AS generate_from,
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
                       (w.start + %(step)s)::date > c.today AS is_current,
                       -- The customer existed in the previous window.
                       CASE WHEN w.start > %(first_window)s THEN 1 ELSE 0 END
                           AS previous_window
                  FROM customer c
                 CROSS JOIN LATERAL generate_series(
                       %(generate_window)s::timestamp,
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
                   AND v.visit_date >= (%(window_floor)s)::date - 31
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
                   AND v.planned_date >= (%(window_floor)s)::date - 31
            ),
            -- Windows and visits meet by aggregation (one hash or sort whatever
            -- the estimates); visits outside every window of the customer drop.
            -- Each done visit is also counted once more in the next window, as
            -- "previous": the overdue rule needs the previous window, and a
            -- window function would stop the report's filters on the window
            -- (e.g. the last six months) from reaching the rows.
            window_row AS (
                SELECT partner_id, company_id, window_start,
                       1 AS is_window, user_id, team_id, tier_id,
                       visit_interval, window_end, is_current,
                       0 AS done, 0 AS planned, 0 AS missed,
                       previous_window, 0 AS previous_done
                  FROM customer_window
                 UNION ALL
                SELECT d.partner_id, d.company_id, %(visit_window)s,
                       0, NULL::int, NULL::int, NULL::int,
                       NULL::varchar, NULL::date, NULL::boolean,
                       d.done, d.planned, d.missed, 0, 0
                  FROM visit_day d
                 UNION ALL
                SELECT d.partner_id, d.company_id,
                       (%(visit_window)s + %(visit_step)s)::date,
                       0, NULL::int, NULL::int, NULL::int,
                       NULL::varchar, NULL::date, NULL::boolean,
                       0, 0, 0, 0, d.done
                  FROM visit_day d
                 WHERE d.done > 0
            ),
            cw AS (
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
                       SUM(missed) AS missed,
                       MAX(previous_window) AS previous_window,
                       SUM(previous_done) AS previous_done
                  FROM window_row
                 GROUP BY partner_id, company_id, window_start
                HAVING MAX(is_window) = 1
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
                   -- Overdue: neither the current nor the previous window is
                   -- met, and the customer existed in the previous window.
                   CASE WHEN cw.is_current AND cw.done = 0
                             AND cw.previous_window = 1 AND cw.previous_done = 0
                        THEN 1 ELSE 0 END AS overdue_count,
                   cw.done AS visit_count,
                   cw.planned AS planned_count,
                   cw.missed AS missed_count
              FROM cw
            """,
            horizon=HORIZON_MONTHS,
            window_floor=window_floor,
            window_from=window_from or SQL("'1900-01-01'::date"),
            generate_window=window_start_sql(SQL("c.generate_from"), interval),
            visit_window=window_start_sql(SQL("d.day"), SQL("d.visit_interval")),
            visit_step=window_step_sql(SQL("d.visit_interval")),
            first_window=window_start_sql(SQL("c.first_day"), interval),
            step=window_step_sql(SQL("c.visit_interval")),
        )
