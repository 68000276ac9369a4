# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
import base64
import io

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools.pdf import PdfReader

from odoo.addons.sale.tests.common import TestSaleCommon
from odoo.addons.sale_process_control.models.sale_contract import amount_in_chinese

from .common import load_chinese

SIGNED_PDF = base64.b64encode(b"%PDF-1.4 signed original")


@tagged("post_install", "-at_install")
class TestSaleContract(TestSaleCommon):
    """R-25 to R-29: drafting, review, signing, order gate, ledger, amendments,
    print."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.env = cls.env(
            context=dict(cls.env.context, allowed_company_ids=[cls.company.id])
        )
        cls.company.write({"sale_contract_major_amount": 10000.0})
        cls.salesperson = new_test_user(
            cls.env,
            "spc_ct_sales",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id,
        )
        cls.other = new_test_user(
            cls.env,
            "spc_ct_other",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id,
        )
        cls.head = new_test_user(
            cls.env,
            "spc_ct_head",
            groups="sale_process_control.group_sale_department_head",
            company_id=cls.company.id,
        )
        cls.legal = new_test_user(
            cls.env,
            "spc_ct_legal",
            groups="sale_process_control.group_sale_reviewer_legal",
            company_id=cls.company.id,
        )
        cls.finance = new_test_user(
            cls.env,
            "spc_ct_fin",
            groups="sale_process_control.group_sale_reviewer_finance",
            company_id=cls.company.id,
        )
        cls.management = new_test_user(
            cls.env,
            "spc_ct_mgmt",
            groups="sale_process_control.group_sale_management",
            company_id=cls.company.id,
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Contract Customer",
                "is_company": True,
                "street": "1 Rd",
                "city": "Ningbo",
                "legal_representative": "赵总",
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

    def _order(self, qty=10, product=None):
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
                                "product_id": (product or self.product).id,
                                "product_uom_qty": qty,
                                "price_unit": 100.0,
                                "tax_id": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )

    def _drafted(self, order):
        """The contract the salesperson drafts from ``order``."""
        return (
            self.env["sale.contract"]
            .with_user(self.salesperson)
            ._create_from_orders(order)
        )

    def _approved_contract(self, order=None):
        order = order or self._order()
        contract = self._drafted(order)
        contract.action_submit()
        contract.with_user(self.head).action_approve()
        contract.with_user(self.legal).action_approve()
        return contract

    def _sign(self, contract):
        wizard = (
            self.env["sale.contract.sign"]
            .with_user(self.salesperson)
            .create(
                {
                    "contract_id": contract.id,
                    "customer_signatory": "赵总",
                    "signed_file": SIGNED_PDF,
                    "signed_filename": "signed.pdf",
                }
            )
        )
        wizard.action_sign()

    # ------------------------------------------------------------------
    def test_amount_in_chinese_capitals(self):
        self.assertEqual(amount_in_chinese(0.05), "伍分")
        self.assertEqual(amount_in_chinese(100000.00), "壹拾万元整")
        self.assertEqual(amount_in_chinese(1000001.10), "壹佰万零壹元壹角")

    def test_drafting_from_order_fills_parties_lines_and_clauses(self):
        order = self._order()
        contract = self._drafted(order)
        self.assertTrue(contract.name.startswith("HT"))
        self.assertEqual(contract.order_ids, order)
        self.assertEqual(order.contract_ids, contract)
        self.assertEqual(contract.amount_total, 1000.0)
        self.assertEqual(contract.customer_representative, "赵总")
        self.assertIn("Ningbo", contract.delivery_place)
        self.assertIn("壹仟元整", contract.clause_payment, "placeholders are filled")
        self.assertFalse(contract.is_major)

    def test_review_chain_sign_and_lock(self):
        order = self._order()
        contract = self._drafted(order)
        contract.action_submit()
        self.assertEqual(contract.state, "review")
        with self.assertRaises(UserError):
            contract.with_user(self.legal).action_approve()  # head first
        contract.with_user(self.head).action_approve()
        contract.with_user(self.legal).action_approve()
        self.assertEqual(contract.state, "approved")
        with self.assertRaisesRegex(UserError, "cannot be edited"):
            contract.with_user(self.salesperson).write({"clause_other": "Changed"})
        with self.assertRaises(UserError):
            contract.line_ids.with_user(self.salesperson).write({"quantity": 1})
        with self.assertRaisesRegex(UserError, "signed original"):
            contract._sign({"sign_date": "2026-11-20", "customer_signatory": "赵总"})
        self._sign(contract)
        self.assertEqual(contract.state, "signed")
        self.assertTrue(contract.archive_number.startswith("DA-"))
        with self.assertRaises(UserError):
            contract.with_user(self.salesperson).write({"state": "draft"})

    def test_major_contract_goes_to_joint_review(self):
        order = self._order(qty=200)  # 20,000 >= 10,000
        contract = self._drafted(order)
        self.assertTrue(contract.is_major)
        contract.action_submit()
        contract.with_user(self.head).action_approve()
        contract.with_user(self.legal).action_approve()
        self.assertEqual(contract.state, "review")
        contract.with_user(self.finance).action_approve()
        contract.with_user(self.management).action_approve()
        self.assertEqual(contract.state, "approved")

    def test_reviewer_sees_whom_a_review_waits_for_and_its_orders(self):
        order = self._order()
        contract = self._drafted(order)
        contract.action_submit()
        as_legal = contract.with_user(self.legal)
        # The form reads the review steps as legal (the own step only) and
        # the orders; what the engine and the banner use is complete.
        self.assertEqual(len(as_legal.approval_ids), 1)
        self.assertEqual(as_legal.approval_waiting_for, "Department head first review")
        self.assertEqual(as_legal.order_count, 1)
        self.assertEqual(
            as_legal.order_ids.read(["amount_total"])[0]["amount_total"], 1000.0
        )
        with self.assertRaises(UserError):
            as_legal.action_approve()  # the head's step comes first
        self.assertEqual(contract.state, "review")

    def test_order_gate_by_amount_and_product(self):
        self.company.write(
            {
                "sale_contract_required": True,
                "sale_contract_amount": 500.0,
                "sale_contract_gate_state": "signed",
            }
        )
        small = self._order(qty=4)
        small.action_confirm()
        self.assertEqual(small.state, "sale", "below the amount, no contract needed")
        big = self._order(qty=5)
        with self.assertRaisesRegex(UserError, "needs a sales contract"):
            big.action_confirm()
        contract = self._approved_contract(big)
        with self.assertRaises(UserError):
            big.action_confirm()  # approved is not enough: signed required
        self._sign(contract)
        big.action_confirm()
        self.assertEqual(big.state, "sale")
        flagged = self.env["product.product"].create(
            {
                "name": "Turnkey line",
                "list_price": 10.0,
                "requires_contract": True,
                "taxes_id": [Command.clear()],
            }
        )
        tiny = self._order(qty=1, product=flagged)
        with self.assertRaises(UserError):
            tiny.action_confirm()

    def test_ledger_execution_figures(self):
        order = self._order(qty=10)
        contract = self._approved_contract(order)
        self._sign(contract)
        order.action_confirm()
        picking = order.picking_ids
        picking.move_ids.write({"quantity": 4, "picked": True})
        picking.with_context(cancel_backorder=True)._action_done()
        invoice = order._create_invoices()
        invoice.action_post()  # invoiced on order: 1,000
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create({"amount": 250.0})._create_payments()
        self.assertAlmostEqual(contract.delivered_amount, 400.0)
        self.assertAlmostEqual(contract.delivered_percent, 40.0)
        self.assertAlmostEqual(contract.invoiced_amount, 1000.0)
        self.assertAlmostEqual(contract.paid_amount, 250.0)
        self.assertAlmostEqual(contract.paid_percent, 25.0)

    def test_amendment_history_and_termination(self):
        order = self._order(qty=10)
        contract = self._approved_contract(order)
        self._sign(contract)
        order.action_confirm()
        amendment = (
            self.env["sale.contract.amendment"]
            .with_user(self.salesperson)
            .create(
                {
                    "contract_id": contract.id,
                    "reason": "Later delivery agreed",
                    "new_delivery_date": "2027-03-01",
                    "clause_other": "New terms.",
                }
            )
        )
        with self.assertRaisesRegex(UserError, "signed by both parties"):
            amendment.action_submit()
        amendment.write({"signed_file": SIGNED_PDF, "signed_filename": "agreement.pdf"})
        amendment.action_submit()
        amendment.with_user(self.head).action_approve()
        amendment.with_user(self.legal).action_approve()
        self.assertEqual(amendment.state, "applied")
        self.assertEqual(contract.version, 2)
        self.assertEqual(str(contract.delivery_date), "2027-03-01")
        self.assertEqual(contract.clause_other, "New terms.")
        self.assertTrue(amendment.old_values)

        termination = (
            self.env["sale.contract.amendment"]
            .with_user(self.salesperson)
            .create(
                {
                    "contract_id": contract.id,
                    "amendment_type": "termination",
                    "reason": "Customer project stopped",
                    "signed_file": SIGNED_PDF,
                }
            )
        )
        termination.action_submit()
        termination.with_user(self.head).action_approve()
        termination.with_user(self.legal).action_approve()
        self.assertEqual(contract.state, "terminated")
        self.assertEqual(
            order.state, "cancel", "nothing delivered: the order is cancelled"
        )

    def test_pdf_renders_the_contract_text(self):
        contract = self._approved_contract(self._order(qty=1000))
        pdf, fmt = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(
                "sale_process_control.action_report_sale_contract", contract.ids
            )
        )
        self.assertEqual(fmt, "pdf")
        reader = PdfReader(io.BytesIO(pdf))
        text = " ".join(
            " ".join(page.extract_text().replace("\x00", "").split())
            for page in reader.pages
        )
        self.assertIn(contract.name, text)
        self.assertIn("Contract Customer", text)
        self.assertIn(f"of {len(reader.pages)}", text, "page numbers are stamped")

    def test_contract_of_a_chinese_customer_is_written_and_printed_in_chinese(self):
        # The drafter works in English; the customer speaks Chinese.
        load_chinese(self.env, overwrite=True)
        self.customer.lang = "zh_CN"
        self.salesperson.lang = "en_US"
        template = self.env.ref("sale_process_control.sale_contract_template_standard")
        english = {
            name: template.with_context(lang="en_US")[name]
            for name in ("clause_delivery", "clause_payment", "clause_dispute")
        }
        contract = self._approved_contract()
        self.assertEqual(contract.title, "销售合同")
        for name, text in english.items():
            self.assertTrue(contract[name], name)
            self.assertNotEqual(contract[name][:20], text[:20], name)
        html = str(
            self.env["ir.actions.report"]._render_qweb_html(
                "sale_process_control.action_report_sale_contract", contract.ids
            )[0],
            "utf-8",
        )
        for name, text in english.items():
            first_words = " ".join(text.split()[:4])
            self.assertNotIn(first_words, html, f"{name} printed in English")
        for english_heading in ("Contract No.", "Article 2.", "Seller (Party A)"):
            self.assertNotIn(english_heading, html)
        self.assertIn("销售合同", html)

    def test_access_salespeople_see_their_own_legal_sees_under_review(self):
        contract = (
            self.env["sale.contract"]
            .with_user(self.salesperson)
            ._create_from_orders(self._order())
        )
        self.assertFalse(
            self.env["sale.contract"]
            .with_user(self.other)
            .search([("id", "=", contract.id)])
        )
        contract.action_submit()
        self.assertTrue(
            self.env["sale.contract"]
            .with_user(self.legal)
            .search([("id", "=", contract.id)])
        )
        with self.assertRaises(AccessError):
            contract.with_user(self.other).read(["name"])
