# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, float_compare, float_is_zero

from .sale_tools import ensure_one_record

TARGET_PERIODS = [
    ("year", "Year"),
    ("quarter", "Quarter"),
    ("month", "Month"),
]
TARGET_DIMENSIONS = [
    ("company", "Company"),
    ("team", "Sales Team"),
    ("user", "Salesperson"),
    ("category", "Product Category"),
    ("region", "Region"),
    ("tier", "Customer Tier"),
]
TARGET_STATES = [
    ("draft", "Draft"),
    ("active", "Active"),
    ("closed", "Closed"),
]
QUARTERS = [("1", "Q1"), ("2", "Q2"), ("3", "Q3"), ("4", "Q4")]
MONTHS = [
    ("1", "January"),
    ("2", "February"),
    ("3", "March"),
    ("4", "April"),
    ("5", "May"),
    ("6", "June"),
    ("7", "July"),
    ("8", "August"),
    ("9", "September"),
    ("10", "October"),
    ("11", "November"),
    ("12", "December"),
]
# The field holding the value of each dimension.
DIMENSION_FIELDS = {
    "team": "team_id",
    "user": "user_id",
    "category": "categ_id",
    "region": "region_id",
    "tier": "tier_id",
}
# Columns of the rows that ``_get_actual_lines_sql`` measures: the targets'
# own table, or any list of virtual targets (last year's periods...).
TARGET_COLUMNS = (
    "id",
    "company_id",
    "dimension",
    "team_id",
    "user_id",
    "categ_id",
    "region_id",
    "tier_id",
    "date_from",
    "date_to",
)


def period_dates(period_type, year, quarter=None, month=None):
    """First and last day of a calendar period."""
    if period_type == "year":
        start = date(year, 1, 1)
        return start, start + relativedelta(years=1, days=-1)
    if period_type == "quarter":
        start = date(year, 3 * (int(quarter) - 1) + 1, 1)
        return start, start + relativedelta(months=3, days=-1)
    start = date(year, int(month), 1)
    return start, start + relativedelta(months=1, days=-1)


