# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import api, fields, models
from odoo.exceptions import UserError

from .sale_contract_template import CLAUSE_FIELDS

AMENDMENT_TYPES = [("change", "Change"), ("termination", "Termination")]
AMENDMENT_STATES = [
    ("draft", "Draft"),
    ("review", "Under Review"),
    ("applied", "Applied"),
    ("rejected", "Rejected"),
    ("cancel", "Cancelled"),
]


class SaleContractAmendment(models.Model):
    """A change or termination agreement (补充协议/解除协议) of a contract in force
    (R-28): the same review chain, the signed agreement attached, then applied."""

    _name = "sale.contract.amendment"
    _inherit = ["mail.thread", "mail.activity.mixin", "sale.approval.request.mixin"]
    _approval_decision_fields = ("version_before", "old_values", "applied_date")
    _description = "Contract Amendment"
    _order = "id desc"

    name = fields.Char(
        readonly=True, copy=False, default=lambda self: self.env._("New")
    )
    contract_id = fields.Many2one(
        "sale.contract",
        required=True,
        index=True,
        ondelete="restrict",
        domain="[('state', '=', 'signed')]",
    )
    company_id = fields.Many2one(related="contract_id.company_id", store=True)
    currency_id = fields.Many2one(related="contract_id.currency_id")
    user_id = fields.Many2one(
        "res.users", string="Requested By", default=lambda self: self.env.user
    )
    amendment_type = fields.Selection(AMENDMENT_TYPES, required=True, default="change")
    reason = fields.Text(required=True)
    state = fields.Selection(
        AMENDMENT_STATES, default="draft", readonly=True, copy=False, tracking=True
    )
    new_delivery_date = fields.Date()
    clause_delivery = fields.Text(string="New Delivery Terms")
    clause_payment = fields.Text(string="New Payment Terms")
    clause_quality = fields.Text(string="New Quality Standard")
    clause_acceptance = fields.Text(string="New Acceptance")
    clause_breach = fields.Text(string="New Breach Liability")
    clause_dispute = fields.Text(string="New Dispute Resolution")
    clause_other = fields.Text(string="New Other Clauses")
    signed_file = fields.Binary(string="Signed Agreement", attachment=True, copy=False)
    signed_filename = fields.Char(copy=False)
    version_before = fields.Integer(readonly=True, copy=False)
    old_values = fields.Text(string="Values Before", readonly=True, copy=False)
    applied_date = fields.Date(readonly=True, copy=False)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "sale.contract.amendment"
                ) or self.env._("New")
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            if "state" in vals:
                raise UserError(
                    self.env._("Use the buttons to change an amendment's status.")
                )
            if any(a.state not in ("draft", "rejected") for a in self):
                raise UserError(
                    self.env._("Amendments under review or applied cannot be edited.")
                )
        return super().write(vals)

    def action_submit(self):
        for amendment in self:
            if amendment.contract_id.state != "signed":
                raise UserError(
                    self.env._("Only contracts in force are amended or terminated.")
                )
            if not amendment.signed_file:
                raise UserError(
                    self.env._(
                        "Attach the agreement signed by both parties before the review."
                    )
                )
            if amendment.amendment_type == "change" and not (
                amendment.new_delivery_date
                or any(amendment[name] for name in CLAUSE_FIELDS)
            ):
                raise UserError(self.env._("Say what the amendment changes."))
        self.action_submit_for_approval()
        self.filtered(lambda a: a.approval_state == "pending").sudo().write(
            {"state": "review"}
        )
        return True

    def action_cancel(self):
        self.check_access("write")
        for amendment in self.filtered(lambda a: a.approval_state == "pending"):
            amendment._approval_reset(self.env._("The amendment was cancelled."))
        self.filtered(lambda a: a.state != "applied").sudo().write({"state": "cancel"})
        return True

    # Review: the same chain as the contract itself.
    def _get_approval_steps(self):
        self.ensure_one()
        return self.contract_id.sudo()._get_approval_steps()

    def _get_approval_fingerprint_values(self):
        self.ensure_one()
        return {
            "type": self.amendment_type,
            "date": str(self.new_delivery_date or ""),
            "clauses": [self[name] or "" for name in CLAUSE_FIELDS],
        }

    def _on_approval_approved(self):
        result = super()._on_approval_approved()
        for amendment in self.sudo():
            amendment._apply()
        return result

    def _apply(self):
        """Apply the agreed changes: the contract shows its amended values and a
        new version; a termination also stops the undelivered part of the orders."""
        self.ensure_one()
        contract = self.contract_id
        changes = {name: self[name] for name in CLAUSE_FIELDS if self[name]}
        if self.new_delivery_date:
            changes["delivery_date"] = self.new_delivery_date
        labels = contract._fields
        self.old_values = "\n".join(
            f"{labels[name].get_description(self.env)['string']}: "
            f"{contract[name] or ''}"
            for name in changes
        )
        self.version_before = contract.version
        values = dict(changes, version=contract.version + 1)
        if self.amendment_type == "termination":
            values["state"] = "terminated"
        contract.write(values)
        if self.amendment_type == "termination":
            contract._stop_undelivered()
        self.write(
            {"state": "applied", "applied_date": fields.Date.context_today(self)}
        )
        contract.message_post(
            body=self.env._(
                "%(amendment)s applied (%(type)s): version %(version)s.",
                amendment=self.name,
                type=dict(
                    self._fields["amendment_type"]._description_selection(self.env)
                )[self.amendment_type],
                version=contract.version,
            )
        )
