# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .sale_decision_guard import decision_action
from .sale_tools import company_lang

PERIOD_REPORT_TYPES = [
    ("weekly", "Weekly"),
    ("monthly", "Monthly"),
]
PERIOD_REPORT_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("reviewed", "Reviewed"),
]
# What the author writes; frozen once the report is submitted.
CONTENT_FIELDS = {
    "report_type",
    "user_id",
    "team_id",
    "company_id",
    "date_from",
    "progress",
    "customer_news",
    "problems_measures",
    "results",
    "problems_causes",
    "improvement_measures",
}
FIGURE_FIELDS = (
    "order_count",
    "order_amount",
    "visit_count",
    "new_customer_count",
    "collection_amount",
)
ACTIVITY_TYPE = "sale_process_control.mail_activity_type_period_report"


def period_start(report_type, day):
    """First day of the week (Monday) or month that contains ``day``."""
    if report_type == "weekly":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def period_end(report_type, start):
    if report_type == "weekly":
        return start + timedelta(days=6)
    return start + relativedelta(months=1, days=-1)


def last_finished_period(report_type, today):
    """Start of the last period that ended before ``today``."""
    if report_type == "weekly":
        return period_start("weekly", today) - timedelta(days=7)
    return period_start("monthly", today) - relativedelta(months=1)


