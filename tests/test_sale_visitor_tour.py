# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo.tests import HttpCase, tagged

from .common import SaleProcessControlCommon


@tagged("post_install", "-at_install")
class TestSaleVisitorTour(HttpCase, SaleProcessControlCommon):
    """A salesperson registers a visitor in the browser
    (static/tests/tours/sale_visitor_tour.js)."""

    def test_register_visitor(self):
        self.start_tour(
            "/odoo", "sale_visitor_register_tour", login=self.sale_user.login
        )
        visitor = self.env["sale.visitor"].search([("name", "=", "Tour Visitor Qian")])
        self.assertEqual(visitor.state, "registered")
        self.assertEqual(visitor.intent_level, "high")
        self.assertEqual(visitor.lead_id.intent_level, "high")
        self.assertEqual(visitor.lead_id.user_id, self.sale_user)
        self.assertEqual(
            visitor.lead_id.activity_ids.summary, "Follow up visitor Tour Visitor Qian"
        )
