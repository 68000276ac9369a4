# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    sale_risk_auto_enabled = fields.Boolean(
        string="Raise Risk Events Automatically",
        help="Credit holds, late deliveries and overdue receivables raise risk "
        "events in the risk register, and resolve them when the cause disappears.",
    )
    sale_risk_delivery_tolerance = fields.Integer(
        string="Late Delivery Tolerance (Days)",
        default=3,
        help="A delivery raises a risk event once it is this many days past its "
        "deadline (or scheduled date) and still not done.",
    )
    sale_risk_receivable_days = fields.Integer(
        string="Overdue Receivable Tolerance (Days)",
        default=30,
        help="Receivables overdue for more than this many days raise a risk event "
        "for the customer.",
    )
    sale_risk_receivable_amount = fields.Monetary(
        string="Overdue Receivable Tolerance (Amount)",
        currency_field="currency_id",
        help="A customer's receivables overdue beyond the tolerance in days raise "
        "a risk event when they add up to more than this amount.",
    )
    sale_rectification_days = fields.Integer(
        string="Rectification Period (Days)",
        default=7,
        help="Default number of days a responsible person has to answer a "
        "rectification notice.",
    )

    @api.constrains(
        "sale_risk_delivery_tolerance",
        "sale_risk_receivable_days",
        "sale_risk_receivable_amount",
        "sale_rectification_days",
    )
    def _check_sale_supervision_settings(self):
        for company in self:
            if (
                company.sale_risk_delivery_tolerance < 0
                or company.sale_risk_receivable_days < 0
                or company.sale_risk_receivable_amount < 0
                or company.sale_rectification_days < 1
            ):
                raise ValidationError(
                    self.env._(
                        "The risk tolerances of %(company)s cannot be negative and "
                        "the rectification period must be at least one day.",
                        company=company.display_name,
                    )
                )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sale_risk_auto_enabled = fields.Boolean(
        related="company_id.sale_risk_auto_enabled",
        readonly=False,
    )
    sale_risk_delivery_tolerance = fields.Integer(
        related="company_id.sale_risk_delivery_tolerance",
        readonly=False,
    )
    sale_risk_receivable_days = fields.Integer(
        related="company_id.sale_risk_receivable_days",
        readonly=False,
    )
    sale_risk_receivable_amount = fields.Monetary(
        related="company_id.sale_risk_receivable_amount",
        readonly=False,
    )
    sale_rectification_days = fields.Integer(
        related="company_id.sale_rectification_days",
        readonly=False,
    )
