# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
"""Deposit and subscription agreement of a won deal (R-40). The deposit is
Odoo's own down payment invoice; the agreement is recorded on the order."""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .sale_tools import ensure_one_record


class SaleOrder(models.Model):
    _inherit = "sale.order"

    agreement_signed = fields.Boolean(
        string="Subscription Agreement Signed",
        copy=False,
        tracking=True,
    )
    agreement_date = fields.Date(
        copy=False,
        tracking=True,
    )
    agreement_document = fields.Binary(
        attachment=True,
        copy=False,
    )
    agreement_filename = fields.Char(copy=False)
    deposit_amount = fields.Monetary(
        string="Deposit Invoiced",
        compute="_compute_deposit_amount",
        help="Untaxed amount of the down payment invoices of the order.",
    )

    @api.depends("order_line.is_downpayment", "order_line.price_unit")
    def _compute_deposit_amount(self):
        for order in self:
            order.deposit_amount = sum(
                line.price_unit
                for line in order.order_line
                if line.is_downpayment and not line.display_type
            )

    @api.constrains("agreement_signed", "agreement_date")
    def _check_agreement_date(self):
        for order in self:
            if order.agreement_signed and not order.agreement_date:
                raise ValidationError(
                    self.env._(
                        "Give the date on which the subscription agreement of "
                        "%(order)s was signed.",
                        order=order.name,
                    )
                )

    def action_record_deposit(self):
        """Open Odoo's down payment dialog on the order."""
        ensure_one_record(self)
        if self.state != "sale":
            raise UserError(
                self.env._(
                    "Confirm %(order)s before recording its deposit: the deposit is "
                    "a down payment invoice of the confirmed order.",
                    order=self.name,
                )
            )
        action = self.env["ir.actions.actions"]._for_xml_id(
            "sale.action_view_sale_advance_payment_inv"
        )
        action["name"] = self.env._("Record Deposit")
        action["context"] = {
            "active_model": "sale.order",
            "active_id": self.id,
            "active_ids": self.ids,
            "default_advance_payment_method": "percentage",
        }
        return action
