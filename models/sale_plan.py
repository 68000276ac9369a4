# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
"""Sales plans (R-39): the overall plan approved by the general manager, its
phase plans with their summaries, and approved corrections."""

from datetime import datetime, time, timedelta

import pytz
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.misc import formatLang

from .sale_tools import ensure_one_record

PLAN_STATES = [
    ("draft", "Draft"),
    ("review", "Under Review"),
    ("active", "In Force"),
    ("rejected", "Rejected"),
    ("done", "Closed"),
    ("cancel", "Cancelled"),
]
# What the general manager approves; they change only through corrections
# once the plan is submitted.
PLAN_KEY_FIELDS = {
    "name",
    "company_id",
    "user_id",
    "team_id",
    "salesperson_ids",
    "date_start",
    "date_end",
    "target_amount",
    "target_customer_count",
    "product_ids",
    "phase_ids",
}
PHASE_KEY_FIELDS = {
    "plan_id",
    "name",
    "date_start",
    "date_end",
    "target_amount",
    "target_visit_count",
    "target_new_customer_count",
    "actions",
}
EDITABLE_STATES = ("draft", "rejected")


class SalePlan(models.Model):
    _name = "sale.plan"
    _inherit = ["mail.thread", "mail.activity.mixin", "sale.approval.request.mixin"]
    _description = "Sales Plan"
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        required=True,
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        tracking=True,
        check_company=True,
    )
    salesperson_ids = fields.Many2many(
        "res.users",
        string="Salespeople",
        domain="[('share', '=', False)]",
        help="Whose visits and orders count in the phase summaries, with the members "
        "of the sales team. Leave both empty to count the whole company.",
    )
    date_start = fields.Date(string="Start Date", required=True, tracking=True)
    date_end = fields.Date(string="End Date", required=True, tracking=True)
    target_amount = fields.Monetary(
        string="Target Sales",
        tracking=True,
        help="Untaxed amount of confirmed orders to reach over the plan's period.",
    )
    target_customer_count = fields.Integer(
        string="Target New Customers",
        tracking=True,
    )
    product_ids = fields.Many2many(
        "product.product",
        string="Focus Products",
        check_company=True,
    )
    description = fields.Html(
        help="Positioning, sales strategy, pricing and promotion of the plan."
    )
    phase_ids = fields.One2many(
        "sale.plan.phase",
        "plan_id",
        string="Phases",
        copy=True,
    )
    correction_ids = fields.One2many(
        "sale.plan.correction",
        "plan_id",
        string="Corrections",
    )
    correction_count = fields.Integer(compute="_compute_correction_count")
    state = fields.Selection(
        PLAN_STATES,
        string="Status",
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    phase_target_amount = fields.Monetary(
        string="Phase Targets",
        compute="_compute_phase_totals",
    )
    achieved_amount = fields.Monetary(
        string="Achieved Sales",
        compute="_compute_phase_totals",
    )

    _sql_constraints = [
        (
            "dates_ordered",
            "CHECK(date_end >= date_start)",
            "A sales plan cannot end before it starts.",
        ),
        (
            "targets_positive",
            "CHECK(target_amount >= 0 AND target_customer_count >= 0)",
            "The targets of a sales plan cannot be negative.",
        ),
    ]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    def _compute_correction_count(self):
        counts = dict(
            self.env["sale.plan.correction"]._read_group(
                [("plan_id", "in", self.ids)], ["plan_id"], ["__count"]
            )
        )
        for plan in self:
            plan.correction_count = counts.get(plan, 0)

    @api.depends("phase_ids.target_amount", "phase_ids.order_amount")
    def _compute_phase_totals(self):
        for plan in self:
            plan.phase_target_amount = sum(plan.phase_ids.mapped("target_amount"))
            plan.achieved_amount = sum(plan.phase_ids.mapped("order_amount"))

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    def write(self, vals):
        if not self.env.su:
            if "state" in vals:
                raise UserError(
                    self.env._("Use the buttons to change a sales plan's status.")
                )
            if PLAN_KEY_FIELDS.intersection(vals) and any(
                plan.state not in EDITABLE_STATES for plan in self
            ):
                raise UserError(
                    self.env._(
                        "A sales plan that was submitted or approved keeps its "
                        "period, targets, people and phases: request a correction "
                        "instead."
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        if any(plan.state not in ("draft", "cancel") for plan in self):
            raise UserError(
                self.env._(
                    "Only draft or cancelled sales plans can be deleted; cancel the "
                    "plan instead."
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_submit(self):
        for plan in self:
            if plan.state not in EDITABLE_STATES:
                raise UserError(
                    self.env._("%(plan)s was already submitted.", plan=plan.name)
                )
            if not plan.phase_ids:
                raise UserError(
                    self.env._(
                        "Add at least one phase to %(plan)s before submitting it.",
                        plan=plan.name,
                    )
                )
            plan.phase_ids._check_within_plan()
        self.action_submit_for_approval()
        self.filtered(lambda p: p.approval_state == "pending").sudo().write(
            {"state": "review"}
        )
        return True

    def action_close(self):
        self.check_access("write")
        for plan in self:
            if plan.state != "active":
                raise UserError(self.env._("Only a sales plan in force can be closed."))
        self.sudo().write({"state": "done"})
        return True

    def action_cancel(self):
        self.check_access("write")
        for plan in self:
            if plan.state in ("done", "cancel"):
                raise UserError(
                    self.env._("%(plan)s is already closed.", plan=plan.name)
                )
            if plan.approval_state == "pending":
                plan._approval_reset(self.env._("The sales plan was cancelled."))
        self.sudo().write({"state": "cancel"})
        return True

    def action_draft(self):
        self.check_access("write")
        for plan in self:
            if plan.state != "cancel":
                raise UserError(
                    self.env._("Only a cancelled sales plan returns to draft.")
                )
        self.sudo().write({"state": "draft"})
        return True

    def action_request_correction(self):
        ensure_one_record(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Request Correction"),
            "res_model": "sale.plan.correction",
            "view_mode": "form",
            "context": {
                "default_plan_id": self.id,
                "default_company_id": self.company_id.id,
            },
        }

    def action_view_corrections(self):
        ensure_one_record(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Corrections"),
            "res_model": "sale.plan.correction",
            "view_mode": "list,form",
            "domain": [("plan_id", "=", self.id)],
            "context": {"default_plan_id": self.id},
        }

    # ------------------------------------------------------------------
    # Review engine hooks
    # ------------------------------------------------------------------
    def _get_approval_steps(self):
        self.ensure_one()
        return [
            {
                "name": self.env._("General manager approval"),
                "group_id": self.env.ref(
                    "sale_process_control.group_sale_management"
                ).id,
                "checklist": self.env._(
                    "Targets match the company's annual plan; phases, people and "
                    "actions can reach them."
                ),
            }
        ]

    def _get_approval_fingerprint_values(self):
        self.ensure_one()
        return {
            "name": self.name,
            "user": self.user_id.id,
            "team": self.team_id.id,
            "salespeople": sorted(self.salesperson_ids.ids),
            "period": [str(self.date_start), str(self.date_end)],
            "amount": self.target_amount,
            "customers": self.target_customer_count,
            "products": sorted(self.product_ids.ids),
            "phases": [
                [
                    phase.id,
                    str(phase.date_start),
                    str(phase.date_end),
                    phase.target_amount,
                    phase.target_visit_count,
                    phase.target_new_customer_count,
                ]
                for phase in self.phase_ids.sorted("id")
            ],
        }

    def _on_approval_approved(self):
        result = super()._on_approval_approved()
        self.sudo().write({"state": "active"})
        return result

    def _on_approval_reset(self):
        result = super()._on_approval_reset()
        self.filtered(lambda p: p.state in ("review", "active")).sudo().write(
            {"state": "draft"}
        )
        return result

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _get_plan_users(self):
        """Salespeople whose work counts in the plan; empty means everybody."""
        self.ensure_one()
        return self.salesperson_ids | self.team_id.member_ids | self.team_id.user_id

    def _refresh_approval_fingerprint(self):
        """An approved correction is part of what was approved."""
        for plan in self:
            plan.sudo().write(
                {"approval_fingerprint": plan._compute_approval_fingerprint()}
            )


class SalePlanPhase(models.Model):
    _name = "sale.plan.phase"
    _description = "Sales Plan Phase"
    _order = "plan_id, date_start, id"
    _check_company_auto = True

    plan_id = fields.Many2one(
        "sale.plan",
        string="Sales Plan",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="plan_id.currency_id")
    plan_state = fields.Selection(related="plan_id.state", string="Plan Status")
    name = fields.Char(string="Phase", required=True)
    date_start = fields.Date(string="Start Date", required=True)
    date_end = fields.Date(string="End Date", required=True)
    target_amount = fields.Monetary(string="Target Sales")
    target_visit_count = fields.Integer(string="Target Visits")
    target_new_customer_count = fields.Integer(string="Target New Customers")
    actions = fields.Text(
        string="Planned Actions",
        help="Sales and promotion actions of the phase.",
    )
    summary = fields.Text(
        string="Written Summary",
        help="The phase's sales summary: visits and deals analysis, product sales, "
        "conclusions and corrective measures.",
    )
    # Figures of the phase, read from the visits and orders.
    visit_count = fields.Integer(string="Visits Done", compute="_compute_figures")
    order_count = fields.Integer(string="Deals", compute="_compute_figures")
    order_amount = fields.Monetary(string="Deal Amount", compute="_compute_figures")
    new_customer_count = fields.Integer(
        string="New Customers", compute="_compute_figures"
    )
    achievement = fields.Float(
        string="Achievement (%)",
        compute="_compute_figures",
        help="Deal amount over the phase's target sales.",
    )
    product_summary = fields.Html(
        string="Products Sold",
        compute="_compute_figures",
        sanitize=False,
    )

    _sql_constraints = [
        (
            "dates_ordered",
            "CHECK(date_end >= date_start)",
            "A phase cannot end before it starts.",
        ),
        (
            "targets_positive",
            "CHECK(target_amount >= 0 AND target_visit_count >= 0 "
            "AND target_new_customer_count >= 0)",
            "The targets of a phase cannot be negative.",
        ),
    ]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends_context("tz")
    @api.depends("date_start", "date_end", "plan_id")
    def _compute_figures(self):
        for phase in self:
            figures = phase._get_figures()
            phase.visit_count = figures["visits"]
            phase.order_count = figures["orders"]
            phase.order_amount = figures["amount"]
            phase.new_customer_count = figures["new_customers"]
            phase.achievement = (
                figures["amount"] / phase.target_amount * 100
                if phase.target_amount
                else 0.0
            )
            phase.product_summary = phase._render_product_summary(figures["products"])

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("date_start", "date_end", "plan_id")
    def _check_within_plan(self):
        for phase in self:
            plan = phase.plan_id
            if (
                phase.date_start
                and phase.date_end
                and plan.date_start
                and plan.date_end
                and (
                    phase.date_start < plan.date_start or phase.date_end > plan.date_end
                )
            ):
                raise ValidationError(
                    self.env._(
                        "Phase %(phase)s must lie within the period of %(plan)s "
                        "(%(start)s to %(end)s).",
                        phase=phase.name,
                        plan=plan.name,
                        start=plan.date_start,
                        end=plan.date_end,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            plans = self.env["sale.plan"].browse(
                [vals["plan_id"] for vals in vals_list if vals.get("plan_id")]
            )
            self._check_plan_editable(plans)
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and PHASE_KEY_FIELDS.intersection(vals):
            self._check_plan_editable(self.plan_id)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted_plan(self):
        # Deleting a draft or cancelled plan deletes its phases with it.
        self._check_plan_editable(
            self.plan_id.filtered(lambda plan: plan.state != "cancel")
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_view_orders(self):
        ensure_one_record(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Deals of %(phase)s", phase=self.name),
            "res_model": "sale.order",
            "view_mode": "list,form",
            "domain": self._get_order_domain(),
            "context": {"create": False},
        }

    def action_view_visits(self):
        ensure_one_record(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Visits of %(phase)s", phase=self.name),
            "res_model": "sale.visit",
            "view_mode": "list,form",
            "domain": self._get_visit_domain(),
            "context": {"create": False},
        }

    def action_view_product_sales(self):
        ensure_one_record(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Product Sales of %(phase)s", phase=self.name),
            "res_model": "sale.report",
            "view_mode": "pivot,graph,list",
            "domain": self._get_report_domain(),
            "context": {
                "pivot_row_groupby": ["product_id"],
                "pivot_measures": ["product_uom_qty", "price_subtotal"],
            },
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _check_plan_editable(self, plans):
        if any(plan.state not in EDITABLE_STATES for plan in plans):
            raise UserError(
                self.env._(
                    "The phases of a submitted or approved sales plan change only "
                    "through an approved correction."
                )
            )

    def _get_user_domain(self, field_name):
        users = self.plan_id._get_plan_users()
        return [(field_name, "in", users.ids)] if users else []

    def _get_visit_domain(self):
        self.ensure_one()
        return [
            ("company_id", "=", self.company_id.id),
            ("state", "=", "done"),
            ("visit_date", ">=", self.date_start),
            ("visit_date", "<=", self.date_end),
            *self._get_user_domain("user_id"),
        ]

    def _get_period_bounds(self):
        """The phase's days in the user's time zone as UTC datetimes, end
        exclusive, for ``date_order``."""
        self.ensure_one()
        tz = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")

        def to_utc(day):
            local = tz.localize(datetime.combine(day, time.min))
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        return to_utc(self.date_start), to_utc(self.date_end + timedelta(days=1))

    def _get_order_domain(self):
        self.ensure_one()
        start, end = self._get_period_bounds()
        return [
            ("company_id", "=", self.company_id.id),
            ("state", "=", "sale"),
            ("date_order", ">=", start),
            ("date_order", "<", end),
            *self._get_user_domain("user_id"),
        ]

    def _get_report_domain(self):
        self.ensure_one()
        start, end = self._get_period_bounds()
        return [
            ("company_id", "=", self.company_id.id),
            ("state", "=", "sale"),
            ("date", ">=", start),
            ("date", "<", end),
            *self._get_user_domain("user_id"),
        ]

    def _get_figures(self):
        """Visits done, deals, new customers and products sold of the phase."""
        self.ensure_one()
        figures = {
            "visits": 0,
            "orders": 0,
            "amount": 0.0,
            "new_customers": 0,
            "products": [],
        }
        if not (self.date_start and self.date_end and self.company_id):
            return figures
        # The plan is shared with its salespeople; its figures cover the whole
        # team, beyond the visits and orders each of them may read.
        Visit = self.env["sale.visit"].sudo()
        Order = self.env["sale.order"].sudo()
        Report = self.env["sale.report"].sudo()
        figures["visits"] = Visit.search_count(self._get_visit_domain())
        order_domain = self._get_order_domain()
        figures["orders"] = Order.search_count(order_domain)
        # The report converts every order to the company's currency.
        [(amount,)] = Report._read_group(
            self._get_report_domain(), [], ["price_subtotal:sum"]
        )
        figures["amount"] = amount
        partners = Order._read_group(order_domain, ["partner_id"])
        commercial = {partner.commercial_partner_id for (partner,) in partners}
        if commercial:
            start, _end = self._get_period_bounds()
            earlier = Order._read_group(
                [
                    ("company_id", "=", self.company_id.id),
                    ("state", "=", "sale"),
                    ("date_order", "<", start),
                    (
                        "partner_id",
                        "child_of",
                        [partner.id for partner in commercial],
                    ),
                ],
                ["partner_id"],
            )
            known = {partner.commercial_partner_id for (partner,) in earlier}
            figures["new_customers"] = len(commercial - known)
        figures["products"] = Report._read_group(
            self._get_report_domain(),
            ["product_id"],
            ["product_uom_qty:sum", "price_subtotal:sum"],
            order="price_subtotal:sum desc",
            limit=10,
        )
        return figures

    def _render_product_summary(self, rows):
        if not rows:
            return False
        head = Markup(
            "<table class='table table-sm o_sale_plan_products'><thead><tr>"
            "<th>%s</th><th class='text-end'>%s</th><th class='text-end'>%s</th>"
            "</tr></thead><tbody>"
        ) % (
            self.env._("Product"),
            self.env._("Quantity"),
            self.env._("Amount"),
        )
        body = Markup("").join(
            Markup(
                "<tr><td>%s</td><td class='text-end'>%s</td>"
                "<td class='text-end'>%s</td></tr>"
            )
            % (
                product.display_name,
                formatLang(self.env, quantity),
                self.currency_id.format(amount),
            )
            for product, quantity, amount in rows
        )
        return head + body + Markup("</tbody></table>")
