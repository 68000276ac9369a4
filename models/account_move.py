# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import api, models


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        # A credit note or a payment entry may remove the reasons of a hold.
        posted.filtered(
            lambda m: m.move_type in ("out_refund", "entry")
        ).commercial_partner_id._recheck_credit_holds()
        return posted


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        # Payments matched with invoices lower the open receivables.
        partners = (partials.debit_move_id | partials.credit_move_id).partner_id
        partners.commercial_partner_id._recheck_credit_holds()
        return partials
