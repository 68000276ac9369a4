# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.sale.tests.common import TestSaleCommon


class SupervisionAccountingCommon(TestSaleCommon):
    """A company with accounting, a salesperson, supervision, and helpers to
    confirm, deliver, invoice and pay orders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.env = cls.env(
            context=dict(cls.env.context, allowed_company_ids=[cls.company.id])
        )
        cls.salesperson = new_test_user(
            cls.env,
            "spc_risk_sales",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id,
        )
        cls.supervisor = new_test_user(
            cls.env,
            "spc_risk_supervision",
            groups="sale_process_control.group_sale_supervision",
            company_id=cls.company.id,
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Risk Customer",
                "is_company": True,
                "user_id": cls.salesperson.id,
                "street": "1 Harbour Road",
                "city": "Ningbo",
            }
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Risk Buyer",
                "parent_id": cls.customer.id,
                "type": "contact",
                "phone": "0574-1234567",
            }
        )
        cls.product = cls.company_data["product_order_no"]
        cls.product.write(
            {
                "list_price": 100.0,
                "taxes_id": [Command.clear()],
                "invoice_policy": "order",
            }
        )

    def _order(self, quantity=5.0, commitment_date=False, complete=True):
        values = {
            "partner_id": self.customer.id,
            "user_id": self.salesperson.id,
            "company_id": self.company.id,
            "commitment_date": commitment_date,
            "payment_term_id": False,
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
        if complete:
            values.update(
                customer_contact_id=self.contact.id,
                requirement_description="Ten pumps for the harbour station",
            )
        order = self.env["sale.order"].with_user(self.salesperson).create(values)
        order.action_confirm()
        return order.with_env(self.env)

    def _deliver(self, order):
        picking = order.picking_ids.filtered(lambda p: p.state != "done")
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking.button_validate()
        return picking

    def _invoice(self, order, due=None):
        invoice = order._create_invoices()
        invoice.write({"invoice_date": due or fields.Date.today()})
        invoice.write({"invoice_date_due": due or fields.Date.today()})
        invoice.action_post()
        return invoice

    def _pay(self, invoice, day=None):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"payment_date": day or fields.Date.today()})._create_payments()


@tagged("post_install", "-at_install")
class TestRiskEvents(SupervisionAccountingCommon):
    """R-36: automatic events raised once and resolved with the cause; closing
    needs the post-event analysis."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "sale_risk_auto_enabled": True,
                "sale_risk_delivery_tolerance": 3,
                "sale_risk_receivable_days": 30,
                "sale_risk_receivable_amount": 100.0,
            }
        )
        cls.Event = cls.env["sale.risk.event"]

    def _auto_events(self, cause, **filters):
        domain = [("auto_cause", "=", cause)] + [
            (name, "=", value) for name, value in filters.items()
        ]
        return self.Event.search(domain)

    def _sync(self):
        self.Event._cron_sync_automatic_events()

    def test_automatic_off_by_default(self):
        company = self.env["res.company"].create({"name": "SPC Risk Off"})
        self.assertFalse(company.sale_risk_auto_enabled)
        self.assertEqual(
            (
                company.sale_risk_delivery_tolerance,
                company.sale_risk_receivable_days,
                company.sale_rectification_days,
            ),
            (3, 30, 7),
        )
        self.company.sale_risk_auto_enabled = False
        order = self._order()
        order._set_credit_hold(["over the credit limit"])
        self._sync()
        self.assertFalse(self._auto_events("credit_hold", order_id=order.id))

    def test_negative_tolerance_refused(self):
        with self.assertRaises(ValidationError):
            self.company.sale_risk_receivable_days = -1

    def test_credit_hold_event_once_and_resolved(self):
        order = self._order()
        order._set_credit_hold(["over the credit limit"])
        event = self._auto_events("credit_hold", order_id=order.id)
        self.assertEqual(len(event), 1, "the hold raises its event at once")
        self.assertEqual(
            (event.risk_type, event.state, event.user_id, event.partner_id),
            ("credit", "open", self.salesperson, self.customer),
        )
        self.assertEqual(event.description, "Over the credit limit.")
        # The cron and a second hold on the same order do not duplicate it.
        self._sync()
        order._set_credit_hold(["over the credit limit", "overdue receivables"])
        self._sync()
        self.assertEqual(self._auto_events("credit_hold", order_id=order.id), event)
        self.assertEqual(
            event.description, "Over the credit limit; overdue receivables."
        )
        order._clear_credit_hold("the customer paid")
        self.assertEqual(event.state, "closed")
        self.assertTrue(event.cause and event.measure_effect)
        self.assertTrue(event.lessons and event.improvements)
        self.assertIn("disappeared", event.measure_effect)
        # A hold written any other way is caught by the daily run.
        order.sudo().write({"credit_hold": True, "credit_hold_reasons": "Manual."})
        self._sync()
        again = self._auto_events("credit_hold", order_id=order.id, state="open")
        self.assertEqual(len(again), 1)
        self.assertNotEqual(again, event, "a returning cause opens a new event")
        order.sudo().write({"credit_hold": False})
        self._sync()
        self.assertEqual(again.state, "closed")
        self.assertEqual(len(self._auto_events("credit_hold", order_id=order.id)), 2)

    def test_late_delivery_beyond_tolerance(self):
        order = self._order()
        picking = order.picking_ids
        self.assertEqual(len(picking), 1)
        # Two days late: within the tolerance of three days.
        picking.scheduled_date = fields.Datetime.now() - timedelta(days=2)
        picking.date_deadline = False
        self._sync()
        self.assertFalse(self._auto_events("late_delivery", order_id=order.id))
        picking.scheduled_date = fields.Datetime.now() - timedelta(days=4)
        self._sync()
        self._sync()
        event = self._auto_events("late_delivery", order_id=order.id)
        self.assertEqual(len(event), 1)
        self.assertEqual((event.risk_type, event.state), ("delivery", "open"))
        self.assertEqual(event.amount, 500.0)
        self._deliver(order)
        self._sync()
        self.assertEqual(event.state, "closed")

    def test_overdue_receivables_beyond_tolerance(self):
        order = self._order(quantity=3.0)
        today = fields.Date.today()
        # 300 overdue for 20 days: within the tolerance of 30 days.
        invoice = self._invoice(order, due=today - timedelta(days=20))
        self._sync()
        self.assertFalse(self._auto_events("overdue_receivable"))
        invoice.button_draft()
        invoice.write(
            {
                "invoice_date": today - timedelta(days=40),
                "invoice_date_due": today - timedelta(days=40),
            }
        )
        invoice.action_post()
        # 300 overdue for 40 days, but the tolerated amount is higher.
        self.company.sale_risk_receivable_amount = 300.0
        self._sync()
        self.assertFalse(self._auto_events("overdue_receivable"))
        self.company.sale_risk_receivable_amount = 100.0
        self._sync()
        self._sync()
        event = self._auto_events("overdue_receivable", partner_id=self.customer.id)
        self.assertEqual(len(event), 1)
        self.assertEqual((event.severity, event.amount), ("high", 300.0))
        self.assertEqual(event.user_id, self.salesperson)
        self._pay(invoice)
        self._sync()
        self.assertEqual(event.state, "closed")

    def test_closing_needs_analysis(self):
        event = self.Event.with_user(self.supervisor).create(
            {
                "name": "Competitor halves its prices",
                "risk_type": "market",
                "severity": "high",
                "user_id": self.salesperson.id,
                "partner_id": self.customer.id,
            }
        )
        owned = event.with_user(self.salesperson)
        owned.action_start()
        self.assertEqual(event.state, "in_progress")
        with self.assertRaises(ValidationError) as refused:
            owned.action_close()
        self.assertIn("post-event analysis", str(refused.exception))
        self.assertEqual(event.state, "in_progress")
        owned.write({"cause": "Overcapacity in the market"})
        with self.assertRaises(ValidationError) as refused:
            owned.action_close()
        self.assertIn("Lessons Learned", str(refused.exception))
        with self.assertRaises(AccessError):
            owned.write({"state": "closed"})
        owned.write(
            {
                "measure_effect": "Key accounts kept with volume rebates",
                "lessons": "Watch competitor capacity",
                "improvements": "Quarterly market review",
            }
        )
        owned.action_close()
        self.assertEqual(event.state, "closed")
        self.assertEqual(event.closed_date, fields.Date.today())


