# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.sale.tests.common import SaleCommon


@tagged("post_install", "-at_install")
class TestSaleReviewRuleMatrix(SaleCommon):
    """Which steps the default review rules and the discount authority add."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.salesperson = new_test_user(
            cls.env, "spc_rule_sales", groups="sales_team.group_sale_salesman"
        )
        cls.head = new_test_user(
            cls.env,
            "spc_rule_head",
            groups="sale_process_control.group_sale_department_head",
        )
        cls.director = new_test_user(
            cls.env,
            "spc_rule_director",
            groups="sale_process_control.group_sale_director",
        )
        cls.management = new_test_user(
            cls.env,
            "spc_rule_mgmt",
            groups="sale_process_control.group_sale_management",
        )
        cls.special = cls.env["product.product"].create(
            {
                "name": "Custom CNC Machine",
                "list_price": 1000.0,
                "is_special_product": True,
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Old Customer Co",
                "is_company": True,
                "street": "8 Nanjing Rd",
                "city": "Shanghai",
            }
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Mr Buyer", "parent_id": cls.customer.id, "phone": "021-5555"}
        )
        cls.new_customer = cls.env["res.partner"].create(
            {
                "name": "New Customer Co",
                "is_company": True,
                "street": "9 Huaihai Rd",
                "city": "Shanghai",
            }
        )
        cls.new_contact = cls.env["res.partner"].create(
            {
                "name": "Ms Newbuyer",
                "parent_id": cls.new_customer.id,
                "phone": "021-6666",
            }
        )
        # A past confirmed order makes Old Customer Co a returning customer.
        past = cls._make_order(cls.customer, cls.contact, cls.product, 1)
        past.action_confirm()
        cls.company.write(
            {
                "sale_review_enabled": True,
                "sale_joint_review_amount": 10000.0,
                "sale_discount_max_salesperson": 5.0,
                "sale_discount_max_head": 10.0,
                "sale_discount_max_director": 15.0,
                "sale_discount_max_management": 30.0,
            }
        )

    @classmethod
    def _make_order(
        cls,
        partner,
        contact,
        product,
        qty,
        price=100.0,
        discount=0.0,
        user=None,
        **values,
    ):
        user = user or cls.salesperson
        return (
            cls.env["sale.order"]
            .with_user(user)
            .create(
                {
                    "partner_id": partner.id,
                    "customer_contact_id": contact.id,
                    "commitment_date": "2030-03-01 08:00:00",
                    "requirement_description": "As quoted.",
                    "user_id": user.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "product_uom_qty": qty,
                                "price_unit": price,
                                "discount": discount,
                                "discount_reason": "Volume deal" if discount else False,
                            }
                        )
                    ],
                    **values,
                }
            )
        )

    def _submitted_steps(self, order):
        order.action_submit_for_approval()
        return {(step.name, step.stage, step.state) for step in order.approval_ids}

    # ------------------------------------------------------------------
    # Rule matrix
    # ------------------------------------------------------------------
    def test_returning_customer_small_order_head_only(self):
        order = self._make_order(self.customer, self.contact, self.product, 2)
        self.assertEqual(
            self._submitted_steps(order), {("Department head review", 1, "pending")}
        )

    def test_first_time_customer_adds_finance(self):
        order = self._make_order(self.new_customer, self.new_contact, self.product, 2)
        self.assertEqual(
            self._submitted_steps(order),
            {
                ("Department head review", 1, "pending"),
                ("Finance review", 2, "waiting"),
            },
        )

    def test_large_amount_adds_joint_review(self):
        order = self._make_order(self.customer, self.contact, self.product, 100)
        self.assertEqual(order.amount_untaxed, 10000.0, "exactly at the threshold")
        self.assertEqual(
            self._submitted_steps(order),
            {
                ("Department head review", 1, "pending"),
                ("Technical review", 2, "waiting"),
                ("Finance review", 2, "waiting"),
                ("Production review", 2, "waiting"),
            },
        )

    def test_just_below_large_amount_is_not_joint(self):
        order = self._make_order(
            self.customer, self.contact, self.product, 1, price=9999.99
        )
        self.assertEqual(
            self._submitted_steps(order), {("Department head review", 1, "pending")}
        )

    def test_special_product_adds_technical_and_production(self):
        order = self._make_order(self.customer, self.contact, self.special, 1)
        self.assertEqual(
            self._submitted_steps(order),
            {
                ("Department head review", 1, "pending"),
                ("Technical review", 2, "waiting"),
                ("Production review", 2, "waiting"),
            },
        )

    def test_complex_requirements_add_technical(self):
        order = self._make_order(
            self.customer, self.contact, self.product, 1, has_complex_requirements=True
        )
        self.assertEqual(
            self._submitted_steps(order),
            {
                ("Department head review", 1, "pending"),
                ("Technical review", 2, "waiting"),
            },
        )

    def test_combined_triggers_add_each_step_once(self):
        order = self._make_order(
            self.new_customer,
            self.new_contact,
            self.special,
            1,
            has_complex_requirements=True,
        )
        steps = self._submitted_steps(order)
        self.assertEqual(
            sorted(name for name, _stage, _state in steps),
            [
                "Department head review",
                "Finance review",
                "Production review",
                "Technical review",
            ],
        )

    def test_credit_grade_rule_applies_once_grades_exist(self):
        original = type(self.env["sale.order"])._get_review_facts

        def facts_with_grade(order):
            return dict(original(order), credit_grade="C")

        order = self._make_order(self.customer, self.contact, self.product, 1)
        with patch.object(
            type(self.env["sale.order"]), "_get_review_facts", facts_with_grade
        ):
            steps = self._submitted_steps(order)
        self.assertIn(("Finance review", 2, "waiting"), steps)

    def test_steps_are_frozen_at_submission(self):
        order = self._make_order(self.new_customer, self.new_contact, self.product, 1)
        order.action_submit_for_approval()
        self.env.ref("sale_process_control.sale_review_rule_finance").active = False
        order.with_user(self.head).action_approve()
        self.assertEqual(
            order.approval_ids.filtered(lambda s: s.name == "Finance review").state,
            "pending",
            "editing the rules does not move work in flight",
        )
        self.assertEqual(order.approval_state, "pending")

    def test_joint_review_starts_after_head_and_any_rejection_returns(self):
        finance = new_test_user(
            self.env,
            "spc_rule_fin",
            groups="sale_process_control.group_sale_reviewer_finance",
        )
        order = self._make_order(self.new_customer, self.new_contact, self.product, 1)
        order.action_submit_for_approval()
        with self.assertRaises(UserError):
            order.with_user(finance).action_approve()
        order.with_user(self.head).action_approve()
        order.with_user(finance).action_reject("Prepayment needed for a new customer.")
        self.assertEqual(order.approval_state, "rejected")
        with self.assertRaises(UserError):
            order.action_confirm()

    # ------------------------------------------------------------------
    # Discount authority
    # ------------------------------------------------------------------
    def _discount_steps(self, discount, user=None):
        self.company.sale_review_enabled = False
        self.company.sale_discount_control_enabled = True
        order = self._make_order(
            self.customer, self.contact, self.product, 1, discount=discount, user=user
        )
        if not order.review_required:
            return order, None
        order.action_submit_for_approval()
        return order, order.approval_ids

    def test_discount_within_salesperson_authority_needs_nothing(self):
        order, steps = self._discount_steps(5.0)
        self.assertIsNone(steps)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_discount_boundaries_pick_the_lowest_covering_role(self):
        expected = {
            5.01: "group_sale_department_head",
            10.0: "group_sale_department_head",
            10.01: "group_sale_director",
            15.0: "group_sale_director",
            15.5: "group_sale_management",
            30.0: "group_sale_management",
        }
        for discount, group in expected.items():
            with self.subTest(discount=discount):
                _order, steps = self._discount_steps(discount)
                self.assertEqual(len(steps), 1)
                self.assertEqual(
                    steps.group_id, self.env.ref(f"sale_process_control.{group}")
                )

    def test_discount_beyond_every_role_is_refused(self):
        self.company.sale_discount_control_enabled = True
        order = self._make_order(
            self.customer, self.contact, self.product, 1, discount=30.5
        )
        with self.assertRaisesRegex(UserError, "exceeds the authority of every role"):
            order.action_submit_for_approval()

    def test_author_authority_depends_on_role(self):
        _order, steps = self._discount_steps(10.0, user=self.head)
        self.assertIsNone(steps, "a department head grants up to 10% alone")
        _order, steps = self._discount_steps(12.0, user=self.head)
        self.assertEqual(
            steps.group_id, self.env.ref("sale_process_control.group_sale_director")
        )

    def test_discount_reason_required(self):
        self.company.sale_discount_control_enabled = True
        order = self._make_order(
            self.customer, self.contact, self.product, 1, discount=8.0
        )
        order.order_line.discount_reason = False
        with self.assertRaisesRegex(UserError, "Discount Reason of each order line"):
            order.action_submit_for_approval()

    def test_approved_discount_recorded_and_raise_after_approval_resets(self):
        order, _steps = self._discount_steps(12.0)
        with self.assertRaisesRegex(UserError, "cannot be confirmed before"):
            order.action_confirm()
        order.with_user(self.director).action_approve("Strategic customer.")
        line = order.order_line
        self.assertEqual(line.discount_approved, 12.0)
        self.assertEqual(line.discount_approved_by_id, self.director)
        self.assertEqual(line.discount_reason, "Volume deal")
        with self.assertRaises(AccessError):
            line.with_user(self.salesperson).write({"discount_approved": 20.0})

        line.with_user(self.salesperson).discount = 14.0
        self.assertEqual(order.approval_state, "none")
        with self.assertRaises(UserError):
            order.action_confirm()
        order.action_submit_for_approval()
        order.with_user(self.director).action_approve()
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.order_line.discount_approved, 14.0)
