# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.sale.tests.common import SaleCommon

# Queries the controls may add to one confirmation, whatever the data size.
MAX_EXTRA_QUERIES = 5


@tagged("post_install", "-at_install")
class TestSaleOrderGateQueries(SaleCommon):
    """The confirmation gate costs a fixed number of queries (issue: order intake,
    performance): independent of the number of review rules and of the
    customer's order history."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = new_test_user(
            cls.env, "spc_q_sales", groups="sales_team.group_sale_salesman"
        )
        cls.head = new_test_user(
            cls.env,
            "spc_q_head",
            groups="sale_process_control.group_sale_department_head",
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Query Customer",
                "is_company": True,
                "street": "1 Rd",
                "city": "Wuxi",
            }
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Query Contact", "parent_id": cls.customer.id, "phone": "0510-1"}
        )

    def _order(self, discount=0.0):
        return self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "customer_contact_id": self.contact.id,
                "commitment_date": "2030-01-01 08:00:00",
                "requirement_description": "Standard.",
                "user_id": self.salesperson.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "product_uom_qty": 1,
                            "discount": discount,
                            "discount_reason": "Loyalty" if discount else False,
                        }
                    ),
                    Command.create({"product_id": self.service_product.id}),
                ],
            }
        )

    def _confirm_queries(self, order):
        order.invalidate_recordset()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        return self.cr.sql_log_count - before

    def _approved_order(self):
        order = self._order(discount=8.0)
        order.action_submit_for_approval()
        order.with_user(self.head).action_approve()
        return order

    def test_gate_adds_fixed_queries(self):
        company = self.env.company
        # Warm-up, then plain Odoo.
        self._confirm_queries(self._order())
        plain = self._confirm_queries(self._order())

        company.write(
            {"sale_review_enabled": True, "sale_discount_control_enabled": True}
        )
        self._confirm_queries(self._approved_order())
        small = self._confirm_queries(self._approved_order())

        # 100 more rules and a long order history for the same customer.
        head_group = self.env.ref("sale_process_control.group_sale_department_head")
        self.env["sale.review.rule"].create(
            [
                {
                    "name": f"Extra rule {i}",
                    "group_id": head_group.id,
                    "stage": "3",
                    "credit_grades": "D",
                }
                for i in range(100)
            ]
        )
        company.write(
            {"sale_review_enabled": False, "sale_discount_control_enabled": False}
        )
        history = self.env["sale.order"].create(
            [
                {
                    "partner_id": self.customer.id,
                    "order_line": [
                        Command.create({"product_id": self.service_product.id})
                    ],
                }
                for _i in range(60)
            ]
        )
        history.action_confirm()
        company.write(
            {"sale_review_enabled": True, "sale_discount_control_enabled": True}
        )
        approved = self._approved_order()
        large = self._confirm_queries(approved)

        self.assertEqual(large, small, "queries do not grow with rules or history")
        self.assertLessEqual(
            small - plain, MAX_EXTRA_QUERIES, f"plain {plain}, controlled {small}"
        )
