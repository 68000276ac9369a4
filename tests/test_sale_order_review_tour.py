# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .common import load_chinese


@tagged("post_install", "-at_install")
class TestSaleOrderReviewTour(HttpCase):
    """The order review in the browser, one tour per person and turn: submit,
    approve, reject, correct and resubmit, approve again, confirm."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write(
            {
                "sale_review_enabled": True,
                # Only the department head and the finance steps apply here.
                "sale_joint_review_amount": 1000000.0,
                "sale_discount_control_enabled": False,
                "sale_credit_control_enabled": False,
                "sale_contract_required": False,
            }
        )
        # Inventory rights show the Delivery smart button of the confirmed order.
        cls.salesperson = new_test_user(
            cls.env,
            "spc_rtour_sales",
            groups="sales_team.group_sale_salesman,stock.group_stock_user",
            company_id=cls.company.id,
        )
        cls.head = new_test_user(
            cls.env,
            "spc_rtour_head",
            groups="sale_process_control.group_sale_department_head",
            company_id=cls.company.id,
        )
        cls.finance = new_test_user(
            cls.env,
            "spc_rtour_finance",
            groups="sale_process_control.group_sale_reviewer_finance",
            company_id=cls.company.id,
        )
        cls.env["crm.team"].create(
            {
                "name": "Review Tour Team",
                "user_id": cls.head.id,
                "member_ids": [Command.set(cls.salesperson.ids)],
                "company_id": cls.company.id,
            }
        )
        # A first-time customer: the finance review applies to it.
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Lotus Trading Co",
                "is_company": True,
                "street": "88 Binjiang Road",
                "city": "Hangzhou",
            }
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Mei Lin",
                "parent_id": cls.customer.id,
                "type": "contact",
                "phone": "+86 571 5555 0188",
            }
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Review Tour Valve",
                "type": "consu",
                "list_price": 500.0,
                "taxes_id": [Command.clear()],
            }
        )
        cls.head_step_group = cls.env.ref(
            "sale_process_control.group_sale_department_head"
        )
        cls.finance_step_group = cls.env.ref(
            "sale_process_control.group_sale_reviewer_finance"
        )

    def _tour(self, tour, login):
        self.start_tour("/odoo", tour, login=login)
        # The tour wrote through the server's cursor; read the database afresh.
        self.env.invalidate_all()

    def _steps(self, order, round_, group):
        return order.approval_ids.filtered(
            lambda s: s.round == round_ and s.group_id == group
        )

    def test_order_review_tour(self):
        # 1. The salesperson registers the quotation and submits it.
        self._tour("spc_order_review_submit", "spc_rtour_sales")
        order = self.env["sale.order"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(order), 1)
        self.assertEqual(order.user_id, self.salesperson)
        self.assertEqual(order.customer_contact_id, self.contact)
        self.assertEqual(order.customer_contact_phone, "+86 571 5555 0188")
        self.assertTrue(order.commitment_date)
        self.assertIn("DN50", order.requirement_description)
        self.assertEqual(order.order_line.product_uom_qty, 2)
        self.assertEqual(order.approval_state, "pending")
        self.assertEqual(order.approval_round, 1)
        pending = order.approval_ids.filtered(lambda s: s.state == "pending")
        self.assertEqual(len(pending), 1)
        self.assertEqual(pending.group_id, self.head_step_group)
        self.assertEqual(pending.reviewer_id, self.head, "the team leader reviews")
        self.assertEqual(
            self._steps(order, 1, self.finance_step_group).state, "waiting"
        )

        # 2. The department head approves from My Reviews.
        self._tour("spc_order_review_head_approve", "spc_rtour_head")
        head_step = self._steps(order, 1, self.head_step_group)
        finance_step = self._steps(order, 1, self.finance_step_group)
        self.assertEqual(head_step.state, "approved")
        self.assertEqual(head_step.decided_by_id, self.head)
        self.assertEqual(finance_step.state, "pending")
        self.assertEqual(order.approval_state, "pending")

        # 3. Finance rejects: the quotation returns to the salesperson.
        self._tour("spc_order_review_finance_reject", "spc_rtour_finance")
        self.assertEqual(order.approval_state, "rejected")
        self.assertEqual(finance_step.state, "rejected")
        self.assertEqual(finance_step.comment, "Prepayment required")
        todo = order.activity_ids.filtered(
            lambda a: (
                a.user_id == self.salesperson
                and a.activity_type_id == self.env.ref("mail.mail_activity_data_todo")
            )
        )
        self.assertEqual(len(todo), 1)
        self.assertIn("Prepayment required", todo.note)

        # 4. The salesperson changes the quantity and submits again.
        self._tour("spc_order_review_resubmit", "spc_rtour_sales")
        self.assertEqual(order.order_line.product_uom_qty, 3)
        self.assertEqual(order.approval_state, "pending")
        self.assertEqual(order.approval_round, 2)
        self.assertEqual(
            sorted((s.round, s.group_id.id, s.state) for s in order.approval_ids),
            sorted(
                [
                    (1, self.head_step_group.id, "approved"),
                    (1, self.finance_step_group.id, "rejected"),
                    (2, self.head_step_group.id, "pending"),
                    (2, self.finance_step_group.id, "waiting"),
                ]
            ),
            "the first round is kept as it was decided",
        )

        # 5. and 6. The head, then finance approve the second round.
        self._tour("spc_order_review_head_approve", "spc_rtour_head")
        self.assertEqual(self._steps(order, 2, self.head_step_group).state, "approved")
        self.assertEqual(
            self._steps(order, 2, self.finance_step_group).state, "pending"
        )
        self._tour("spc_order_review_finance_approve", "spc_rtour_finance")
        self.assertEqual(
            self._steps(order, 2, self.finance_step_group).state, "approved"
        )
        self.assertEqual(order.approval_state, "approved")
        self.assertEqual(order.state, "draft")

        # 7. The salesperson confirms; the delivery follows.
        self._tour("spc_order_review_confirm", "spc_rtour_sales")
        self.assertEqual(order.state, "sale")
        self.assertTrue(order.picking_ids)

    def test_discount_above_authority_in_chinese(self):
        load_chinese(self.env)
        self.salesperson.lang = "zh_CN"
        self.company.partner_id.lang = "zh_CN"
        self.company.write(
            {
                "sale_review_enabled": False,
                "sale_discount_control_enabled": True,
                "sale_discount_max_salesperson": 5.0,
                "sale_discount_max_head": 20.0,
                "sale_discount_max_director": 30.0,
                "sale_discount_max_management": 50.0,
            }
        )
        order = (
            self.env["sale.order"]
            .with_user(self.salesperson)
            .create(
                {
                    "partner_id": self.customer.id,
                    "customer_contact_id": self.contact.id,
                    "commitment_date": "2030-01-15 08:00:00",
                    "requirement_description": "Two DN50 valves.",
                    "order_line": [
                        Command.create(
                            {"product_id": self.product.id, "product_uom_qty": 2}
                        )
                    ],
                }
            )
        )
        self._tour("spc_order_discount_submit_zh", "spc_rtour_sales")
        line = order.order_line
        self.assertEqual(line.discount, 15.0)
        self.assertEqual(line.discount_reason, "年度批量采购")
        self.assertEqual(order.amount_untaxed, 850.0)
        self.assertEqual(order.approval_state, "pending")
        step = order.approval_ids.filtered(lambda s: s.state == "pending")
        self.assertEqual(step.group_id, self.head_step_group)
        self.assertIn("折扣审批", step.name)
