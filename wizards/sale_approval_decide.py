# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.sale_tools import ensure_one_record


class SaleApprovalDecide(models.TransientModel):
    """A reviewer's decision on a document, with its comment."""

    _name = "sale.approval.decide"
    _description = "Review Decision"

    res_model = fields.Char(required=True)
    res_id = fields.Many2oneReference(model_field="res_model", required=True)
    document_name = fields.Char(string="Document", compute="_compute_step_info")
    step_names = fields.Char(string="Your Steps", compute="_compute_step_info")
    checklist = fields.Text(compute="_compute_step_info")
    comment = fields.Text(
        help="Required when you reject: it goes back to the author of the document.",
    )

    @api.depends("res_model", "res_id")
    def _compute_step_info(self):
        user = self.env.user
        for wizard in self:
            document = wizard._get_document()
            steps = (
                document._get_open_steps().filtered(lambda s: s._is_decidable_by(user))
                if document
                else self.env["sale.approval"]
            )
            wizard.document_name = document.display_name if document else False
            wizard.step_names = ", ".join(steps.mapped("name")) or False
            wizard.checklist = (
                "\n\n".join(
                    f"{step.name}:\n{step.checklist}"
                    for step in steps
                    if step.checklist
                )
                or False
            )

    def _get_document(self):
        self.ensure_one()
        if (
            self.res_model not in self.env
            or "approval_state" not in self.env[self.res_model]._fields
        ):
            raise UserError(self.env._("This document cannot be reviewed."))
        return self.env[self.res_model].browse(self.res_id).exists()

    def action_approve(self):
        ensure_one_record(self)
        self._get_document().action_approve(self.comment)
        return {"type": "ir.actions.act_window_close"}

    def action_reject(self):
        ensure_one_record(self)
        self._get_document().action_reject(self.comment)
        return {"type": "ir.actions.act_window_close"}
