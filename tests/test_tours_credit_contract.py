# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import load_chinese


@tagged("post_install", "-at_install")
class TestCreditContractTours(HttpCase):
    """Browser tours: a credit hold released by finance, then delivered; a
    contract drafted, reviewed, signed with its original and printed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.salesperson = new_test_user(
            cls.env,
            "spc_tour_sales",
            groups="sales_team.group_sale_salesman,stock.group_stock_user",
        )
        cls.finance = new_test_user(
            cls.env,
            "spc_tour_finance",
            groups="sale_process_control.group_sale_reviewer_finance",
        )
        cls.head = new_test_user(
            cls.env,
            "spc_tour_head",
            groups="sale_process_control.group_sale_department_head",
        )
        cls.legal = new_test_user(
            cls.env,
            "spc_tour_legal",
            groups="sale_process_control.group_sale_reviewer_legal",
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Tour Customer Co",
                "is_company": True,
                "user_id": cls.salesperson.id,
                "street": "9 Rd",
                "city": "Hangzhou",
                "legal_representative": "赵总",
            }
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Tour Pump",
                "list_price": 1000.0,
                "type": "consu",
                "taxes_id": [Command.clear()],
            }
        )

    def _limit_customer_to(self, limit):
        """Credit control on, the customer graded A with ``limit``."""
        self.company.sale_credit_control_enabled = True
        self.customer.with_company(self.company).write(
            {
                "credit_limit": limit,
                "credit_grade": "A",
                "credit_grade_valid_until": fields.Date.today() + timedelta(days=30),
            }
        )

    def _order(self, qty):
        return (
            self.env["sale.order"]
            .with_user(self.salesperson)
            .create(
                {
                    "partner_id": self.customer.id,
                    "user_id": self.salesperson.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "product_uom_qty": qty,
                                "tax_id": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )

    def test_credit_hold_release_and_delivery(self):
        self._limit_customer_to(1000.0)
        order = self._order(qty=3)  # 3,000 > 1,000
        url = f"/odoo/sales/{order.id}"
        self.start_tour(url, "spc_credit_hold_salesperson", login="spc_tour_sales")
        self.assertTrue(order.credit_hold)
        self.assertEqual(order.state, "draft")
        self.start_tour(url, "spc_credit_release_finance", login="spc_tour_finance")
        self.assertTrue(order.credit_release_ids)
        self.start_tour(url, "spc_credit_confirm_and_deliver", login="spc_tour_sales")
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.picking_ids.state, "done")

    def test_finance_releases_a_hold_in_chinese(self):
        load_chinese(self.env)
        self.finance.lang = "zh_CN"
        self._limit_customer_to(1000.0)
        order = self._order(qty=3)  # 3,000 > 1,000
        # The salesperson works in English; the hold reason is written in
        # the company's language (Chinese here), which finance reads.
        self.company.partner_id.lang = "zh_CN"
        order.with_user(self.salesperson).action_confirm()
        self.assertTrue(order.credit_hold)
        self.start_tour(
            f"/odoo/sales/{order.id}",
            "spc_credit_release_finance_zh",
            login="spc_tour_finance",
        )
        self.assertFalse(order.credit_hold)
        self.assertTrue(order.credit_release_ids)

    def test_contract_draft_review_sign_print(self):
        order = self._order(qty=2)
        self.start_tour(
            f"/odoo/sales/{order.id}",
            "spc_contract_draft_and_submit",
            login="spc_tour_sales",
        )
        contract = order.contract_ids
        self.assertEqual(contract.state, "review")
        url = f"/odoo/action-sale_process_control.sale_contract_action/{contract.id}"
        self.start_tour(url, "spc_contract_review", login="spc_tour_head")
        self.start_tour(url, "spc_contract_review", login="spc_tour_legal")
        self.assertEqual(contract.state, "approved")
        self.start_tour(url, "spc_contract_sign_and_print", login="spc_tour_sales")
        self.assertEqual(contract.state, "signed")
        self.assertTrue(contract.signed_file)
        self.assertTrue(contract.archive_number)

    def test_legal_reviews_and_prints_in_chinese(self):
        load_chinese(self.env)
        self.legal.lang = "zh_CN"
        self.customer.lang = "zh_CN"
        self.company.partner_id.lang = "zh_CN"
        order = self._order(qty=2)
        contract = (
            self.env["sale.contract"]
            .with_user(self.salesperson)
            ._create_from_orders(order)
        )
        contract.action_submit()
        contract.with_user(self.head).action_approve()
        self.assertEqual(contract.state, "review")
        self.start_tour(
            f"/odoo/action-sale_process_control.sale_contract_action/{contract.id}",
            "spc_contract_review_legal_zh",
            login="spc_tour_legal",
        )
        self.assertEqual(contract.state, "approved")
        legal_step = contract.approval_ids.filtered(
            lambda s: s.decided_by_id == self.legal
        )
        self.assertEqual(legal_step.comment, "条款已审核")
