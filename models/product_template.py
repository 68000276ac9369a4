# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    is_special_product = fields.Boolean(
        string="Special Product",
        help="Custom-made or otherwise special: orders containing it go to the joint "
        "review of the technical and production departments.",
    )
    requires_contract = fields.Boolean(
        string="Requires a Contract",
        help="With the contract requirement on, orders of this product are confirmed "
        "only once their sales contract is signed (or approved).",
    )
