# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import models


class BasePartnerMergeAutomaticWizard(models.TransientModel):
    _inherit = "base.partner.merge.automatic.wizard"

    def _merge(self, partner_ids, dst_partner=None, extra_checks=True):
        # Merging moves visits by SQL: the surviving customer's stored visit
        # windows are rebuilt from them (the merged ones are deleted with
        # their partners).
        partners = self.env["res.partner"].browse(partner_ids).exists()
        result = super()._merge(
            partner_ids, dst_partner=dst_partner, extra_checks=extra_checks
        )
        self.env["sale.visit.window"]._refresh_partners(
            (partners | (dst_partner or self.env["res.partner"])).exists()
        )
        return result
