# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestExecutionTour(HttpCase):
    """Browser tour: a salesperson records the acceptance of a late order."""

    def test_salesperson_records_acceptance(self):
        salesperson = new_test_user(
            self.env,
            "spc_tour_execution_sales",
            groups="sales_team.group_sale_salesman",
        )
        product = self.env["product.product"].create(
            {"name": "Tour Spindle", "type": "consu", "is_storable": True}
        )
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )
        self.env["stock.quant"]._update_available_quantity(
            product, warehouse.lot_stock_id, 10.0
        )
        customer = self.env["res.partner"].create(
            {"name": "Tour Execution Customer", "is_company": True}
        )
        order = self.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "user_id": salesperson.id,
                "commitment_date": fields.Datetime.now() - timedelta(days=5),
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 5})
                ],
            }
        )
        order.action_confirm()
        picking = order.picking_ids
        picking.move_ids.quantity = 3
        picking.move_ids.picked = True
        picking._action_done()
        self.assertTrue(order.has_open_delivery, "the backorder is still open")

        self.start_tour(
            "/odoo/sales", "spc_execution_acceptance", login=salesperson.login
        )

        acceptance = order.acceptance_ids
        self.assertEqual(acceptance.result, "accepted_remarks")
        self.assertEqual(acceptance.picking_id, picking)
        self.assertEqual(acceptance.accepted_by_id, customer)
        self.assertEqual(acceptance.feedback_id.feedback_type, "complaint")
        self.assertEqual(acceptance.feedback_id.sale_order_id, order)
