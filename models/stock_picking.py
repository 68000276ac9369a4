# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        # Every way of validating (button, backorder wizard, RPC) ends here.
        # Warehouse users need not read sales orders to meet the check.
        self.sudo().filtered(
            lambda p: p.picking_type_code == "outgoing" and p.sale_id
        ).sale_id._check_delivery_credit()
        return super()._action_done()
