# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import float_is_zero

from ..models.sale_contract import amount_in_chinese
from ..models.sale_tools import ensure_one_record


class SaleCustomerStatement(models.TransientModel):
    """Print the statement of account (对账单) of a customer for a period (R-24):
    opening balance, each invoice, credit note and payment posted on its
    receivable in the period with the running balance, and the closing balance,
    for the customer to confirm and sign."""

    _name = "sale.customer.statement"
    _description = "Customer Statement"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        domain="[('parent_id', '=', False)]",
        default=lambda self: self._default_partner_id(),
    )
    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1),
    )
    date_to = fields.Date(
        string="To",
        required=True,
        default=fields.Date.context_today,
    )

    @api.model
    def _default_partner_id(self):
        if self.env.context.get("active_model") == "res.partner":
            partner = self.env["res.partner"].browse(self.env.context.get("active_id"))
            return partner.exists().commercial_partner_id
        return self.env["res.partner"]

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for statement in self:
            if statement.date_from > statement.date_to:
                raise ValidationError(
                    self.env._("The statement period must start before it ends.")
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_print(self):
        ensure_one_record(self)
        self._check_can_print()
        return self.env.ref(
            "sale_process_control.action_report_customer_statement"
        ).report_action(self)

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _check_can_print(self):
        """Heads, finance and all-documents users print any customer's
        statement; a salesperson only those of their own customers."""
        user = self.env.user
        if user.has_group("sales_team.group_sale_salesman_all_leads") or user.has_group(
            "sale_process_control.group_sale_reviewer_finance"
        ):
            return
        for statement in self:
            if statement.partner_id.commercial_partner_id.user_id != user:
                raise AccessError(
                    self.env._(
                        "Only the salesperson of %(customer)s, the department "
                        "heads and finance may print its statement.",
                        customer=statement.partner_id.commercial_partner_id.name,
                    )
                )

    def _get_print_lang(self):
        """The language the statement is printed in.

        The statement is signed and sealed by a Chinese customer, so it is in
        Chinese: in the customer's own variant when it uses one (Traditional for
        Hong Kong or Taiwan), else in Simplified Chinese; only when no Chinese is
        installed does it fall back to the user's language.
        """
        self.ensure_one()
        installed = {code for code, _name in self.env["res.lang"].get_installed()}
        lang = self.partner_id.commercial_partner_id.lang
        if lang and lang.startswith("zh") and lang in installed:
            return lang
        if "zh_CN" in installed:
            return "zh_CN"
        return self.env.user.lang or "en_US"

    def _get_statement_values(self):
        """Figures of the statement, in the company currency.

        Read as superuser: the statement must show every document on the
        customer's receivable (also payments and other salespeople's invoices),
        and ``_check_can_print`` decides who may print it.
        """
        self.ensure_one()
        self._check_can_print()
        partner = self.partner_id.commercial_partner_id
        company = self.company_id
        currency = company.currency_id
        lines_model = self.env["account.move.line"].sudo().with_company(company)
        base_domain = [
            ("company_id", "=", company.id),
            ("account_id.account_type", "=", "asset_receivable"),
            ("parent_state", "=", "posted"),
            ("partner_id.commercial_partner_id", "=", partner.id),
        ]
        [[opening]] = lines_model._read_group(
            [*base_domain, ("date", "<", self.date_from)],
            aggregates=["balance:sum"],
        )
        groups = lines_model._read_group(
            [
                *base_domain,
                ("date", ">=", self.date_from),
                ("date", "<=", self.date_to),
            ],
            groupby=["move_id"],
            aggregates=["debit:sum", "credit:sum"],
        )
        groups.sort(key=lambda group: (group[0].date, group[0].name or "", group[0].id))
        balance = opening or 0.0
        rows = []
        for move, debit, credit in groups:
            balance += debit - credit
            rows.append(
                {
                    "date": move.date,
                    "name": move.name,
                    "kind": self._get_move_kind(move),
                    "reference": self._get_move_reference(move),
                    "date_due": move.invoice_date_due
                    if move.move_type == "out_invoice"
                    else False,
                    "debit": debit,
                    "credit": credit,
                    "balance": balance,
                }
            )
        total_debit = sum(row["debit"] for row in rows)
        total_credit = sum(row["credit"] for row in rows)
        closing = (opening or 0.0) + total_debit - total_credit
        if float_is_zero(closing, precision_rounding=currency.rounding):
            closing = 0.0
        return {
            "company": company,
            "partner": partner,
            "currency": currency,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "date_print": fields.Date.context_today(self),
            "opening": opening or 0.0,
            "rows": rows,
            "total_debit": total_debit,
            "total_credit": total_credit,
            "closing": closing,
            "closing_in_words": self._get_amount_in_words(closing, currency),
            "user": self.env.user,
        }

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _get_move_kind(self, move):
        if move.move_type == "out_invoice":
            return self.env._("Invoice")
        if move.move_type == "out_refund":
            return self.env._("Credit Note")
        if move.move_type == "out_receipt":
            return self.env._("Sales Receipt")
        if move.origin_payment_id or move.statement_line_id:
            return self.env._("Payment")
        return self.env._("Other Entry")

    def _get_move_reference(self, move):
        if move.move_type in ("out_invoice", "out_refund", "out_receipt"):
            return move.invoice_origin or move.ref or ""
        return move.ref or ""

    def _get_amount_in_words(self, amount, currency):
        """Chinese capital numerals (大写) of the size of a CNY amount; the
        statement says in words who owes whom. Nothing for other currencies."""
        if currency.name != "CNY":
            return ""
        return amount_in_chinese(abs(amount))
