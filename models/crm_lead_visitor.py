# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import fields, models

from .sale_visitor import INTENT_LEVELS


class CrmLead(models.Model):
    _inherit = "crm.lead"

    intent_level = fields.Selection(
        INTENT_LEVELS,
        tracking=True,
        help="How keen the prospect was when registered as a visitor.",
    )