@tagged("post_install", "-at_install")
class TestSpotCheckChecklist(SupervisionAccountingCommon):
    """R-37: the checklist is pre-filled from the order's data."""

    def _check(self, orders):
        check = (
            self.env["sale.spot.check"]
            .with_user(self.supervisor)
            .create(
                {
                    "date_from": date(2026, 3, 1),
                    "date_to": date(2026, 3, 31),
                    "sample_mode": "percent",
                    "sample_percent": 100.0,
                    "salesperson_ids": [Command.set(self.salesperson.ids)],
                    "seed": 7,
                }
            )
        )
        check.action_draw_sample()
        return check

    def _results(self, line):
        return (
            line.info_complete,
            line.review_compliant,
            line.contract_compliant,
            line.delivered_on_time,
            line.paid_on_time,
        )

    def test_prefill_good_and_bad_orders(self):
        with freeze_time("2026-03-02 09:00:00"):
            good = self._order(commitment_date=datetime(2026, 3, 10, 9, 0))
            self._deliver(good)
            self._pay(self._invoice(good, due=date(2026, 3, 2)), day=date(2026, 3, 2))
            bad = self._order(
                commitment_date=datetime(2026, 3, 5, 9, 0), complete=False
            )
            self._invoice(bad, due=date(2026, 3, 3))
            # The controls came on after both orders were confirmed.
            self.company.write(
                {
                    "sale_review_enabled": True,
                    "sale_contract_required": True,
                    "sale_contract_amount": 400.0,
                }
            )
        with freeze_time("2026-03-20 09:00:00"):
            check = self._check(good + bad)
        self.assertEqual(check.line_ids.order_id, good + bad)
        self.assertEqual(check.state, "in_progress")
        good_line = check.line_ids.filtered(lambda line: line.order_id == good)
        bad_line = check.line_ids - good_line
        # Hand-computed: the good order is complete and was delivered on 2 March
        # for 10 March, and paid on its due date. The review and contract rules
        # switched on afterwards do not apply to orders confirmed before.
        self.assertEqual(self._results(good_line), (True, True, True, True, True))
        self.assertIn("Delivered on", good_line.delivery_note)
        self.assertEqual(
            good_line.review_note,
            "No review was required when the order was confirmed",
        )
        self.assertEqual(
            good_line.contract_note,
            "No contract was required when the order was confirmed",
        )
        self.assertEqual(self._results(bad_line), (False, True, True, False, False))
        self.assertIn("Contact Person", bad_line.info_note)
        self.assertIn("Product/Service Description", bad_line.info_note)
        self.assertIn("Not delivered", bad_line.delivery_note)
        self.assertIn("unpaid", bad_line.payment_note)
        self.assertEqual(check.finding_count, 1)
        self.assertFalse(good_line.has_finding)
        # The inspector corrects a result and confirms the line.
        good_line.with_user(self.supervisor).write({"paid_on_time": False})
        good_line.with_user(self.supervisor).action_confirm_check()
        self.assertTrue(good_line.has_finding)
        self.assertEqual(good_line.checked_by_id, self.supervisor)

    def test_prefill_late_delivery_and_late_payment(self):
        with freeze_time("2026-03-02 09:00:00"):
            order = self._order(commitment_date=datetime(2026, 3, 4, 9, 0))
            invoice = self._invoice(order, due=date(2026, 3, 5))
        with freeze_time("2026-03-06 09:00:00"):
            self._deliver(order)
            self._pay(invoice, day=date(2026, 3, 6))
        with freeze_time("2026-03-20 09:00:00"):
            line = self._check(order).line_ids
        self.assertEqual(self._results(line), (True, True, True, False, False))
        self.assertIn("promised for", line.delivery_note)
        self.assertIn("paid on", line.payment_note)
