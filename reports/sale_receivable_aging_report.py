# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL

from ..models.res_company_aging import AGING_BANDS
from ..models.sale_tools import ensure_one_record

# The amount column of each band, in band order.
BAND_AMOUNT_FIELDS = {
    "0_not_due": "amount_not_due",
    "1_due_today": "amount_due_today",
    "2_band_1": "amount_band_1",
    "3_band_2": "amount_band_2",
    "4_band_3": "amount_band_3",
    "5_older": "amount_older",
}
# Fields of the report that the open receivables' summary holds (by customer
# and due date), and the aggregates it answers.
SUMMARY_DIMENSIONS = (
    "partner_id",
    "user_id",
    "team_id",
    "company_id",
    "currency_id",
    "date_maturity",
    "days_overdue",
    "band",
)
SUMMARY_AMOUNTS = ("amount_residual", "amount_overdue", *BAND_AMOUNT_FIELDS.values())


def band_sql(days, company="company"):
    """The aging band of ``days`` overdue, with the company's bands."""
    return SQL(
        """CASE
               WHEN %(days)s < 0 THEN '0_not_due'
               WHEN %(days)s = 0 THEN '1_due_today'
               WHEN %(days)s <= %(company)s.sale_aging_band_1 THEN '2_band_1'
               WHEN %(days)s <= %(company)s.sale_aging_band_2 THEN '3_band_2'
               WHEN %(days)s <= %(company)s.sale_aging_band_3 THEN '4_band_3'
               ELSE '5_older'
           END""",
        days=days,
        company=SQL.identifier(company),
    )


