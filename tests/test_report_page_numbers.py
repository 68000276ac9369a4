# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
import io
from unittest.mock import patch

from reportlab.pdfgen import canvas

from odoo.tests import TransactionCase, tagged
from odoo.tools.pdf import PdfReader

from odoo.addons.sale_process_control.models import ir_actions_report

FOOTERS = (
    "odoo.addons.sale_process_control.models.ir_actions_report."
    "wkhtmltopdf_prints_footers"
)


@tagged("post_install", "-at_install")
class TestReportPageNumbers(TransactionCase):
    """Every PDF of the module shows "page X of Y", whatever wkhtmltopdf the
    server has."""

    def _module_reports(self):
        reports = self.env["ir.actions.report"].search(
            [
                ("report_name", "=like", "sale_process_control.%"),
                ("report_type", "=", "qweb-pdf"),
            ]
        )
        self.assertGreaterEqual(len(reports), 6)
        return reports

    def test_every_module_pdf_gets_page_numbers(self):
        reports = self._module_reports()
        # A distribution wkhtmltopdf drops the layouts' footers: all stamped.
        with patch(FOOTERS, return_value=False):
            for report in reports:
                with self.subTest(report=report.report_name):
                    self.assertTrue(report._needs_page_number_stamp())
        # A patched build prints the layouts' footers; the documents without
        # a layout are still stamped, and nothing is numbered twice.
        with patch(FOOTERS, return_value=True):
            stamped = reports.filtered(lambda r: r._needs_page_number_stamp())
        self.assertEqual(
            set(stamped.mapped("report_name")),
            ir_actions_report.PAGE_NUMBERED_REPORTS,
        )
        # Odoo's own reports are left alone.
        invoice = self.env.ref("account.account_invoices")
        with patch(FOOTERS, return_value=False):
            self.assertFalse(invoice._needs_page_number_stamp())

    def test_each_page_carries_its_number_and_the_total(self):
        buffer = io.BytesIO()
        document = canvas.Canvas(buffer, pagesize=(595, 842))
        for number in range(3):
            document.drawString(72, 720, f"Body of page {number + 1}")
            document.showPage()
        document.save()
        stamped = self.env["ir.actions.report"]._stamp_page_numbers(
            buffer.getvalue(), "en_US"
        )
        pages = PdfReader(io.BytesIO(stamped)).pages
        self.assertEqual(len(pages), 3)
        for number, page in enumerate(pages, start=1):
            text = " ".join(page.extract_text().replace("\x00", "").split())
            with self.subTest(page=number):
                self.assertIn(f"Body of page {number}", text)
                self.assertIn(f"Page {number} of 3", text)
