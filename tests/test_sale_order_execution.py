# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
import ast
from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import format_date

from .common import SaleProcessControlCommon

PROMISED = datetime(2026, 3, 10, 10, 0)


class ExecutionCommon(SaleProcessControlCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.goods = cls.env["product.product"].create(
            {
                "name": "SPC Spindle",
                "type": "consu",
                "is_storable": True,
                "list_price": 100.0,
                "invoice_policy": "delivery",
                "taxes_id": [Command.clear()],
            }
        )
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        cls.env["stock.quant"]._update_available_quantity(
            cls.goods, cls.warehouse.lot_stock_id, 1000.0
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "SPC Execution Customer", "is_company": True, "customer_rank": 1}
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "SPC Receiving Clerk", "parent_id": cls.customer.id}
        )

    @classmethod
    def _confirmed_order(cls, qty=5.0, user=None, promised=PROMISED):
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": (user or cls.sale_user).id,
                "commitment_date": promised,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.goods.id,
                            "product_uom_qty": qty,
                            "price_unit": 100.0,
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        return order

    def _deliver(self, order, qty, when):
        """Ship ``qty`` of the open delivery of ``order`` on ``when``; the rest
        stays in a backorder."""
        picking = order.picking_ids.filtered(
            lambda p: (
                p.picking_type_code == "outgoing" and p.state not in ("done", "cancel")
            )
        )
        self.assertEqual(len(picking), 1)
        with freeze_time(when):
            picking.move_ids.quantity = qty
            picking.move_ids.picked = True
            picking._action_done()
        return picking

    def _return(self, picking, qty, when, exchange=False):
        with freeze_time(when):
            wizard = (
                self.env["stock.return.picking"]
                .with_context(active_id=picking.id, active_model="stock.picking")
                .create({})
            )
            wizard.product_return_moves.quantity = qty
            if exchange:
                wizard.action_create_exchanges()
            else:
                wizard.action_create_returns()
            returned = picking.return_ids
            returned.move_ids.quantity = qty
            returned.move_ids.picked = True
            returned._action_done()
        return returned

    def _invoice(self, order, pay=False):
        invoice = order._create_invoices()
        invoice.action_post()
        if pay:
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids
            ).create({})._create_payments()
        return invoice


