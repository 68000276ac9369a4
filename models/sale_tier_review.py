# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
import logging

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, date_utils, split_every

from .sale_decision_guard import decision_action
from .sale_tools import company_lang, ensure_one_record

_logger = logging.getLogger(__name__)

REVIEW_STATES = [("draft", "To Confirm"), ("done", "Done")]
LINE_STATES = [
    ("pending", "To Decide"),
    ("confirmed", "Confirmed"),
    ("unchanged", "No Change"),
]


class SaleTierReview(models.Model):
    """The quarterly re-evaluation of customer tiers of one company (R-02).

    One review per company and quarter: running the evaluation again refreshes
    the lines still to decide and never duplicates a review, a line or a
    history record.
    """

    _name = "sale.tier.review"
    _inherit = ["mail.thread", "sale.decision.guard"]
    # Set by the buttons and jobs only (sale.decision.guard).
    _decision_fields = ("state", "evaluated_date")
    _description = "Quarterly Tier Review"
    _order = "date_start desc, company_id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_start = fields.Date(string="Quarter Start", required=True, readonly=True)
    date_end = fields.Date(string="Quarter End", compute="_compute_name", store=True)
    basis = fields.Selection(
        related="company_id.sale_achievement_basis",
        string="Revenue Basis",
    )
    state = fields.Selection(
        REVIEW_STATES, default="draft", required=True, tracking=True
    )
    evaluated_date = fields.Datetime(string="Evaluated On", readonly=True)
    line_ids = fields.One2many("sale.tier.review.line", "review_id", string="Customers")
    line_count = fields.Integer(compute="_compute_counts")
    change_count = fields.Integer(string="Proposed Changes", compute="_compute_counts")
    pending_count = fields.Integer(string="To Decide", compute="_compute_counts")

    _sql_constraints = [
        (
            "company_quarter_uniq",
            "unique(company_id, date_start)",
            "A company has one tier review per quarter.",
        ),
    ]

    @api.depends("date_start", "company_id")
    def _compute_name(self):
        for review in self:
            if not review.date_start:
                review.name = False
                review.date_end = False
                continue
            quarter = (review.date_start.month - 1) // 3 + 1
            # A stored name, read by everybody: in the company's language,
            # whoever (or whichever job) creates the review.
            review.name = review.with_context(
                lang=company_lang(review.company_id)
            ).env._(
                "%(year)s Q%(quarter)s tier review",
                year=review.date_start.year,
                quarter=quarter,
            )
            review.date_end = review.date_start + relativedelta(months=3, days=-1)

    def _compute_counts(self):
        groups = self.env["sale.tier.review.line"]._read_group(
            [("review_id", "in", self.ids)],
            ["review_id", "state", "is_change"],
            ["__count"],
        )
        counts = {}
        for review, state, is_change, count in groups:
            figures = counts.setdefault(
                review.id, {"all": 0, "change": 0, "pending": 0}
            )
            figures["all"] += count
            if is_change:
                figures["change"] += count
            if state == "pending":
                figures["pending"] += count
        for review in self:
            figures = counts.get(review.id, {"all": 0, "change": 0, "pending": 0})
            review.line_count = figures["all"]
            review.change_count = figures["change"]
            review.pending_count = figures["pending"]

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @api.model
    def action_open_current_review(self):
        """Open this quarter's review of the current company, creating it once."""
        self._check_manager()
        review = self._get_or_create_review(
            self.env.company, fields.Date.context_today(self)
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": review.id,
            "view_mode": "form",
        }

    @decision_action
    def action_evaluate(self):
        """Refresh the figures and proposals of the lines still to decide."""
        self._check_manager()
        for review in self:
            if review.state == "done":
                raise UserError(
                    self.env._(
                        "%(review)s is done and cannot be evaluated again.",
                        review=review.name,
                    )
                )
            review._evaluate()
        return True

    @decision_action
    def action_confirm_all(self):
        """Confirm every line still to decide, as proposed or as overridden."""
        self._check_manager()
        self.line_ids.filtered(lambda line: line.state == "pending").action_confirm()
        return True

    def action_view_changes(self):
        ensure_one_record(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Proposed Changes"),
            "res_model": "sale.tier.review.line",
            "view_mode": "list,form",
            "domain": [("review_id", "=", self.id), ("is_change", "=", True)],
            "context": {"search_default_pending": 1},
        }

    # ------------------------------------------------------------------
    # Cron
    # ------------------------------------------------------------------
    @api.model
    @decision_action
    def _cron_create_quarterly_reviews(self):
        """Make the draft review of each company at the start of each quarter."""
        today = fields.Date.context_today(self)
        companies = self.env["sale.customer.tier"].search([]).company_id
        for company in companies:
            self.with_context(lang=company_lang(company))._get_or_create_review(
                company, today
            )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _check_manager(self):
        if not self.env.user.has_group(
            "sale_process_control.group_sale_department_head"
        ):
            raise UserError(
                self.env._("Only department heads run and confirm tier reviews.")
            )

    @api.model
    @decision_action
    def _get_or_create_review(self, company, day):
        quarter_start = date_utils.start_of(day, "quarter")
        review = self.sudo().search(
            [("company_id", "=", company.id), ("date_start", "=", quarter_start)]
        )
        if not review:
            review = self.sudo().create(
                {"company_id": company.id, "date_start": quarter_start}
            )
            review._evaluate()
        return review.sudo(False)

    @decision_action
    def _close_if_decided(self):
        for review in self:
            if not review.line_ids.filtered(lambda line: line.state == "pending"):
                review.sudo().state = "done"

    @decision_action
    def _evaluate(self):
        """One set-based evaluation: figures for every customer, proposals, lines."""
        self.ensure_one()
        company = self.company_id
        tiers = self.env["sale.customer.tier"].sudo()._get_company_tiers(company)
        if not tiers:
            raise UserError(
                self.env._(
                    "Define the customer tiers of %(company)s first (Sales › "
                    "Configuration › Process Control › Customer Tiers).",
                    company=company.name,
                )
            )
        figures = self._get_customer_figures(tiers)
        Partner = self.env["res.partner"].sudo().with_company(company)
        partners = Partner.browse(list(figures))
        Line = self.env["sale.tier.review.line"].sudo()
        existing = {
            line.partner_id.id: line
            for line in Line.search([("review_id", "=", self.id)])
        }
        vals_list = []
        for partner in partners:
            by_window = figures[partner.id]
            proposed = self._propose(tiers, by_window, partner.potential_score)
            revenue, count = by_window.get(proposed.window_months, (0.0, 0))
            current = partner.customer_tier_id
            vals = {
                "user_id": partner.user_id.id,
                "revenue": revenue,
                "order_count": count,
                "potential_score": partner.potential_score,
                "current_tier_id": current.id,
                "proposed_tier_id": proposed.id,
            }
            line = existing.pop(partner.id, None)
            if line is None:
                vals_list.append(
                    dict(
                        vals,
                        review_id=self.id,
                        partner_id=partner.id,
                        final_tier_id=proposed.id,
                        state="pending" if proposed != current else "unchanged",
                    )
                )
            elif line.state != "confirmed":
                # A manager's override and its reason survive a new evaluation.
                final = line.final_tier_id if line.is_override else proposed
                vals.update(
                    final_tier_id=final.id,
                    state="pending" if final != current else "unchanged",
                )
                line.write(vals)
        self._insert_lines(vals_list)
        # Customers no longer in scope lose their undecided, untouched lines.
        Line.browse(
            [
                line.id
                for line in existing.values()
                if line.state != "confirmed" and not line.is_override
            ]
        ).unlink()
        self.sudo().evaluated_date = fields.Datetime.now()
        _logger.info("Tier review %s: %s customers evaluated", self.id, len(vals_list))

    def _insert_lines(self, vals_list):
        """Insert the new lines of this review, 10,000 per statement.

        A review writes one line per customer: for 100,000 customers the ORM's
        create took most of the evaluation's time. A line has no chatter and no
        computed field other than the three given here (``company_id``,
        ``is_change``, ``is_override``: a new line decides the proposal)."""
        self.ensure_one()
        if not vals_list:
            return
        Line = self.env["sale.tier.review.line"]
        currency = self.company_id.currency_id
        columns = (
            "review_id",
            "company_id",
            "partner_id",
            "user_id",
            "revenue",
            "order_count",
            "potential_score",
            "current_tier_id",
            "proposed_tier_id",
            "final_tier_id",
            "state",
            "is_change",
            "is_override",
            "create_uid",
            "create_date",
            "write_uid",
            "write_date",
        )
        now = self.env.cr.now()
        uid = self.env.uid
        for batch in split_every(10000, vals_list):
            rows = [
                (
                    self.id,
                    self.company_id.id,
                    vals["partner_id"],
                    vals["user_id"] or None,
                    currency.round(vals["revenue"] or 0.0),
                    vals["order_count"] or 0,
                    vals["potential_score"] or 0,
                    vals["current_tier_id"] or None,
                    vals["proposed_tier_id"],
                    vals["final_tier_id"],
                    vals["state"],
                    vals["final_tier_id"] != (vals["current_tier_id"] or False),
                    False,
                    uid,
                    now,
                    uid,
                    now,
                )
                for vals in batch
            ]
            self.env.cr.execute(
                SQL(
                    "INSERT INTO sale_tier_review_line (%s) VALUES %s",
                    SQL(", ").join(SQL.identifier(name) for name in columns),
                    SQL(", ").join(SQL("%s", row) for row in rows),
                )
            )
        Line.invalidate_model()
        self.invalidate_recordset(["line_ids"])

    @api.model
    def _propose(self, tiers, by_window, potential):
        for tier in tiers:
            revenue, count = by_window.get(tier.window_months, (0.0, 0))
            if (
                revenue >= tier.min_revenue
                and count >= tier.min_order_count
                and potential >= tier.min_potential
            ):
                return tier
        return tiers[-1]

    def _get_customer_figures(self, tiers):
        """Revenue and order (or invoice) count per commercial partner for each
        window length of the tiers: ``{partner_id: {months: (revenue, count)}}``.

        One aggregate query with conditional sums, whatever the number of
        customers; customers without any figure get zeros.
        """
        self.ensure_one()
        company = self.company_id
        end = self.date_start
        windows = sorted(set(tiers.mapped("window_months")))
        starts = {months: end - relativedelta(months=months) for months in windows}
        earliest = min(starts.values())
        if company.sale_achievement_basis == "invoice":
            self.env["account.move"].flush_model(
                [
                    "commercial_partner_id",
                    "amount_untaxed_signed",
                    "invoice_date",
                    "move_type",
                    "state",
                    "company_id",
                ]
            )
            columns = [
                SQL(
                    "SUM(CASE WHEN m.invoice_date >= %s "
                    "THEN m.amount_untaxed_signed END), "
                    "COUNT(CASE WHEN m.invoice_date >= %s "
                    "AND m.move_type = 'out_invoice' THEN 1 END)",
                    starts[months],
                    starts[months],
                )
                for months in windows
            ]
            query = SQL(
                """
                SELECT m.commercial_partner_id, %s
                  FROM account_move m
                 WHERE m.company_id = %s
                   AND m.state = 'posted'
                   AND m.move_type IN ('out_invoice', 'out_refund')
                   AND m.invoice_date >= %s AND m.invoice_date < %s
              GROUP BY m.commercial_partner_id
                """,
                SQL(", ").join(columns),
                company.id,
                earliest,
                end,
            )
        else:
            self.env["sale.order"].flush_model(
                [
                    "partner_id",
                    "amount_untaxed",
                    "currency_rate",
                    "date_order",
                    "state",
                    "company_id",
                ]
            )
            self.env["res.partner"].flush_model(["commercial_partner_id"])
            columns = [
                SQL(
                    "SUM(CASE WHEN o.date_order >= %s "
                    "THEN o.amount_untaxed "
                    "/ COALESCE(NULLIF(o.currency_rate, 0), 1) END), "
                    "COUNT(CASE WHEN o.date_order >= %s THEN 1 END)",
                    starts[months],
                    starts[months],
                )
                for months in windows
            ]
            query = SQL(
                """
                SELECT p.commercial_partner_id, %s
                  FROM sale_order o
                  JOIN res_partner p ON p.id = o.partner_id
                 WHERE o.company_id = %s
                   AND o.state = 'sale'
                   AND o.date_order >= %s AND o.date_order < %s
              GROUP BY p.commercial_partner_id
                """,
                SQL(", ").join(columns),
                company.id,
                earliest,
                end,
            )
        figures = {}
        for row in self.env.execute_query(query):
            partner_id, values = row[0], row[1:]
            figures[partner_id] = {
                months: (values[2 * i] or 0.0, values[2 * i + 1] or 0)
                for i, months in enumerate(windows)
            }
        # Active customers without any figure in the window are evaluated too.
        self.env["res.partner"].flush_model(
            ["customer_rank", "is_company", "parent_id"]
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT id FROM res_partner
                 WHERE active AND customer_rank > 0 AND parent_id IS NULL
                   AND (company_id IS NULL OR company_id = %s)
                """,
                company.id,
            )
        )
        empty = dict.fromkeys(windows, (0.0, 0))
        for (partner_id,) in rows:
            figures.setdefault(partner_id, dict(empty))
        return figures


class SaleTierReviewLine(models.Model):
    _name = "sale.tier.review.line"
    _description = "Tier Review Line"
    _order = "is_change desc, revenue desc, id"

    review_id = fields.Many2one(
        "sale.tier.review", required=True, ondelete="cascade", index=True
    )
    # Computed before the lines are inserted: a review writes one line per
    # customer, and a second pass to store these would double its time.
    company_id = fields.Many2one(
        related="review_id.company_id", store=True, precompute=True
    )
    currency_id = fields.Many2one(related="review_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade"
    )
    user_id = fields.Many2one("res.users", string="Salesperson")
    revenue = fields.Monetary(readonly=True)
    order_count = fields.Integer(string="Orders", readonly=True)
    potential_score = fields.Integer(string="Potential", readonly=True)
    current_tier_id = fields.Many2one("sale.customer.tier", readonly=True)
    proposed_tier_id = fields.Many2one("sale.customer.tier", readonly=True)
    final_tier_id = fields.Many2one(
        "sale.customer.tier",
        string="Decided Tier",
        domain="[('company_id', '=', company_id)]",
        help="Change the proposal to override it; an override needs a reason.",
    )
    reason = fields.Text(string="Override Reason")
    is_change = fields.Boolean(
        compute="_compute_is_change", store=True, precompute=True
    )
    is_override = fields.Boolean(
        compute="_compute_is_change", store=True, precompute=True
    )
    state = fields.Selection(
        LINE_STATES, default="pending", required=True, readonly=True
    )
    decided_by_id = fields.Many2one("res.users", readonly=True)
    decided_date = fields.Datetime(string="Decided On", readonly=True)

    _sql_constraints = [
        (
            "review_partner_uniq",
            "unique(review_id, partner_id)",
            "A customer appears once in a tier review.",
        ),
    ]

    @api.depends("current_tier_id", "proposed_tier_id", "final_tier_id")
    def _compute_is_change(self):
        for line in self:
            line.is_change = line.final_tier_id != line.current_tier_id
            line.is_override = line.final_tier_id != line.proposed_tier_id

    def write(self, vals):
        if not self.env.su:
            if {"final_tier_id", "reason"} & set(vals):
                self.review_id._check_manager()
                if any(line.state == "confirmed" for line in self):
                    raise UserError(self.env._("Confirmed lines cannot be changed."))
            if set(vals) - {"final_tier_id", "reason"}:
                raise UserError(
                    self.env._("Only the decided tier and its reason can be edited.")
                )
        result = super().write(vals)
        if "final_tier_id" in vals:
            # An overridden "no change" line becomes a decision to take.
            self.filtered(
                lambda line: line.state == "unchanged" and line.is_change
            ).sudo().write({"state": "pending"})
        return result

    @decision_action
    def action_confirm(self):
        """Apply the decided tiers: history, chatter, and the salesperson told."""
        self.review_id._check_manager()
        lines = self.filtered(lambda line: line.state == "pending")
        missing = lines.filtered(
            lambda line: line.is_override and not (line.reason or "").strip()
        )
        if missing:
            raise UserError(
                self.env._(
                    "Give a reason for each override before confirming: %(customers)s.",
                    customers=", ".join(missing.partner_id.mapped("display_name")),
                )
            )
        now = fields.Datetime.now()
        history_vals = []
        for line in lines:
            if not line.final_tier_id:
                raise UserError(
                    self.env._(
                        "Choose the tier of %(customer)s.",
                        customer=line.partner_id.display_name,
                    )
                )
            if line.is_change:
                history_vals.append(line._prepare_history_vals(now))
        # Tier changes, history and notifications are the review's own writes.
        self.env["sale.customer.tier.history"].sudo().create(history_vals)
        changed = lines.filtered("is_change")
        for line in changed:
            line._apply_tier()
        # The visit windows of the customers follow their new cadence at once.
        self.env["sale.visit.window"]._refresh(changed.partner_id.ids)
        lines.sudo().write(
            {
                "state": "confirmed",
                "decided_by_id": self.env.user.id,
                "decided_date": now,
            }
        )
        lines.review_id._close_if_decided()
        return True

    def _prepare_history_vals(self, now):
        self.ensure_one()
        return {
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "date": now,
            "user_id": self.env.user.id,
            "old_tier_id": self.current_tier_id.id,
            "new_tier_id": self.final_tier_id.id,
            "review_line_id": self.id,
            "reason": self.reason
            or self.env._(
                "Quarterly evaluation: revenue %(revenue)s, %(count)s orders, "
                "potential %(potential)s.",
                revenue=self.currency_id.format(self.revenue),
                count=self.order_count,
                potential=self.potential_score,
            ),
        }

    def _apply_tier(self):
        self.ensure_one()
        partner = self.partner_id.sudo().with_company(self.company_id)
        partner.with_context(
            sale_visit_window_defer=True
        ).customer_tier_id = self.final_tier_id
        body = self.env._(
            "Customer tier changed from %(old)s to %(new)s (%(review)s).",
            old=self.current_tier_id.name or self.env._("none"),
            new=self.final_tier_id.name,
            review=self.review_id.name,
        )
        partner.message_post(body=body)
        if self.user_id and self.user_id != self.env.user:
            partner.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._(
                    "Tier changed to %(tier)s", tier=self.final_tier_id.name
                ),
                note=body,
                user_id=self.user_id.id,
            )
