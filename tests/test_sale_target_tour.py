# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestSaleTargetTour(HttpCase):
    """Browser tour: a director creates an annual target and decomposes it."""

    def test_director_decomposes_target(self):
        new_test_user(
            self.env,
            "spc_tour_target_director",
            groups="sale_process_control.group_sale_director",
        )
        self.start_tour(
            "/odoo/sales", "spc_target_decompose", login="spc_tour_target_director"
        )
        target = self.env["sale.target"].search([("name", "=", "Tour Annual Target")])
        self.assertEqual(target.year, 2031)
        self.assertEqual(target.amount, 1000.0)
        self.assertEqual(target.child_ids.mapped("amount"), [250.0] * 4)
        self.assertFalse(target.is_unbalanced)
