# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
"""Customer visits (R-07): plan, record, follow-ups, manager review, and the
daily job of the visit cadence (R-06, see :mod:`.sale_visit_window`)."""

import logging
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from .sale_tools import company_lang, ensure_one_record, in_company_langs
from .sale_visit_window import (
    VISIT_WINDOW_FIELDS,
    WINDOW_INTERVALS,
    window_end,
    window_start,
)

_logger = logging.getLogger(__name__)

VISIT_CHANNELS = [
    ("onsite", "On Site"),
    ("phone", "Phone"),
    ("video", "Video Call"),
    ("email", "Email"),
]
VISIT_STATES = [
    ("planned", "Planned"),
    ("done", "Done"),
    ("missed", "Missed"),
    ("cancelled", "Cancelled"),
]
EFFECTIVENESS = [
    ("0", "Not Rated"),
    ("1", "Poor"),
    ("2", "Fair"),
    ("3", "Good"),
    ("4", "Very Good"),
    ("5", "Excellent"),
]
# Planned visits not logged this many days after their planned date are missed.
MISSED_AFTER_DAYS = 7
# Fields only department heads write: their review of the visit.
REVIEW_FIELDS = {"effectiveness", "manager_comment"}


class SaleVisit(models.Model):
    _name = "sale.visit"
    _description = "Customer Visit"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "planned_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
    )
    state = fields.Selection(
        VISIT_STATES,
        string="Status",
        required=True,
        default="planned",
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
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        tracking=True,
        check_company=True,
        domain="[('type', '!=', 'private')]",
    )
    commercial_partner_id = fields.Many2one(
        "res.partner",
        string="Customer Company",
        related="partner_id.commercial_partner_id",
        store=True,
        index=True,
    )
    contact_id = fields.Many2one(
        "res.partner",
        string="Met With",
        check_company=True,
        domain="[('commercial_partner_id', '=', commercial_partner_id), "
        "('is_company', '=', False)]",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        required=True,
        tracking=True,
        index=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    tier_id = fields.Many2one(
        "sale.customer.tier",
        string="Tier",
        related="commercial_partner_id.customer_tier_id",
    )
    # Plan
    purpose = fields.Char(required=True, tracking=True)
    preparation = fields.Text(help="Documents, samples, figures to bring.")
    strategy = fields.Text(help="How to reach the purpose: topics, offers, people.")
    planned_date = fields.Datetime(
        required=True,
        tracking=True,
        index=True,
        default=fields.Datetime.now,
    )
    duration = fields.Float(default=1.0, help="Planned duration in hours.")
    channel = fields.Selection(
        VISIT_CHANNELS,
        required=True,
        default="onsite",
        tracking=True,
    )
    # Record
    visit_date = fields.Date(
        copy=False,
        tracking=True,
        index=True,
        help="Day the visit took place; it counts in the calendar window of this day.",
    )
    summary = fields.Text(copy=False)
    customer_needs = fields.Text(string="Needs Heard", copy=False)
    problems = fields.Text(copy=False)
    customer_feedback = fields.Text(copy=False)
    followup_ids = fields.One2many(
        "sale.visit.followup",
        "visit_id",
        string="Follow-up Actions",
        copy=False,
    )
    feedback_ids = fields.One2many(
        "sale.customer.feedback",
        "visit_id",
        string="Feedback Records",
        copy=False,
    )
    feedback_count = fields.Integer(compute="_compute_feedback_count")
    # Manager review
    effectiveness = fields.Selection(
        EFFECTIVENESS,
        default="0",
        copy=False,
        tracking=True,
        help="The department head's rating of how well the visit served its purpose.",
    )
    manager_comment = fields.Text(copy=False, tracking=True)
    reviewed_by_id = fields.Many2one("res.users", copy=False, readonly=True)
    reviewed_date = fields.Datetime(string="Reviewed On", copy=False, readonly=True)
    can_review = fields.Boolean(compute="_compute_can_review")
    color = fields.Integer(compute="_compute_color")

    _sql_constraints = [
        (
            "duration_positive",
            "CHECK(duration >= 0)",
            "The duration of a visit cannot be negative.",
        ),
    ]

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    def _compute_feedback_count(self):
        counts = dict(
            self.env["sale.customer.feedback"]._read_group(
                [("visit_id", "in", self.ids)], ["visit_id"], ["__count"]
            )
        )
        for visit in self:
            visit.feedback_count = counts.get(visit, 0)

    @api.depends_context("uid")
    def _compute_can_review(self):
        is_head = self.env.user.has_group(
            "sale_process_control.group_sale_department_head"
        )
        for visit in self:
            visit.can_review = is_head and visit.user_id != self.env.user

    @api.depends("state")
    def _compute_color(self):
        colors = {"planned": 4, "done": 10, "missed": 1, "cancelled": 0}
        for visit in self:
            visit.color = colors.get(visit.state, 0)

    # ------------------------------------------------------------------
    # Constraints and onchanges
    # ------------------------------------------------------------------
    @api.constrains("state", "visit_date")
    def _check_visit_date(self):
        today = fields.Date.context_today(self)
        for visit in self:
            if visit.state == "done" and not visit.visit_date:
                raise ValidationError(
                    self.env._("A done visit needs the day it took place.")
                )
            if visit.visit_date and visit.visit_date > today:
                raise ValidationError(
                    self.env._(
                        "Visit %(visit)s cannot be recorded for a future day.",
                        visit=visit.name,
                    )
                )

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.partner_id and not self.partner_id.is_company:
            self.contact_id = self.partner_id
        elif self.contact_id.commercial_partner_id != self.commercial_partner_id:
            self.contact_id = False

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # Data loaded by the system (demo, migrations) may carry a history.
            if not self.env.su:
                self._check_create_vals(vals)
            if vals.get("name", self.env._("New")) == self.env._("New"):
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                vals["name"] = self.env["ir.sequence"].with_company(
                    company
                ).next_by_code("sale.visit") or self.env._("New")
        visits = super().create(vals_list)
        self.env["sale.visit.window"]._refresh(visits.commercial_partner_id.ids)
        return visits

    def write(self, vals):
        if REVIEW_FIELDS & set(vals):
            if not self.env.su:
                self._check_can_review()
            vals = dict(
                vals,
                reviewed_by_id=self.env.user.id,
                reviewed_date=fields.Datetime.now(),
            )
        if "state" in vals and not self.env.su:
            raise UserError(
                self.env._(
                    "The status of a visit changes through its buttons: Mark as "
                    "Done, Missed, Cancel or Reset to Planned."
                )
            )
        if not VISIT_WINDOW_FIELDS & set(vals):
            return super().write(vals)
        customers = self.commercial_partner_id
        result = super().write(vals)
        self.env["sale.visit.window"]._refresh(
            (customers | self.commercial_partner_id).ids
        )
        return result

    def unlink(self):
        customers = self.commercial_partner_id
        result = super().unlink()
        self.env["sale.visit.window"]._refresh(customers.ids)
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if any(visit.state in ("done", "missed") for visit in self):
            raise UserError(
                self.env._(
                    "A done or missed visit is part of the visit record; cancel it "
                    "instead of deleting it."
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_done(self):
        """Log the visit: it took place on its visit date (today by default)."""
        self.check_access("write")
        today = fields.Date.context_today(self)
        for visit in self:
            if visit.state not in ("planned", "missed"):
                raise UserError(
                    self.env._(
                        "Only planned or missed visits can be logged; %(visit)s is "
                        "%(state)s.",
                        visit=visit.name,
                        state=dict(VISIT_STATES)[visit.state],
                    )
                )
            if not visit.summary:
                raise UserError(
                    self.env._(
                        "Write the summary of visit %(visit)s before marking it done.",
                        visit=visit.name,
                    )
                )
            if not visit.visit_date:
                visit.visit_date = min(today, visit.planned_date.date())
        self._set_state("done")
        self.followup_ids._schedule_activities()
        self._close_due_reminders()
        return True

    def action_mark_missed(self):
        self.check_access("write")
        self._check_state_in(("planned",))
        self._set_state("missed")
        return True

    def action_cancel(self):
        self.check_access("write")
        self._check_state_in(("planned", "missed"))
        self._set_state("cancelled")
        return True

    def action_reset_to_planned(self):
        self.check_access("write")
        self._check_state_in(("missed", "cancelled"))
        self._set_state("planned")
        return True

    def action_view_feedback(self):
        ensure_one_record(self)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale_process_control.sale_customer_feedback_action"
        )
        action["domain"] = [("visit_id", "=", self.id)]
        action["context"] = {
            "default_visit_id": self.id,
            "default_partner_id": self.partner_id.id,
            "default_user_id": self.user_id.id,
        }
        return action

    def action_record_feedback(self):
        """Open a new feedback record for what the customer said in this visit."""
        ensure_one_record(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Customer Feedback"),
            "res_model": "sale.customer.feedback",
            "view_mode": "form",
            "target": "current",
            "context": {
                "default_visit_id": self.id,
                "default_partner_id": self.partner_id.id,
                "default_user_id": self.user_id.id,
                "default_description": self.customer_feedback or self.problems,
            },
        }

    # ------------------------------------------------------------------
    # Scheduled jobs
    # ------------------------------------------------------------------
    @api.model
    def _cron_schedule_due_visits(self):
        """Daily: one "visit due" activity per customer and window not met yet.

        Per company the work is a constant number of queries, whatever the number
        of customers: one statement finds the customers whose current window has
        no done (nor planned) visit and no reminder yet, and inserts their
        activities and reminder lines.
        """
        today = fields.Date.context_today(self)
        companies = self.env["res.company"].search([])
        for done, company in enumerate(companies, start=1):
            count = (
                self.with_company(company)
                .with_context(lang=company_lang(company))
                ._schedule_due_visits(company, today)
            )
            _logger.info(
                "Visit due reminders: %s new for company %s", count, company.name
            )
            self.env["ir.cron"]._notify_progress(
                done=done, remaining=len(companies) - done
            )
        # The log only guards current windows; older lines are not needed.
        self.env["sale.visit.reminder"]._gc_reminders(today)
        return True

    @api.model
    def _cron_mark_missed_visits(self):
        """Daily: planned visits not logged a week after their date are missed."""
        limit = fields.Datetime.now() - timedelta(days=MISSED_AFTER_DAYS)
        visits = self.search([("state", "=", "planned"), ("planned_date", "<", limit)])
        for part in in_company_langs(visits):
            part._set_state("missed")
        return True

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _schedule_due_visits(self, company, today):
        """Give the due-visit activities of ``company`` for ``today``'s windows;
        return how many were given.

        One statement inserts the activities and their reminder lines: the
        ORM's per-record work (defaults, followers, notifications) would cost
        minutes for the hundred thousand customers that fall due together on the
        first Monday of a month. What the ORM would add is left out on purpose:
        the salesperson is not made a follower of the customer, and no e-mail or
        bus message is sent; the activities show in the salesperson's list.
        """
        Tier = self.env["sale.customer.tier"]
        intervals = set(
            Tier.search(
                [
                    ("company_id", "=", company.id),
                    ("visit_interval", "in", WINDOW_INTERVALS),
                ]
            ).mapped("visit_interval")
        )
        activity_type = self.env.ref(
            "sale_process_control.mail_activity_type_visit_due",
            raise_if_not_found=False,
        )
        if not intervals or not activity_type:
            return 0
        labels = dict(Tier._fields["visit_interval"]._description_selection(self.env))
        windows = SQL(", ").join(
            SQL(
                "(%s, %s::date, %s::date, %s::date, %s::varchar)",
                interval,
                window_start(today, interval),
                window_end(today, interval) + timedelta(days=1),
                window_end(today, interval),
                self.env._(
                    "Visit due: %(cadence)s", cadence=labels.get(interval, interval)
                ),
            )
            for interval in sorted(intervals)
        )
        self._flush_due_visit_fields()
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """
                WITH due AS MATERIALIZED (
                    -- Ids drawn first: the reminder lines need no join back.
                    SELECT due.*, nextval('mail_activity_id_seq') AS activity_id
                      FROM (%(due)s) AS due
                ),
                activity AS (
                    INSERT INTO mail_activity (
                        id, res_model_id, res_model, res_id, res_name,
                        activity_type_id, summary, date_deadline, user_id, user_tz,
                        automated, active, create_uid, create_date, write_uid,
                        write_date
                    )
                    SELECT due.activity_id, %(model_id)s, 'res.partner',
                           due.partner_id, due.name, %(type_id)s, due.summary,
                           due.deadline, due.user_id, due.user_tz, TRUE, TRUE,
                           %(uid)s, %(now)s, %(uid)s, %(now)s
                      FROM due
                )
                INSERT INTO sale_visit_reminder (
                    partner_id, company_id, window_start, activity_id,
                    create_uid, create_date, write_uid, write_date
                )
                SELECT due.partner_id, %(company)s, due.start, due.activity_id,
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM due
                """,
                due=self._get_due_customers_query(company, windows),
                model_id=self.env["ir.model"]._get_id("res.partner"),
                type_id=activity_type.id,
                uid=self.env.uid,
                now=now,
                company=company.id,
            )
        )
        count = self.env.cr.rowcount
        if count:
            # Rows written in SQL: the caches of what they touch are stale.
            self.env["mail.activity"].invalidate_model()
            self.env["sale.visit.reminder"].invalidate_model()
            self.env["res.partner"].invalidate_model(
                ["activity_ids", "activity_state", "activity_user_id"]
            )
        return count

    @api.model
    def _get_due_customers_query(self, company, windows):
        """SQL of the customers of ``company`` whose current window has no done
        visit, no planned visit and no reminder yet. ``windows`` is the SQL of a
        VALUES list ``(interval, start, stop, deadline, summary)`` with ``stop``
        the day after the window. Columns: partner_id, name, user_id, user_tz,
        start, deadline, summary."""
        company_key = str(company.id)
        return SQL(
            """
            SELECT p.id AS partner_id,
                   p.complete_name AS name,
                   p.user_id,
                   up.tz AS user_tz,
                   w.start,
                   w.deadline,
                   w.summary
              FROM res_partner p
              JOIN sale_customer_tier t
                ON t.id = (p.customer_tier_id ->> %(key)s)::int
              JOIN (VALUES %(windows)s) AS w(interval, start, stop, deadline, summary)
                ON w.interval = t.visit_interval
              JOIN res_users u ON u.id = p.user_id AND u.active
              JOIN res_partner up ON up.id = u.partner_id
             WHERE p.customer_tier_id ? %(key)s
               AND t.company_id = %(company)s
               AND t.active
               AND p.active
               AND p.id = p.commercial_partner_id
               AND NOT EXISTS (
                    SELECT 1
                      FROM sale_visit v
                     WHERE v.commercial_partner_id = p.id
                       AND v.company_id = %(company)s
                       AND (
                            (v.state = 'done' AND v.visit_date >= w.start)
                         OR (v.state = 'planned'
                             AND v.planned_date >= w.start
                             AND v.planned_date < w.stop)
                       )
               )
               -- Reminders of the current windows, read once and hashed: a
               -- probe per customer would scan the table each time whenever
               -- the planner, unable to count customers by their JSON tier,
               -- expects only a few.
               AND (p.id, w.start) NOT IN (
                    SELECT r.partner_id, r.window_start
                      FROM sale_visit_reminder r
                     WHERE r.company_id = %(company)s
                       AND r.window_start IN (
                            SELECT ws.start
                              FROM (VALUES %(windows)s)
                                AS ws(interval, start, stop, deadline, summary)
                       )
               )
            """,
            key=company_key,
            company=company.id,
            windows=windows,
        )

    def _flush_due_visit_fields(self):
        self.env["sale.visit"].flush_model(
            [
                "commercial_partner_id",
                "company_id",
                "state",
                "visit_date",
                "planned_date",
            ]
        )
        self.env["sale.visit.reminder"].flush_model()
        self.env["res.partner"].flush_model(
            [
                "customer_tier_id",
                "user_id",
                "active",
                "commercial_partner_id",
                "complete_name",
                "tz",
            ]
        )
        self.env["res.users"].flush_model(["active", "partner_id"])
        self.env["sale.customer.tier"].flush_model()
        self.env["mail.activity"].flush_model()

    def _close_due_reminders(self):
        """Mark done the due-visit activities of the windows these visits met."""
        reminders = self.env["sale.visit.reminder"].sudo()
        for visit in self:
            interval = visit.commercial_partner_id.with_company(
                visit.company_id
            ).customer_tier_id.visit_interval
            if interval not in WINDOW_INTERVALS:
                continue
            reminders |= reminders.search(
                [
                    ("partner_id", "=", visit.commercial_partner_id.id),
                    ("company_id", "=", visit.company_id.id),
                    ("window_start", "=", window_start(visit.visit_date, interval)),
                    ("activity_id", "!=", False),
                ]
            )
        for reminder in reminders:
            visit = self.filtered(
                lambda v, r=reminder: v.commercial_partner_id == r.partner_id
            )[:1]
            # The activity belongs to the customer's salesperson, who may not be
            # the one logging the visit.
            reminder.activity_id.sudo().action_feedback(
                feedback=self.env._("Visit %(visit)s logged.", visit=visit.name)
            )

    @api.model
    def _check_create_vals(self, vals):
        if any(vals.get(field) not in (None, False, "0") for field in REVIEW_FIELDS):
            raise UserError(
                self.env._("A visit is rated after it took place, not when created.")
            )
        if vals.get("state", "planned") != "planned":
            raise UserError(
                self.env._("A new visit starts as planned; log it with Mark as Done.")
            )

    def _check_can_review(self):
        if not self.env.user.has_group(
            "sale_process_control.group_sale_department_head"
        ):
            raise AccessError(
                self.env._("Only a department head rates and comments on visits.")
            )
        for visit in self:
            if visit.user_id == self.env.user:
                raise AccessError(
                    self.env._(
                        "You made visit %(visit)s: another department head rates it.",
                        visit=visit.name,
                    )
                )
            if visit.state != "done":
                raise UserError(
                    self.env._(
                        "Only done visits are rated; %(visit)s is not done.",
                        visit=visit.name,
                    )
                )

    def _check_state_in(self, states):
        labels = dict(VISIT_STATES)
        for visit in self:
            if visit.state not in states:
                raise UserError(
                    self.env._(
                        "Visit %(visit)s is %(state)s: this step is not possible.",
                        visit=visit.name,
                        state=labels[visit.state],
                    )
                )

    def _set_state(self, state):
        # The status is guarded against direct writes; the buttons are its way.
        self.sudo().write({"state": state})


