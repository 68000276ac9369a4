# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
"""Calendar windows of the visit cadence (R-06), one definition for all.

Calendar windows
----------------
A tier's cadence (``sale.customer.tier.visit_interval``) asks for at least one
done visit in each calendar window of the customer:

* ``weekly``: ISO weeks, Monday to Sunday (a week across the new year belongs
  to one window, whatever the ISO week-year says);
* ``biweekly``: fixed two-week windows, Monday to Sunday of the next week,
  anchored on Monday 2001-01-01 (the first day of ISO week 1 of 2001): a window
  starts on every Monday whose distance in days from the anchor is a multiple
  of 14;
* ``monthly``: calendar months.

The functions below are the one definition of these windows. The stored windows
of the compliance report (``sale.visit.window``, below) are built in SQL with
:func:`window_start_sql`, which a test compares with :func:`window_start` day by
day; the daily job and the overdue search compute today's windows here and pass
them to their SQL.

Due and overdue (one definition for the customer, the daily job and the report)
--------------------------------------------------------------------------------
Windows count from the window in which the customer was created. A window is
*met* when it holds at least one done visit (by the visit date).

* Next due date: the end of the current window when it is not met yet, else
  the end of the next window.
* Overdue: the current window is not met, and the previous window ended without
  being met (only when the customer already existed then).
* The daily job gives the customer's salesperson one "visit due" activity in
  each window that is neither met nor holds a planned visit, at most one per
  window (a log of reminders guards this even after the activity was done or
  deleted).
"""

import logging
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL

from .sale_customer_tier import VISIT_INTERVALS

_logger = logging.getLogger(__name__)

# Monday 2001-01-01, first day of ISO week 1 of 2001: anchor of two-week windows.
BIWEEKLY_ANCHOR = date(2001, 1, 1)
WINDOW_INTERVALS = ("weekly", "biweekly", "monthly")


# ----------------------------------------------------------------------
# Calendar windows
# ----------------------------------------------------------------------
def window_start(day, interval):
    """First day of the ``interval`` window holding ``day``."""
    if interval == "weekly":
        return day - timedelta(days=day.weekday())
    if interval == "biweekly":
        # Python's modulo is never negative: right before the anchor too.
        return day - timedelta(days=(day - BIWEEKLY_ANCHOR).days % 14)
    if interval == "monthly":
        return day.replace(day=1)
    raise ValueError(f"No calendar window for the visit interval {interval!r}")


def next_window_start(day, interval):
    """First day of the window after the one holding ``day``."""
    start = window_start(day, interval)
    if interval == "monthly":
        return start + relativedelta(months=1)
    return start + timedelta(days=7 if interval == "weekly" else 14)


def window_end(day, interval):
    """Last day (inclusive) of the window holding ``day``."""
    return next_window_start(day, interval) - timedelta(days=1)


def previous_window_start(day, interval):
    """First day of the window before the one holding ``day``."""
    return window_start(window_start(day, interval) - timedelta(days=1), interval)


def window_start_sql(day, interval):
    """SQL expression of :func:`window_start` for SQL expressions ``day`` (a
    date) and ``interval`` (the text of a visit interval)."""
    return SQL(
        """(CASE %(interval)s
            WHEN 'weekly' THEN date_trunc('week', (%(day)s)::timestamp)::date
            WHEN 'biweekly' THEN (%(day)s)::date
                - mod(mod((%(day)s)::date - %(anchor)s::date, 14) + 14, 14)
            ELSE date_trunc('month', (%(day)s)::timestamp)::date
        END)""",
        interval=interval,
        day=day,
        anchor=BIWEEKLY_ANCHOR,
    )


def window_step_sql(interval):
    """SQL interval of one window for the SQL text ``interval``."""
    return SQL(
        """(CASE %(interval)s
            WHEN 'weekly' THEN interval '1 week'
            WHEN 'biweekly' THEN interval '2 weeks'
            ELSE interval '1 month'
        END)""",
        interval=interval,
    )


