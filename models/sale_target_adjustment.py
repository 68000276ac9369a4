# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import api, fields, models
from odoo.exceptions import UserError

ADJUSTMENT_STATES = [
    ("draft", "Draft"),
    ("review", "Under Review"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("cancel", "Cancelled"),
]


class SaleTargetAdjustment(models.Model):
    """A request to change a target's amount (R-10): reviewed by the
    department head, then approved by the sales director through the review
    engine. Only approval changes the target, which keeps a version line."""

    _name = "sale.target.adjustment"
    _inherit = ["mail.thread", "mail.activity.mixin", "sale.approval.request.mixin"]
    _approval_decision_fields = ("current_amount",)
    _description = "Target Adjustment"
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference",
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
    )
    target_id = fields.Many2one(
        "sale.target",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        tracking=True,
    )
    company_id = fields.Many2one(
        related="target_id.company_id", store=True, index=True, precompute=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users",
        string="Requested By",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
    )
    reason = fields.Text(required=True, tracking=True)
    basis = fields.Text(
        required=True,
        tracking=True,
        help="Facts that support the change: market change, lost or won customer, "
        "reorganisation...",
    )
    current_amount = fields.Monetary(
        string="Current Value",
        readonly=True,
        copy=False,
        help="The target's amount when the request was submitted.",
    )
    target_amount = fields.Monetary(
        string="Amount Now", related="target_id.amount", readonly=True
    )
    new_amount = fields.Monetary(string="New Value", required=True, tracking=True)
    state = fields.Selection(
        ADJUSTMENT_STATES,
        string="Status",
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
                    "sale.target.adjustment"
                ) or self.env._("New")
        adjustments = super().create(vals_list)
        # Nobody requests a change of a target they may not see.
        adjustments.target_id.check_access("read")
        return adjustments

    def write(self, vals):
        if "target_id" in vals and not self.env.su:
            self.env["sale.target"].browse(vals["target_id"]).check_access("read")
        self._approval_check_draft_write(
            vals, status_fields=("state", "current_amount")
        )
        return super().write(vals)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_submit(self):
        self._approval_check_not_submitted()
        for adjustment in self:
            if adjustment.new_amount < 0:
                raise UserError(self.env._("A target amount cannot be negative."))
            if adjustment.target_id.state == "closed":
                raise UserError(
                    self.env._(
                        "Target %(target)s is closed and can no longer be adjusted.",
                        target=adjustment.target_id.display_name,
                    )
                )
        self.action_submit_for_approval()
        for adjustment in self.filtered(lambda a: a.approval_state == "pending"):
            # The value the reviewers compare with is frozen at submission.
            adjustment.sudo().write(
                {"state": "review", "current_amount": adjustment.target_id.amount}
            )
        return True

    def action_cancel(self):
        return self._approval_cancel(
            ("approved",),
            self.env._("An approved adjustment cannot be cancelled."),
            self.env._("The adjustment was cancelled."),
        )

    # ------------------------------------------------------------------
    # Review engine hooks
    # ------------------------------------------------------------------
    def _get_approval_steps(self):
        self.ensure_one()
        head_group = self.env.ref("sale_process_control.group_sale_department_head")
        # The head of the target's team reviews it, unless they asked for it:
        # then any other department head does.
        leader = self.target_id.team_id.user_id
        if leader in (self.env.user | self.user_id) or head_group not in (
            leader.groups_id
        ):
            leader = self.env["res.users"]
        return [
            {
                "name": self.env._("Department head review"),
                "group_id": head_group.id,
                "reviewer_id": leader.id,
                "stage": 1,
                "checklist": self.env._(
                    "The reason and basis justify the new value; the team's "
                    "other targets still add up."
                ),
            },
            {
                "name": self.env._("Sales director approval"),
                "group_id": self.env.ref("sale_process_control.group_sale_director").id,
                "stage": 2,
            },
        ]

    def _get_approval_fingerprint_values(self):
        self.ensure_one()
        return {"target": self.target_id.id, "new": self.new_amount}

    def _on_approval_approved(self):
        result = super()._on_approval_approved()
        for adjustment in self.sudo():
            adjustment._apply_to_target()
        return result

    def _apply_to_target(self):
        """Write the approved value on the target, keep a version line and tell
        the people concerned."""
        self.ensure_one()
        target = self.target_id
        old_amount = target.amount
        self.env["sale.target.version"].create(
            {
                "target_id": target.id,
                "adjustment_id": self.id,
                "old_amount": old_amount,
                "new_amount": self.new_amount,
                "user_id": self.env.user.id,
            }
        )
        target.write({"amount": self.new_amount})
        self.write({"state": "approved"})
        partners = (
            target.user_id.partner_id
            | target.team_id.user_id.partner_id
            | self.user_id.partner_id
            | target.message_partner_ids
        )
        target.message_post(
            body=self.env._(
                "Target changed from %(old)s to %(new)s by the approved adjustment "
                "%(adjustment)s: %(reason)s",
                old=target.currency_id.format(old_amount),
                new=target.currency_id.format(self.new_amount),
                adjustment=self.name,
                reason=self.reason,
            ),
            partner_ids=partners.ids,
            subtype_xmlid="mail.mt_comment",
        )


class SaleTargetVersion(models.Model):
    """One change of a target's amount by an approved adjustment."""

    _name = "sale.target.version"
    _description = "Target Version"
    _order = "date desc, id desc"

    target_id = fields.Many2one(
        "sale.target", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="target_id.company_id", store=True)
    currency_id = fields.Many2one(related="target_id.currency_id")
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    old_amount = fields.Monetary(string="Old Value")
    new_amount = fields.Monetary(string="New Value")
    adjustment_id = fields.Many2one("sale.target.adjustment", ondelete="set null")
    user_id = fields.Many2one(
        "res.users", string="Approved By", default=lambda self: self.env.user
    )
