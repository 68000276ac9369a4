# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.sale.tests.common import TestSaleCommon

ORDER_DATE = datetime(2026, 3, 1, 10, 0)


@tagged("post_install", "-at_install")
class TestCollectionPlan(TestSaleCommon):
    """R-24: installments from the payment terms, what is received on the
    invoices, overdue follow-up by the salesperson."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        salesman = "sales_team.group_sale_salesman"
        cls.salesperson = new_test_user(
            cls.env, "spc_coll_sales", groups=salesman, company_id=cls.company.id
        )
        cls.other_salesperson = new_test_user(
            cls.env, "spc_coll_sales2", groups=salesman, company_id=cls.company.id
        )
        cls.head = new_test_user(
            cls.env,
            "spc_coll_head",
            groups="sale_process_control.group_sale_department_head",
            company_id=cls.company.id,
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Plan Customer", "is_company": True, "user_id": cls.salesperson.id}
        )
        cls.product = cls.company_data["product_order_no"]
        cls.product.write(
            {
                "list_price": 100.0,
                "taxes_id": [Command.clear()],
                "invoice_policy": "order",
            }
        )
        # 30% on the reference date, 70% thirty days later.
        cls.term = cls.env["account.payment.term"].create(
            {
                "name": "30/70",
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 30.0, "nb_days": 0}
                    ),
                    Command.create(
                        {"value": "percent", "value_amount": 70.0, "nb_days": 30}
                    ),
                ],
            }
        )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _order(self, quantity=10.0, term=None, commitment_date=False, confirm=True):
        order = (
            self.env["sale.order"]
            .with_user(self.salesperson)
            .create(
                {
                    "partner_id": self.customer.id,
                    "user_id": self.salesperson.id,
                    "date_order": ORDER_DATE,
                    "commitment_date": commitment_date,
                    "payment_term_id": False
                    if term is False
                    else (term or self.term).id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "product_uom_qty": quantity,
                                "price_unit": 100.0,
                                "tax_id": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        if confirm:
            order.action_confirm()
        return order

    def _plan(self, order):
        action = order.with_user(self.salesperson).action_open_collection_plan()
        return self.env["sale.collection.plan"].browse(action["res_id"])

    def _invoice(self, order, quantity=None):
        # Invoicing is for the accountants, not the salesperson.
        invoice = order.with_env(self.env)._create_invoices()
        if quantity is not None:
            invoice.invoice_line_ids.quantity = quantity
        invoice.action_post()
        return invoice

    def _pay(self, invoice, amount, day=date(2026, 3, 5)):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": amount, "payment_date": day})._create_payments()

    def _installments(self, plan):
        return [
            (line.due_date, line.amount, line.amount_received, line.status)
            for line in plan.line_ids
        ]

    # ------------------------------------------------------------------
    # Making the plan
    # ------------------------------------------------------------------
    @freeze_time("2026-03-01 12:00:00")
    def test_plan_from_payment_terms(self):
        order = self._order()
        plan = self._plan(order)
        self.assertEqual(plan.order_id, order)
        self.assertEqual(plan.date_ref, date(2026, 3, 1))
        self.assertEqual(plan.payment_term_id, self.term)
        self.assertEqual(
            self._installments(plan),
            [
                (date(2026, 3, 1), 300.0, 0.0, "planned"),
                (date(2026, 3, 31), 700.0, 0.0, "planned"),
            ],
        )
        self.assertEqual(
            plan.line_ids.mapped("name"), ["Installment 1 of 2", "Installment 2 of 2"]
        )
        self.assertEqual((plan.state, plan.collection_progress), ("open", 0.0))
        self.assertEqual(plan.amount_unplanned, 0.0)
        # The button opens the same plan again.
        self.assertEqual(self._plan(order), plan)
        self.assertEqual(order.collection_plan_count, 1)

    @freeze_time("2026-03-01 12:00:00")
    def test_plan_reference_date_and_terms(self):
        promised = self._order(commitment_date=datetime(2026, 4, 10, 8, 0))
        self.assertEqual(
            [(line.due_date, line.amount) for line in self._plan(promised).line_ids],
            [(date(2026, 4, 10), 300.0), (date(2026, 5, 10), 700.0)],
        )
        immediate = self._order(quantity=4.0, term=False)
        self.assertEqual(
            [(line.due_date, line.amount) for line in self._plan(immediate).line_ids],
            [(date(2026, 3, 1), 400.0)],
        )
        quotation = self._order(confirm=False)
        with self.assertRaises(UserError):
            quotation.with_user(self.salesperson).action_open_collection_plan()
        self.assertFalse(quotation.collection_plan_ids)

    @freeze_time("2026-03-01 12:00:00")
    def test_reset_from_terms(self):
        order = self._order()
        plan = self._plan(order)
        order.sudo().payment_term_id = False
        plan.with_user(self.salesperson).action_reset_from_terms()
        self.assertEqual(
            [(line.due_date, line.amount) for line in plan.line_ids],
            [(date(2026, 3, 1), 1000.0)],
        )
        self._pay(self._invoice(order), 100.0)
        with self.assertRaises(UserError):
            plan.with_user(self.salesperson).action_reset_from_terms()

    # ------------------------------------------------------------------
    # Received amounts
    # ------------------------------------------------------------------
    @freeze_time("2026-03-01 12:00:00")
    def test_received_allocated_by_due_date(self):
        order = self._order()
        plan = self._plan(order)
        invoice = self._invoice(order)
        self._pay(invoice, 500.0)
        self.assertEqual(
            self._installments(plan),
            [
                (date(2026, 3, 1), 300.0, 300.0, "received"),
                (date(2026, 3, 31), 700.0, 200.0, "partial"),
            ],
        )
        self.assertEqual(
            (plan.amount_received, plan.amount_open, plan.collection_progress),
            (500.0, 500.0, 50.0),
        )
        self.assertEqual(order.collection_progress, 50.0)
        self._pay(invoice, 500.0)
        self.assertEqual(plan.line_ids.mapped("status"), ["received", "received"])
        self.assertEqual((plan.state, plan.collection_progress), ("done", 100.0))

    @freeze_time("2026-03-01 12:00:00")
    def test_linked_invoices(self):
        order = self._order()
        plan = self._plan(order)
        first = self._invoice(order, quantity=4.0)  # 400
        second = self._invoice(order)  # the other 600
        self.assertEqual(second.amount_total, 600.0)
        # Unlinked installments share what is paid on any invoice of the order.
        self._pay(second, 600.0)
        self.assertEqual(plan.line_ids.mapped("amount_received"), [300.0, 300.0])
        # Linked to the unpaid first invoice, the second installment waits for it.
        plan.line_ids[1].with_user(self.salesperson).invoice_id = first
        self.assertEqual(plan.line_ids.mapped("amount_received"), [300.0, 0.0])
        self._pay(first, 400.0)
        self.assertEqual(plan.line_ids.mapped("amount_received"), [300.0, 400.0])
        self.assertEqual(plan.line_ids.mapped("status"), ["received", "partial"])
        # Only invoices of the plan's own order can be linked.
        other_invoice = self._invoice(self._order(quantity=1.0))
        with self.assertRaises(ValidationError):
            plan.line_ids[0].invoice_id = other_invoice

    # ------------------------------------------------------------------
    # Overdue follow-up
    # ------------------------------------------------------------------
    def _overdue_activities(self, plan):
        activity_type = self.env.ref(
            "sale_process_control.mail_activity_type_collection_overdue"
        )
        return plan.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)

    def test_overdue_activity_once(self):
        with freeze_time("2026-03-01 12:00:00"):
            order = self._order()
            plan = self._plan(order)
            invoice = self._invoice(order)
            self._pay(invoice, 300.0)
        with freeze_time("2026-03-31 12:00:00"):
            self.env["sale.collection.plan.line"]._cron_check_overdue()
            self.assertEqual(plan.line_ids[1].status, "planned", "due today")
            self.assertFalse(self._overdue_activities(plan))
        with freeze_time("2026-04-01 12:00:00"):
            cron = self.env["sale.collection.plan.line"]
            cron._cron_check_overdue()
            self.assertEqual(plan.line_ids.mapped("status"), ["received", "overdue"])
            self.assertEqual(plan.state, "overdue")
            self.assertEqual(plan.amount_overdue, 700.0)
            activity = self._overdue_activities(plan)
            self.assertEqual(len(activity), 1)
            self.assertEqual(activity.user_id, self.salesperson)
            self.assertEqual(activity.date_deadline, date(2026, 4, 1))
            self.assertIn("700.00", activity.summary)
            self.assertEqual(plan.line_ids[1].overdue_activity_id, activity)
            # The next runs give no second activity.
            cron._cron_check_overdue()
            self.assertEqual(len(self._overdue_activities(plan)), 1)
            activity.action_feedback(feedback="Called the customer")
            cron._cron_check_overdue()
            self.assertFalse(self._overdue_activities(plan))
        with freeze_time("2026-04-10 12:00:00"):
            # A new due date starts the follow-up again once it passes.
            plan.line_ids[1].with_user(self.salesperson).due_date = date(2026, 4, 15)
            self.assertFalse(plan.line_ids[1].is_overdue_notified)
            self.assertIn("due date 2026-03-31 → 2026-04-15", plan.message_ids[0].body)
            cron._cron_check_overdue()
            self.assertEqual(plan.line_ids[1].status, "planned")
        with freeze_time("2026-04-16 12:00:00"):
            cron._cron_check_overdue()
            self.assertEqual(len(self._overdue_activities(plan)), 1)
            # Received: the job closes the activity.
            self._pay(invoice, 700.0, day=date(2026, 4, 16))
            cron._cron_check_overdue()
            self.assertFalse(self._overdue_activities(plan))
            self.assertEqual(plan.line_ids.mapped("status"), ["received", "received"])
            self.assertEqual(plan.state, "done")

    @freeze_time("2026-03-01 12:00:00")
    def test_cancelled_order(self):
        order = self._order()
        plan = self._plan(order)
        order._action_cancel()
        self.assertEqual(plan.state, "cancel")
        self.assertFalse(
            self.env["sale.collection.plan.line"].search(
                [
                    *self.env[
                        "sale.collection.plan.line"
                    ]._get_overdue_to_notify_domain(),
                    ("plan_id", "=", plan.id),
                ]
            )
        )

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------
    @freeze_time("2026-03-01 12:00:00")
    def test_access(self):
        plan = self._plan(self._order())
        plans = self.env["sale.collection.plan"]
        self.assertFalse(plans.with_user(self.other_salesperson).search([]))
        with self.assertRaises(AccessError):
            plan.with_user(self.other_salesperson).read(["amount_planned"])
        with self.assertRaises(AccessError):
            plan.line_ids[0].with_user(self.other_salesperson).amount = 250.0
        self.assertEqual(plans.with_user(self.head).search([]), plan)
        plan.line_ids[0].with_user(self.head).amount = 250.0
        self.assertEqual(plan.amount_unplanned, 50.0)
        self.assertIn("amount", plan.message_ids[0].body)
