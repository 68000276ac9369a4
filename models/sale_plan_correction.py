# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

CORRECTION_STATES = [
    ("draft", "Draft"),
    ("review", "Under Review"),
    ("applied", "Applied"),
    ("rejected", "Rejected"),
    ("cancel", "Cancelled"),
]
# Phase field -> correction field holding its new value.
CORRECTED_FIELDS = {
    "date_start": "new_date_start",
    "date_end": "new_date_end",
    "target_amount": "new_target_amount",
    "target_visit_count": "new_target_visit_count",
    "target_new_customer_count": "new_target_new_customer_count",
}


class SalePlanCorrection(models.Model):
    """A change of a phase of a sales plan in force: the overall plan stays,
    the phase's dates or targets move once the general manager approves."""

    _name = "sale.plan.correction"
    _inherit = ["mail.thread", "mail.activity.mixin", "sale.approval.request.mixin"]
    _approval_decision_fields = (
        "old_date_start",
        "old_date_end",
        "old_target_amount",
        "old_target_visit_count",
        "old_target_new_customer_count",
        "applied_date",
    )
    _description = "Sales Plan Correction"
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference",
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
    )
    plan_id = fields.Many2one(
        "sale.plan",
        string="Sales Plan",
        required=True,
        index=True,
        check_company=True,
        domain="[('state', '=', 'active')]",
        tracking=True,
    )
    phase_id = fields.Many2one(
        "sale.plan.phase",
        required=True,
        check_company=True,
        domain="[('plan_id', '=', plan_id)]",
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users",
        string="Requested By",
        required=True,
        default=lambda self: self.env.user,
    )
    reason = fields.Text(
        required=True,
        tracking=True,
        help="What the phase summary showed and why the phase must change.",
    )
    new_date_start = fields.Date(
        string="New Start Date",
        compute="_compute_new_values",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    new_date_end = fields.Date(
        string="New End Date",
        compute="_compute_new_values",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    new_target_amount = fields.Monetary(
        string="New Target Sales",
        compute="_compute_new_values",
        store=True,
        readonly=False,
        precompute=True,
    )
    new_target_visit_count = fields.Integer(
        string="New Target Visits",
        compute="_compute_new_values",
        store=True,
        readonly=False,
        precompute=True,
    )
    new_target_new_customer_count = fields.Integer(
        string="New Target New Customers",
        compute="_compute_new_values",
        store=True,
        readonly=False,
        precompute=True,
    )
    old_date_start = fields.Date(string="Previous Start Date", readonly=True)
    old_date_end = fields.Date(string="Previous End Date", readonly=True)
    old_target_amount = fields.Monetary(string="Previous Target Sales", readonly=True)
    old_target_visit_count = fields.Integer(
        string="Previous Target Visits", readonly=True
    )
    old_target_new_customer_count = fields.Integer(
        string="Previous Target New Customers", readonly=True
    )
    applied_date = fields.Datetime(string="Applied On", readonly=True, copy=False)
    state = fields.Selection(
        CORRECTION_STATES,
        string="Status",
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )

    _sql_constraints = [
        (
            "dates_ordered",
            "CHECK(new_date_end >= new_date_start)",
            "A corrected phase cannot end before it starts.",
        ),
        (
            "targets_positive",
            "CHECK(new_target_amount >= 0 AND new_target_visit_count >= 0 "
            "AND new_target_new_customer_count >= 0)",
            "Corrected targets cannot be negative.",
        ),
    ]

    @api.depends("phase_id")
    def _compute_new_values(self):
        for correction in self:
            phase = correction.phase_id
            for phase_field, new_field in CORRECTED_FIELDS.items():
                correction[new_field] = phase[phase_field]

    @api.constrains("phase_id", "plan_id")
    def _check_phase_of_plan(self):
        for correction in self:
            if correction.phase_id.plan_id != correction.plan_id:
                raise ValidationError(
                    self.env._(
                        "Choose a phase of %(plan)s.", plan=correction.plan_id.name
                    )
                )

    @api.onchange("plan_id")
    def _onchange_plan_id(self):
        if self.phase_id.plan_id != self.plan_id:
            self.phase_id = False
        if self.plan_id:
            self.company_id = self.plan_id.company_id

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "sale.plan.correction"
                ) or self.env._("New")
            if vals.get("plan_id") and not vals.get("company_id"):
                vals["company_id"] = (
                    self.env["sale.plan"].browse(vals["plan_id"]).company_id.id
                )
        return super().create(vals_list)

    def write(self, vals):
        self._approval_check_draft_write(vals)
        return super().write(vals)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_submit(self):
        self._approval_check_not_submitted()
        for correction in self:
            correction._check_plan_in_force()
        self.action_submit_for_approval()
        self.filtered(lambda c: c.approval_state == "pending").sudo().write(
            {"state": "review"}
        )
        return True

    def action_cancel(self):
        return self._approval_cancel(
            ("applied",),
            self.env._("An applied correction cannot be cancelled."),
            self.env._("The correction was cancelled."),
        )

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
                    "The phase summary supports the change and the overall plan "
                    "stays reachable."
                ),
            }
        ]

    def _get_approval_fingerprint_values(self):
        self.ensure_one()
        values = {"phase": self.phase_id.id}
        for new_field in CORRECTED_FIELDS.values():
            values[new_field] = str(self[new_field])
        return values

    def _on_approval_approved(self):
        result = super()._on_approval_approved()
        self._apply()
        return result

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _check_plan_in_force(self):
        self.ensure_one()
        if self.plan_id.state != "active":
            raise UserError(
                self.env._(
                    "Only a sales plan in force is corrected; %(plan)s is not in "
                    "force. Edit a draft plan directly.",
                    plan=self.plan_id.name,
                )
            )

    def _apply(self):
        """Write the new values on the phase and keep the previous ones."""
        for correction in self.sudo():
            correction._check_plan_in_force()
            phase = correction.phase_id
            old_values = {
                f"old_{phase_field}": phase[phase_field]
                for phase_field in CORRECTED_FIELDS
            }
            phase.write(
                {
                    phase_field: correction[new_field]
                    for phase_field, new_field in CORRECTED_FIELDS.items()
                }
            )
            correction.write(
                {
                    **old_values,
                    "state": "applied",
                    "applied_date": fields.Datetime.now(),
                }
            )
            correction.plan_id._refresh_approval_fingerprint()
            correction.plan_id.message_post(
                body=self.env._(
                    "Correction %(correction)s applied to phase %(phase)s: %(reason)s",
                    correction=correction.name,
                    phase=phase.name,
                    reason=correction.reason,
                )
            )
