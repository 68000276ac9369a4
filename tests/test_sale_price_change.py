# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.sale.tests.common import SaleCommon


@tagged("post_install", "-at_install")
class TestSalePriceChange(SaleCommon):
    """R-18: prices change only after finance and management approve."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = new_test_user(
            cls.env, "spc_pc_sales", groups="sales_team.group_sale_salesman"
        )
        cls.other_salesperson = new_test_user(
            cls.env, "spc_pc_sales2", groups="sales_team.group_sale_salesman"
        )
        cls.finance = new_test_user(
            cls.env,
            "spc_pc_finance",
            groups="sale_process_control.group_sale_reviewer_finance",
        )
        cls.management = new_test_user(
            cls.env, "spc_pc_mgmt", groups="sale_process_control.group_sale_management"
        )
        cls.product.write({"list_price": 100.0, "standard_price": 60.0})
        cls.pricelist = cls.env["product.pricelist"].create({"name": "Distributors"})

    def _request(self, proposed=120.0, pricelist=None):
        return (
            self.env["sale.price.change"]
            .with_user(self.salesperson)
            .create(
                {
                    "reason": "Raw material cost up 15%.",
                    "pricelist_id": pricelist and pricelist.id,
                    "line_ids": [
                        Command.create(
                            {"product_id": self.product.id, "proposed_price": proposed}
                        )
                    ],
                }
            )
        )

    def test_numbering_and_margins_for_finance(self):
        change = self._request()
        self.assertTrue(change.name.startswith("PC/"))
        line = change.line_ids.with_user(self.finance)
        self.assertEqual(line.current_price, 100.0)
        self.assertEqual(line.cost, 60.0)
        self.assertAlmostEqual(line.margin_before, 40.0)
        self.assertAlmostEqual(line.margin_after, 50.0)
        self.assertAlmostEqual(line.change_percent, 20.0)
        with self.assertRaises(AccessError):
            change.line_ids.with_user(self.salesperson).read(["cost"])

    def test_sales_price_changes_only_after_both_approvals(self):
        change = self._request()
        change.action_submit()
        self.assertEqual(change.state, "review")
        self.assertEqual(self.product.lst_price, 100.0)
        with self.assertRaises(UserError):
            change.with_user(self.management).action_approve()  # finance first
        change.with_user(self.finance).action_approve("Margin back to 50%.")
        self.assertEqual(
            self.product.lst_price, 100.0, "nothing changes before approval"
        )
        with self.assertRaises(UserError):
            change.line_ids.with_user(self.salesperson).proposed_price = 200.0
        change.with_user(self.management).action_approve()
        self.assertEqual(change.state, "applied")
        self.assertEqual(self.product.lst_price, 120.0)
        self.assertEqual(
            change.line_ids.current_price, 100.0, "history keeps the old price"
        )
        self.assertTrue(change.line_ids.applied_date)
        self.assertIn("PC/", self.product.product_tmpl_id.message_ids[0].body)

    def test_pricelist_price_changes_after_approval(self):
        change = self._request(proposed=95.0, pricelist=self.pricelist)
        self.assertEqual(change.line_ids.current_price, 100.0)
        change.action_submit()
        change.with_user(self.finance).action_approve()
        change.with_user(self.management).action_approve()
        self.assertEqual(self.pricelist._get_product_price(self.product, 1.0), 95.0)
        self.assertEqual(self.product.lst_price, 100.0, "the sales price is untouched")
        item = change.line_ids.pricelist_item_id
        # A second change updates the same rule rather than stacking rules.
        second = self._request(proposed=90.0, pricelist=self.pricelist)
        second.action_submit()
        second.with_user(self.finance).action_approve()
        second.with_user(self.management).action_approve()
        self.assertEqual(second.line_ids.pricelist_item_id, item)
        self.assertEqual(self.pricelist._get_product_price(self.product, 1.0), 90.0)

    def test_rejection_changes_nothing_and_state_cannot_be_forced(self):
        change = self._request()
        with self.assertRaises(UserError):
            change.with_user(self.salesperson).write({"state": "applied"})
        change.action_submit()
        change.with_user(self.finance).action_reject(
            "Customers were promised stable prices."
        )
        self.assertEqual(change.state, "rejected")
        self.assertEqual(self.product.lst_price, 100.0)
        with self.assertRaises(AccessError):
            change.with_user(self.salesperson).action_approve()

    def test_requester_cannot_approve_even_as_manager(self):
        change = (
            self.env["sale.price.change"]
            .with_user(self.management)
            .create(
                {
                    "reason": "Promotion.",
                    "line_ids": [
                        Command.create(
                            {"product_id": self.product.id, "proposed_price": 80.0}
                        )
                    ],
                }
            )
        )
        change.action_submit()
        change.with_user(self.finance).action_approve()
        with self.assertRaises(AccessError):
            change.with_user(self.management).action_approve()
        self.assertEqual(self.product.lst_price, 100.0)

    def test_salespeople_see_only_their_requests(self):
        change = self._request()
        visible = (
            self.env["sale.price.change"].with_user(self.other_salesperson).search([])
        )
        self.assertNotIn(change, visible)
        self.assertIn(
            change, self.env["sale.price.change"].with_user(self.finance).search([])
        )
