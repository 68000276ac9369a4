# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import api, fields, models
from odoo.tools import SQL

from .sale_tools import ensure_one_record
from .sale_visit_window import (
    PARTNER_WINDOW_FIELDS,
    WINDOW_INTERVALS,
    next_window_start,
    previous_window_start,
    window_end,
    window_start,
)


class ResPartner(models.Model):
    """Visits and feedback of a customer, in the current company.

    Last visit, next due date and overdue follow the definitions of
    :mod:`odoo.addons.sale_process_control.models.sale_visit`; contacts show
    the figures of their company.
    """

    _inherit = "res.partner"

    visit_interval = fields.Selection(
        related="commercial_partner_id.customer_tier_id.visit_interval",
        string="Visit Cadence",
    )
    visit_count = fields.Integer(
        string="Visits",
        compute="_compute_visit_count",
    )
    last_visit_date = fields.Date(
        string="Last Visit",
        compute="_compute_visit_status",
        help="Day of the last done visit of the customer in this company.",
    )
    visit_next_due_date = fields.Date(
        string="Next Visit Due",
        compute="_compute_visit_status",
        help="End of the current window of the tier's visit cadence when it has "
        "no done visit yet, else the end of the next window; for an overdue "
        "customer, the end of the window that was missed.",
    )
    is_visit_overdue = fields.Boolean(
        string="Visit Overdue",
        compute="_compute_visit_status",
        search="_search_is_visit_overdue",
        help="The previous window of the visit cadence ended without a done visit "
        "and the current window has none yet.",
    )
    customer_feedback_count = fields.Integer(
        string="Feedback",
        compute="_compute_customer_feedback_count",
    )

    # ------------------------------------------------------------------
    # CRUD: the stored visit windows follow tier, salesperson and company
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        if any(vals.get("customer_tier_id") for vals in vals_list):
            self.env["sale.visit.window"]._refresh_partners(partners)
        return partners

    def write(self, vals):
        # A caller changing many customers one by one refreshes them at the
        # end, with the context key ``sale_visit_window_defer``.
        if not PARTNER_WINDOW_FIELDS & set(vals) or self.env.context.get(
            "sale_visit_window_defer"
        ):
            return super().write(vals)
        before = self | self.commercial_partner_id
        result = super().write(vals)
        self.env["sale.visit.window"]._refresh_partners(before)
        return result

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends_context("company")
    def _compute_visit_count(self):
        commercial = self.commercial_partner_id
        counts = dict(
            self.env["sale.visit"]._read_group(
                [
                    ("commercial_partner_id", "in", commercial.ids),
                    ("company_id", "=", self.env.company.id),
                    ("state", "!=", "cancelled"),
                ],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.visit_count = counts.get(partner.commercial_partner_id, 0)

    @api.depends_context("company")
    def _compute_customer_feedback_count(self):
        commercial = self.commercial_partner_id
        counts = dict(
            self.env["sale.customer.feedback"]._read_group(
                [
                    ("commercial_partner_id", "in", commercial.ids),
                    ("company_id", "=", self.env.company.id),
                ],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.customer_feedback_count = counts.get(
                partner.commercial_partner_id, 0
            )

    @api.depends_context("company")
    @api.depends("commercial_partner_id", "commercial_partner_id.customer_tier_id")
    def _compute_visit_status(self):
        today = fields.Date.context_today(self)
        last_visits = self._get_last_visit_dates()
        for partner in self:
            commercial = partner.commercial_partner_id
            last_visit = last_visits.get(commercial.id)
            partner.last_visit_date = last_visit
            interval = partner.visit_interval
            if interval not in WINDOW_INTERVALS:
                partner.visit_next_due_date = False
                partner.is_visit_overdue = False
                continue
            current_start = window_start(today, interval)
            met = bool(last_visit and last_visit >= current_start)
            partner.visit_next_due_date = (
                window_end(next_window_start(today, interval), interval)
                if met
                else window_end(today, interval)
            )
            previous_met = bool(
                last_visit and last_visit >= previous_window_start(today, interval)
            )
            created = (commercial.create_date or fields.Datetime.now()).date()
            partner.is_visit_overdue = (
                not met and not previous_met and created < current_start
            )
            if partner.is_visit_overdue:
                # Overdue since the end of the window that was missed: the
                # date shown with the badge is that past date, not a future one.
                partner.visit_next_due_date = window_end(
                    previous_window_start(today, interval), interval
                )

    def _search_is_visit_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(
                self.env._("Search visit overdue with = or != and True or False.")
            )
        overdue_ids = self._get_visit_overdue_ids()
        positive = (operator == "=") == value
        return [("commercial_partner_id", "in" if positive else "not in", overdue_ids)]

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_view_visits(self):
        ensure_one_record(self)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale_process_control.sale_visit_action"
        )
        action["domain"] = [
            ("commercial_partner_id", "=", self.commercial_partner_id.id)
        ]
        action["context"] = {
            "default_partner_id": self.id,
            "search_default_filter_not_cancelled": 1,
        }
        return action

    def action_log_visit(self):
        """Open a new visit of this customer, dated today, to be logged."""
        ensure_one_record(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log a Visit"),
            "res_model": "sale.visit",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {
                "default_partner_id": self.id,
                "default_contact_id": False if self.is_company else self.id,
                "default_visit_date": fields.Date.context_today(self),
                "default_purpose": self.env._("Customer visit"),
            },
        }

    def action_view_customer_feedback(self):
        ensure_one_record(self)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale_process_control.sale_customer_feedback_action"
        )
        action["domain"] = [
            ("commercial_partner_id", "=", self.commercial_partner_id.id)
        ]
        action["context"] = {"default_partner_id": self.id}
        return action

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _get_last_visit_dates(self):
        """Day of the last done visit per commercial partner id, this company."""
        commercial = self.commercial_partner_id
        if not commercial.ids:
            return {}
        # The cadence is a fact about the customer: every user who sees the
        # customer sees the same dates, whoever made the visits.
        groups = (
            self.env["sale.visit"]
            .sudo()
            ._read_group(
                [
                    ("commercial_partner_id", "in", commercial.ids),
                    ("company_id", "=", self.env.company.id),
                    ("state", "=", "done"),
                ],
                ["commercial_partner_id"],
                ["visit_date:max"],
            )
        )
        return {partner.id: last for partner, last in groups}

    @api.model
    def _get_visit_overdue_ids(self):
        """Ids of the customers of the current company that are visit overdue."""
        today = fields.Date.context_today(self)
        company = self.env.company
        for model, names in (
            ("sale.visit", ["commercial_partner_id", "company_id", "state"]),
            ("res.partner", ["customer_tier_id", "commercial_partner_id"]),
            ("sale.customer.tier", ["visit_interval", "company_id", "active"]),
        ):
            self.env[model].flush_model(names)
        self.env["sale.visit"].flush_model(["visit_date"])
        windows = SQL(", ").join(
            SQL(
                "(%s, %s::date, %s::date)",
                interval,
                previous_window_start(today, interval),
                window_start(today, interval),
            )
            for interval in WINDOW_INTERVALS
        )
        key = str(company.id)
        self.env.cr.execute(
            SQL(
                """
                SELECT p.id
                  FROM res_partner p
                  JOIN sale_customer_tier t
                    ON t.id = (p.customer_tier_id ->> %(key)s)::int
                  JOIN (VALUES %(windows)s) AS w(interval, previous, current)
                    ON w.interval = t.visit_interval
                 WHERE p.customer_tier_id ? %(key)s
                   AND t.company_id = %(company)s
                   AND t.active
                   AND p.id = p.commercial_partner_id
                   AND p.create_date::date < w.current
                   AND NOT EXISTS (
                        SELECT 1
                          FROM sale_visit v
                         WHERE v.commercial_partner_id = p.id
                           AND v.company_id = %(company)s
                           AND v.state = 'done'
                           AND v.visit_date >= w.previous
                   )
                """,
                key=key,
                company=company.id,
                windows=windows,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]