class SaleVisitFollowup(models.Model):
    _name = "sale.visit.followup"
    _description = "Visit Follow-up Action"
    _order = "date_deadline, id"

    visit_id = fields.Many2one(
        "sale.visit",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="visit_id.company_id", store=True)
    name = fields.Char(string="Action", required=True)
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        required=True,
        domain="[('share', '=', False)]",
        default=lambda self: self.env.user,
    )
    date_deadline = fields.Date(string="Deadline", required=True)
    activity_id = fields.Many2one(
        "mail.activity",
        readonly=True,
        copy=False,
        ondelete="set null",
    )
    is_scheduled = fields.Boolean(
        string="Scheduled",
        readonly=True,
        copy=False,
        help="An activity was given to the owner.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        followups = super().create(vals_list)
        # Actions added to a visit that is already logged are scheduled at once.
        followups.filtered(lambda f: f.visit_id.state == "done")._schedule_activities()
        return followups

    def _schedule_activities(self):
        """Give each owner an activity on the visit, once."""
        for followup in self.filtered(lambda f: not f.is_scheduled):
            visit = followup.visit_id
            activity = visit.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=followup.date_deadline,
                summary=followup.name,
                note=self.env._(
                    "Follow-up of visit %(visit)s to %(customer)s.",
                    visit=visit.name,
                    customer=visit.partner_id.display_name,
                ),
                user_id=followup.user_id.id,
            )
            followup.write({"activity_id": activity.id, "is_scheduled": True})


class SaleVisitReminder(models.Model):
    """One line per customer, company and window for which the daily job gave
    a "visit due" activity: the job never gives a second one for the window,
    even when the first was done or deleted without a visit."""

    _name = "sale.visit.reminder"
    _description = "Visit Due Reminder"
    _order = "window_start desc, id desc"

    partner_id = fields.Many2one(
        "res.partner",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one("res.company", required=True, ondelete="cascade")
    window_start = fields.Date(required=True, index=True)
    activity_id = fields.Many2one("mail.activity", ondelete="set null")

    _sql_constraints = [
        (
            "window_uniq",
            "unique(partner_id, company_id, window_start)",
            "A customer gets one visit reminder per window.",
        ),
    ]

    @api.model
    def _gc_reminders(self, today):
        """Forget reminders of windows that ended long ago (months, by far the
        longest window, are covered with a margin)."""
        self.search([("window_start", "<", today - relativedelta(months=3))]).unlink()
