# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
import io
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools.pdf import PdfReader

from odoo.addons.sale.tests.common import TestSaleCommon

REPORT = "sale_process_control.action_report_customer_statement"


@tagged("post_install", "-at_install")
class TestCustomerStatement(TestSaleCommon):
    """R-24: the printed statement of account (对账单) of a customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.company_2 = cls.setup_other_company()["company"]
        salesman = "sales_team.group_sale_salesman"
        cls.salesperson = new_test_user(
            cls.env, "spc_stmt_sales", groups=salesman, company_id=cls.company.id
        )
        cls.other_salesperson = new_test_user(
            cls.env, "spc_stmt_sales2", groups=salesman, company_id=cls.company.id
        )
        cls.finance = new_test_user(
            cls.env,
            "spc_stmt_fin",
            groups="sale_process_control.group_sale_reviewer_finance",
            company_id=cls.company.id,
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Statement Customer",
                "is_company": True,
                "user_id": cls.salesperson.id,
                "lang": "en_US",
            }
        )
        cls.contact = cls.env["res.partner"].create(
            {"name": "Statement Buyer", "parent_id": cls.customer.id}
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Someone Else", "is_company": True}
        )
        # Before the period: 1,000 invoiced, 400 paid, so 600 open.
        january = cls._invoice(1000.0, date(2026, 1, 15))
        cls._pay(january, 400.0, date(2026, 1, 20))
        # In the period.
        cls.february = cls._invoice(
            2000.0, date(2026, 2, 3), user=cls.other_salesperson
        )
        cls.refund = cls._invoice(300.0, date(2026, 2, 10), move_type="out_refund")
        cls.contact_invoice = cls._invoice(
            100.0, date(2026, 2, 15), partner=cls.contact
        )
        cls._pay(cls.february, 1500.0, date(2026, 2, 20))
        # Not on the statement.
        cls._invoice(500.0, date(2026, 3, 5))
        cls._invoice(50.0, date(2026, 2, 16), post=False)
        cls._invoice(70.0, date(2026, 2, 16), partner=cls.other_customer)
        cls._invoice(80.0, date(2026, 2, 16), company=cls.company_2)

    @classmethod
    def _invoice(
        cls,
        amount,
        day,
        partner=None,
        user=None,
        move_type="out_invoice",
        post=True,
        company=None,
    ):
        move = (
            cls.env["account.move"]
            .with_company(company or cls.company)
            .create(
                {
                    "move_type": move_type,
                    "partner_id": (partner or cls.customer).id,
                    "invoice_user_id": (user or cls.salesperson).id,
                    "invoice_date": day,
                    "invoice_origin": "SO-TEST",
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
            )
        )
        if post:
            move.action_post()
        return move

    @classmethod
    def _pay(cls, invoice, amount, day):
        cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": amount, "payment_date": day})._create_payments()

    def _statement(self, user=None, partner=None):
        statement = self.env["sale.customer.statement"]
        if user:
            statement = statement.with_user(user)
        return statement.create(
            {
                "partner_id": (partner or self.customer).id,
                "date_from": date(2026, 2, 1),
                "date_to": date(2026, 2, 28),
            }
        )

    # ------------------------------------------------------------------
    # Tests
    # ------------------------------------------------------------------
    def test_figures(self):
        values = self._statement()._get_statement_values()
        self.assertEqual(values["opening"], 600.0)
        self.assertEqual(
            [
                (row["date"], row["kind"], row["debit"], row["credit"], row["balance"])
                for row in values["rows"]
            ],
            [
                (date(2026, 2, 3), "Invoice", 2000.0, 0.0, 2600.0),
                (date(2026, 2, 10), "Credit Note", 0.0, 300.0, 2300.0),
                (date(2026, 2, 15), "Invoice", 100.0, 0.0, 2400.0),
                (date(2026, 2, 20), "Payment", 0.0, 1500.0, 900.0),
            ],
        )
        self.assertEqual(values["rows"][0]["name"], self.february.name)
        self.assertEqual(values["rows"][0]["reference"], "SO-TEST")
        self.assertEqual(values["rows"][0]["date_due"], self.february.invoice_date_due)
        self.assertEqual(
            (values["total_debit"], values["total_credit"]), (2100.0, 1800.0)
        )
        self.assertEqual(values["closing"], 900.0)
        self.assertEqual(values["closing_in_words"], "", "words only for CNY")
        # The statement opened from a contact is its company's statement.
        statement = self._statement(partner=self.contact)
        self.assertEqual(statement._get_statement_values()["closing"], 900.0)

    def test_amount_in_words(self):
        cny = self.env.ref("base.CNY")
        statement = self.env["sale.customer.statement"]
        self.assertEqual(
            statement._get_amount_in_words(1234.5, cny), "壹仟贰佰叁拾肆元伍角"
        )
        self.assertEqual(statement._get_amount_in_words(-10.0, cny), "壹拾元整")

    def test_period_check(self):
        with self.assertRaises(ValidationError):
            self.env["sale.customer.statement"].create(
                {
                    "partner_id": self.customer.id,
                    "date_from": date(2026, 3, 1),
                    "date_to": date(2026, 2, 1),
                }
            )

    def test_who_may_print(self):
        # The customer's salesperson sees every document, also the colleague's
        # invoice and the payments, which their own access would hide.
        statement = self._statement(user=self.salesperson)
        self.assertEqual(
            statement.action_print()["report_name"],
            "sale_process_control.report_customer_statement",
        )
        self.assertEqual(statement._get_statement_values()["closing"], 900.0)
        self.assertEqual(
            self._statement(user=self.finance)._get_statement_values()["closing"], 900.0
        )
        with self.assertRaises(AccessError):
            self._statement(user=self.other_salesperson).action_print()
        with self.assertRaises(AccessError):
            self._statement(user=self.other_salesperson)._get_statement_values()

    def test_print_language(self):
        statement = self._statement()
        self.env["res.lang"].search([("code", "like", "zh_%")]).active = False
        self.assertEqual(statement._get_print_lang(), self.env.user.lang)
        self.env["res.lang"]._activate_lang("zh_CN")
        self.assertEqual(statement._get_print_lang(), "zh_CN")
        self.env["res.lang"]._activate_lang("zh_TW")
        self.customer.lang = "zh_TW"
        self.assertEqual(statement._get_print_lang(), "zh_TW")

    @freeze_time("2026-03-02 09:00:00")
    def test_rendering(self):
        statement = self._statement(user=self.salesperson)
        html = (
            self.env["ir.actions.report"]
            .with_user(self.salesperson)
            ._render_qweb_html(REPORT, statement.ids)[0]
            .decode()
        )
        for text in (
            "Statement of Account",
            self.company.name,
            "Statement Customer",
            "Opening balance",
            self.february.name,
            "2,600.00",
            "Closing balance",
            "900.00",
            "Customer confirmation",
        ):
            with self.subTest(text=text):
                self.assertIn(text, html)
        self.assertNotIn("Someone Else", html)
        pdf = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(REPORT, statement.ids)[0]
        )
        self.assertTrue(pdf.startswith(b"%PDF"))
        reader = PdfReader(io.BytesIO(pdf))
        last_page = " ".join(
            reader.pages[-1].extract_text().replace("\x00", "").split()
        )
        total = len(reader.pages)
        self.assertIn(f"Page {total} of {total}", last_page, "pages are numbered")
