# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    sale_review_enabled = fields.Boolean(
        related="company_id.sale_review_enabled",
        readonly=False,
    )
    sale_customer_ownership_control = fields.Boolean(
        related="company_id.sale_customer_ownership_control",
        readonly=False,
    )
    sale_review_allow_send = fields.Boolean(
        related="company_id.sale_review_allow_send",
        readonly=False,
    )
    sale_joint_review_amount = fields.Monetary(
        related="company_id.sale_joint_review_amount",
        readonly=False,
    )
    sale_discount_control_enabled = fields.Boolean(
        related="company_id.sale_discount_control_enabled",
        readonly=False,
    )
    sale_discount_max_salesperson = fields.Float(
        related="company_id.sale_discount_max_salesperson",
        readonly=False,
    )
    sale_discount_max_head = fields.Float(
        related="company_id.sale_discount_max_head",
        readonly=False,
    )
    sale_discount_max_director = fields.Float(
        related="company_id.sale_discount_max_director",
        readonly=False,
    )
    sale_discount_max_management = fields.Float(
        related="company_id.sale_discount_max_management",
        readonly=False,
    )
    sale_credit_control_enabled = fields.Boolean(
        related="company_id.sale_credit_control_enabled",
        readonly=False,
    )
    sale_credit_overdue_days = fields.Integer(
        related="company_id.sale_credit_overdue_days",
        readonly=False,
    )
    sale_credit_overdue_amount = fields.Monetary(
        related="company_id.sale_credit_overdue_amount",
        readonly=False,
    )
    sale_credit_release_tolerance = fields.Float(
        related="company_id.sale_credit_release_tolerance",
        readonly=False,
    )
    sale_contract_required = fields.Boolean(
        related="company_id.sale_contract_required",
        readonly=False,
    )
    sale_contract_amount = fields.Monetary(
        related="company_id.sale_contract_amount",
        readonly=False,
    )
    sale_contract_major_amount = fields.Monetary(
        related="company_id.sale_contract_major_amount",
        readonly=False,
    )
    sale_contract_gate_state = fields.Selection(
        related="company_id.sale_contract_gate_state",
        readonly=False,
    )
    sale_achievement_basis = fields.Selection(
        related="company_id.sale_achievement_basis",
        readonly=False,
    )

    def set_values(self):
        # Discount authority needs the line discounts (see
        # res.company._enable_line_discounts); an unticked Discounts box in
        # the same save must not take them away again.
        for settings in self:
            if settings.sale_discount_control_enabled:
                settings.group_discount_per_so_line = True
        return super().set_values()
