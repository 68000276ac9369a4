# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.sale.tests.common import SaleCommon


@tagged("post_install", "-at_install")
class TestSaleOrderReview(SaleCommon):
    """The review engine on sales orders: the department-head step and the gate."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.salesperson = new_test_user(
            cls.env,
            "spc_review_sales",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id,
        )
        cls.head = new_test_user(
            cls.env,
            "spc_review_head",
            groups="sale_process_control.group_sale_department_head",
            company_id=cls.company.id,
        )
        cls.director = new_test_user(
            cls.env,
            "spc_review_director",
            groups="sale_process_control.group_sale_director",
            company_id=cls.company.id,
        )
        cls.finance = new_test_user(
            cls.env,
            "spc_review_finance",
            groups="sale_process_control.group_sale_reviewer_finance",
            company_id=cls.company.id,
        )
        cls.technical = new_test_user(
            cls.env,
            "spc_review_tech",
            groups="sale_process_control.group_sale_reviewer_technical",
            company_id=cls.company.id,
        )
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Review Team",
                "user_id": cls.head.id,
                "company_id": cls.company.id,
            }
        )
        cls.company.sale_review_enabled = True
        # The joint-review rules have their own tests (test_sale_review_rule);
        # here every order needs the department-head step only.
        for xmlid in ("technical", "finance", "production"):
            cls.env.ref(f"sale_process_control.sale_review_rule_{xmlid}").active = False
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Registered Customer Ltd",
                "is_company": True,
                "street": "1 Century Avenue",
                "city": "Shanghai",
            }
        )
        cls.customer_contact = cls.env["res.partner"].create(
            {
                "name": "Ms Registered Buyer",
                "parent_id": cls.customer.id,
                "type": "contact",
                "phone": "+86 21 5555 0101",
            }
        )

    def _new_order(self, user=None, qty=2):
        user = user or self.salesperson
        return (
            self.env["sale.order"]
            .with_user(user)
            .create(
                {
                    "partner_id": self.customer.id,
                    "customer_contact_id": self.customer_contact.id,
                    "commitment_date": "2030-01-15 08:00:00",
                    "requirement_description": "Two units, standard specification.",
                    "user_id": user.id,
                    "team_id": self.team.id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.product.id, "product_uom_qty": qty}
                        )
                    ],
                }
            )
        )

    # ------------------------------------------------------------------
    def test_registration_items_required_for_submission(self):
        order = self._new_order()
        order.write({"customer_contact_id": False, "customer_contact_phone": False})
        order.requirement_description = False
        with self.assertRaisesRegex(
            UserError, "Contact Person, Contact Phone"
        ) as error:
            order.action_submit_for_approval()
        self.assertIn("Product/Service Description", str(error.exception))
        self.assertEqual(order.approval_state, "none")
        order.write(
            {
                "customer_contact_id": self.customer_contact.id,
                "requirement_description": "Spare parts.",
            }
        )
        self.assertEqual(order.customer_contact_phone, "+86 21 5555 0101")
        self.assertFalse(order.registration_missing)
        order.action_submit_for_approval()
        self.assertEqual(order.approval_state, "pending")

    def test_switch_off_leaves_odoo_flow_alone(self):
        self.company.sale_review_enabled = False
        order = self._new_order()
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.approval_state, "none")
        self.assertFalse(order.approval_ids)

    def test_confirm_refused_before_review(self):
        order = self._new_order()
        with self.assertRaisesRegex(UserError, "cannot be confirmed before its review"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")

    def test_department_head_approves_then_order_confirms(self):
        order = self._new_order()
        order.action_submit_for_approval()
        self.assertEqual(order.approval_state, "pending")
        step = order.approval_ids
        self.assertEqual(len(step), 1)
        self.assertEqual(step.state, "pending")
        self.assertEqual(step.reviewer_id, self.head, "the team leader reviews")
        activity = order.activity_ids.filtered(
            lambda a: (
                a.activity_type_id
                == self.env.ref("sale_process_control.mail_activity_type_review")
            )
        )
        self.assertEqual(activity.user_id, self.head)

        order_as_head = order.with_user(self.head)
        self.assertTrue(order_as_head.approval_can_decide)
        order_as_head.action_approve("Complete and within policy.")
        self.assertEqual(order.approval_state, "approved")
        self.assertEqual(step.decided_by_id, self.head)
        self.assertFalse(
            order.activity_ids.filtered(
                lambda a: a.activity_type_id == activity.activity_type_id
            ),
            "the review activity is gone once decided",
        )
        self.assertTrue(
            any("Complete and within policy." in m.body for m in order.message_ids),
            "the decision and its comment are in the chatter",
        )

        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertTrue(
            order.picking_ids, "confirmation hands over to the delivery flow"
        )

    def test_nobody_approves_their_own_request(self):
        order = self._new_order(user=self.head)
        order.action_submit_for_approval()
        order_as_head = order.with_user(self.head)
        self.assertFalse(order_as_head.approval_can_decide)
        with self.assertRaises(AccessError):
            order_as_head.action_approve()
        # A director holds the department-head role too, and may decide.
        order.with_user(self.director).action_approve()
        self.assertEqual(order.approval_state, "approved")

    def test_salesperson_cannot_decide_nor_write_status(self):
        order = self._new_order()
        order.action_submit_for_approval()
        with self.assertRaises(AccessError):
            order.with_user(self.salesperson).action_approve()
        with self.assertRaises(AccessError):
            order.with_user(self.salesperson).write({"approval_state": "approved"})
        with self.assertRaises(AccessError):
            order.approval_ids.with_user(self.head).write({"state": "approved"})
        self.assertEqual(order.approval_state, "pending")

    def test_writing_state_or_importing_confirmed_order_is_refused(self):
        order = self._new_order()
        with self.assertRaises(UserError):
            order.with_user(self.salesperson).write({"state": "sale"})
        with self.assertRaises(UserError):
            order.with_context(any_flag=True, skip_review=True).sudo().write(
                {"state": "sale"}
            )
        self.assertEqual(order.state, "draft")
        result = (
            self.env["sale.order"]
            .with_user(self.salesperson)
            .load(
                ["partner_id/.id", "state", "order_line/product_id/.id"],
                [[str(self.customer.id), "sale", str(self.product.id)]],
            )
        )
        self.assertFalse(result["ids"], "an import cannot create a confirmed order")
        self.assertTrue(any(m["type"] == "error" for m in result["messages"]))

    def test_rejection_returns_order_with_reasons_and_resubmission_keeps_history(self):
        order = self._new_order()
        order.action_submit_for_approval()
        with self.assertRaisesRegex(UserError, "Say why"):
            order.with_user(self.head).action_reject("  ")
        order.with_user(self.head).action_reject("Delivery address missing.")
        self.assertEqual(order.approval_state, "rejected")
        todo = order.activity_ids.filtered(lambda a: a.user_id == self.salesperson)
        self.assertEqual(todo.note and "Delivery address missing." in todo.note, True)
        with self.assertRaises(UserError):
            order.action_confirm()

        order.action_submit_for_approval()
        self.assertEqual(order.approval_round, 2)
        rounds = {step.round: step.state for step in order.approval_ids}
        self.assertEqual(rounds, {1: "rejected", 2: "pending"})
        order.with_user(self.head).action_approve()
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_change_after_approval_resets_review(self):
        order = self._new_order()
        order.action_submit_for_approval()
        order.with_user(self.head).action_approve()
        order.order_line.with_user(self.salesperson).product_uom_qty = 5
        self.assertEqual(order.approval_state, "none")
        with self.assertRaisesRegex(UserError, "cannot be confirmed before"):
            order.action_confirm()
        # A change while pending also voids the round in flight.
        order.action_submit_for_approval()
        order.with_user(self.salesperson).write(
            {"order_line": [Command.create({"product_id": self.service_product.id})]}
        )
        self.assertEqual(order.approval_state, "none")
        self.assertEqual(order.approval_ids.mapped("state"), ["cancelled", "approved"])

    def test_duplicate_never_copies_approval(self):
        order = self._new_order()
        order.action_submit_for_approval()
        order.with_user(self.head).action_approve()
        copy = order.with_user(self.salesperson).copy()
        self.assertEqual(copy.approval_state, "none")
        self.assertFalse(copy.approval_ids)
        with self.assertRaises(UserError):
            copy.action_confirm()

    def test_portal_cannot_sign_or_pay_unreviewed_quotation(self):
        order = self._new_order()
        order.require_signature = True
        order.action_submit_for_approval()
        self.assertFalse(order._has_to_be_signed())
        self.assertFalse(order._has_to_be_paid())
        order.with_user(self.head).action_approve()
        self.assertTrue(order._has_to_be_signed())

    def test_parallel_and_sequential_steps(self):
        finance_group = self.env.ref("sale_process_control.group_sale_reviewer_finance")
        tech_group = self.env.ref("sale_process_control.group_sale_reviewer_technical")
        head_group = self.env.ref("sale_process_control.group_sale_department_head")

        def steps(order):
            return [
                {"name": "Head", "group_id": head_group.id, "stage": 1, "sequence": 10},
                {"name": "Technical", "group_id": tech_group.id, "stage": 1},
                {"name": "Finance", "group_id": finance_group.id, "stage": 2},
            ]

        with patch.object(type(self.env["sale.order"]), "_get_approval_steps", steps):
            order = self._new_order()
            order.action_submit_for_approval()
            by_name = {step.name: step for step in order.approval_ids}
            self.assertEqual(by_name["Head"].state, "pending")
            self.assertEqual(by_name["Technical"].state, "pending")
            self.assertEqual(by_name["Finance"].state, "waiting")
            self.assertFalse(order.with_user(self.finance).approval_can_decide)

            order.with_user(self.technical).action_approve("Feasible.")
            self.assertEqual(by_name["Finance"].state, "waiting")
            order.with_user(self.head).action_approve()
            self.assertEqual(by_name["Finance"].state, "pending")
            self.assertEqual(order.approval_state, "pending")
            my_steps = (
                self.env["sale.approval"]
                .with_user(self.finance)
                .search([("can_decide", "=", True)])
            )
            self.assertEqual(my_steps, by_name["Finance"])
            self.assertFalse(
                self.env["sale.approval"]
                .with_user(self.salesperson)
                .search([("can_decide", "=", True)]),
                "the requester's counter never shows their own request",
            )
            order.with_user(self.finance).action_reject("Payment terms too long.")
            self.assertEqual(order.approval_state, "rejected")

            order.action_submit_for_approval()
            current = order.approval_ids.filtered(lambda s: s.round == 2)
            self.assertEqual(len(current), 3)
            self.assertEqual(
                order.approval_ids.filtered(lambda s: s.round == 1).mapped("state"),
                ["approved", "approved", "rejected"],
            )

    def test_quotation_not_sent_before_approval_unless_allowed(self):
        order = self._new_order()
        with self.assertRaisesRegex(UserError, "once its review is approved"):
            order.action_quotation_send()
        self.company.sale_review_allow_send = True
        action = order.action_quotation_send()
        self.assertEqual(action["res_model"], "mail.compose.message")

    def test_review_sheet_lists_registration_and_decisions(self):
        order = self._new_order()
        order.action_submit_for_approval()
        order.with_user(self.head).action_reject("Price too low for this volume.")
        order.action_submit_for_approval()
        order.with_user(self.head).action_approve("Corrected.")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "sale_process_control.report_sale_review_sheet", order.ids
            )[0]
            .decode()
        )
        for text in (
            "Order Review Sheet",
            order.name,
            "Ms Registered Buyer",
            "+86 21 5555 0101",
            "Two units, standard specification.",
            "Price too low for this volume.",
            "Corrected.",
            "spc_review_head",
        ):
            self.assertIn(text, html)
