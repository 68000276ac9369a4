# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .sale_credit_grade import CREDIT_GRADES

# Written only through approved limit requests while credit control is on.
CREDIT_LIMIT_FIELDS = {"credit_limit", "use_partner_credit_limit"}


class ResPartner(models.Model):
    _inherit = "res.partner"

    credit_grade = fields.Selection(
        CREDIT_GRADES,
        company_dependent=True,
        tracking=True,
        help="Grade of the customer's latest validated credit evaluation in this "
        "company.",
    )
    credit_grade_valid_until = fields.Date(
        string="Evaluation Valid Until",
        company_dependent=True,
    )
    credit_evaluation_ids = fields.One2many(
        "sale.credit.evaluation", "partner_id", string="Credit Evaluations"
    )
    credit_limit_request_ids = fields.One2many(
        "sale.credit.limit.request", "partner_id", string="Credit Limit Requests"
    )
    # What sales users may see of the credit situation, without accounting rights.
    credit_situation_visible = fields.Boolean(compute="_compute_credit_situation")
    credit_limit_sales = fields.Monetary(
        string="Approved Credit Limit",
        compute="_compute_credit_situation",
        currency_field="credit_currency_id",
    )
    credit_exposure = fields.Monetary(
        compute="_compute_credit_situation",
        currency_field="credit_currency_id",
        help="Open receivables, draft invoices and confirmed orders not yet invoiced.",
    )
    credit_available = fields.Monetary(
        string="Available Credit",
        compute="_compute_credit_situation",
        currency_field="credit_currency_id",
    )
    credit_overdue_amount = fields.Monetary(
        string="Overdue Receivables",
        compute="_compute_credit_situation",
        currency_field="credit_currency_id",
    )
    credit_overdue_days = fields.Integer(
        string="Oldest Overdue (Days)",
        compute="_compute_credit_situation",
    )
    credit_currency_id = fields.Many2one(
        "res.currency", compute="_compute_credit_situation"
    )

    @api.depends_context("company", "uid")
    def _compute_credit_situation(self):
        company = self.env.company
        commercial = self.commercial_partner_id
        visible = commercial.filtered(lambda p: p._is_credit_visible())
        figures = commercial._get_credit_figures(company) if visible else {}
        for partner in self:
            root = partner.commercial_partner_id
            data = figures.get(root.id) if root in visible else None
            partner.credit_situation_visible = data is not None
            partner.credit_currency_id = company.currency_id
            if data is None:
                partner.credit_limit_sales = 0.0
                partner.credit_exposure = 0.0
                partner.credit_available = 0.0
                partner.credit_overdue_amount = 0.0
                partner.credit_overdue_days = 0
                continue
            partner.credit_limit_sales = data["limit"]
            partner.credit_exposure = data["exposure"]
            partner.credit_available = data["limit"] - data["exposure"]
            partner.credit_overdue_amount = data["overdue"]
            partner.credit_overdue_days = data["overdue_days"]

    def _is_credit_visible(self):
        """Salespeople see their own customers' credit; heads, finance and
        supervision see everyone's."""
        self.ensure_one()
        user = self.env.user
        if (
            self.env.su
            or user.has_group("sale_process_control.group_sale_department_head")
            or (
                user.has_group("sale_process_control.group_sale_reviewer_finance")
                or user.has_group("sale_process_control.group_sale_supervision")
                or user.has_group("account.group_account_invoice")
            )
        ):
            return True
        return self.user_id == user

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                # A new customer starts without a limit or grade of its own:
                # they come from a credit limit request and an evaluation.
                self._check_credit_fields(
                    {name: value for name, value in vals.items() if value}
                )
        return super().create(vals_list)

    def write(self, vals):
        self._check_credit_fields(vals)
        return super().write(vals)

    def _check_credit_fields(self, vals):
        if not self.env.su and CREDIT_LIMIT_FIELDS & set(vals):
            if self.env.company.sale_credit_control_enabled:
                raise UserError(
                    self.env._(
                        "Credit limits change through an approved credit limit "
                        "request while credit control is on. Create a request from "
                        "the customer."
                    )
                )
        if not self.env.su and {"credit_grade", "credit_grade_valid_until"} & set(vals):
            raise UserError(
                self.env._("The credit grade comes from a validated credit evaluation.")
            )

    # ------------------------------------------------------------------
    # Exposure
    # ------------------------------------------------------------------
    def _get_credit_figures(self, company, exclude_order_ids=(), today=None):
        """Credit figures of commercial partners in ``company`` (company currency):
        ``{partner_id: {limit, exposure, receivable, uninvoiced, draft_invoiced,
        overdue, overdue_days, overdue_beyond_tolerance, grade, grade_valid}}``.

        Exposure = open receivables + draft invoices + the uninvoiced part of
        confirmed orders, over the commercial partner and all its contacts and
        addresses. One aggregate query whatever the number of invoices.
        """
        if not self:
            return {}
        today = today or fields.Date.context_today(self)
        tolerance_date = today - timedelta(days=company.sale_credit_overdue_days)
        for model, names in (
            (
                "account.move.line",
                [
                    "amount_residual",
                    "date_maturity",
                    "parent_state",
                    "partner_id",
                    "company_id",
                    "account_id",
                    "reconciled",
                ],
            ),
            (
                "account.move",
                [
                    "state",
                    "move_type",
                    "amount_total_signed",
                    "commercial_partner_id",
                    "company_id",
                ],
            ),
            ("sale.order", ["state", "partner_id", "company_id", "currency_rate"]),
            (
                "sale.order.line",
                ["price_total", "product_uom_qty", "qty_invoiced", "order_id"],
            ),
            (
                "res.partner",
                [
                    "commercial_partner_id",
                    "credit_limit",
                    "credit_grade",
                    "credit_grade_valid_until",
                ],
            ),
        ):
            self.env[model].flush_model(names)
        ids = list(self.ids)
        rows = self.env.execute_query(
            SQL(
                """
                WITH members AS (
                    SELECT id, commercial_partner_id AS root
                      FROM res_partner WHERE commercial_partner_id = ANY(%(ids)s)
                ), receivable AS (
                    -- The summary's cells (items while a customer is marked).
                    SELECT r.partner_id AS root,
                           SUM(r.amount_residual) AS open_amount,
                           SUM(CASE WHEN r.date_maturity < %(today)s
                                    THEN r.amount_positive END) AS overdue,
                           SUM(CASE WHEN r.date_maturity < %(tolerance)s
                                    THEN r.amount_positive END) AS overdue_beyond,
                           MIN(CASE WHEN r.date_maturity < %(today)s
                                         AND r.amount_positive > 0
                                    THEN r.date_maturity END) AS oldest
                      FROM (%(open_rows)s) r
                  GROUP BY r.partner_id
                ), drafts AS (
                    SELECT mv.commercial_partner_id AS root,
                           SUM(mv.amount_total_signed) AS amount
                      FROM account_move mv
                     WHERE mv.state = 'draft'
                       AND mv.move_type IN ('out_invoice', 'out_refund')
                       AND mv.company_id = %(company)s
                       AND mv.commercial_partner_id = ANY(%(ids)s)
                  GROUP BY mv.commercial_partner_id
                ), uninvoiced AS (
                    SELECT m.root,
                           SUM(l.price_total
                               * GREATEST(l.product_uom_qty - l.qty_invoiced, 0)
                               / l.product_uom_qty
                               / COALESCE(NULLIF(o.currency_rate, 0), 1)) AS amount
                      FROM sale_order_line l
                      JOIN sale_order o ON o.id = l.order_id
                      JOIN members m ON m.id = o.partner_id
                     WHERE o.state = 'sale'
                       AND o.company_id = %(company)s
                       AND l.product_uom_qty > 0
                       AND NOT (o.id = ANY(%(exclude)s))
                  GROUP BY m.root
                )
                SELECT p.id,
                       COALESCE(r.open_amount, 0),
                       COALESCE(d.amount, 0),
                       COALESCE(u.amount, 0),
                       COALESCE(r.overdue, 0),
                       COALESCE(r.overdue_beyond, 0),
                       r.oldest,
                       (p.credit_limit ->> %(company_key)s)::double precision,
                       p.credit_grade ->> %(company_key)s,
                       (p.credit_grade_valid_until ->> %(company_key)s)::date,
                       EXISTS (
                           SELECT 1
                             FROM sale_order o
                             JOIN members m ON m.id = o.partner_id
                            WHERE m.root = p.id AND o.state = 'sale'
                              AND o.company_id = %(company)s
                              AND NOT (o.id = ANY(%(exclude)s))
                       )
                  FROM res_partner p
             LEFT JOIN receivable r ON r.root = p.id
             LEFT JOIN drafts d ON d.root = p.id
             LEFT JOIN uninvoiced u ON u.root = p.id
                 WHERE p.id = ANY(%(ids)s)
                """,
                ids=ids,
                today=today,
                tolerance=tolerance_date,
                open_rows=self.env["sale.receivable.open.cell"]._customer_rows_sql(
                    company, ids
                ),
                company=company.id,
                company_key=str(company.id),
                exclude=list(exclude_order_ids),
            )
        )
        # Company-dependent values are read in the query above; a partner without
        # its own value falls back to the company default (cached, no query).
        default_limit = (
            self._fields["credit_limit"].get_company_dependent_fallback(
                self.with_company(company)
            )
            or 0.0
        )
        result = {}
        for (
            partner_id,
            receivable,
            drafts,
            uninvoiced,
            overdue,
            beyond,
            oldest,
            limit,
            grade,
            grade_until,
            has_orders,
        ) in rows:
            exposure = receivable + drafts + uninvoiced
            result[partner_id] = {
                "limit": default_limit if limit is None else limit,
                "exposure": exposure,
                "receivable": receivable,
                "uninvoiced": uninvoiced,
                "draft_invoiced": drafts,
                "overdue": overdue,
                "overdue_beyond_tolerance": beyond,
                "overdue_days": (today - oldest).days if oldest else 0,
                "grade": grade or False,
                "grade_valid": bool(grade and grade_until and grade_until >= today),
                "has_confirmed_orders": has_orders,
            }
        return result

    def _recheck_credit_holds(self):
        """Clear the holds whose reasons have disappeared (payment, credit note,
        new limit, new evaluation): no waiting for a manual re-check."""
        roots = self.commercial_partner_id
        if not roots:
            return
        orders = (
            self.env["sale.order"]
            .sudo()
            .search(
                [
                    ("credit_hold", "=", True),
                    ("partner_id.commercial_partner_id", "in", roots.ids),
                    ("state", "in", ("draft", "sent", "sale")),
                ]
            )
        )
        for order in orders:
            if not order._get_credit_hold_reasons():
                order._clear_credit_hold(self.env._("its reasons no longer apply"))