class SalePeriodReport(models.Model):
    """Weekly report of a salesperson and monthly report of a department head
    (R-31).

    The figures are taken from the system when the report is created and each
    time the author refreshes them while it is a draft: orders confirmed in the
    period (by the salesperson, or by the team the head leads), visits done,
    new customers (whose first confirmed order falls in the period) and
    customer payments received in the period from their customers. Weekly
    reports are reviewed by a department head, monthly reports by a director;
    the reviewer either marks the report reviewed or sends it back.
    """

    _name = "sale.period.report"
    _description = "Period Report"
    _inherit = ["mail.thread", "mail.activity.mixin", "sale.decision.guard"]
    # Set by the buttons and jobs only (sale.decision.guard).
    _decision_fields = (
        "state",
        "submitted_date",
        "reviewer_id",
        "reviewed_date",
        "order_count",
        "order_amount",
        "visit_count",
        "new_customer_count",
        "collection_amount",
        "figures_date",
        "reminded",
    )
    _order = "date_from desc, report_type, id desc"
    _check_company_auto = True

    _sql_constraints = [
        (
            "user_type_period_unique",
            "UNIQUE(user_id, report_type, date_from)",
            "There is already a report of this person for this period: open it "
            "instead of creating a new one.",
        ),
    ]

    name = fields.Char(compute="_compute_name", store=True)
    report_type = fields.Selection(
        PERIOD_REPORT_TYPES,
        string="Type",
        required=True,
        default="weekly",
        tracking=True,
    )
    state = fields.Selection(
        PERIOD_REPORT_STATES,
        string="Status",
        required=True,
        default="draft",
        copy=False,
        tracking=True,
        index=True,
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users",
        string="Author",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
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
        help="Weekly: the author's team. Monthly: the team the author leads; its "
        "figures are those of the whole team.",
    )
    date_from = fields.Date(
        string="Period Start",
        required=True,
        tracking=True,
        default=lambda self: last_finished_period(
            "weekly", fields.Date.context_today(self)
        ),
        help="Monday of the week or first day of the month.",
    )
    date_to = fields.Date(string="Period End", compute="_compute_date_to", store=True)
    # Figures from the system
    order_count = fields.Integer(string="Orders Confirmed", readonly=True, copy=False)
    order_amount = fields.Monetary(
        string="Amount Confirmed",
        readonly=True,
        copy=False,
        help="Untaxed amount of the orders confirmed in the period, in the "
        "company's currency.",
    )
    visit_count = fields.Integer(string="Visits Done", readonly=True, copy=False)
    new_customer_count = fields.Integer(
        string="New Customers",
        readonly=True,
        copy=False,
        help="Customers whose first confirmed order falls in the period.",
    )
    collection_amount = fields.Monetary(
        string="Collections",
        readonly=True,
        copy=False,
        help="Customer payments received in the period from the customers of "
        "the author (or of the team), in the company's currency.",
    )
    figures_date = fields.Datetime(string="Figures Of", readonly=True, copy=False)
    # Weekly content
    progress = fields.Html(help="Work done and progress against the plan.")
    customer_news = fields.Html(help="News about customers and the market.")
    problems_measures = fields.Html(string="Problems and Measures")
    # Monthly content
    results = fields.Html(help="Results of the month against the targets.")
    problems_causes = fields.Html(string="Problems and Causes")
    improvement_measures = fields.Html()
    # Review
    submitted_date = fields.Datetime(string="Submitted On", readonly=True, copy=False)
    reviewer_id = fields.Many2one(
        "res.users", string="Reviewed By", readonly=True, copy=False
    )
    reviewed_date = fields.Datetime(string="Reviewed On", readonly=True, copy=False)
    review_comment = fields.Text(copy=False, tracking=True)
    reminded = fields.Boolean(
        readonly=True, copy=False, help="A reminder was sent for this report."
    )
    can_review = fields.Boolean(compute="_compute_can_review")

    # ------------------------------------------------------------------
    # Computes and constraints
    # ------------------------------------------------------------------
    @api.depends("report_type", "user_id", "date_from")
    def _compute_name(self):
        for record in self:
            # Stored and read by everybody: in the company's language.
            report = record.with_context(lang=company_lang(record.company_id))
            types = dict(self._fields["report_type"]._description_selection(report.env))
            if not (report.user_id and report.date_from):
                report.name = types.get(report.report_type) or ""
                continue
            if report.report_type == "weekly":
                period = report.env._(
                    "week %(week)s of %(year)s",
                    week=report.date_from.isocalendar()[1],
                    year=report.date_from.isocalendar()[0],
                )
            else:
                period = report.date_from.strftime("%Y-%m")
            report.name = report.env._(
                "%(type)s report %(period)s - %(user)s",
                type=types.get(report.report_type),
                period=period,
                user=report.user_id.name,
            )

    @api.depends("report_type", "user_id", "company_id")
    def _compute_team_id(self):
        for report in self:
            team = report.user_id.sale_team_id
            if report.report_type == "monthly" and report.user_id:
                led = self.env["crm.team"].search(
                    [
                        ("user_id", "=", report.user_id.id),
                        ("company_id", "in", [report.company_id.id, False]),
                    ],
                    limit=1,
                )
                team = led or team
            report.team_id = team

    @api.depends("report_type", "date_from")
    def _compute_date_to(self):
        for report in self:
            report.date_to = report.date_from and period_end(
                report.report_type, report.date_from
            )

    def _compute_can_review(self):
        for report in self:
            report.can_review = report._is_reviewer(self.env.user)

    @api.constrains("report_type", "date_from")
    def _check_period_start(self):
        for report in self:
            if period_start(report.report_type, report.date_from) != report.date_from:
                raise ValidationError(
                    self.env._(
                        "A weekly report starts on a Monday and a monthly report on "
                        "the first day of the month: set the period start to "
                        "%(start)s.",
                        start=period_start(report.report_type, report.date_from),
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        reports = super().create(vals_list)
        reports._refresh_figures()
        return reports

    def write(self, vals):
        if CONTENT_FIELDS & set(vals) and any(r.state != "draft" for r in self):
            raise UserError(
                self.env._(
                    "A submitted report can no longer be changed. Ask the reviewer "
                    "to send it back for changes."
                )
            )
        if (
            CONTENT_FIELDS & set(vals)
            and not self.env.su
            and any(r.user_id != self.env.user for r in self)
        ):
            raise AccessError(
                self.env._(
                    "Only the author writes a period report; reviewers comment on "
                    "it in the review comment."
                )
            )
        if "review_comment" in vals and not all(
            r._is_reviewer(self.env.user) for r in self
        ):
            raise AccessError(
                self.env._(
                    "Only the reviewer of a report can write the review comment."
                )
            )
        res = super().write(vals)
        if {"report_type", "user_id", "team_id", "company_id", "date_from"} & set(vals):
            self._refresh_figures()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        if any(report.state != "draft" for report in self):
            raise UserError(
                self.env._("Only draft reports can be deleted; this one was submitted.")
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @decision_action
    def action_refresh_figures(self):
        for report in self:
            if report.state != "draft":
                raise UserError(
                    self.env._("The figures of a submitted report are frozen.")
                )
        self._refresh_figures()
        return True

    @decision_action
    def action_submit(self):
        for report in self:
            if report.state != "draft":
                raise UserError(self.env._("Only a draft report can be submitted."))
            if report.user_id != self.env.user:
                raise UserError(
                    self.env._(
                        "Only %(user)s can submit their report.",
                        user=report.user_id.name,
                    )
                )
        self._refresh_figures()
        self.write({"state": "submitted", "submitted_date": fields.Datetime.now()})
        self.activity_feedback([ACTIVITY_TYPE])
        return True

    @decision_action
    def action_review(self):
        self._check_can_review()
        for report in self:
            if not report.review_comment:
                raise UserError(
                    self.env._(
                        "Write your review comment before marking the report reviewed."
                    )
                )
        self.write(
            {
                "state": "reviewed",
                "reviewer_id": self.env.user.id,
                "reviewed_date": fields.Datetime.now(),
            }
        )
        return True

    @decision_action
    def action_request_changes(self):
        self._check_can_review()
        for report in self:
            if not report.review_comment:
                raise UserError(
                    self.env._("Write in the review comment what has to be changed.")
                )
        self.write(
            {
                "state": "draft",
                "reviewer_id": self.env.user.id,
                "reviewed_date": fields.Datetime.now(),
            }
        )
        for report in self:
            report.message_post(
                body=self.env._(
                    "Sent back for changes: %(comment)s", comment=report.review_comment
                ),
                partner_ids=report.user_id.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
        return True

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _is_reviewer(self, user):
        """Weekly reports are reviewed by department heads, monthly reports by
        directors; nobody reviews their own report."""
        self.ensure_one()
        group = (
            "sale_process_control.group_sale_department_head"
            if self.report_type == "weekly"
            else "sale_process_control.group_sale_director"
        )
        return self.user_id != user and user.has_group(group)

    def _check_can_review(self):
        for report in self:
            if report.state != "submitted":
                raise UserError(self.env._("Only a submitted report can be reviewed."))
            if not report._is_reviewer(self.env.user):
                raise AccessError(
                    self.env._(
                        "Weekly reports are reviewed by a department head and "
                        "monthly reports by a sales director, never by their author."
                    )
                )

    def _get_scope_users(self):
        """Salespeople whose figures the report covers."""
        self.ensure_one()
        # A monthly report covers the team only when its author leads the
        # team as a department head; a salesperson's report covers their own
        # work, whichever team they pick.
        author = self.user_id
        if (
            self.report_type == "monthly"
            and self.team_id
            and self.team_id.user_id == author
            and author.has_group("sale_process_control.group_sale_department_head")
        ):
            return self.team_id.member_ids | author
        return author

    def _refresh_figures(self):
        # Figures cover the whole team, including orders and payments the
        # author may not read one by one.
        for report in self.sudo():
            report.write(
                report._get_figures() | {"figures_date": fields.Datetime.now()}
            )

    def _get_figures(self):
        """Figures of the period from the system, in the company's currency."""
        self.ensure_one()
        users = self._get_scope_users()
        start = fields.Datetime.to_datetime(self.date_from)
        stop = fields.Datetime.to_datetime(self.date_to + timedelta(days=1))
        order_scope = [("user_id", "in", users.ids)]
        if self.report_type == "monthly" and self.team_id:
            order_scope = ["|", ("team_id", "=", self.team_id.id)] + order_scope
        Order = self.env["sale.order"]
        orders = Order.search(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "=", "sale"),
                ("date_order", ">=", start),
                ("date_order", "<", stop),
                *order_scope,
            ]
        )
        amount = sum(
            order.amount_untaxed / (order.currency_rate or 1.0) for order in orders
        )
        # New customers: no confirmed order of the company before the period.
        customers = orders.partner_id.commercial_partner_id
        earlier = Order.search(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "=", "sale"),
                ("date_order", "<", start),
                ("partner_id", "child_of", customers.ids),
            ]
        ).partner_id.commercial_partner_id
        visit_count = self.env["sale.visit"].search_count(
            [
                ("company_id", "=", self.company_id.id),
                ("state", "=", "done"),
                ("user_id", "in", users.ids),
                ("visit_date", ">=", self.date_from),
                ("visit_date", "<=", self.date_to),
            ]
        )
        payments = self.env["account.payment"]._read_group(
            [
                ("company_id", "=", self.company_id.id),
                ("payment_type", "=", "inbound"),
                ("partner_type", "=", "customer"),
                ("state", "in", ("in_process", "paid")),
                ("date", ">=", self.date_from),
                ("date", "<=", self.date_to),
                ("partner_id.commercial_partner_id.user_id", "in", users.ids),
            ],
            aggregates=["amount_company_currency_signed:sum"],
        )
        return {
            "order_count": len(orders),
            "order_amount": self.currency_id.round(amount),
            "visit_count": visit_count,
            "new_customer_count": len(customers - earlier),
            "collection_amount": payments[0][0] or 0.0,
        }

    # ------------------------------------------------------------------
    # Reminders
    # ------------------------------------------------------------------
    @api.model
    @decision_action
    def _cron_remind_missing(self):
        """Remind the authors of the reports of the last finished period that
        are missing or still drafts: the draft is created (figures filled in)
        if needed and an activity is scheduled on it, once per report."""
        today = fields.Date.context_today(self)
        for report_type in ("weekly", "monthly"):
            start = last_finished_period(report_type, today)
            for company, users in self._get_expected_authors(report_type).items():
                self.with_context(lang=company_lang(company))._remind_authors(
                    report_type, start, company, users
                )

    @api.model
    def _get_expected_authors(self, report_type):
        """{company: users} who write a report of ``report_type``: team members
        write weekly reports, team leaders monthly reports."""
        authors = {}
        teams = self.env["crm.team"].search([])
        for team in teams:
            company = team.company_id or self.env.company
            users = team.member_ids if report_type == "weekly" else team.user_id
            users = users.filtered(lambda u: u.active and not u.share)
            authors[company] = authors.get(company, self.env["res.users"]) | users
        return authors

    @api.model
    @decision_action
    def _remind_authors(self, report_type, start, company, users):
        existing = self.search(
            [
                ("report_type", "=", report_type),
                ("date_from", "=", start),
                ("user_id", "in", users.ids),
            ]
        )
        missing = users - existing.user_id
        new = self.with_company(company).create(
            [
                {
                    "report_type": report_type,
                    "date_from": start,
                    "user_id": user.id,
                    "company_id": company.id,
                }
                for user in missing
            ]
        )
        late = (existing | new).filtered(
            lambda r: r.state == "draft" and not r.reminded
        )
        for report in late:
            report.activity_schedule(
                ACTIVITY_TYPE,
                date_deadline=fields.Date.context_today(self),
                summary=self.env._("Submit your period report"),
                note=self.env._(
                    "Your report for %(period_start)s – %(period_end)s is late: "
                    "complete and submit it.",
                    period_start=report.date_from,
                    period_end=report.date_to,
                ),
                user_id=report.user_id.id,
            )
        late.write({"reminded": True})
        return late