class SaleTarget(models.Model):
    """A sales target (R-09) for a period and one dimension: the company, a
    sales team, a salesperson, a product category, a region or a customer
    tier. Targets form a tree: an annual company target is decomposed into
    quarters and months and across teams and salespeople; children should add
    up to their parent (the screen says where they do not, and a parent cannot
    be activated until they do).

    Achievement compares the amount with the actual revenue of the period,
    counted per the company's revenue basis (confirmed orders or posted
    invoices, ``res.company.sale_achievement_basis``), filtered by the
    target's dimension.
    """

    _name = "sale.target"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Sales Target"
    _order = "year desc, date_from, id"
    _parent_store = True
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(
        TARGET_STATES,
        string="Status",
        default="draft",
        required=True,
        copy=False,
        tracking=True,
    )
    # ------------------------------------------------------------------
    # Period
    # ------------------------------------------------------------------
    period_type = fields.Selection(
        TARGET_PERIODS, string="Period", required=True, default="year"
    )
    year = fields.Integer(
        required=True,
        default=lambda self: fields.Date.context_today(self).year,
    )
    quarter = fields.Selection(QUARTERS)
    month = fields.Selection(MONTHS)
    date_from = fields.Date(
        string="From",
        compute="_compute_dates",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        index=True,
        help="Computed from the year, quarter and month; may be set by hand for "
        "an irregular period.",
    )
    date_to = fields.Date(
        string="To",
        compute="_compute_dates",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        index=True,
    )
    # ------------------------------------------------------------------
    # Dimension
    # ------------------------------------------------------------------
    dimension = fields.Selection(
        TARGET_DIMENSIONS, required=True, default="company", tracking=True
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        compute="_compute_team_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        check_company=True,
        tracking=True,
        help="The team of the target; for a salesperson's target, the team the "
        "salesperson belongs to (its head sees the target).",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        index=True,
        tracking=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    categ_id = fields.Many2one(
        "product.category",
        string="Product Category",
        help="Order lines of products in this category and its subcategories count.",
    )
    region_id = fields.Many2one(
        "res.country.state",
        help="A region is a state or province (res.country.state): the orders "
        "and invoices of customers whose company address lies in it count.",
    )
    tier_id = fields.Many2one(
        "sale.customer.tier",
        string="Customer Tier",
        check_company=True,
        help="The orders and invoices of customers in this tier now count.",
    )
    amount = fields.Monetary(
        string="Target Amount",
        tracking=True,
        help="Untaxed revenue to reach in the period, in the company currency.",
    )
    quantity = fields.Float(
        digits="Product Unit of Measure",
        help="Quantity to sell in the period; meaningful for a product category.",
    )
    # ------------------------------------------------------------------
    # Tree
    # ------------------------------------------------------------------
    parent_id = fields.Many2one(
        "sale.target",
        string="Parent Target",
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("sale.target", "parent_id", string="Children")
    child_count = fields.Integer(compute="_compute_child_count")
    children_total = fields.Monetary(
        compute="_compute_children_total",
        store=True,
        help="Sum of the children's amounts.",
    )
    children_difference = fields.Monetary(
        compute="_compute_children_total",
        store=True,
        help="Children's total minus this target's amount: positive when the "
        "children ask for more, negative when they leave part uncovered.",
    )
    is_unbalanced = fields.Boolean(
        string="Children Do Not Add Up",
        compute="_compute_children_total",
        store=True,
    )
    # ------------------------------------------------------------------
    # Achievement
    # ------------------------------------------------------------------
    actual_amount = fields.Monetary(
        string="Actual",
        compute="_compute_achievement",
        help="Untaxed revenue of the period that matches the dimension, from "
        "confirmed orders or posted invoices as the company counts it.",
    )
    actual_quantity = fields.Float(
        compute="_compute_achievement",
        digits="Product Unit of Measure",
    )
    gap_amount = fields.Monetary(
        string="Gap",
        compute="_compute_achievement",
        help="Target amount minus actual: what remains to reach the target.",
    )
    achievement_rate = fields.Float(
        string="Achievement (%)",
        compute="_compute_achievement",
        digits=(16, 1),
    )
    rollup_actual_amount = fields.Monetary(
        string="Children's Actual",
        compute="_compute_achievement",
        help="Sum of the children's actual revenue.",
    )
    document_count = fields.Integer(
        string="Documents Counted", compute="_compute_achievement"
    )
    # ------------------------------------------------------------------
    # Adjustments
    # ------------------------------------------------------------------
    adjustment_ids = fields.One2many(
        "sale.target.adjustment", "target_id", string="Adjustments"
    )
    adjustment_count = fields.Integer(compute="_compute_adjustment_count")
    version_ids = fields.One2many(
        "sale.target.version", "target_id", string="Version History"
    )

    _sql_constraints = [
        (
            "amount_positive",
            "CHECK(amount >= 0)",
            "A target amount cannot be negative.",
        ),
        (
            "dates_ordered",
            "CHECK(date_from <= date_to)",
            "A target's period must end after it starts.",
        ),
    ]

    @api.depends("period_type", "year", "quarter", "month")
    def _compute_dates(self):
        for target in self:
            if not target.year or (
                target.period_type == "quarter"
                and not target.quarter
                or target.period_type == "month"
                and not target.month
            ):
                target.date_from = target.date_from or False
                target.date_to = target.date_to or False
                continue
            target.date_from, target.date_to = period_dates(
                target.period_type, target.year, target.quarter, target.month
            )

    @api.depends("dimension", "user_id")
    def _compute_team_id(self):
        for target in self:
            if target.dimension == "user" and target.user_id:
                target.team_id = target.user_id.sale_team_id or target.team_id
            elif target.dimension not in ("team", "user"):
                target.team_id = target.team_id if target.dimension else False

    def _compute_child_count(self):
        for target in self:
            target.child_count = len(target.child_ids)

    @api.depends("amount", "child_ids.amount")
    def _compute_children_total(self):
        for target in self:
            total = sum(target.child_ids.mapped("amount"))
            rounding = target.currency_id or self.env.company.currency_id
            target.children_total = total
            target.children_difference = total - target.amount
            target.is_unbalanced = bool(target.child_ids) and not float_is_zero(
                total - target.amount, precision_rounding=rounding.rounding
            )

    @api.depends(
        "company_id",
        "dimension",
        "team_id",
        "user_id",
        "categ_id",
        "region_id",
        "tier_id",
        "date_from",
        "date_to",
        "amount",
        "child_ids",
    )
    def _compute_achievement(self):
        saved = self.filtered(lambda t: isinstance(t.id, int))
        measured = saved | saved.child_ids
        figures = measured._get_actual_figures()
        for target in self:
            amount, quantity, documents = figures.get(target.id, (0.0, 0.0, 0))
            target.actual_amount = amount
            target.actual_quantity = quantity
            target.document_count = documents
            target.gap_amount = target.amount - amount
            target.achievement_rate = (
                100.0 * amount / target.amount if target.amount else 0.0
            )
            target.rollup_actual_amount = sum(
                figures.get(child.id, (0.0,))[0]
                for child in target.child_ids
                if isinstance(child.id, int)
            )

    def _compute_adjustment_count(self):
        counts = dict(
            self.env["sale.target.adjustment"]._read_group(
                [("target_id", "in", self.ids)], ["target_id"], ["__count"]
            )
        )
        for target in self:
            target.adjustment_count = counts.get(target, 0)

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains(
        "dimension", "team_id", "user_id", "categ_id", "region_id", "tier_id"
    )
    def _check_dimension_value(self):
        labels = dict(self._fields["dimension"]._description_selection(self.env))
        for target in self:
            field_name = DIMENSION_FIELDS.get(target.dimension)
            if field_name and not target[field_name]:
                raise ValidationError(
                    self.env._(
                        "Target %(target)s is by %(dimension)s: choose the "
                        "%(dimension)s it applies to.",
                        target=target.display_name,
                        dimension=labels[target.dimension],
                    )
                )

    @api.constrains("period_type", "quarter", "month")
    def _check_period(self):
        for target in self:
            if target.period_type == "quarter" and not target.quarter:
                raise ValidationError(
                    self.env._(
                        "Choose the quarter of target %(target)s.",
                        target=target.display_name,
                    )
                )
            if target.period_type == "month" and not target.month:
                raise ValidationError(
                    self.env._(
                        "Choose the month of target %(target)s.",
                        target=target.display_name,
                    )
                )

    @api.constrains("parent_id", "date_from", "date_to")
    def _check_parent_period(self):
        if self._has_cycle():
            raise ValidationError(self.env._("A target cannot be its own ancestor."))
        for target in self.filtered("parent_id"):
            parent = target.parent_id
            if target.date_from < parent.date_from or target.date_to > parent.date_to:
                raise ValidationError(
                    self.env._(
                        "The period of %(target)s must lie within the period of "
                        "its parent %(parent)s.",
                        target=target.display_name,
                        parent=parent.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    def write(self, vals):
        if "amount" in vals and not self.env.su:
            self._check_amount_editable(vals["amount"])
        if vals.get("state") == "active":
            self.filtered(lambda t: t.state != "active")._check_activable()
        return super().write(vals)

    def _check_amount_editable(self, new_amount):
        """Active targets change through an approved adjustment only, unless a
        sales director edits them."""
        if self.env.user.has_group("sale_process_control.group_sale_director"):
            return
        for target in self:
            if target.state != "active":
                continue
            if float_compare(
                target.amount,
                new_amount or 0.0,
                precision_rounding=target.currency_id.rounding,
            ):
                raise UserError(
                    self.env._(
                        "Target %(target)s is active: its amount changes only "
                        "through an approved adjustment. Request a target "
                        "adjustment instead.",
                        target=target.display_name,
                    )
                )

    def _check_activable(self):
        """A parent whose children do not add up cannot be activated."""
        for target in self:
            if target.is_unbalanced:
                raise UserError(
                    self.env._(
                        "Target %(target)s cannot be activated: its children add "
                        "up to %(total)s instead of %(amount)s (difference "
                        "%(difference)s). Correct the children's amounts first.",
                        target=target.display_name,
                        total=target.currency_id.format(target.children_total),
                        amount=target.currency_id.format(target.amount),
                        difference=target.currency_id.format(
                            target.children_difference
                        ),
                    )
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_activate(self):
        self.write({"state": "active"})
        return True

    def action_close(self):
        self.write({"state": "closed"})
        return True

    def action_reset_to_draft(self):
        self.write({"state": "draft"})
        return True

    def action_open_decompose(self):
        ensure_one_record(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Decompose %(target)s", target=self.display_name),
            "res_model": "sale.target.decompose",
            "view_mode": "form",
            "target": "new",
            "context": {"default_target_id": self.id},
        }

    def action_view_children(self):
        ensure_one_record(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Children of %(target)s", target=self.display_name),
            "res_model": "sale.target",
            "view_mode": "list,form",
            "domain": [("parent_id", "=", self.id)],
            "context": {"default_parent_id": self.id},
        }

    def action_view_adjustments(self):
        ensure_one_record(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Adjustments of %(target)s", target=self.display_name),
            "res_model": "sale.target.adjustment",
            "view_mode": "list,form",
            "domain": [("target_id", "=", self.id)],
            "context": {"default_target_id": self.id},
        }

    def action_request_adjustment(self):
        ensure_one_record(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Request an Adjustment"),
            "res_model": "sale.target.adjustment",
            "view_mode": "form",
            "context": {"default_target_id": self.id},
        }

    def action_view_documents(self):
        """The orders (or invoices) counted in the actual."""
        ensure_one_record(self)
        document_ids = self._get_actual_document_ids()
        if self.company_id.sale_achievement_basis == "invoice":
            model, name = "account.move", self.env._("Invoices Counted")
        else:
            model, name = "sale.order", self.env._("Orders Counted")
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "list,form",
            "domain": [("id", "in", document_ids)],
            "context": {"create": False},
        }

    def action_view_month_report(self):
        ensure_one_record(self)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale_process_control.sale_target_month_report_action"
        )
        action["domain"] = [("target_id", "child_of", self.id)]
        return action

    # ------------------------------------------------------------------
    # Achievement
    # ------------------------------------------------------------------
    def _get_actual_figures(self):
        """``{target id: (amount, quantity, document count)}`` of the targets,
        in one query whatever their number."""
        if not self:
            return {}
        self._flush_achievement_inputs()
        query = SQL(
            "SELECT target_id, SUM(amount), SUM(quantity), COUNT(DISTINCT doc_id) "
            "FROM (%s) lines GROUP BY target_id",
            self._get_actual_lines_sql(self._get_targets_table_sql()),
        )
        self.env.cr.execute(query)
        return {
            row[0]: (row[1] or 0.0, row[2] or 0.0, row[3])
            for row in self.env.cr.fetchall()
        }

    def _get_actual_document_ids(self):
        self.ensure_one()
        self._flush_achievement_inputs()
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT doc_id FROM (%s) lines",
                self._get_actual_lines_sql(self._get_targets_table_sql()),
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def _get_targets_table_sql(self):
        return SQL(
            "SELECT %s FROM sale_target WHERE id IN %s",
            SQL(", ").join(SQL.identifier(column) for column in TARGET_COLUMNS),
            tuple(self.ids),
        )

    @api.model
    def _get_virtual_targets_sql(self, rows):
        """Targets that do not exist, as SQL rows of ``TARGET_COLUMNS``: used to
        measure last year's revenue of a period or of a team or salesperson."""
        return SQL(
            "SELECT * FROM (VALUES %s) AS t(%s)",
            SQL(", ").join(
                SQL(
                    "(%s::int, %s::int, %s::varchar, %s::int, %s::int, %s::int, "
                    "%s::int, %s::int, %s::date, %s::date)",
                    *[row.get(column) or None for column in TARGET_COLUMNS],
                )
                for row in rows
            ),
            SQL(", ").join(SQL.identifier(column) for column in TARGET_COLUMNS),
        )

    def _flush_achievement_inputs(self):
        self.env["sale.target"].flush_model()
        for model in (
            "sale.order",
            "sale.order.line",
            "account.move",
            "account.move.line",
            "res.partner",
            "res.company",
            "product.product",
            "product.template",
            "product.category",
        ):
            self.env[model].flush_model()

    @api.model
    def _get_actual_lines_sql(self, targets_sql):
        """Revenue lines matched to each target of ``targets_sql`` (rows of
        ``TARGET_COLUMNS``): ``target_id, doc_id, date, amount, quantity``.

        Orders: confirmed orders (state ``sale``) dated in the period; amount
        is the line's untaxed subtotal in the company currency (the lines of
        an order add up to its ``amount_untaxed``). Invoices: posted customer
        invoices and refunds dated in the period; amount is the product line's
        untaxed balance in the company currency, signed (the lines of an
        invoice add up to its ``amount_untaxed_signed``). Order dates are
        compared in UTC. Each company counts per its revenue basis. The
        dimension filters on the order (team, salesperson), the product's
        category and its subcategories, the state of the customer company
        (region) or its current tier.

        The lines of each company are read once, from the earliest start to
        the latest end of its targets, however many targets there are; they
        meet their targets by an equality join per dimension and the target's
        dates: a category target meets the lines of its category's
        subcategories through their ancestors.
        """
        period_join = SQL(
            "d.company_id = t.company_id "
            "AND d.doc_date BETWEEN t.date_from AND t.date_to"
        )
        return SQL(
            """
            WITH t AS (%(targets)s),
            period AS (
                SELECT t.company_id,
                       MIN(t.date_from) AS date_from,
                       MAX(t.date_to) AS date_to,
                       MIN(c.sale_achievement_basis) AS basis
                  FROM t
                  JOIN res_company c ON c.id = t.company_id
                 GROUP BY t.company_id
            ),
            -- The period's lines, summed per document and product category
            -- before the customer is looked up.
            doc AS (
                SELECT per.company_id, x.doc_id, x.doc_date, x.team_id,
                       x.user_id, x.partner_id, pc.parent_path AS categ_path,
                       SUM(x.amount) AS amount, SUM(x.quantity) AS quantity
                  FROM period per
                  JOIN LATERAL (
                        SELECT so.id AS doc_id, so.date_order::date AS doc_date,
                               so.team_id, so.user_id, so.partner_id,
                               sol.product_id,
                               (sol.price_subtotal
                                   / COALESCE(NULLIF(so.currency_rate, 0), 1))::float
                                   AS amount,
                               sol.product_uom_qty::float AS quantity
                          FROM sale_order so
                          JOIN sale_order_line sol ON sol.order_id = so.id
                         WHERE per.basis = 'order'
                           AND so.company_id = per.company_id
                           AND so.state = 'sale'
                           AND so.date_order >= per.date_from
                           AND so.date_order < per.date_to + 1
                           AND sol.display_type IS NULL
                        UNION ALL
                        SELECT am.id, am.invoice_date,
                               am.team_id, am.invoice_user_id, am.partner_id,
                               aml.product_id,
                               (-aml.balance)::float,
                               (CASE WHEN am.move_type = 'out_refund'
                                     THEN -aml.quantity ELSE aml.quantity END)::float
                          FROM account_move am
                          JOIN account_move_line aml ON aml.move_id = am.id
                         WHERE per.basis = 'invoice'
                           AND am.company_id = per.company_id
                           AND am.state = 'posted'
                           AND am.move_type IN ('out_invoice', 'out_refund')
                           AND am.invoice_date >= per.date_from
                           AND am.invoice_date <= per.date_to
                           AND aml.display_type = 'product'
                  ) x ON TRUE
                  LEFT JOIN product_product pp ON pp.id = x.product_id
                  LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
                  LEFT JOIN product_category pc ON pc.id = pt.categ_id
                 GROUP BY per.company_id, x.doc_id, x.doc_date, x.team_id,
                          x.user_id, x.partner_id, pc.parent_path
            ),
            d AS MATERIALIZED (
                SELECT doc.company_id, doc.doc_id, doc.doc_date, doc.team_id,
                       doc.user_id, cp.state_id AS region_id,
                       (cp.customer_tier_id ->> doc.company_id::text)::int
                           AS tier_id,
                       doc.categ_path, doc.amount, doc.quantity
                  FROM doc
                  JOIN res_partner p ON p.id = doc.partner_id
                  JOIN res_partner cp ON cp.id = p.commercial_partner_id
            )
            SELECT t.id AS target_id, d.doc_id, d.doc_date AS date,
                   d.amount, d.quantity
              FROM t JOIN d ON %(period)s
             WHERE t.dimension = 'company'
            UNION ALL
            %(by_key)s
            UNION ALL
            SELECT t.id, d.doc_id, d.doc_date, d.amount, d.quantity
              FROM t
              JOIN d ON %(period)s
              -- The line's category and its ancestors: one of them is the
              -- target's category when the line belongs to its subtree.
              JOIN LATERAL unnest(
                    string_to_array(rtrim(d.categ_path, '/'), '/')
              ) AS a(categ) ON a.categ = t.categ_id::text
             WHERE t.dimension = 'category'
            """,
            targets=targets_sql,
            period=period_join,
            # Team, salesperson, region, tier: the line's value of the key.
            by_key=SQL(" UNION ALL ").join(
                SQL(
                    "SELECT t.id, d.doc_id, d.doc_date, d.amount, d.quantity "
                    "FROM t JOIN d ON %s AND d.%s = t.%s WHERE t.dimension = %s",
                    period_join,
                    SQL.identifier(column),
                    SQL.identifier(column),
                    dimension,
                )
                for dimension, column in (
                    ("team", "team_id"),
                    ("user", "user_id"),
                    ("region", "region_id"),
                    ("tier", "tier_id"),
                )
            ),
        )

    # ------------------------------------------------------------------
    # API for the manager dashboard
    # ------------------------------------------------------------------
    @api.model
    def _get_dashboard_achievement(self, date_from, date_to, limit=8):
        """Rows of the dashboard's target card: the active targets the user
        may read whose period lies inside [``date_from``, ``date_to``) (the
        dashboard's period, end excluded), largest first, with their
        achievement computed in one batch."""
        targets = self.search(
            [
                ("state", "=", "active"),
                ("date_from", ">=", date_from),
                ("date_to", "<", date_to),
            ],
            order="amount desc, id",
            limit=limit,
        )
        Dashboard = self.env["sale.dashboard"]
        return [
            {
                "id": target.id,
                "name": target.display_name,
                "target": target.amount,
                "actual": target.actual_amount,
                "rate": target.achievement_rate,
                "action": Dashboard._action(
                    target.display_name,
                    "sale.target",
                    [("id", "=", target.id)],
                    ("list", "form"),
                ),
            }
            for target in targets
        ]

    # ------------------------------------------------------------------
    # API for the appraisal
    # ------------------------------------------------------------------
    @api.model
    def _get_user_achievement(self, users, date_from, date_to):
        """``{user id: {"target": float, "actual": float}}`` for ``users`` over
        [``date_from``, ``date_to``].

        Target: the sum of the active or closed salesperson targets whose period
        lies inside the range; a target whose parent is also counted is left
        out, so a year and its own quarters are not counted twice. Actual: the
        user's revenue over the whole range per each company's revenue basis,
        in the companies of the environment.
        """
        date_from = fields.Date.to_date(date_from)
        date_to = fields.Date.to_date(date_to)
        result = {user.id: {"target": 0.0, "actual": 0.0} for user in users}
        if not users:
            return result
        # The appraisal reads every salesperson's targets, whoever generates it.
        targets = self.sudo().search(
            [
                ("dimension", "=", "user"),
                ("user_id", "in", users.ids),
                ("state", "in", ("active", "closed")),
                ("date_from", ">=", date_from),
                ("date_to", "<=", date_to),
                ("company_id", "in", self.env.companies.ids),
            ]
        )
        for target in targets:
            if target.parent_id in targets:
                continue
            result[target.user_id.id]["target"] += target.amount
        # One aggregate per company over the documents of these users: the
        # general per-target matching would read the period's lines once per
        # user.
        self._flush_achievement_inputs()
        for company in self.env.companies:
            if company.sale_achievement_basis == "invoice":
                query = SQL(
                    """
                    SELECT am.invoice_user_id, SUM(-aml.balance)
                      FROM account_move am
                      JOIN account_move_line aml ON aml.move_id = am.id
                     WHERE am.company_id = %(company)s
                       AND am.state = 'posted'
                       AND am.move_type IN ('out_invoice', 'out_refund')
                       AND am.invoice_date >= %(date_from)s
                       AND am.invoice_date <= %(date_to)s
                       AND aml.display_type = 'product'
                       AND am.invoice_user_id = ANY(%(users)s)
                     GROUP BY am.invoice_user_id
                    """,
                    company=company.id,
                    date_from=date_from,
                    date_to=date_to,
                    users=users.ids,
                )
            else:
                query = SQL(
                    """
                    SELECT so.user_id,
                           SUM(sol.price_subtotal
                               / COALESCE(NULLIF(so.currency_rate, 0), 1))
                      FROM sale_order so
                      JOIN sale_order_line sol ON sol.order_id = so.id
                     WHERE so.company_id = %(company)s
                       AND so.state = 'sale'
                       AND so.date_order >= %(date_from)s
                       AND so.date_order < %(date_to)s::date + 1
                       AND sol.display_type IS NULL
                       AND so.user_id = ANY(%(users)s)
                     GROUP BY so.user_id
                    """,
                    company=company.id,
                    date_from=date_from,
                    date_to=date_to,
                    users=users.ids,
                )
            for user_id, amount in self.env.execute_query(query):
                result[user_id]["actual"] += float(amount or 0.0)
        return result
