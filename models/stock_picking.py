# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import api, models

from .sale_order_gate import DELIVERY_CHECKED_KEY


def _check_orders_delivery_credit(env, orders):
    """The delivery credit check of ``orders``, once per transaction and order
    (warehouse users need not read sales orders to meet it)."""
    checked = env.cr.precommit.data.setdefault(DELIVERY_CHECKED_KEY, set())
    orders = orders.sudo().filtered(lambda o: o.id not in checked)
    if not orders:
        return
    orders._check_delivery_credit()
    checked.update(orders.ids)


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def _action_done(self):
        # Every way of validating (button, backorder wizard, RPC) ends here.
        outgoing = self.sudo().filtered(
            lambda p: p.picking_type_code == "outgoing" and p.sale_id
        )
        _check_orders_delivery_credit(self.env, outgoing.sale_id)
        return super()._action_done()

    def write(self, vals):
        # A picking's state is computed from its moves; written directly, it
        # meets the same check.
        if vals.get("state") == "done":
            outgoing = self.sudo().filtered(
                lambda p: p.picking_type_code == "outgoing" and p.sale_id
            )
            _check_orders_delivery_credit(self.env, outgoing.sale_id)
        return super().write(vals)


class StockMove(models.Model):
    _inherit = "stock.move"

    @api.model_create_multi
    def create(self, vals_list):
        moves = super().create(vals_list)
        done = moves.filtered(lambda m: m.state == "done")
        if done:
            _check_orders_delivery_credit(self.env, done._get_customer_sale_orders())
        return moves

    def write(self, vals):
        # A move written as done delivers as much as a validated picking.
        if vals.get("state") == "done":
            _check_orders_delivery_credit(
                self.env,
                self.filtered(lambda m: m.state != "done")._get_customer_sale_orders(),
            )
        return super().write(vals)

    def _get_customer_sale_orders(self):
        """Sales orders whose goods these moves take to the customer."""
        moves = self.sudo().filtered(
            lambda m: m.sale_line_id and m.location_dest_id.usage == "customer"
        )
        return moves.sale_line_id.order_id
