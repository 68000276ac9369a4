# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import fields, models

from ..models.sale_tools import ensure_one_record


class SaleContractSign(models.TransientModel):
    """Record the signature of an approved contract."""

    _name = "sale.contract.sign"
    _description = "Sign a Sales Contract"

    contract_id = fields.Many2one("sale.contract", required=True, readonly=True)
    sign_date = fields.Date(
        string="Signing Date", required=True, default=fields.Date.context_today
    )
    company_signatory_id = fields.Many2one(
        "res.users", string="Signed For Us By", default=lambda self: self.env.user
    )
    customer_signatory = fields.Char(string="Signed For the Customer By", required=True)
    signed_file = fields.Binary(string="Signed Original", required=True)
    signed_filename = fields.Char()

    def action_sign(self):
        ensure_one_record(self)
        self.contract_id._sign(
            {
                "sign_date": self.sign_date,
                "company_signatory_id": self.company_signatory_id.id,
                "customer_signatory": self.customer_signatory,
                "signed_file": self.signed_file,
                "signed_filename": self.signed_filename,
            }
        )
        return {"type": "ir.actions.act_window_close"}
