# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.sale.tests.common import TestSaleCommon

from .common import load_chinese


@tagged("post_install", "-at_install")
class TestCreditControl(TestSaleCommon):
    """R-20 to R-22: grades, approved limits, exposure, holds and releases."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.company_data_2 = cls.setup_other_company()
        cls.env = cls.env(
            context=dict(cls.env.context, allowed_company_ids=[cls.company.id])
        )
        cls.company.write(
            {
                "sale_credit_control_enabled": True,
                "sale_credit_overdue_days": 30,
                "sale_credit_overdue_amount": 0.0,
                "sale_credit_release_tolerance": 5.0,
            }
        )
        groups = "sales_team.group_sale_salesman"
        cls.salesperson = new_test_user(
            cls.env, "spc_cr_sales", groups=groups, company_id=cls.company.id
        )
        cls.other_salesperson = new_test_user(
            cls.env, "spc_cr_sales2", groups=groups, company_id=cls.company.id
        )
        cls.finance = new_test_user(
            cls.env,
            "spc_cr_fin",
            groups="sale_process_control.group_sale_reviewer_finance,account.group_account_invoice",
            company_id=cls.company.id,
        )
        cls.management = new_test_user(
            cls.env,
            "spc_cr_mgmt",
            groups="sale_process_control.group_sale_management",
            company_id=cls.company.id,
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Credit Customer",
                "is_company": True,
                "user_id": cls.salesperson.id,
            }
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Credit Buyer", "parent_id": cls.customer.id}
        )
        cls.product = cls.company_data["product_order_no"]
        cls.product.write(
            {
                "list_price": 100.0,
                "taxes_id": [Command.clear()],
                "invoice_policy": "order",
            }
        )
        cls._evaluate(cls.customer, 80.0)  # grade B
        cls._set_limit(cls.customer, 1000.0)

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    @classmethod
    def _evaluate(cls, partner, score, valid_days=365):
        evaluation = cls.env["sale.credit.evaluation"].create(
            {
                "partner_id": partner.id,
                "company_id": cls.company.id,
                "valid_until": fields.Date.today() + timedelta(days=valid_days),
            }
        )
        evaluation.line_ids.write({"score": score})
        evaluation.with_user(cls.finance).action_validate()
        return evaluation

    @classmethod
    def _set_limit(cls, partner, amount, valid_until=False):
        request = (
            cls.env["sale.credit.limit.request"]
            .with_user(cls.salesperson)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": cls.company.id,
                    "proposed_limit": amount,
                    "reason": "Expected volume",
                    "valid_until": valid_until,
                }
            )
        )
        request.action_submit()
        request.with_user(cls.finance).action_approve()
        request.with_user(cls.management).action_approve()
        return request

    def _order(self, amount, partner=None, currency=None):
        values = {
            "partner_id": (partner or self.customer).id,
            "user_id": self.salesperson.id,
            "company_id": self.company.id,
            "order_line": [
                Command.create(
                    {
                        "product_id": self.product.id,
                        "product_uom_qty": amount / 100.0,
                        "price_unit": 100.0,
                        "tax_id": [Command.clear()],
                    }
                )
            ],
        }
        if currency:
            pricelist = self.env["product.pricelist"].create(
                {"name": f"{currency.name} list", "currency_id": currency.id}
            )
            values["pricelist_id"] = pricelist.id
        return self.env["sale.order"].with_user(self.salesperson).create(values)

    def _invoice(
        self, amount, days_ago=0, partner=None, post=True, move_type="out_invoice"
    ):
        day = fields.Date.today() - timedelta(days=days_ago)
        invoice = self.init_invoice(
            move_type,
            partner=partner or self.customer,
            invoice_date=day,
            post=False,
            amounts=[amount],
            taxes=self.env["account.tax"],
            company=self.company,
        )
        # Due on the invoice date, so that days_ago is the number of days overdue.
        invoice.write({"invoice_payment_term_id": False, "invoice_date_due": day})
        if post:
            invoice.action_post()
        return invoice

    def _pay(self, invoice, amount):
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": amount})._create_payments()

    def _figures(self, partner=None):
        partner = partner or self.customer
        return partner._get_credit_figures(self.company)[partner.id]

    # ------------------------------------------------------------------
    # Limits
    # ------------------------------------------------------------------
    def test_limit_approved_in_three_steps_writes_odoo_limit(self):
        partner = self.customer.sudo().with_company(self.company)
        self.assertEqual(partner.credit_limit, 1000.0)
        self.assertTrue(partner.use_partner_credit_limit)
        request = (
            self.env["sale.credit.limit.request"]
            .with_user(self.salesperson)
            .create(
                {
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "proposed_limit": 3000.0,
                    "reason": "Bigger project",
                }
            )
        )
        self.assertEqual(request.current_limit, 1000.0)
        request.action_submit()
        request.with_user(self.finance).action_approve()
        self.assertEqual(
            partner.credit_limit, 1000.0, "nothing changes before approval"
        )
        with self.assertRaises(UserError):
            request.with_user(self.salesperson).action_approve()
        request.with_user(self.management).action_approve()
        self.assertEqual(partner.credit_limit, 3000.0)
        history = self.env["sale.credit.limit.request"].search(
            [("partner_id", "=", self.customer.id)], order="id"
        )
        self.assertEqual(history.mapped("state"), ["replaced", "approved"])

    def test_limit_cannot_be_edited_directly(self):
        with self.assertRaisesRegex(UserError, "approved credit limit request"):
            self.customer.with_user(self.finance).write({"credit_limit": 99999.0})

    def test_temporary_limit_falls_back(self):
        until = fields.Date.today() + timedelta(days=10)
        self._set_limit(self.customer, 5000.0, valid_until=until)
        partner = self.customer.sudo().with_company(self.company)
        self.assertEqual(partner.credit_limit, 5000.0)
        with freeze_time(until + timedelta(days=1)):
            self.env["sale.credit.limit.request"]._cron_expire_temporary_limits()
        self.assertEqual(partner.credit_limit, 1000.0)

    # ------------------------------------------------------------------
    # Exposure
    # ------------------------------------------------------------------
    def test_exposure_on_hand_computed_case(self):
        invoice = self._invoice(500.0)
        self._pay(invoice, 200.0)  # partial payment: 300 open
        self._invoice(50.0, move_type="out_refund")  # credit note: 250 open
        order = self._order(300.0, partner=self.contact)  # contact's order counts
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self._invoice(100.0, post=False)  # draft invoice
        other_company = self.company_data_2["company"]
        self.init_invoice(
            "out_invoice",
            partner=self.customer,
            invoice_date=fields.Date.today(),
            post=True,
            amounts=[700.0],
            taxes=self.env["account.tax"],
            company=other_company,
        )
        figures = self._figures()
        self.assertAlmostEqual(figures["receivable"], 250.0)
        self.assertAlmostEqual(figures["uninvoiced"], 300.0)
        self.assertAlmostEqual(figures["draft_invoiced"], 100.0)
        self.assertAlmostEqual(figures["exposure"], 650.0)

    def test_foreign_currency_order_counts_in_company_currency(self):
        currency = self.setup_other_currency("EUR", rates=[("2000-01-01", 2.0)])
        order = self._order(400.0, currency=currency)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertAlmostEqual(self._figures()["uninvoiced"], 200.0)

    # ------------------------------------------------------------------
    # Holds
    # ------------------------------------------------------------------
    def test_order_beyond_limit_is_held_with_reason(self):
        self._invoice(600.0)
        order = self._order(500.0)
        action = order.action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertTrue(order.credit_hold)
        self.assertIn("exceeds the credit limit", order.credit_hold_reasons)
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn("on credit hold", order._confirmation_error_message())

    def test_order_within_limit_confirms(self):
        self._invoice(400.0)
        order = self._order(600.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(order.credit_hold)

    def test_grade_d_blocks(self):
        self._evaluate(self.customer, 10.0)
        order = self._order(100.0)
        order.action_confirm()
        self.assertTrue(order.credit_hold)
        self.assertIn("grade D", order.credit_hold_reasons)

    def test_overdue_beyond_tolerance_blocks(self):
        self._invoice(100.0, days_ago=31)
        order = self._order(100.0)
        order.action_confirm()
        self.assertIn("overdue for more than 30 days", order.credit_hold_reasons)
        self.assertEqual(self._figures()["overdue_days"], 31)

    def test_overdue_within_tolerance_passes(self):
        self._invoice(100.0, days_ago=30)
        order = self._order(100.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_first_order_without_evaluation_blocked_and_flagged(self):
        newcomer = self.env["res.partner"].create(
            {"name": "Newcomer", "is_company": True, "user_id": self.salesperson.id}
        )
        self._set_limit(newcomer, 10000.0)
        order = self._order(100.0, partner=newcomer)
        self.assertIn("without a valid credit evaluation", order.credit_warning)
        order.action_confirm()
        self.assertIn("without a valid credit evaluation", order.credit_hold_reasons)

    def test_release_within_and_beyond_tolerance(self):
        self._invoice(900.0)
        order = self._order(500.0)
        order.action_confirm()
        self.assertTrue(order.credit_hold)
        with self.assertRaisesRegex(UserError, "Only finance"):
            order.with_user(self.salesperson).action_request_credit_release()
        self.env["sale.credit.release"].with_user(self.finance).create(
            {"order_id": order.id, "reason": "Prepayment of 50% received", "days": 3}
        )
        # Grown by 10%: beyond the 5% tolerance, the release no longer covers it.
        order.order_line.product_uom_qty = 5.5
        order.action_confirm()
        self.assertEqual(order.state, "draft")
        # Back within tolerance (+4%): the release holds.
        order.order_line.product_uom_qty = 5.2
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertIn("released by", " ".join(order.message_ids.mapped("body")))

    def test_held_order_is_complete_for_finance_and_cleared_by_release(self):
        self._invoice(900.0)
        order = self._order(500.0)
        order.action_confirm()
        as_finance = order.with_user(self.finance)
        # Finance sees what it releases: the lines, their prices and the total.
        self.assertEqual(as_finance.order_line.mapped("price_unit"), [100.0])
        self.assertEqual(as_finance.amount_untaxed, 500.0)
        todo = order.activity_ids.filtered(
            lambda a: a.user_id == self.finance and a.summary
        )
        self.assertEqual(len(todo), 1)
        self.env["sale.credit.release"].with_user(self.finance).create(
            {"order_id": order.id, "reason": "Bank guarantee received", "days": 5}
        )
        # Released: no banner, no release button, not in the held list, and
        # finance's to-do is done; finance still opens the order it released.
        self.assertFalse(order.credit_hold)
        self.assertFalse(
            order.activity_ids.filtered(lambda a: a.user_id == self.finance)
        )
        held = self.env["sale.order"].search([("credit_hold", "=", True)])
        self.assertNotIn(order, held)
        self.assertEqual(as_finance.order_line.product_uom_qty, 5.0)
        self.assertIn(
            "Bank guarantee received",
            " ".join(order.message_ids.mapped("body")),
        )
        order.with_user(self.salesperson).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_release_expires(self):
        self._invoice(900.0)
        order = self._order(500.0)
        order.action_confirm()
        self.env["sale.credit.release"].with_user(self.finance).create(
            {"order_id": order.id, "reason": "Guarantee", "days": 2}
        )
        with freeze_time(fields.Date.today() + timedelta(days=3)):
            order.action_confirm()
            self.assertEqual(order.state, "draft")

    def test_hold_clears_after_payment(self):
        invoice = self._invoice(900.0)
        order = self._order(500.0)
        order.action_confirm()
        self.assertTrue(order.credit_hold)
        self._pay(invoice, 900.0)
        self.assertFalse(order.credit_hold, "the payment cleared the hold by itself")
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_hold_clears_after_new_limit(self):
        self._invoice(900.0)
        order = self._order(500.0)
        order.action_confirm()
        self.assertTrue(order.credit_hold)
        self._set_limit(self.customer, 2000.0)
        self.assertFalse(order.credit_hold)

    def test_delivery_blocked_while_held(self):
        order = self._order(100.0)
        order.action_confirm()
        picking = order.picking_ids
        self.assertTrue(picking)
        self._evaluate(self.customer, 5.0)  # grade D after confirmation
        picking.move_ids.quantity = 1
        with self.assertRaisesRegex(UserError, "cannot be validated"):
            picking.button_validate()
        self.env["sale.credit.release"].with_user(self.finance).create(
            {"order_id": order.id, "reason": "Goods already prepaid", "days": 1}
        )
        picking.button_validate()
        self.assertEqual(picking.state, "done")

    def test_warehouse_user_meets_the_delivery_check(self):
        """A warehouse user who cannot read the order (a salesperson of their
        own orders only, as in Odoo's own tests) validates its delivery: the
        check reads the order for them and says why a held one waits."""
        storekeeper = new_test_user(
            self.env,
            "spc_storekeeper",
            groups="stock.group_stock_user,sales_team.group_sale_salesman",
        )
        order = self._order(100.0)
        order.action_confirm()
        with self.assertRaises(AccessError):
            order.with_user(storekeeper).read(["name"])
        picking = order.picking_ids.with_user(storekeeper)
        self._evaluate(self.customer, 5.0)  # grade D after confirmation
        picking.move_ids.quantity = 1
        with self.assertRaisesRegex(UserError, "cannot be validated"):
            picking.button_validate()
        self.env["sale.credit.release"].with_user(self.finance).create(
            {"order_id": order.id, "reason": "Goods already prepaid", "days": 1}
        )
        picking.button_validate()
        self.assertEqual(picking.state, "done")

    def test_no_context_key_lifts_the_hold(self):
        self._invoice(900.0)
        order = self._order(500.0)
        order.with_context(skip_credit_check=True, force_confirm=True).action_confirm()
        self.assertEqual(order.state, "draft")
        with self.assertRaises(UserError):
            order.with_user(self.salesperson).write({"state": "sale"})

    # ------------------------------------------------------------------
    # Visibility
    # ------------------------------------------------------------------
    def test_salesperson_sees_own_customers_credit_only(self):
        self._invoice(300.0)
        mine = self.customer.with_user(self.salesperson)
        self.assertTrue(mine.credit_situation_visible)
        self.assertAlmostEqual(mine.credit_exposure, 300.0)
        theirs = self.customer.with_user(self.other_salesperson)
        self.assertFalse(theirs.credit_situation_visible)
        self.assertEqual(theirs.credit_exposure, 0.0)
        order = self._order(100.0)
        self.assertAlmostEqual(
            order.with_user(self.salesperson).credit_available, 700.0
        )

    def test_credit_check_queries_do_not_grow_with_invoices(self):
        def count(invoices):
            partner = self.env["res.partner"].create(
                {"name": f"Q{invoices}", "is_company": True}
            )
            for _i in range(invoices):
                self._invoice(1.0, partner=partner)
            order = self._order(100.0, partner=partner)
            self.env.invalidate_all()
            # The order and its company are in the cache when it is being confirmed.
            order.read(
                ["amount_total", "currency_rate", "partner_id", "company_id", "state"]
            )
            order.company_id.read(
                [
                    "currency_id",
                    "sale_credit_overdue_days",
                    "sale_credit_overdue_amount",
                ]
            )
            order.partner_id.commercial_partner_id.read(["display_name"])
            before = self.cr.sql_log_count
            order._get_credit_hold_reasons(include_self=True)
            return self.cr.sql_log_count - before

        count(1)
        self.assertEqual(count(2), count(25))
        self.assertLessEqual(count(3), 5)

    def test_hold_reasons_are_in_the_company_language(self):
        """Finance reads the hold in the company's language, whatever the
        language of the salesperson who confirmed the order."""
        load_chinese(self.env)
        self.company.partner_id.lang = "zh_CN"
        self.salesperson.lang = "en_US"
        self._evaluate(self.customer, 10.0)  # grade D
        self._invoice(600.0)
        order = self._order(500.0)
        order.with_user(self.salesperson).action_confirm()
        self.assertTrue(order.credit_hold)
        self.assertIn("超出信用额度", order.credit_hold_reasons)
        self.assertIn("客户的信用等级D禁止新订单", order.credit_hold_reasons)
        self.assertNotIn("exceeds", order.credit_hold_reasons)

    def test_batch_credit_check_queries_do_not_grow_with_orders(self):
        """Checking orders of several customers at once costs the same
        queries as checking one: one lock statement, the figures, the grades
        the customers hold."""
        customers = self.env["res.partner"].create(
            [{"name": f"Batch {n}", "is_company": True} for n in range(3)]
        )
        for customer in customers:
            self._evaluate(customer, 80.0)
            self._set_limit(customer, 100000.0)
        orders = self.env["sale.order"].concat(
            *(self._order(100.0, partner=customer) for customer in customers)
        )

        def count(batch):
            self.env.invalidate_all()
            batch.read(["amount_total", "currency_rate", "partner_id", "company_id"])
            batch.company_id.read(
                [
                    "currency_id",
                    "sale_credit_overdue_days",
                    "sale_credit_overdue_amount",
                ]
            )
            batch.partner_id.read(["commercial_partner_id"])
            self.env.user.read(["tz"])  # a request has its user loaded
            before = self.cr.sql_log_count
            failures = batch._evaluate_credit()
            self.assertFalse(failures)
            return self.cr.sql_log_count - before

        self.assertEqual(count(orders[:1]), count(orders))
        self.assertLessEqual(count(orders), 3)