@tagged("post_install", "-at_install")
class TestSaleOrderExecution(ExecutionCommon):
    """Promised vs actual delivery, on-time flag, risk and progress (R-16)."""

    def test_partial_delivery_then_late_backorder(self):
        order = self._confirmed_order()
        self.assertEqual(order.promised_date, PROMISED)
        self._deliver(order, 3.0, "2026-03-08 09:00:00")
        with freeze_time("2026-03-09 12:00:00"):
            order.invalidate_recordset()
            self.assertTrue(order.has_open_delivery)
            self.assertFalse(order.delivery_done_date)
            self.assertFalse(order.is_on_time)
            self.assertFalse(order.is_late)
            self.assertTrue(order.is_at_risk, "promised tomorrow, 2 still to ship")
            self.assertEqual(order.delivery_delay_days, 0)
            self.assertAlmostEqual(order.execution_delivered_percent, 60.0)
            self.assertAlmostEqual(order.execution_reserved_percent, 100.0)
        with freeze_time("2026-03-11 12:00:00"):
            order.invalidate_recordset()
            self.assertTrue(order.is_late)
            self.assertEqual(order.delivery_delay_days, 1)
            self.assertEqual(
                self.env["sale.order"].search(
                    [("id", "=", order.id), ("is_late", "=", True)]
                ),
                order,
            )
            self.assertEqual(
                self.env["sale.order"].search(
                    [("id", "=", order.id), ("is_at_risk", "=", True)]
                ),
                order,
            )
        self._deliver(order, 2.0, "2026-03-12 15:00:00")
        with freeze_time("2026-03-20 12:00:00"):
            order.invalidate_recordset()
            self.assertEqual(order.delivery_done_date, datetime(2026, 3, 12, 15, 0))
            self.assertFalse(order.is_on_time, "the last delivery decides")
            self.assertTrue(order.is_delivered_late)
            self.assertTrue(order.is_late)
            self.assertFalse(order.is_at_risk)
            self.assertEqual(order.delivery_delay_days, 2)
            self.assertAlmostEqual(order.execution_delivered_percent, 100.0)
            self.assertFalse(
                self.env["sale.order"].search(
                    [("id", "=", order.id), ("is_at_risk", "=", True)]
                )
            )
            self.assertEqual(
                self.env["sale.order"].search(
                    [("id", "=", order.id), ("is_late", "=", False)]
                ),
                self.env["sale.order"],
            )

    def test_backorder_done_on_promised_day_is_on_time(self):
        order = self._confirmed_order()
        self._deliver(order, 3.0, "2026-03-05 09:00:00")
        self._deliver(order, 2.0, "2026-03-10 23:00:00")
        self.assertTrue(order.is_on_time, "done on the promised day")
        self.assertEqual(order.delivery_delay_days, 0)
        self.assertEqual(
            self.env["sale.order"].search(
                [("id", "=", order.id), ("is_late", "=", False)]
            ),
            order,
        )

    def test_return_ignored_replacement_counts(self):
        order = self._confirmed_order()
        delivery = self._deliver(order, 5.0, "2026-03-09 09:00:00")
        self.assertTrue(order.is_on_time)
        self._return(delivery, 2.0, "2026-03-15 09:00:00")
        order.invalidate_recordset()
        self.assertTrue(order.is_on_time, "returns from the customer are ignored")
        self.assertEqual(order.delivery_done_date, datetime(2026, 3, 9, 9, 0))
        self.assertEqual(order.order_line.qty_delivered, 3.0)
        self.assertFalse(order.is_fully_delivered)
        self.assertEqual(order.execution_waiting_for, "delivery")

    def test_exchange_reopens_delivery(self):
        order = self._confirmed_order()
        delivery = self._deliver(order, 5.0, "2026-03-09 09:00:00")
        self._return(delivery, 2.0, "2026-03-15 09:00:00", exchange=True)
        order.invalidate_recordset()
        self.assertTrue(order.has_open_delivery, "the replacement is to be shipped")
        self.assertFalse(order.delivery_done_date)
        self.assertFalse(order.is_on_time)
        self._deliver(order, 2.0, "2026-03-18 09:00:00")
        self.assertEqual(order.delivery_done_date, datetime(2026, 3, 18, 9, 0))
        self.assertTrue(order.is_delivered_late)
        self.assertTrue(order.is_fully_delivered)

    def test_risk_days_setting(self):
        order = self._confirmed_order()
        with freeze_time("2026-03-07 12:00:00"):
            order.invalidate_recordset()
            self.assertTrue(order.is_at_risk, "3 days before the promised date")
            self.env.company.sale_execution_risk_days = 2
            order.invalidate_recordset()
            self.assertFalse(order.is_at_risk)
            self.assertFalse(
                self.env["sale.order"].search(
                    [("id", "=", order.id), ("is_at_risk", "=", True)]
                )
            )
        with self.assertRaises(ValidationError):
            self.env.company.sale_execution_risk_days = -1

    def test_expected_date_when_no_commitment(self):
        order = self._confirmed_order(promised=False)
        self.assertTrue(order.expected_date)
        self.assertEqual(order.promised_date, order.expected_date)

    def test_invoiced_and_paid_progress(self):
        order = self._confirmed_order(qty=4.0)
        self._deliver(order, 4.0, "2026-03-09 09:00:00")
        invoice = self._invoice(order)
        order.invalidate_recordset()
        self.assertAlmostEqual(order.execution_invoiced_percent, 100.0)
        self.assertAlmostEqual(order.execution_paid_percent, 0.0)
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": 100.0})._create_payments()
        order.invalidate_recordset()
        self.assertAlmostEqual(order.execution_paid_percent, 25.0)

    def test_production_and_purchase_absent(self):
        order = self._confirmed_order()
        self.assertNotIn("mrp.production", self.env)
        self.assertNotIn("purchase.order", self.env)
        self.assertIsNone(order._get_execution_productions())
        self.assertIsNone(order._get_execution_purchase_lines())
        self.assertFalse(order.has_execution_production)
        self.assertFalse(order.has_execution_purchase)
        self.assertEqual(order.execution_production_percent, 0.0)
        self.assertEqual(order.execution_purchase_percent, 0.0)

    def test_status_mail_template(self):
        order = self._confirmed_order()
        delivery = self._deliver(order, 5.0, "2026-03-08 09:00:00")
        action = order.action_send_execution_status()
        template = self.env.ref(
            "sale_process_control.mail_template_sale_execution_status"
        )
        self.assertEqual(action["res_model"], "mail.compose.message")
        self.assertEqual(action["context"]["default_template_id"], template.id)
        self.assertEqual(action["context"]["default_res_ids"], order.ids)
        body = template._render_field("body_html", order.ids)[order.id]
        self.assertIn(format_date(self.env, PROMISED.date()), body)
        self.assertIn(format_date(self.env, datetime(2026, 3, 8).date()), body)
        self.assertIn(delivery.name, body)
        composer = Form(
            self.env["mail.compose.message"].with_context(**action["context"])
        )
        self.assertIn(order.name, composer.subject)


