# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    sale_execution_risk_days = fields.Integer(
        string="At-Risk Days",
        default=3,
        help="An order not yet delivered is at risk when its promised delivery date "
        "is at most this many days away (or already past).",
    )

    @api.constrains("sale_execution_risk_days")
    def _check_sale_execution_risk_days(self):
        for company in self:
            if company.sale_execution_risk_days < 0:
                raise ValidationError(
                    self.env._(
                        "The at-risk days of %(company)s cannot be negative; use 0 "
                        "to flag only orders that are due today or late.",
                        company=company.display_name,
                    )
                )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sale_execution_risk_days = fields.Integer(
        related="company_id.sale_execution_risk_days",
        readonly=False,
    )