class SaleReceivableAgingReport(models.Model):
    """Open receivables by age, one row per open receivable journal item.

    An invoice with several due dates has one receivable item per due date, so
    each installment ages on its own; partial payments and matched credit notes
    are already deducted from the item's residual amount. Unmatched credit notes
    and payments appear as negative amounts in the band of their own date.

    The rows are a query rather than a stored view, because the age depends on
    today's date: it is the user's today (their time zone), which a database view
    could only take from the server clock.
    """

    _name = "sale.receivable.aging.report"
    _description = "Receivable Aging"
    _auto = False
    _rec_name = "move_id"
    _order = "date_maturity, id"
    _depends = {
        "account.move.line": [
            "move_id",
            "partner_id",
            "company_id",
            "account_id",
            "date",
            "date_maturity",
            "amount_residual",
            "parent_state",
            "reconciled",
        ],
        "account.move": [
            "move_type",
            "invoice_user_id",
            "team_id",
            "invoice_date",
            "invoice_origin",
        ],
        "account.account": ["account_type"],
        "res.partner": ["commercial_partner_id", "user_id"],
        "res.company": [
            "currency_id",
            "sale_aging_band_1",
            "sale_aging_band_2",
            "sale_aging_band_3",
        ],
    }

    move_line_id = fields.Many2one(
        "account.move.line", string="Journal Item", readonly=True
    )
    move_id = fields.Many2one("account.move", string="Document", readonly=True)
    move_type = fields.Selection(
        selection=lambda self: self.env["account.move"]._fields["move_type"].selection,
        string="Type",
        readonly=True,
    )
    invoice_origin = fields.Char(string="Source Document", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    date = fields.Date(string="Accounting Date", readonly=True)
    invoice_date = fields.Date(readonly=True)
    date_maturity = fields.Date(string="Due Date", readonly=True)
    days_overdue = fields.Integer(
        readonly=True,
        aggregator="max",
        help="Days since the due date; negative while the item is not due.",
    )
    band = fields.Selection(
        selection="_selection_band",
        string="Age",
        readonly=True,
    )
    amount_residual = fields.Monetary(string="Open Amount", readonly=True)
    amount_overdue = fields.Monetary(string="Overdue", readonly=True)
    amount_not_due = fields.Monetary(readonly=True)
    amount_due_today = fields.Monetary(readonly=True)
    amount_band_1 = fields.Monetary(readonly=True)
    amount_band_2 = fields.Monetary(readonly=True)
    amount_band_3 = fields.Monetary(readonly=True)
    amount_older = fields.Monetary(readonly=True)

    def _selection_band(self):
        labels = self.env.company._get_sale_aging_band_labels()
        return [(band, labels[band]) for band in AGING_BANDS]

    @property
    def _table_query(self):
        return self._get_aging_query(fields.Date.context_today(self))

    @api.model
    def fields_get(self, allfields=None, attributes=None):
        """Name the band columns after the current company's bands."""
        result = super().fields_get(allfields=allfields, attributes=attributes)
        labels = self.env.company._get_sale_aging_band_labels()
        for band, field_name in BAND_AMOUNT_FIELDS.items():
            if "string" in result.get(field_name, {}):
                result[field_name]["string"] = labels[band]
        return result

    def _read_group(
        self,
        domain,
        groupby=(),
        aggregates=(),
        having=(),
        offset=0,
        limit=None,
        order=None,
    ):
        # A grouping by customer, salesperson, team, company, due date or age
        # is answered from the open receivables' summary
        # (sale_receivable_open_summary.py), with the same figures.
        summary_aggregates = self._summary_aggregates(
            domain, groupby, aggregates, having, order
        )
        if summary_aggregates is not None:
            self.browse().check_access("read")
            rule_domain = self.env["ir.rule"]._compute_domain(self._name, "read")
            if self._summary_domain_ok(rule_domain):
                Summary = self.env["sale.receivable.aging.summary"].sudo()
                rows = Summary.with_context(
                    aging_today=fields.Date.context_today(self)
                )._read_group(
                    expression.AND([domain or [], rule_domain or []]),
                    groupby,
                    summary_aggregates,
                    offset=offset,
                    limit=limit,
                    order=order,
                )
                return [
                    tuple(
                        value.with_env(self.env).sudo(False)
                        if isinstance(value, models.BaseModel)
                        else value
                        for value in row
                    )
                    for row in rows
                ]
        return super()._read_group(
            domain, groupby, aggregates, having, offset, limit, order
        )

    def _summary_aggregates(self, domain, groupby, aggregates, having, order):
        """The summary's aggregates for a read_group, or None when the items
        must be read."""
        if self.env.context.get("aging_from_items") or having:
            return None
        grouped = set()
        for spec in groupby:
            name = spec.split(":")[0]
            if name not in SUMMARY_DIMENSIONS:
                return None
            grouped.update((spec, name))
        for term in (order or "").split(","):
            words = term.split()
            if words and words[0] not in grouped:
                return None
        result = []
        for spec in aggregates:
            name = spec.split(":")[0]
            if spec == "__count":
                result.append("item_count:sum")
            elif name in SUMMARY_AMOUNTS and spec.endswith(":sum"):
                result.append(spec)
            elif spec in ("days_overdue:max", "days_overdue:min"):
                result.append(spec)
            else:
                return None
        if not self._summary_domain_ok(domain):
            return None
        return result

    @staticmethod
    def _summary_domain_ok(domain):
        """Whether ``domain`` reads only fields the summary holds."""
        for leaf in domain or []:
            if not isinstance(leaf, (list, tuple)) or leaf in (
                expression.TRUE_LEAF,
                expression.FALSE_LEAF,
            ):
                continue
            if len(leaf) != 3 or not isinstance(leaf[0], str):
                return False
            if leaf[0].split(".")[0] not in SUMMARY_DIMENSIONS:
                return False
        return True

    def action_open_document(self):
        """Open the invoice, credit note or entry of the row."""
        ensure_one_record(self)
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "views": [(False, "form")],
            "target": "current",
        }

    @api.model
    def _get_aging_query(self, today):
        """Return the rows of the report as aged on ``today``.

        The filter on the items repeats the predicate of account's partial index
        on unreconciled posted items, so that PostgreSQL can use it.
        """
        band_amounts = SQL(", ").join(
            SQL(
                "CASE WHEN age.band = %s THEN aml.amount_residual ELSE 0 END AS %s",
                band,
                SQL.identifier(field_name),
            )
            for band, field_name in BAND_AMOUNT_FIELDS.items()
        )
        return SQL(
            """
            SELECT aml.id AS id,
                   aml.id AS move_line_id,
                   aml.move_id AS move_id,
                   move.move_type AS move_type,
                   move.invoice_origin AS invoice_origin,
                   COALESCE(partner.commercial_partner_id, aml.partner_id)
                       AS partner_id,
                   COALESCE(move.invoice_user_id, commercial.user_id) AS user_id,
                   move.team_id AS team_id,
                   aml.company_id AS company_id,
                   company.currency_id AS currency_id,
                   aml.date AS date,
                   move.invoice_date AS invoice_date,
                   age.date_maturity AS date_maturity,
                   age.days AS days_overdue,
                   age.band AS band,
                   aml.amount_residual AS amount_residual,
                   CASE WHEN age.days > 0 THEN aml.amount_residual ELSE 0 END
                       AS amount_overdue,
                   %(band_amounts)s
              FROM account_move_line aml
              JOIN account_account account ON account.id = aml.account_id
              JOIN res_company company ON company.id = aml.company_id
              LEFT JOIN account_move move ON move.id = aml.move_id
              LEFT JOIN res_partner partner ON partner.id = aml.partner_id
              LEFT JOIN res_partner commercial
                     ON commercial.id = partner.commercial_partner_id
             CROSS JOIN LATERAL (
                    SELECT COALESCE(aml.date_maturity, aml.date) AS date_maturity,
                           %(today)s::date - COALESCE(aml.date_maturity, aml.date)
                               AS days
                   ) due
             CROSS JOIN LATERAL (
                    SELECT due.date_maturity,
                           due.days,
                           %(band)s AS band
                   ) age
             WHERE account.account_type = 'asset_receivable'
               AND aml.parent_state = 'posted'
               AND aml.reconciled IS NOT TRUE
               AND aml.amount_residual != 0
            """,
            today=today,
            band_amounts=band_amounts,
            band=band_sql(SQL("due.days")),
        )