@tagged("post_install", "-at_install")
class TestSaleOrderAcceptance(ExecutionCommon):
    """Acceptance after delivery, complaints, returns and completion (R-17)."""

    def _accept(self, order, result="accepted", user=None, **values):
        vals = {
            "order_id": order.id,
            "picking_id": order._get_outgoing_deliveries()
            .filtered(lambda p: p.state == "done")[-1:]
            .id,
            "result": result,
            "accepted_by_id": self.contact.id,
            **values,
        }
        Acceptance = self.env["sale.order.acceptance"]
        if user:
            Acceptance = Acceptance.with_user(user)
        return Acceptance.create(vals)

    def test_acceptance_needs_delivery(self):
        order = self._confirmed_order()
        with self.assertRaises(UserError):
            order.action_record_acceptance()
        with self.assertRaises(UserError):
            self.env["sale.order.acceptance"].create(
                {"order_id": order.id, "accepted_by_id": self.contact.id}
            )

    def test_completion_steps(self):
        order = self._confirmed_order()
        self.assertEqual(order.execution_waiting_for, "delivery")
        self._deliver(order, 5.0, "2026-03-09 09:00:00")
        self.assertEqual(order.execution_waiting_for, "acceptance")
        action = order.action_record_acceptance()
        self.assertEqual(action["context"]["default_order_id"], order.id)
        self.assertEqual(action["context"]["default_accepted_by_id"], self.customer.id)
        self._accept(order)
        self.assertEqual(order.acceptance_state, "accepted")
        self.assertEqual(order.execution_waiting_for, "invoice")
        self.assertFalse(order.is_execution_completed)
        draft = order._create_invoices()
        self.assertFalse(order.is_fully_invoiced, "a draft invoice is not enough")
        draft.action_post()
        self.assertTrue(order.is_execution_completed)
        self.assertEqual(order.execution_waiting_for, "payment")
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=draft.ids
        ).create({})._create_payments()
        self.assertTrue(order.is_fully_paid)
        self.assertFalse(order.execution_waiting_for)
        self.assertTrue(order.is_execution_completed)
        self.assertEqual(
            self.env["sale.order"].search(
                [("id", "=", order.id), ("is_execution_completed", "=", True)]
            ),
            order,
        )

    def test_rejection_opens_complaint_and_return(self):
        order = self._confirmed_order()
        delivery = self._deliver(order, 5.0, "2026-03-09 09:00:00")
        with self.assertRaises(ValidationError):
            self._accept(order, "rejected", problem_type="quality")
        with self.assertRaises(ValidationError):
            self._accept(order, "rejected", remarks="Two pieces missing.")
        acceptance = self._accept(
            order,
            "rejected",
            problem_type="quantity",
            remarks="Two pieces missing.",
            user=self.sale_user,
        )
        complaint = acceptance.feedback_id
        self.assertTrue(complaint)
        self.assertEqual(complaint.feedback_type, "complaint")
        self.assertEqual(complaint.severity, "high")
        self.assertEqual(complaint.sale_order_id, order)
        self.assertEqual(complaint.picking_id, delivery)
        self.assertEqual(complaint.user_id, self.sale_user)
        self.assertEqual(complaint.state, "new")
        self.assertEqual(order.acceptance_state, "rejected")
        self.assertEqual(order.execution_waiting_for, "acceptance")
        action = acceptance.action_return_goods()
        self.assertEqual(action["res_model"], "stock.return.picking")
        wizard = (
            self.env["stock.return.picking"]
            .with_context(**action["context"])
            .create({})
        )
        self.assertEqual(wizard.picking_id, delivery)
        self.assertEqual(wizard.product_return_moves.product_id, self.goods)

    def test_remarks_without_problem_no_complaint(self):
        order = self._confirmed_order()
        self._deliver(order, 5.0, "2026-03-09 09:00:00")
        acceptance = self._accept(
            order, "accepted_remarks", remarks="Certificate copy to follow."
        )
        self.assertFalse(acceptance.feedback_id)
        self.assertEqual(order.execution_waiting_for, "invoice")
        acceptance.problem_type = "quality"
        self.assertEqual(acceptance.feedback_id.severity, "medium")

    def test_foreign_delivery_refused(self):
        order = self._confirmed_order()
        other = self._confirmed_order()
        self._deliver(order, 5.0, "2026-03-09 09:00:00")
        other_delivery = self._deliver(other, 5.0, "2026-03-09 09:00:00")
        with self.assertRaises(ValidationError):
            self._accept(order, picking_id=other_delivery.id)


