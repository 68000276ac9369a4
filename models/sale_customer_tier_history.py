# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import api, fields, models
from odoo.exceptions import AccessError


class SaleCustomerTierHistory(models.Model):
    """One tier change of one customer in one company (R-02): who, when, from,
    to, why. Written by confirmed tier reviews only."""

    _name = "sale.customer.tier.history"
    _description = "Customer Tier History"
    _order = "date desc, id desc"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    user_id = fields.Many2one("res.users", string="Changed By", required=True)
    old_tier_id = fields.Many2one("sale.customer.tier", string="Previous Tier")
    new_tier_id = fields.Many2one("sale.customer.tier", required=True)
    review_line_id = fields.Many2one("sale.tier.review.line")
    reason = fields.Text()

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise AccessError(
                self.env._("Tier history is written by confirmed tier reviews only.")
            )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            raise AccessError(self.env._("Tier history cannot be changed."))
        return super().write(vals)