# ----------------------------------------------------------------------
# Stored windows of the compliance report
# ----------------------------------------------------------------------
# Months of windows kept back from today.
HORIZON_MONTHS = 24
# Windows are stored ahead of today: a day without the daily job loses nothing.
LOOKAHEAD_DAYS = 40
# Fields whose change moves a visit between windows.
VISIT_WINDOW_FIELDS = frozenset(
    {"state", "visit_date", "planned_date", "partner_id", "company_id"}
)
# Fields of the customer that change its windows.
PARTNER_WINDOW_FIELDS = frozenset(
    {"customer_tier_id", "user_id", "active", "parent_id", "is_company"}
)
COVERAGE_PARAM = "sale_process_control.visit_windows_until"


class SaleVisitWindow(models.Model):
    """The calendar windows of every tiered customer, with their visits (R-08).

    One row per customer, company and window of the customer's current cadence,
    from the window in which the customer was created (at most
    ``HORIZON_MONTHS`` back) to ``LOOKAHEAD_DAYS`` ahead of today. The visit
    compliance report reads these rows instead of building every window of
    every customer at each opening.

    Rows are kept in line by :meth:`_refresh`: for the customers concerned
    when a visit, a customer or a tier changes (one statement), and for all
    customers by a daily job, which also adds the windows that come into the
    look-ahead and drops those that left the horizon. A refresh writes only the
    rows whose figures changed. While the rows do not reach today (the daily
    job stopped for longer than the look-ahead), the report builds its windows
    at query time from the same statement.
    """

    _name = "sale.visit.window"
    _description = "Visit Window"
    _log_access = False
    _order = "window_start desc, partner_id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    user_id = fields.Many2one("res.users", string="Salesperson", ondelete="set null")
    tier_id = fields.Many2one("sale.customer.tier", ondelete="cascade")
    visit_interval = fields.Selection(VISIT_INTERVALS, string="Visit Cadence")
    window_start = fields.Date(string="Window", required=True, index=True)
    window_end = fields.Date(required=True)
    has_previous_window = fields.Boolean(
        help="The customer already existed in the window before this one."
    )
    done_count = fields.Integer(string="Visits Done")
    planned_count = fields.Integer(string="Visits Planned")
    missed_count = fields.Integer(string="Visits Missed")
    previous_done_count = fields.Integer(string="Visits Done in the Previous Window")

    _sql_constraints = [
        (
            "window_unique",
            "UNIQUE(partner_id, company_id, window_start)",
            "A customer has one row per window and company.",
        ),
    ]

    # Columns written by the refresh, in the order of ``_rows_query``.
    _REFRESH_COLUMNS = (
        "partner_id",
        "company_id",
        "window_start",
        "user_id",
        "tier_id",
        "visit_interval",
        "window_end",
        "has_previous_window",
        "done_count",
        "planned_count",
        "missed_count",
        "previous_done_count",
    )

    # ------------------------------------------------------------------
    # Refresh
    # ------------------------------------------------------------------
    @api.model
    def _refresh(self, partner_ids=None):
        """Bring the windows of the commercial partners ``partner_ids`` (all
        customers when None) in line with their tier, salesperson and visits,
        in one statement; return the number of rows written or deleted."""
        if partner_ids is not None:
            partner_ids = sorted({pid for pid in partner_ids if pid})
            if not partner_ids:
                return 0
        self._flush_sources()
        today = self.env.cr.now().date()
        until = today + timedelta(days=LOOKAHEAD_DAYS)
        scope = (
            SQL("w.partner_id = ANY(%s)", partner_ids)
            if partner_ids is not None
            else SQL("TRUE")
        )
        columns = SQL(", ").join(SQL.identifier(name) for name in self._REFRESH_COLUMNS)
        updated = self._REFRESH_COLUMNS[3:]
        self.env.cr.execute(
            SQL(
                """
                WITH fresh AS MATERIALIZED (%(rows)s),
                gone AS (
                    DELETE FROM sale_visit_window w
                     WHERE %(scope)s
                       AND NOT EXISTS (
                            SELECT 1 FROM fresh f
                             WHERE f.partner_id = w.partner_id
                               AND f.company_id = w.company_id
                               AND f.window_start = w.window_start)
                    RETURNING 1
                ),
                written AS (
                    INSERT INTO sale_visit_window AS w (%(columns)s)
                    SELECT %(columns)s FROM fresh
                        ON CONFLICT (partner_id, company_id, window_start)
                        DO UPDATE SET %(set)s
                     WHERE (%(current)s) IS DISTINCT FROM (%(excluded)s)
                    RETURNING 1
                )
                SELECT (SELECT COUNT(*) FROM gone), (SELECT COUNT(*) FROM written)
                """,
                rows=self._rows_query(today, until, partner_ids),
                scope=scope,
                columns=columns,
                set=SQL(", ").join(
                    SQL("%s = EXCLUDED.%s", SQL.identifier(name), SQL.identifier(name))
                    for name in updated
                ),
                current=SQL(", ").join(
                    SQL("w.%s", SQL.identifier(name)) for name in updated
                ),
                excluded=SQL(", ").join(
                    SQL("EXCLUDED.%s", SQL.identifier(name)) for name in updated
                ),
            )
        )
        deleted, written = self.env.cr.fetchone()
        if partner_ids is None:
            self.env["ir.config_parameter"].sudo().set_param(
                COVERAGE_PARAM, fields.Date.to_string(until)
            )
        self.invalidate_model()
        self.env["sale.visit.compliance.report"].invalidate_model()
        return deleted + written

    @api.model
    def _refresh_partners(self, partners):
        """:meth:`_refresh` for ``partners`` and their commercial partners."""
        partners = partners.exists()
        return self._refresh((partners | partners.commercial_partner_id).ids)

    @api.model
    def _cron_refresh(self):
        """Daily: every customer's windows, the look-ahead and the horizon."""
        count = self._refresh()
        _logger.info("Visit windows: %s rows written or deleted", count)
        return True

    @api.model
    def _is_current(self):
        """Whether the stored windows reach today (else the report builds its
        windows at query time)."""
        until = self.env["ir.config_parameter"].sudo().get_param(COVERAGE_PARAM)
        return bool(until) and fields.Date.to_date(until) >= self.env.cr.now().date()

    @api.model
    def _flush_sources(self):
        for model, names in (
            (
                "sale.visit",
                [
                    "commercial_partner_id",
                    "company_id",
                    "state",
                    "visit_date",
                    "planned_date",
                ],
            ),
            (
                "res.partner",
                [
                    "customer_tier_id",
                    "commercial_partner_id",
                    "user_id",
                    "active",
                    "create_date",
                ],
            ),
            ("sale.customer.tier", ["visit_interval", "company_id", "active"]),
        ):
            self.env[model].flush_model(names)

    @api.model
    def _get_tier_partner_ids(self, tiers):
        """Ids of the customers holding one of ``tiers`` in any company."""
        if not tiers:
            return []
        self.env["res.partner"].flush_model(["customer_tier_id"])
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id
                  FROM res_partner p,
                       jsonb_each_text(p.customer_tier_id) AS e(company, tier)
                 WHERE p.customer_tier_id IS NOT NULL
                   AND e.tier ~ '^[0-9]+$'
                   AND e.tier::int = ANY(%s)
                """,
                tiers.ids,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    # ------------------------------------------------------------------
    # The rows
    # ------------------------------------------------------------------
    @api.model
    def _rows_query(self, today, until, partner_ids=None):
        """SELECT of the window rows (columns of ``_REFRESH_COLUMNS``) of the
        customers ``partner_ids`` (all when None), for the windows from the
        horizon before ``today`` to the one holding ``until``.

        Windows and visits meet by aggregation: one hash or sort whatever the
        planner's estimates. Each done visit also counts once in the window
        after its own, as "previous": the overdue rule needs the previous
        window.
        """
        interval = SQL("c.visit_interval")
        customer_filter = (
            SQL("p.id = ANY(%s)", partner_ids)
            if partner_ids is not None
            else SQL("TRUE")
        )
        visit_filter = (
            SQL("v.commercial_partner_id = ANY(%s)", partner_ids)
            if partner_ids is not None
            else SQL("TRUE")
        )
        return SQL(
            """
            WITH customer AS (
                SELECT p.id AS partner_id,
                       t.company_id,
                       t.id AS tier_id,
                       t.visit_interval,
                       p.user_id,
                       p.create_date::date AS created,
                       GREATEST(p.create_date::date, %(horizon_day)s) AS first_day
                  FROM res_partner p
                  JOIN sale_customer_tier t
                    ON p.customer_tier_id ? t.company_id::text
                   AND t.id = (p.customer_tier_id ->> t.company_id::text)::int
                 WHERE %(customer_filter)s
                   AND p.active
                   AND p.id = p.commercial_partner_id
                   AND t.active
                   AND t.visit_interval IN ('weekly', 'biweekly', 'monthly')
            ),
            customer_window AS (
                SELECT c.partner_id,
                       c.company_id,
                       c.user_id,
                       c.tier_id,
                       c.visit_interval,
                       w.start::date AS window_start,
                       (w.start + %(step)s)::date - 1 AS window_end,
                       w.start > %(created_window)s AS has_previous_window
                  FROM customer c
                 CROSS JOIN LATERAL generate_series(
                       %(first_window)s::timestamp,
                       %(until)s::timestamp,
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
                 WHERE %(visit_filter)s
                   AND v.state = 'done'
                   AND v.visit_date >= %(visit_floor)s
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
                 WHERE %(visit_filter)s
                   AND v.state != 'cancelled'
                   AND v.planned_date >= %(visit_floor)s
            ),
            window_row AS (
                SELECT partner_id, company_id, window_start,
                       1 AS is_window, user_id, tier_id, visit_interval,
                       window_end, has_previous_window,
                       0 AS done, 0 AS planned, 0 AS missed, 0 AS previous_done
                  FROM customer_window
                 UNION ALL
                SELECT d.partner_id, d.company_id, %(visit_window)s,
                       0, NULL::int, NULL::int, NULL::varchar,
                       NULL::date, NULL::boolean,
                       d.done, d.planned, d.missed, 0
                  FROM visit_day d
                 UNION ALL
                SELECT d.partner_id, d.company_id,
                       (%(visit_window)s + %(visit_step)s)::date,
                       0, NULL::int, NULL::int, NULL::varchar,
                       NULL::date, NULL::boolean,
                       0, 0, 0, d.done
                  FROM visit_day d
                 WHERE d.done > 0
            )
            SELECT partner_id,
                   company_id,
                   window_start,
                   MAX(user_id) AS user_id,
                   MAX(tier_id) AS tier_id,
                   MAX(visit_interval) AS visit_interval,
                   MAX(window_end) AS window_end,
                   BOOL_OR(has_previous_window) AS has_previous_window,
                   SUM(done)::int AS done_count,
                   SUM(planned)::int AS planned_count,
                   SUM(missed)::int AS missed_count,
                   SUM(previous_done)::int AS previous_done_count
              FROM window_row
             GROUP BY partner_id, company_id, window_start
            HAVING MAX(is_window) = 1
            """,
            until=until,
            horizon_day=SQL(
                "(%s::date - make_interval(months => %s))::date",
                today,
                HORIZON_MONTHS,
            ),
            # A visit from the month before the horizon may fill the window
            # holding the horizon's first day, or be its "previous".
            visit_floor=SQL(
                "(%s::date - make_interval(months => %s + 2))::date",
                today,
                HORIZON_MONTHS,
            ),
            customer_filter=customer_filter,
            visit_filter=visit_filter,
            first_window=window_start_sql(SQL("c.first_day"), interval),
            created_window=window_start_sql(SQL("c.created"), interval),
            step=window_step_sql(interval),
            visit_window=window_start_sql(SQL("d.day"), SQL("d.visit_interval")),
            visit_step=window_step_sql(SQL("d.visit_interval")),
        )
