# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.sale.tests.common import TestSaleCommon

TODAY = date(2026, 6, 30)
NOON = "2026-06-30 12:00:00"


class ReceivableAgingCommon(TestSaleCommon):
    """Two companies with their own aging bands, salespeople, customers and a
    split payment term; helpers that post invoices and pay them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.company_2 = cls.setup_other_company()["company"]
        cls.company.write(
            {"sale_aging_band_1": 30, "sale_aging_band_2": 60, "sale_aging_band_3": 90}
        )
        cls.company_2.write(
            {"sale_aging_band_1": 10, "sale_aging_band_2": 20, "sale_aging_band_3": 30}
        )
        salesman = "sales_team.group_sale_salesman"
        cls.salesperson = new_test_user(
            cls.env, "spc_aging_sales", groups=salesman, company_id=cls.company.id
        )
        cls.other_salesperson = new_test_user(
            cls.env, "spc_aging_sales2", groups=salesman, company_id=cls.company.id
        )
        cls.finance = new_test_user(
            cls.env,
            "spc_aging_fin",
            groups="sale_process_control.group_sale_reviewer_finance",
            company_id=cls.company.id,
            company_ids=[Command.set((cls.company | cls.company_2).ids)],
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Aging Customer",
                "is_company": True,
                "user_id": cls.salesperson.id,
            }
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Aging Buyer", "parent_id": cls.customer.id}
        )
        cls.other_customer = cls.env["res.partner"].create(
            {
                "name": "Other Customer",
                "is_company": True,
                "user_id": cls.other_salesperson.id,
            }
        )
        # 40% due on the invoice date, 60% sixty days later.
        cls.split_term = cls.env["account.payment.term"].create(
            {
                "name": "40/60",
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 40.0, "nb_days": 0}
                    ),
                    Command.create(
                        {"value": "percent", "value_amount": 60.0, "nb_days": 60}
                    ),
                ],
            }
        )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    @classmethod
    def _invoice(
        cls,
        amount,
        due_days,
        partner=None,
        user=None,
        move_type="out_invoice",
        company=None,
        term=None,
    ):
        """A posted invoice of ``amount`` due ``due_days`` after TODAY (negative:
        overdue), or dated then when ``term`` decides the due dates."""
        company = company or cls.company
        day = TODAY + timedelta(days=due_days)
        vals = {
            "move_type": move_type,
            "partner_id": (partner or cls.customer).id,
            "invoice_user_id": user.id if user else False,
            "invoice_date": day,
            "invoice_payment_term_id": term.id if term else False,
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": "Goods",
                        "quantity": 1.0,
                        "price_unit": amount,
                        "tax_ids": [Command.clear()],
                    }
                )
            ],
        }
        if not term:
            vals["invoice_date_due"] = day
        move = cls.env["account.move"].with_company(company).create(vals)
        move.action_post()
        return move

    @classmethod
    def _pay(cls, invoice, amount):
        cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": amount, "payment_date": TODAY})._create_payments()

    def _aging(self, user=None, companies=None, domain=None, tz=None):
        report = self.env["sale.receivable.aging.report"]
        # Rows are cached by id like records; read them afresh after changes.
        report.invalidate_model()
        if tz:
            report = report.with_context(tz=tz)
        if user:
            report = report.with_user(user)
        if companies:
            report = report.with_context(allowed_company_ids=companies.ids)
        return report.search(domain or [])

    def _by_band(self, partner=None, **kwargs):
        partner = partner or self.customer
        rows = self._aging(domain=[("partner_id", "=", partner.id)], **kwargs)
        totals = {}
        for row in rows:
            totals[row.band] = totals.get(row.band, 0.0) + row.amount_residual
        return totals


@tagged("post_install", "-at_install")
class TestReceivableAging(ReceivableAgingCommon):
    """R-23: open receivables by due-date band, per customer, salesperson and
    company, with partial payments, several due dates and credit notes."""

    @freeze_time(NOON)
    def test_bands_at_their_boundaries(self):
        for amount, due_days in (
            (100.0, 1),  # not due
            (200.0, 0),  # due today
            (300.0, -1),  # first day of 1-30
            (400.0, -30),  # last day of 1-30
            (500.0, -31),  # 31-60
            (600.0, -60),
            (700.0, -61),  # 61-90
            (800.0, -90),
            (900.0, -91),  # over 90
        ):
            self._invoice(amount, due_days)
        self.assertEqual(
            self._by_band(),
            {
                "0_not_due": 100.0,
                "1_due_today": 200.0,
                "2_band_1": 700.0,
                "3_band_2": 1100.0,
                "4_band_3": 1500.0,
                "5_older": 900.0,
            },
        )
        rows = self._aging(domain=[("partner_id", "=", self.customer.id)])
        self.assertEqual(
            sorted(rows.mapped("days_overdue")), [-1, 0, 1, 30, 31, 60, 61, 90, 91]
        )
        # The band columns of the pivot carry the same figures.
        [[not_due, today, band_1, band_2, band_3, older, total, overdue]] = self.env[
            "sale.receivable.aging.report"
        ]._read_group(
            [("partner_id", "=", self.customer.id)],
            aggregates=[
                "amount_not_due:sum",
                "amount_due_today:sum",
                "amount_band_1:sum",
                "amount_band_2:sum",
                "amount_band_3:sum",
                "amount_older:sum",
                "amount_residual:sum",
                "amount_overdue:sum",
            ],
        )
        self.assertEqual(
            (not_due, today, band_1, band_2, band_3, older),
            (100.0, 200.0, 700.0, 1100.0, 1500.0, 900.0),
        )
        self.assertEqual(total, 4500.0)
        self.assertEqual(overdue, 4200.0, "what is due today is not overdue yet")

    @freeze_time(NOON)
    def test_partial_payments_and_several_due_dates(self):
        paid = self._invoice(600.0, -45)
        self._pay(paid, 250.0)
        settled = self._invoice(999.0, -45)
        self._pay(settled, 999.0)
        # Dated 70 days ago: 400 due then (61-90), 600 due 10 days ago (1-30).
        split = self._invoice(1000.0, -70, term=self.split_term)
        self.assertEqual(
            self._by_band(), {"3_band_2": 350.0, "4_band_3": 400.0, "2_band_1": 600.0}
        )
        # A payment settles the earliest installment first.
        self._pay(split, 500.0)
        self.assertEqual(self._by_band(), {"3_band_2": 350.0, "2_band_1": 500.0})
        rows = self._aging(domain=[("move_id", "=", split.id)])
        self.assertEqual(len(rows), 1)
        self.assertEqual(rows.date_maturity, TODAY - timedelta(days=10))

    @freeze_time(NOON)
    def test_credit_notes(self):
        invoice = self._invoice(400.0, -20)
        refund = self._invoice(100.0, -5, move_type="out_refund")
        # Unmatched, the credit note lowers its own band.
        self.assertEqual(self._by_band(), {"2_band_1": 300.0})
        rows = self._aging(domain=[("move_id", "=", refund.id)])
        self.assertEqual(rows.amount_residual, -100.0)
        self.assertEqual(rows.move_type, "out_refund")
        # Matched with the invoice, only the invoice's rest is open.
        (invoice + refund).line_ids.filtered(
            lambda line: line.account_type == "asset_receivable"
        ).reconcile()
        self.assertEqual(self._by_band(), {"2_band_1": 300.0})
        self.assertFalse(self._aging(domain=[("move_id", "=", refund.id)]))
        self.assertEqual(
            self._aging(domain=[("move_id", "=", invoice.id)]).amount_residual, 300.0
        )

    @freeze_time(NOON)
    def test_contacts_draft_and_companies(self):
        self._invoice(100.0, -5, partner=self.contact)
        draft = self._invoice(50.0, -5)
        draft.button_draft()
        # Another company with its own bands (10/20/30): 20 days is its band 2.
        self._invoice(700.0, -20, company=self.company_2)
        # A contact's invoice is aged under its company; drafts are not open.
        self.assertEqual(
            self._by_band(user=self.finance, companies=self.company),
            {"2_band_1": 100.0},
            "another company's receivables are not in the current company's aging",
        )
        self.assertEqual(
            self._by_band(user=self.finance, companies=self.company | self.company_2),
            {"2_band_1": 100.0, "3_band_2": 700.0},
        )
        row = self._aging(
            user=self.finance,
            companies=self.company | self.company_2,
            domain=[("company_id", "=", self.company_2.id)],
        )
        self.assertEqual(row.currency_id, self.company_2.currency_id)

    @freeze_time(NOON)
    def test_salespeople_see_their_own_customers(self):
        own = self._invoice(100.0, -5)
        other = self._invoice(200.0, -5, partner=self.other_customer)
        # The invoice's salesperson wins over the customer's.
        assigned = self._invoice(
            300.0, -5, partner=self.other_customer, user=self.salesperson
        )
        rows = self._aging(user=self.salesperson)
        self.assertEqual(rows.move_id, own | assigned)
        self.assertEqual(self._aging(user=self.other_salesperson).move_id, other)
        self.assertEqual(
            self._aging(user=self.finance, companies=self.company).move_id,
            own | other | assigned,
        )
        # A row opens its invoice.
        action = rows.filtered(lambda row: row.move_id == own).action_open_document()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("account.move", own.id)
        )

    @freeze_time("2026-06-30 20:00:00")
    def test_today_is_the_users_day(self):
        """At 20:00 UTC it is already 1 July in China: an item due on 30 June is
        overdue for a user working there, still due today for a user in UTC."""
        invoice = self._invoice(100.0, 0)
        domain = [("move_id", "=", invoice.id)]
        row = self._aging(domain=domain, tz="UTC")
        self.assertEqual((row.band, row.days_overdue), ("1_due_today", 0))
        row = self._aging(domain=domain, tz="Asia/Shanghai")
        self.assertEqual((row.band, row.days_overdue), ("2_band_1", 1))

    def test_band_settings(self):
        labels = self.env["sale.receivable.aging.report"].fields_get(
            ["amount_band_1", "amount_band_3", "amount_older", "band"],
            ["string", "selection"],
        )
        self.assertEqual(labels["amount_band_1"]["string"], "1-30 Days")
        self.assertEqual(labels["amount_band_3"]["string"], "61-90 Days")
        self.assertEqual(labels["amount_older"]["string"], "Over 90 Days")
        self.assertEqual(
            [label for _key, label in labels["band"]["selection"]],
            [
                "Not Due",
                "Due Today",
                "1-30 Days",
                "31-60 Days",
                "61-90 Days",
                "Over 90 Days",
            ],
        )
        self.env["res.config.settings"].create(
            {"sale_aging_band_1": 15, "sale_aging_band_2": 45, "sale_aging_band_3": 75}
        ).execute()
        self.assertEqual(self.company.sale_aging_band_1, 15)
        labels = self.env["sale.receivable.aging.report"].fields_get(
            ["amount_band_2"], ["string"]
        )
        self.assertEqual(labels["amount_band_2"]["string"], "16-45 Days")
        with self.assertRaises(ValidationError):
            self.company.sale_aging_band_2 = 80
        with self.assertRaises(ValidationError):
            self.company.sale_aging_band_1 = 0
