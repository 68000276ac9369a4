# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import Command
from odoo.tests import HttpCase, tagged

from .common import SaleProcessControlCommon


@tagged("post_install", "-at_install")
class TestMenuTour(HttpCase, SaleProcessControlCommon):
    """The Sales app in the browser, as a salesperson and a department head
    (static/tests/tours/sale_process_control_tour.js)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {"name": "Tour Menu Customer", "is_company": True, "customer_rank": 1}
        )
        cls.sale_team.write(
            {
                "user_id": cls.head_user.id,
                "member_ids": [Command.link(cls.sale_user.id)],
            }
        )
        cls.quotation = (
            cls.env["sale.order"]
            .with_user(cls.sale_user)
            .create(
                {
                    "partner_id": cls.customer.id,
                    "order_line": [
                        Command.create(
                            {"product_id": cls.product.id, "product_uom_qty": 3.0}
                        )
                    ],
                }
            )
        )
        # A confirmed order gives the sales analysis something to draw.
        confirmed = cls.quotation.copy()
        confirmed.action_confirm()

    def test_salesperson_sections(self):
        self.assertEqual(self.quotation.user_id, self.sale_user)
        self.start_tour(
            "/odoo", "sale_process_control_tour", login=self.sale_user.login
        )

    def test_head_reviews_and_analysis(self):
        self.start_tour(
            "/odoo", "sale_process_control_head_tour", login=self.head_user.login
        )
