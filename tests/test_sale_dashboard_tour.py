# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import SaleProcessControlCommon


@tagged("post_install", "-at_install")
class TestSaleDashboardTour(HttpCase, SaleProcessControlCommon):
    """The dashboard in the browser (static/tests/tours/sale_dashboard_tour.js)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        customer = cls.env["res.partner"].create(
            {"name": "Dashboard Tour Customer", "is_company": True, "customer_rank": 1}
        )
        gear = cls.env["product.product"].create(
            {"name": "Dashboard Tour Gear", "type": "service", "list_price": 900.0}
        )
        orders = cls.env["sale.order"].create(
            [
                {
                    "partner_id": customer.id,
                    "user_id": cls.sale_user.id,
                    "order_line": [Command.create({"product_id": gear.id})],
                }
                for __ in range(2)
            ]
        )
        orders[0].action_confirm()
        orders[1].write({"credit_hold": True})

    def test_dashboard_opens_records(self):
        self.start_tour(
            "/odoo", "sale_process_control_dashboard_tour", login=self.head_user.login
        )
