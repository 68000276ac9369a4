# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
import functools
import io
import subprocess

from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from odoo import models
from odoo.tools.pdf import PdfReader, PdfWriter

from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin

# Printed documents that carry "page X of Y" (第 X 页 共 Y 页) at the foot of each
# page, stamped after rendering so that it works with any wkhtmltopdf build.
# These print without Odoo's company layout and have no footer of their own.
PAGE_NUMBERED_REPORTS = {
    "sale_process_control.report_sale_contract",
    "sale_process_control.report_customer_statement",
}
CJK_FONT = "STSong-Light"
MODULE_PREFIX = "sale_process_control."


@functools.cache
def wkhtmltopdf_prints_footers():
    """Whether the wkhtmltopdf of this server prints HTML footers (a build
    with patched Qt): Odoo's layouts number their pages in such a footer, and
    the common distribution packages silently drop it."""
    try:
        version = subprocess.run(
            [_get_wkhtmltopdf_bin(), "--version"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return "patched qt" in version


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        content, report_type = super()._render_qweb_pdf(
            report_ref, res_ids=res_ids, data=data
        )
        report = self._get_report(report_ref)
        if report_type == "pdf" and report._needs_page_number_stamp():
            lang = self.env.context.get("lang")
            documents = self.env[report.model].browse(res_ids[:1] if res_ids else [])
            if documents and hasattr(documents, "_get_print_lang"):
                lang = documents._get_print_lang()
            content = self._stamp_page_numbers(content, lang)
        return content, report_type

    def _needs_page_number_stamp(self):
        """Every PDF of the module shows its page numbers: those without a
        footer always get them stamped, those on Odoo's layouts when the
        server's wkhtmltopdf drops the layout's footer."""
        self.ensure_one()
        if not self.report_name.startswith(MODULE_PREFIX):
            return False
        return (
            self.report_name in PAGE_NUMBERED_REPORTS
            or not wkhtmltopdf_prints_footers()
        )

    def _stamp_page_numbers(self, content, lang):
        reader = PdfReader(io.BytesIO(content), strict=False)
        total = len(reader.pages)
        if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
        env = self.with_context(lang=lang).env
        writer = PdfWriter()
        for index, page in enumerate(reader.pages):
            width = float(page.mediabox.width)
            buffer = io.BytesIO()
            stamp = canvas.Canvas(buffer, pagesize=(width, float(page.mediabox.height)))
            stamp.setFont(CJK_FONT, 9)
            stamp.drawCentredString(
                width / 2,
                10 * mm,
                env._("Page %(page)s of %(total)s", page=index + 1, total=total),
            )
            stamp.save()
            buffer.seek(0)
            page.merge_page(PdfReader(buffer).pages[0])
            writer.add_page(page)
        output = io.BytesIO()
        writer.write(output)
        return output.getvalue()