@tagged("post_install", "-at_install")
class TestSaleOrderExecutionAccess(ExecutionCommon):
    """Salespeople see their own orders and acceptances; heads see all."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_user = cls._create_role_user(
            "spc_exec_other", "sales_team.group_sale_salesman"
        )

    def test_late_list_per_role(self):
        with freeze_time("2026-03-12 12:00:00"):
            own = self._confirmed_order()
            foreign = self._confirmed_order(user=self.other_user)
            domain = [("is_at_risk", "=", True), ("id", "in", (own + foreign).ids)]
            self.assertEqual(
                self.env["sale.order"].with_user(self.sale_user).search(domain), own
            )
            self.assertEqual(
                self.env["sale.order"].with_user(self.head_user).search(domain),
                own + foreign,
            )
            self.assertEqual(
                self.env["sale.order"].with_user(self.supervision_user).search(domain),
                own + foreign,
            )

    def test_acceptance_access(self):
        own = self._confirmed_order()
        foreign = self._confirmed_order(user=self.other_user)
        self._deliver(own, 5.0, "2026-03-09 09:00:00")
        self._deliver(foreign, 5.0, "2026-03-09 09:00:00")
        vals = {"accepted_by_id": self.contact.id, "result": "accepted"}
        mine = (
            self.env["sale.order.acceptance"]
            .with_user(self.sale_user)
            .create({**vals, "order_id": own.id})
        )
        theirs = self.env["sale.order.acceptance"].create(
            {**vals, "order_id": foreign.id}
        )
        Acceptance = self.env["sale.order.acceptance"].with_user(self.sale_user)
        self.assertEqual(Acceptance.search([("id", "in", (mine + theirs).ids)]), mine)
        with self.assertRaises(AccessError):
            theirs.with_user(self.sale_user).read(["result"])
        with self.assertRaises(AccessError):
            mine.with_user(self.sale_user).unlink()
        self.assertEqual(
            self.env["sale.order.acceptance"]
            .with_user(self.head_user)
            .search([("id", "in", (mine + theirs).ids)]),
            mine + theirs,
        )

    def test_menu_and_action(self):
        menu = self.env.ref("sale_process_control.sale_order_execution_menu")
        visible = self.env["ir.ui.menu"].with_user(self.sale_user)._visible_menu_ids()
        self.assertIn(menu.id, visible)


@tagged("post_install", "-at_install")
class TestSaleOrderExecutionQueries(ExecutionCommon):
    """The late/at-risk list reads in batch: the count does not grow with rows."""

    def _read_list(self):
        """Read the late/at-risk list as the web client does, as a head;
        return (rows, number of queries)."""
        action = self.env.ref("sale_process_control.sale_order_execution_action")
        view = self.env.ref("sale_process_control.sale_order_execution_view_list")
        orders = self.env["sale.order"].with_user(self.head_user)
        names = orders.get_views([(view.id, "list")])["models"]["sale.order"]["fields"]
        spec = {name: {} for name in names}
        for name in ("partner_id", "user_id", "team_id", "company_id"):
            spec[name] = {"fields": {"display_name": {}}}
        domain = [
            *ast.literal_eval(action.domain),
            ("partner_id", "=", self.customer.id),
        ]
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        result = orders.web_search_read(domain, spec)
        return result["length"], self.env.cr.sql_log_count - before

    def _add_orders(self, count):
        for index in range(count):
            order = self._confirmed_order()
            if index % 2:
                # Half shipped partly: a backorder stays open.
                self._deliver(order, 2.0, "2026-03-09 09:00:00")

    def test_query_count(self):
        with freeze_time("2026-03-12 12:00:00"):
            self._add_orders(2)
            self._read_list()  # warm-up
            small_rows, small_queries = self._read_list()
            self._add_orders(6)
            large_rows, large_queries = self._read_list()
        self.assertEqual((small_rows, large_rows), (2, 8))
        self.assertEqual(small_queries, large_queries)