class SaleReceivableAgingSummary(models.Model):
    """The receivable aging by customer and due date, from the open
    receivables' summary, aged on the reader's today: what the aging report
    reads when a grouping needs no journal item."""

    _name = "sale.receivable.aging.summary"
    _description = "Receivable Aging Summary"
    _auto = False
    _depends = {
        "sale.receivable.open.summary": [
            "company_id",
            "partner_id",
            "user_id",
            "team_id",
            "date_maturity",
            "item_count",
            "amount_residual",
        ],
        "res.company": [
            "currency_id",
            "sale_aging_band_1",
            "sale_aging_band_2",
            "sale_aging_band_3",
        ],
    }

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    date_maturity = fields.Date(string="Due Date", readonly=True)
    days_overdue = fields.Integer(readonly=True, aggregator="max")
    band = fields.Selection(
        selection=lambda self: self.env[
            "sale.receivable.aging.report"
        ]._selection_band(),
        string="Age",
        readonly=True,
    )
    item_count = fields.Integer(readonly=True)
    amount_residual = fields.Monetary(readonly=True)
    amount_overdue = fields.Monetary(readonly=True)
    amount_not_due = fields.Monetary(readonly=True)
    amount_due_today = fields.Monetary(readonly=True)
    amount_band_1 = fields.Monetary(readonly=True)
    amount_band_2 = fields.Monetary(readonly=True)
    amount_band_3 = fields.Monetary(readonly=True)
    amount_older = fields.Monetary(readonly=True)

    @property
    def _table_query(self):
        today = self.env.context.get("aging_today") or fields.Date.context_today(self)
        band_amounts = SQL(", ").join(
            SQL(
                "CASE WHEN age.band = %s THEN s.amount_residual ELSE 0 END AS %s",
                band,
                SQL.identifier(field_name),
            )
            for band, field_name in BAND_AMOUNT_FIELDS.items()
        )
        return SQL(
            """
            SELECT s.id AS id,
                   s.partner_id AS partner_id,
                   s.user_id AS user_id,
                   s.team_id AS team_id,
                   s.company_id AS company_id,
                   company.currency_id AS currency_id,
                   s.date_maturity AS date_maturity,
                   age.days AS days_overdue,
                   age.band AS band,
                   s.item_count AS item_count,
                   s.amount_residual AS amount_residual,
                   CASE WHEN age.days > 0 THEN s.amount_residual ELSE 0 END
                       AS amount_overdue,
                   %(band_amounts)s
              FROM sale_receivable_open_summary s
              JOIN res_company company ON company.id = s.company_id
             CROSS JOIN LATERAL (
                    SELECT %(today)s::date - s.date_maturity AS days
                   ) due
             CROSS JOIN LATERAL (
                    SELECT due.days, %(band)s AS band
                   ) age
            """,
            today=today,
            band_amounts=band_amounts,
            band=band_sql(SQL("due.days")),
        )
