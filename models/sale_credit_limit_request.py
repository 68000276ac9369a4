# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import api, fields, models
from odoo.exceptions import UserError

from .sale_tools import company_lang

LIMIT_REQUEST_STATES = [
    ("draft", "Draft"),
    ("review", "Under Review"),
    ("approved", "In Force"),
    ("rejected", "Rejected"),
    ("expired", "Expired"),
    ("replaced", "Replaced"),
    ("cancel", "Cancelled"),
]


class SaleCreditLimitRequest(models.Model):
    """A credit limit proposed by sales, reviewed by finance and approved by
    management (R-21). Only approval changes the customer's limit, which is
    Odoo's own ``credit_limit`` so Odoo's warnings agree; a temporary limit
    falls back to the previous one when it expires."""

    _name = "sale.credit.limit.request"
    _inherit = ["mail.thread", "mail.activity.mixin", "sale.approval.request.mixin"]
    _description = "Credit Limit Request"
    _order = "id desc"
    _check_company_auto = True
    _approval_decision_fields = ("current_limit", "previous_limit", "approved_date")

    name = fields.Char(
        string="Reference",
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        domain="[('parent_id', '=', False)]",
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users",
        string="Requested By",
        required=True,
        default=lambda self: self.env.user,
    )
    current_limit = fields.Monetary(
        string="Limit When Requested", readonly=True, copy=False
    )
    proposed_limit = fields.Monetary(required=True, tracking=True)
    reason = fields.Text(required=True, tracking=True)
    valid_until = fields.Date(
        string="Temporary Until",
        tracking=True,
        help="Leave empty for a permanent limit; a temporary limit falls back to the "
        "limit in force before it on this date.",
    )
    previous_limit = fields.Monetary(
        string="Limit Before Approval", readonly=True, copy=False
    )
    approved_date = fields.Datetime(readonly=True, copy=False)
    state = fields.Selection(
        LIMIT_REQUEST_STATES,
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "sale.credit.limit.request"
                ) or self.env._("New")
        requests = super().create(vals_list)
        for request in requests:
            # The limit in force is company-dependent and readable by finance only.
            request.sudo().current_limit = request._get_limit_in_force()
        return requests

    def write(self, vals):
        self._approval_check_draft_write(vals)
        return super().write(vals)

    def _get_limit_in_force(self):
        self.ensure_one()
        return (
            self.partner_id.commercial_partner_id.sudo()
            .with_company(self.company_id)
            .credit_limit
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_submit(self):
        self._approval_check_not_submitted()
        for request in self:
            if request.proposed_limit < 0:
                raise UserError(self.env._("A credit limit cannot be negative."))
        self.action_submit_for_approval()
        self.filtered(lambda r: r.approval_state == "pending").sudo().write(
            {"state": "review"}
        )
        return True

    def action_cancel(self):
        return self._approval_cancel(
            ("approved", "expired", "replaced"),
            self.env._("A decided request cannot be cancelled."),
            self.env._("The request was cancelled."),
        )

    # ------------------------------------------------------------------
    # Review engine hooks
    # ------------------------------------------------------------------
    def _get_approval_steps(self):
        self.ensure_one()
        return [
            {
                "name": self.env._("Finance review"),
                "group_id": self.env.ref(
                    "sale_process_control.group_sale_reviewer_finance"
                ).id,
                "stage": 1,
                "checklist": self.env._(
                    "Credit grade, payment record, exposure and overdue receivables "
                    "support the proposed limit."
                ),
            },
            {
                "name": self.env._("Management approval"),
                "group_id": self.env.ref(
                    "sale_process_control.group_sale_management"
                ).id,
                "stage": 2,
            },
        ]

    def _get_approval_fingerprint_values(self):
        self.ensure_one()
        return {
            "partner": self.partner_id.id,
            "limit": self.proposed_limit,
            "until": str(self.valid_until or ""),
        }

    def _on_approval_approved(self):
        result = super()._on_approval_approved()
        for request in self.sudo():
            in_force = self.sudo().search(
                [
                    ("partner_id", "=", request.partner_id.id),
                    ("company_id", "=", request.company_id.id),
                    ("state", "=", "approved"),
                    ("id", "!=", request.id),
                ]
            )
            previous = request._get_limit_in_force()
            # A temporary limit falls back to what was in force before it.
            fallback = previous
            temporary_in_force = in_force.filtered("valid_until")
            if temporary_in_force:
                fallback = temporary_in_force[:1].previous_limit
            in_force.write({"state": "replaced"})
            request.write(
                {
                    "state": "approved",
                    "previous_limit": fallback,
                    "approved_date": fields.Datetime.now(),
                }
            )
            request._write_partner_limit(request.proposed_limit)
        self.partner_id._recheck_credit_holds()
        return result

    def _write_partner_limit(self, amount):
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id.sudo().with_company(
            self.company_id
        )
        partner.write({"credit_limit": amount, "use_partner_credit_limit": True})
        partner.message_post(
            body=self.env._(
                "Credit limit set to %(amount)s by %(request)s.",
                amount=self.currency_id.format(amount),
                request=self.name,
            )
        )

    @api.model
    def _cron_expire_temporary_limits(self):
        """Temporary limits fall back by themselves on their end date."""
        today = fields.Date.context_today(self)
        expired = self.sudo().search(
            [
                ("state", "=", "approved"),
                ("approval_state", "=", "approved"),
                ("valid_until", "!=", False),
                ("valid_until", "<", today),
            ]
        )
        # Only limits that went through their review fall back (the review
        # status is written by the review engine alone).
        for request in expired:
            request = request.with_context(lang=company_lang(request.company_id))
            request._write_partner_limit(request.previous_limit)
            request.write({"state": "expired"})
            request.message_post(
                body=request.env._(
                    "Temporary limit expired; back to %(amount)s.",
                    amount=request.currency_id.format(request.previous_limit),
                )
            )
        return True
