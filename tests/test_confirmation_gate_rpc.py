# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
"""The bypass attempts over plain JSON-RPC, as a logged-in salesperson's
client would send them."""

from odoo import Command
from odoo.tests import HttpCase, JsonRpcException, tagged

from .test_confirmation_gate import GateCommon


@tagged("post_install", "-at_install")
class TestConfirmationGateRpc(GateCommon, HttpCase):
    def _call(self, model, method, *args, **kwargs):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def _refused(self, model, method, *args, **kwargs):
        with self.assertRaises(JsonRpcException) as caught:
            self._call(model, method, *args, **kwargs)
        return str(caught.exception)

    def _rpc_order_vals(self, **extra):
        vals = self._order_vals()
        vals["commitment_date"] = str(vals["commitment_date"].replace(microsecond=0))
        vals["order_line"] = [
            Command.create(
                {
                    "product_id": self.product.id,
                    "product_uom_qty": 10,
                    "tax_id": [Command.clear()],
                }
            )
        ]
        return dict(vals, **extra)

    def test_salesperson_cannot_get_past_the_gate_over_json_rpc(self):
        self.authenticate(self.salesperson.login, self.salesperson.login)
        count_before = self.env["sale.order"].search_count([])
        # A forged approval, and a confirmed state, at create.
        self.assertIn(
            "AccessError",
            self._refused(
                "sale.order",
                "create",
                [self._rpc_order_vals(approval_state="approved")],
            ),
        )
        self.assertIn(
            "UserError",
            self._refused("sale.order", "create", [self._rpc_order_vals(state="sale")]),
        )
        self.assertEqual(self.env["sale.order"].search_count([]), count_before)
        # Cancel, then write the state.
        order_id = self._call("sale.order", "create", [self._rpc_order_vals()])[0]
        self._call("sale.order", "action_cancel", [order_id])
        self.assertIn(
            "UserError",
            self._refused("sale.order", "write", [order_id], {"state": "sale"}),
        )
        # The credit hold cannot be cleared by the salesperson.
        order = self.env["sale.order"].browse(order_id)
        order.sudo()._set_credit_hold(["a test hold"])
        self.assertIn(
            "AccessError",
            self._refused("sale.order", "write", [order_id], {"credit_hold": False}),
        )
        order.invalidate_recordset()
        self.assertEqual(order.state, "cancel")
        self.assertTrue(order.credit_hold)
        self.assertFalse(order.picking_ids)
