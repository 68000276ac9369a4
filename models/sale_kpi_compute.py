# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import models
from odoo.tools import SQL

# Contract states that count as "signed" for the contract compliance rate.
SIGNED_CONTRACT_STATES = ("signed", "done")


def _bounds(date_from, date_to):
    """Datetime bounds [start, end) of the inclusive date range."""
    return (
        datetime.combine(date_from, time.min),
        datetime.combine(date_to + timedelta(days=1), time.min),
    )


def _rate(numerator, denominator):
    """Percentage, 0 when the denominator is 0 (the KPI definitions say so)."""
    return numerator / denominator * 100.0 if denominator else 0.0


class SaleKpi(models.Model):
    """The computations of the KPI catalogue.

    Every ``_compute_kpi_<code>`` method computes the value of all ``users`` in
    one or two aggregate queries on the current company, so that appraising
    200 salespeople costs as many queries as appraising two. Periods are
    inclusive dates; date-times are compared in UTC.
    """

    _inherit = "sale.kpi"

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _query_by_user(self, query):
        """Run ``query`` returning (user_id, value) rows as a dict."""
        self.env.cr.execute(query)
        return {user_id: value or 0.0 for user_id, value in self.env.cr.fetchall()}

    def _flush_orders(self):
        self.env["sale.order"].flush_model(
            [
                "user_id",
                "company_id",
                "state",
                "date_order",
                "amount_untaxed",
                "amount_total",
                "currency_rate",
                "margin",
                "partner_id",
            ]
        )

    def _order_sum(self, users, start, end, expression):
        """SUM(expression) of the confirmed orders of ``users`` in [start, end)."""
        self._flush_orders()
        return self._query_by_user(
            SQL(
                """
                SELECT o.user_id, SUM(%s)
                  FROM sale_order o
                 WHERE o.user_id IN %s
                   AND o.company_id = %s
                   AND o.state = 'sale'
                   AND o.date_order >= %s AND o.date_order < %s
              GROUP BY o.user_id
                """,
                expression,
                tuple(users.ids) or (0,),
                self.env.company.id,
                start,
                end,
            )
        )

    # ------------------------------------------------------------------
    # Sales performance (monthly)
    # ------------------------------------------------------------------
    def _compute_kpi_sales_amount(self, users, date_from, date_to):
        return self._order_sum(
            users,
            *_bounds(date_from, date_to),
            SQL("o.amount_untaxed / COALESCE(NULLIF(o.currency_rate, 0), 1)"),
        )

    def _compute_kpi_sales_quantity(self, users, date_from, date_to):
        self._flush_orders()
        self.env["sale.order.line"].flush_model(
            ["order_id", "product_uom_qty", "display_type"]
        )
        start, end = _bounds(date_from, date_to)
        return self._query_by_user(
            SQL(
                """
                SELECT o.user_id, SUM(l.product_uom_qty)
                  FROM sale_order_line l
                  JOIN sale_order o ON o.id = l.order_id
                 WHERE o.user_id IN %s
                   AND o.company_id = %s
                   AND o.state = 'sale'
                   AND l.display_type IS NULL
                   AND o.date_order >= %s AND o.date_order < %s
              GROUP BY o.user_id
                """,
                tuple(users.ids) or (0,),
                self.env.company.id,
                start,
                end,
            )
        )

    def _compute_kpi_profit(self, users, date_from, date_to):
        return self._order_sum(
            users,
            *_bounds(date_from, date_to),
            SQL("o.margin / COALESCE(NULLIF(o.currency_rate, 0), 1)"),
        )

    def _get_target_achievement(self, users, date_from, date_to):
        """``{user_id: {"target": float, "actual": float}}`` from the sales
        targets, or an empty dict when no target module is installed."""
        if "sale.target" not in self.env:
            return {}
        return self.env["sale.target"]._get_user_achievement(users, date_from, date_to)

    def _compute_kpi_target_achievement(self, users, date_from, date_to):
        figures = self._get_target_achievement(users, date_from, date_to)
        return {
            user_id: _rate(values["actual"], values["target"])
            for user_id, values in figures.items()
        }

    def _get_kpi_notes_target_achievement(self, users, values):
        note = self.env._("No targets defined")
        return {user.id: note for user in users if user.id not in values}

    # ------------------------------------------------------------------
    # Customer management and sales process (quarterly)
    # ------------------------------------------------------------------
    def _compute_kpi_customer_satisfaction(self, users, date_from, date_to):
        feedback = self.env["sale.customer.feedback"]
        feedback.flush_model(["user_id", "company_id", "satisfaction", "closed_date"])
        start, end = _bounds(date_from, date_to)
        return self._query_by_user(
            SQL(
                """
                SELECT f.user_id, AVG(f.satisfaction::integer)
                  FROM sale_customer_feedback f
                 WHERE f.user_id IN %s
                   AND f.company_id = %s
                   AND f.satisfaction IS NOT NULL AND f.satisfaction != '0'
                   AND f.closed_date >= %s AND f.closed_date < %s
              GROUP BY f.user_id
                """,
                tuple(users.ids) or (0,),
                self.env.company.id,
                start,
                end,
            )
        )

    def _compute_kpi_new_customers(self, users, date_from, date_to):
        self._flush_orders()
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        start, end = _bounds(date_from, date_to)
        return self._query_by_user(
            SQL(
                """
                SELECT first.user_id, COUNT(*)
                  FROM (
                    SELECT DISTINCT ON (p.commercial_partner_id)
                           p.commercial_partner_id, o.user_id, o.date_order
                      FROM sale_order o
                      JOIN res_partner p ON p.id = o.partner_id
                     WHERE o.company_id = %s
                       AND o.state = 'sale'
                       AND o.date_order < %s
                  ORDER BY p.commercial_partner_id, o.date_order, o.id
                  ) first
                 WHERE first.user_id IN %s
                   AND first.date_order >= %s
              GROUP BY first.user_id
                """,
                self.env.company.id,
                end,
                tuple(users.ids) or (0,),
                start,
            )
        )

    def _compute_kpi_churn_rate(self, users, date_from, date_to):
        self._flush_orders()
        self.env["res.partner"].flush_model(["commercial_partner_id"])
        start, end = _bounds(date_from, date_to)
        months = (
            (date_to.year - date_from.year) * 12 + date_to.month - date_from.month + 1
        )
        previous_start = start - relativedelta(months=months)
        self.env.cr.execute(
            SQL(
                """
                WITH previous AS (
                    SELECT DISTINCT o.user_id, p.commercial_partner_id
                      FROM sale_order o
                      JOIN res_partner p ON p.id = o.partner_id
                     WHERE o.user_id IN %s
                       AND o.company_id = %s
                       AND o.state = 'sale'
                       AND o.date_order >= %s AND o.date_order < %s
                ), current AS (
                    SELECT DISTINCT p.commercial_partner_id
                      FROM sale_order o
                      JOIN res_partner p ON p.id = o.partner_id
                     WHERE o.company_id = %s
                       AND o.state = 'sale'
                       AND o.date_order >= %s AND o.date_order < %s
                )
                SELECT previous.user_id,
                       COUNT(*),
                       COUNT(*) FILTER (WHERE current.commercial_partner_id IS NULL)
                  FROM previous
             LEFT JOIN current
                    ON current.commercial_partner_id = previous.commercial_partner_id
              GROUP BY previous.user_id
                """,
                tuple(users.ids) or (0,),
                self.env.company.id,
                previous_start,
                start,
                self.env.company.id,
                start,
                end,
            )
        )
        return {
            user_id: _rate(lost, total)
            for user_id, total, lost in self.env.cr.fetchall()
        }

    def _compute_kpi_opportunity_conversion(self, users, date_from, date_to):
        leads = self.env["crm.lead"]
        leads.flush_model(
            ["user_id", "company_id", "type", "create_date", "active", "probability"]
        )
        start, end = _bounds(date_from, date_to)
        self.env.cr.execute(
            SQL(
                """
                SELECT l.user_id,
                       COUNT(*),
                       COUNT(*) FILTER (WHERE l.active AND l.probability >= 100)
                  FROM crm_lead l
                 WHERE l.user_id IN %s
                   AND (l.company_id = %s OR l.company_id IS NULL)
                   AND l.type = 'opportunity'
                   AND l.create_date >= %s AND l.create_date < %s
              GROUP BY l.user_id
                """,
                tuple(users.ids) or (0,),
                self.env.company.id,
                start,
                end,
            )
        )
        return {
            user_id: _rate(won, total) for user_id, total, won in self.env.cr.fetchall()
        }

    def _compute_kpi_on_time_delivery(self, users, date_from, date_to):
        self._flush_orders()
        self.env["sale.order"].flush_model(["commitment_date"])
        self.env["stock.picking"].flush_model(
            [
                "sale_id",
                "company_id",
                "state",
                "picking_type_code",
                "date_done",
                "date_deadline",
                "scheduled_date",
            ]
        )
        start, end = _bounds(date_from, date_to)
        self.env.cr.execute(
            SQL(
                """
                SELECT o.user_id,
                       COUNT(*),
                       COUNT(*) FILTER (
                           WHERE s.date_done <= COALESCE(
                               s.date_deadline, o.commitment_date, s.scheduled_date
                           )
                       )
                  FROM stock_picking s
                  JOIN stock_picking_type t ON t.id = s.picking_type_id
                  JOIN sale_order o ON o.id = s.sale_id
                 WHERE o.user_id IN %s
                   AND s.company_id = %s
                   AND t.code = 'outgoing'
                   AND s.state = 'done'
                   AND s.date_done >= %s AND s.date_done < %s
              GROUP BY o.user_id
                """,
                tuple(users.ids) or (0,),
                self.env.company.id,
                start,
                end,
            )
        )
        return {
            user_id: _rate(on_time, total)
            for user_id, total, on_time in self.env.cr.fetchall()
        }

    # ------------------------------------------------------------------
    # Order taking
    # ------------------------------------------------------------------
    def _compute_kpi_order_count(self, users, date_from, date_to):
        return self._order_sum(users, *_bounds(date_from, date_to), SQL("1"))

    def _compute_kpi_growth_rate(self, users, date_from, date_to):
        self._flush_orders()
        start, end = _bounds(date_from, date_to)
        last_start = start - relativedelta(years=1)
        last_end = end - relativedelta(years=1)
        amount = SQL("o.amount_untaxed / COALESCE(NULLIF(o.currency_rate, 0), 1)")
        self.env.cr.execute(
            SQL(
                """
                SELECT o.user_id,
                       SUM(CASE WHEN o.date_order >= %(start)s THEN %(amount)s END),
                       SUM(CASE WHEN o.date_order < %(last_end)s THEN %(amount)s END)
                  FROM sale_order o
                 WHERE o.user_id IN %(users)s
                   AND o.company_id = %(company)s
                   AND o.state = 'sale'
                   AND (
                        (o.date_order >= %(start)s AND o.date_order < %(end)s)
                     OR (o.date_order >= %(last_start)s AND o.date_order < %(last_end)s)
                   )
              GROUP BY o.user_id
                """,
                start=start,
                end=end,
                last_start=last_start,
                last_end=last_end,
                amount=amount,
                users=tuple(users.ids) or (0,),
                company=self.env.company.id,
            )
        )
        return {
            user_id: _rate((current or 0.0) - last, last) if last else 0.0
            for user_id, current, last in self.env.cr.fetchall()
        }

    def _compute_kpi_receivable_collection(self, users, date_from, date_to):
        moves = self.env["account.move"]
        moves.flush_model(
            [
                "invoice_user_id",
                "company_id",
                "state",
                "move_type",
                "invoice_date_due",
                "amount_total_signed",
                "amount_residual_signed",
            ]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT m.invoice_user_id,
                       SUM(m.amount_total_signed),
                       SUM(m.amount_total_signed - m.amount_residual_signed)
                  FROM account_move m
                 WHERE m.invoice_user_id IN %s
                   AND m.company_id = %s
                   AND m.state = 'posted'
                   AND m.move_type = 'out_invoice'
                   AND m.invoice_date_due >= %s AND m.invoice_date_due <= %s
              GROUP BY m.invoice_user_id
                """,
                tuple(users.ids) or (0,),
                self.env.company.id,
                date_from,
                date_to,
            )
        )
        return {
            user_id: _rate(collected, due)
            for user_id, due, collected in self.env.cr.fetchall()
        }

    def _compute_kpi_contract_compliance(self, users, date_from, date_to):
        self._flush_orders()
        self.env["sale.contract"].flush_model(["state"])
        start, end = _bounds(date_from, date_to)
        self.env.cr.execute(
            SQL(
                """
                SELECT o.user_id,
                       COUNT(*),
                       COUNT(*) FILTER (WHERE EXISTS (
                           SELECT 1
                             FROM sale_contract_order_rel r
                             JOIN sale_contract c ON c.id = r.contract_id
                            WHERE r.order_id = o.id AND c.state IN %s
                       ))
                  FROM sale_order o
                  JOIN res_company co ON co.id = o.company_id
                 WHERE o.user_id IN %s
                   AND o.company_id = %s
                   AND o.state = 'sale'
                   AND o.date_order >= %s AND o.date_order < %s
                   AND o.amount_total / COALESCE(NULLIF(o.currency_rate, 0), 1)
                       >= co.sale_contract_amount
              GROUP BY o.user_id
                """,
                SIGNED_CONTRACT_STATES,
                tuple(users.ids) or (0,),
                self.env.company.id,
                start,
                end,
            )
        )
        return {
            user_id: _rate(signed, total)
            for user_id, total, signed in self.env.cr.fetchall()
        }
