# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from datetime import date, datetime

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError

DASHBOARD_PERIODS = ("month", "quarter", "year")
# How many products and salespeople each ranking shows.
RANKING_SIZE = 5
TREND_MONTHS = 12


class SaleDashboard(models.AbstractModel):
    """Data of the manager dashboard (R-32), in one call.

    Everything is read as the user, through the report models and their
    record rules, in a fixed number of queries whatever the data volume. Each
    figure carries the model and domain of the records behind it, so that the
    screen opens them on click.
    """

    _name = "sale.dashboard"
    _description = "Sales Dashboard"

    @api.model
    def get_dashboard_data(self, period="month"):
        """Return the cards and charts of the dashboard for the current
        ``period`` (month, quarter or year, to date)."""
        if not self.env.user.has_group(
            "sale_process_control.group_sale_department_head"
        ):
            raise AccessError(
                self.env._(
                    "The sales dashboard is for department heads, directors "
                    "and management."
                )
            )
        if period not in DASHBOARD_PERIODS:
            period = "month"
        date_from, date_to = self._get_period_dates(period)
        period_domain = [
            ("date", ">=", fields.Datetime.to_datetime(date_from)),
            ("date", "<", fields.Datetime.to_datetime(date_to)),
        ]
        currency = self.env.company.currency_id
        return {
            "period": period,
            "date_from": fields.Date.to_string(date_from),
            "date_to": fields.Date.to_string(date_to - relativedelta(days=1)),
            "currency": {
                "symbol": currency.symbol,
                "position": currency.position,
                "digits": currency.decimal_places,
            },
            "products": self._get_product_rankings(period_domain),
            "salespeople": self._get_salesperson_ranking(period_domain),
            "trend": self._get_sales_trend(),
            "targets": self._get_target_achievement(date_from, date_to),
            "visits": self._get_visit_compliance(date_from, date_to),
            "credit_holds": self._get_credit_holds(),
            "receivables": self._get_overdue_receivables(),
        }

    # ------------------------------------------------------------------
    # Private helpers
    # ------------------------------------------------------------------
    @api.model
    def _get_period_dates(self, period):
        """[start, end) of the current period, as dates."""
        today = fields.Date.context_today(self)
        if period == "year":
            start = today.replace(month=1, day=1)
            return start, start + relativedelta(years=1)
        if period == "quarter":
            start = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
            return start, start + relativedelta(months=3)
        start = today.replace(day=1)
        return start, start + relativedelta(months=1)

    @api.model
    def _action(self, name, model, domain, views=("list", "form")):
        """Window action (as data) on the records behind a figure."""
        return {
            "name": name,
            "res_model": model,
            # Dates travel as strings, as the web client writes them.
            "domain": [
                (leaf[0], leaf[1], self._to_string(leaf[2]))
                if isinstance(leaf, tuple | list)
                else leaf
                for leaf in domain
            ],
            "views": [[False, view] for view in views],
        }

    @api.model
    def _to_string(self, value):
        if isinstance(value, datetime):
            return fields.Datetime.to_string(value)
        if isinstance(value, date):
            return fields.Date.to_string(value)
        return value

    @api.model
    def _get_product_rankings(self, period_domain):
        Report = self.env["sale.order.statistics.report"]
        domain = period_domain + [("product_id", "!=", False)]
        groups = {
            key: Report._read_group(
                domain,
                groupby=["product_id"],
                aggregates=["amount_untaxed:sum", "quantity:sum"],
                order=f"amount_untaxed:sum {order}, product_id",
                limit=RANKING_SIZE,
            )
            for key, order in (("top", "desc"), ("bottom", "asc"))
        }
        # Names of both rankings in one go, from stored fields: a product's
        # display name is computed one product at a time.
        products = self.env["product.product"].union(
            *(group[0] for rows in groups.values() for group in rows)
        )
        products.fetch(["default_code", "product_tmpl_id"])
        products.product_tmpl_id.fetch(["name"])
        rankings = {}
        for key, rows in groups.items():
            rankings[key] = [
                {
                    "id": product.id,
                    "name": self._product_name(product),
                    "amount": amount or 0.0,
                    "quantity": quantity or 0.0,
                    "action": self._action(
                        self._product_name(product),
                        "sale.order.statistics.report",
                        domain + [("product_id", "=", product.id)],
                        ("list", "pivot"),
                    ),
                }
                for product, amount, quantity in rows
            ]
        return rankings

    @api.model
    def _product_name(self, product):
        if product.default_code:
            return f"[{product.default_code}] {product.name}"
        return product.name

    @api.model
    def _get_salesperson_ranking(self, period_domain):
        groups = self.env["sale.order.statistics.report"]._read_group(
            period_domain,
            groupby=["user_id"],
            aggregates=["amount_untaxed:sum", "order_count:sum"],
            order="amount_untaxed:sum desc, user_id",
            limit=10,
        )
        return [
            {
                "id": user.id,
                "name": user.display_name or self.env._("No Salesperson"),
                "amount": amount or 0.0,
                "order_count": order_count,
                "action": self._action(
                    user.display_name or self.env._("No Salesperson"),
                    "sale.order",
                    [
                        ("state", "=", "sale"),
                        ("user_id", "=", user.id),
                        ("date_order", ">=", period_domain[0][2]),
                        ("date_order", "<", period_domain[1][2]),
                    ],
                ),
            }
            for user, amount, order_count in groups
        ]

    @api.model
    def _get_sales_trend(self):
        """Confirmed sales of the last twelve months, this month included."""
        date_to = fields.Date.context_today(self).replace(day=1) + relativedelta(
            months=1
        )
        start = date_to - relativedelta(months=TREND_MONTHS)
        domain = [("date", ">=", fields.Datetime.to_datetime(start))]
        groups = {
            month.strftime("%Y-%m"): amount
            for month, amount in self.env["sale.order.statistics.report"]._read_group(
                domain + [("date", "<", fields.Datetime.to_datetime(date_to))],
                groupby=["date:month"],
                aggregates=["amount_untaxed:sum"],
            )
        }
        trend = []
        for index in range(TREND_MONTHS):
            month = start + relativedelta(months=index)
            month_end = month + relativedelta(months=1)
            month_start_dt = fields.Datetime.to_datetime(month)
            trend.append(
                {
                    "label": month.strftime("%Y-%m"),
                    "amount": groups.get(month.strftime("%Y-%m")) or 0.0,
                    "action": self._action(
                        month.strftime("%Y-%m"),
                        "sale.order",
                        [
                            ("state", "=", "sale"),
                            ("date_order", ">=", month_start_dt),
                            ("date_order", "<", fields.Datetime.to_datetime(month_end)),
                        ],
                    ),
                }
            )
        return trend

    @api.model
    def _get_target_achievement(self, date_from, date_to):
        """Target achievement, when targets are installed (``sale.target``
        provides ``_get_dashboard_achievement(date_from, date_to)`` returning
        rows with name, target, actual, rate and action)."""
        if "sale.target" not in self.env:
            return {"available": False, "rows": []}
        Target = self.env["sale.target"]
        if not hasattr(Target, "_get_dashboard_achievement"):
            return {"available": True, "rows": []}
        return {
            "available": True,
            "rows": Target._get_dashboard_achievement(date_from, date_to),
        }

    @api.model
    def _get_visit_compliance(self, date_from, date_to):
        domain = [
            ("window_start", ">=", date_from),
            ("window_start", "<", date_to),
        ]
        Report = self.env["sale.visit.compliance.report"]
        groups = Report._read_group(
            domain,
            groupby=["user_id"],
            aggregates=["compliance_rate:avg", "overdue_count:sum"],
            order="compliance_rate:avg asc, user_id",
            limit=10,
        )
        return [
            {
                "id": user.id,
                "name": user.display_name or self.env._("No Salesperson"),
                "rate": rate,
                "overdue": overdue,
                "action": self._action(
                    user.display_name or self.env._("No Salesperson"),
                    "sale.visit.compliance.report",
                    domain + [("user_id", "=", user.id)],
                    ("list", "pivot"),
                ),
            }
            for user, rate, overdue in groups
        ]

    @api.model
    def _get_credit_holds(self):
        domain = [("credit_hold", "=", True), ("state", "!=", "cancel")]
        [(count, amount)] = self.env["sale.order"]._read_group(
            domain, aggregates=["__count", "amount_total:sum"]
        )
        return {
            "count": count,
            "amount": amount or 0.0,
            "action": self._action(
                self.env._("Orders on Credit Hold"), "sale.order", domain
            ),
        }

    @api.model
    def _get_overdue_receivables(self):
        domain = [("days_overdue", ">", 0)]
        Report = self.env["sale.receivable.aging.report"]
        [(count, amount)] = Report._read_group(
            domain, aggregates=["__count", "amount_overdue:sum"]
        )
        customers = Report._read_group(
            domain,
            groupby=["partner_id"],
            aggregates=["amount_overdue:sum"],
            order="amount_overdue:sum desc, partner_id",
            limit=RANKING_SIZE,
        )
        return {
            "count": count,
            "amount": amount or 0.0,
            "action": self._action(
                self.env._("Overdue Receivables"),
                "sale.receivable.aging.report",
                domain,
                ("list", "pivot"),
            ),
            "customers": [
                {
                    "id": partner.id,
                    "name": partner.display_name,
                    "amount": partner_amount or 0.0,
                    "action": self._action(
                        partner.display_name,
                        "sale.receivable.aging.report",
                        domain + [("partner_id", "=", partner.id)],
                        ("list", "pivot"),
                    ),
                }
                for partner, partner_amount in customers
            ],
        }
