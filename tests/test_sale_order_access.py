# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.sale.tests.common import SaleCommon


@tagged("post_install", "-at_install")
class TestSaleOrderReviewAccess(SaleCommon):
    """Who sees which order and which review step (R-42)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.sale_review_enabled = True
        cls.alice = new_test_user(
            cls.env, "spc_acc_alice", groups="sales_team.group_sale_salesman"
        )
        cls.bob = new_test_user(
            cls.env, "spc_acc_bob", groups="sales_team.group_sale_salesman"
        )
        cls.head = new_test_user(
            cls.env,
            "spc_acc_head",
            groups="sale_process_control.group_sale_department_head",
        )
        cls.finance = new_test_user(
            cls.env,
            "spc_acc_fin",
            groups="sale_process_control.group_sale_reviewer_finance",
        )
        cls.technical = new_test_user(
            cls.env,
            "spc_acc_tech",
            groups="sale_process_control.group_sale_reviewer_technical",
        )
        customer = cls.env["res.partner"].create(
            {
                "name": "Access Co",
                "is_company": True,
                "street": "1 Rd",
                "city": "Suzhou",
            }
        )
        contact = cls.env["res.partner"].create(
            {"name": "Access Buyer", "parent_id": customer.id, "phone": "0512-1"}
        )

        def order(user):
            return (
                cls.env["sale.order"]
                .with_user(user)
                .create(
                    {
                        "partner_id": customer.id,
                        "customer_contact_id": contact.id,
                        "commitment_date": "2030-01-01 08:00:00",
                        "requirement_description": "Parts",
                        "user_id": user.id,
                        "order_line": [Command.create({"product_id": cls.product.id})],
                    }
                )
            )

        # A first-time customer: the finance step applies, the technical one does not.
        cls.alice_order = order(cls.alice)
        cls.alice_order.action_submit_for_approval()
        cls.bob_order = order(cls.bob)

    def test_salesperson_sees_own_orders_and_steps_only(self):
        Order = self.env["sale.order"].with_user(self.bob)
        self.assertNotIn(self.alice_order, Order.search([]))
        with self.assertRaises(AccessError):
            self.alice_order.with_user(self.bob).read(["name"])
        steps = self.env["sale.approval"].with_user(self.bob).search([])
        self.assertFalse(steps & self.alice_order.approval_ids)

    def test_reviewer_sees_orders_submitted_to_their_role_only(self):
        visible = self.env["sale.order"].with_user(self.finance).search([])
        self.assertIn(self.alice_order, visible)
        self.assertNotIn(self.bob_order, visible)
        self.assertFalse(
            self.env["sale.order"]
            .with_user(self.technical)
            .search([("id", "=", self.alice_order.id)]),
            "no technical step: the technical reviewer does not see the order",
        )
        with self.assertRaises(AccessError):
            self.alice_order.with_user(self.finance).write(
                {"note": "changed by finance"}
            )

    def test_department_head_sees_all_steps(self):
        steps = (
            self.env["sale.approval"]
            .with_user(self.head)
            .search(
                [("res_model", "=", "sale.order"), ("res_id", "=", self.alice_order.id)]
            )
        )
        self.assertEqual(steps, self.alice_order.approval_ids)

    def test_my_reviews_counts_only_decidable_steps(self):
        mine = [
            ("can_decide", "=", True),
            ("res_id", "=", self.alice_order.id),
            ("res_model", "=", "sale.order"),
        ]
        head_mine = self.env["sale.approval"].with_user(self.head).search_count(mine)
        finance_mine = (
            self.env["sale.approval"].with_user(self.finance).search_count(mine)
        )
        self.assertEqual(head_mine, 1, "the head step is open")
        self.assertEqual(finance_mine, 0, "the finance step waits for the head")
