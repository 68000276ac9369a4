# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # Credit holds raise and resolve their risk event at once; the daily
    # cron catches holds set or cleared any other way.
    def _set_credit_hold(self, reasons):
        result = super()._set_credit_hold(reasons)
        self._sync_credit_hold_risk_events()
        return result

    def _clear_credit_hold(self, why, feedback=None):
        result = super()._clear_credit_hold(why, feedback=feedback)
        self._sync_credit_hold_risk_events()
        return result

    def _sync_credit_hold_risk_events(self):
        # The risk register is supervision's; the salesperson who confirms
        # only triggers the bookkeeping of their own order's event.
        events = self.env["sale.risk.event"].sudo()
        for order in self.filtered("company_id.sale_risk_auto_enabled"):
            company = order.company_id
            events.with_company(company)._sync_automatic(
                company,
                "credit_hold",
                events._get_credit_hold_causes(company, orders=order.sudo()),
                scope={f"credit_hold:{order.id}"},
            )
