# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import SQL

from ..models.sale_visit_window import (
    next_window_start,
    previous_window_start,
    window_end,
    window_start,
    window_start_sql,
)
from .common import SaleProcessControlCommon


@tagged("post_install", "-at_install")
class TestVisitWindows(TransactionCase):
    """R-06: the calendar windows of the visit cadence."""

    def test_weekly_iso_weeks_across_years(self):
        # 2020 has an ISO week 53 that ends on Sunday 2021-01-03.
        self.assertEqual(window_start(date(2020, 12, 31), "weekly"), date(2020, 12, 28))
        self.assertEqual(window_start(date(2021, 1, 3), "weekly"), date(2020, 12, 28))
        self.assertEqual(window_end(date(2021, 1, 3), "weekly"), date(2021, 1, 3))
        self.assertEqual(window_start(date(2021, 1, 4), "weekly"), date(2021, 1, 4))
        # ISO week 1 of 2026 starts in 2025.
        self.assertEqual(window_start(date(2026, 1, 1), "weekly"), date(2025, 12, 29))
        self.assertEqual(window_end(date(2025, 12, 29), "weekly"), date(2026, 1, 4))
        self.assertEqual(
            next_window_start(date(2025, 12, 31), "weekly"), date(2026, 1, 5)
        )
        self.assertEqual(
            previous_window_start(date(2021, 1, 4), "weekly"), date(2020, 12, 28)
        )

    def test_biweekly_fixed_windows(self):
        # Anchored on Monday 2001-01-01: 7308 days later (522 windows) is
        # Monday 2021-01-04, so 2020-12-21 .. 2021-01-03 is one window.
        self.assertEqual(window_start(date(2001, 1, 1), "biweekly"), date(2001, 1, 1))
        self.assertEqual(window_end(date(2001, 1, 1), "biweekly"), date(2001, 1, 14))
        self.assertEqual(window_start(date(2001, 1, 15), "biweekly"), date(2001, 1, 15))
        self.assertEqual(
            window_start(date(2020, 12, 31), "biweekly"), date(2020, 12, 21)
        )
        self.assertEqual(window_end(date(2020, 12, 31), "biweekly"), date(2021, 1, 3))
        self.assertEqual(window_start(date(2021, 1, 4), "biweekly"), date(2021, 1, 4))
        # Across a leap day: 2024-02-26 .. 2024-03-10 is one window.
        self.assertEqual(window_start(date(2024, 2, 29), "biweekly"), date(2024, 2, 26))
        self.assertEqual(window_start(date(2024, 3, 1), "biweekly"), date(2024, 2, 26))
        self.assertEqual(window_end(date(2024, 2, 29), "biweekly"), date(2024, 3, 10))
        self.assertEqual(
            previous_window_start(date(2024, 3, 1), "biweekly"), date(2024, 2, 12)
        )
        # Before the anchor too.
        self.assertEqual(
            window_start(date(2000, 12, 31), "biweekly"), date(2000, 12, 18)
        )

    def test_monthly_calendar_months(self):
        self.assertEqual(window_start(date(2024, 2, 29), "monthly"), date(2024, 2, 1))
        self.assertEqual(window_end(date(2024, 2, 1), "monthly"), date(2024, 2, 29))
        self.assertEqual(window_end(date(2023, 2, 15), "monthly"), date(2023, 2, 28))
        self.assertEqual(window_end(date(2024, 1, 31), "monthly"), date(2024, 1, 31))
        self.assertEqual(
            next_window_start(date(2024, 1, 31), "monthly"), date(2024, 2, 1)
        )
        self.assertEqual(
            next_window_start(date(2023, 12, 31), "monthly"), date(2024, 1, 1)
        )
        self.assertEqual(
            previous_window_start(date(2024, 3, 1), "monthly"), date(2024, 2, 1)
        )
        self.assertEqual(
            previous_window_start(date(2024, 1, 15), "monthly"), date(2023, 12, 1)
        )

    def test_no_window_without_cadence(self):
        with self.assertRaises(ValueError):
            window_start(date(2024, 1, 1), "none")

    def test_sql_windows_match_python(self):
        """The SQL of the report and searches builds the same windows."""
        first = date(2000, 11, 1)
        self.env.cr.execute(
            SQL(
                """
                SELECT d::date, i,
                       %s
                  FROM generate_series(%s::date, %s::date, interval '1 day') d,
                       unnest(ARRAY['weekly', 'biweekly', 'monthly']) i
                """,
                window_start_sql(SQL("d::date"), SQL("i")),
                first,
                date(2001, 2, 28),
            )
        )
        rows = self.env.cr.fetchall()
        self.env.cr.execute(
            SQL(
                """
                SELECT d::date, i, %s
                  FROM generate_series(%s::date, %s::date, interval '1 day') d,
                       unnest(ARRAY['weekly', 'biweekly', 'monthly']) i
                """,
                window_start_sql(SQL("d::date"), SQL("i")),
                date(2020, 12, 1),
                date(2026, 3, 31),
            )
        )
        rows += self.env.cr.fetchall()
        self.assertGreater(len(rows), 5000)
        for day, interval, start in rows:
            self.assertEqual(start, window_start(day, interval), f"{day} {interval}")


class VisitCommon(SaleProcessControlCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.salesperson = cls.sale_user
        cls.other_salesperson = new_test_user(
            cls.env, "spc_visit_sales2", groups="sales_team.group_sale_salesman"
        )
        Tier = cls.env["sale.customer.tier"]
        tiers = Tier.search([("company_id", "=", cls.company.id)])
        if len(tiers) < 3:
            tiers |= Tier._create_default_tiers(cls.company)
        cls.tier_a = tiers.filtered(lambda t: t.code == "A")
        cls.tier_b = tiers.filtered(lambda t: t.code == "B")
        cls.tier_c = tiers.filtered(lambda t: t.code == "C")
        cls.tier_a.visit_interval = "weekly"
        cls.tier_b.visit_interval = "biweekly"
        cls.tier_c.visit_interval = "monthly"
        # The department head leads the salesperson's team, not the other's.
        cls.visit_team = cls.env["crm.team"].create(
            {
                "name": "Visit Team",
                "user_id": cls.head_user.id,
                "member_ids": [Command.set(cls.salesperson.ids)],
            }
        )

    @classmethod
    def _customer(cls, name, tier, user=None, created=None):
        partner = cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "customer_rank": 1,
                "user_id": (user or cls.salesperson).id,
            }
        )
        if tier:
            partner.with_company(cls.company).sudo().customer_tier_id = tier
        if created:
            cls._set_create_date(partner, created)
        return partner

    @classmethod
    def _set_create_date(cls, partners, when):
        partners.flush_recordset()
        cls.env.cr.execute(
            SQL(
                "UPDATE res_partner SET create_date = %s WHERE id IN %s",
                when,
                tuple(partners.ids),
            )
        )
        partners.invalidate_recordset(["create_date"])
        # A customer's creation day never changes in use: the stored visit
        # windows are brought in line by hand here.
        cls.env["sale.visit.window"]._refresh(partners.ids)

    @classmethod
    def _visit(cls, partner, day, state="done", user=None, **vals):
        """A visit of ``partner`` planned (and, if done, made) on ``day``."""
        visit = cls.env["sale.visit"].create(
            {
                "partner_id": partner.id,
                "user_id": (user or partner.user_id or cls.salesperson).id,
                "purpose": "Review needs",
                "planned_date": datetime.combine(day, datetime.min.time())
                + timedelta(hours=9),
                **vals,
            }
        )
        if state == "done":
            visit.write({"summary": "Met the buyer", "visit_date": day})
            visit.sudo().write({"state": "done"})
        elif state != "planned":
            visit.sudo().write({"state": state})
        return visit


@tagged("post_install", "-at_install")
class TestVisit(VisitCommon):
    """R-07: the plan and record of a visit, follow-ups, manager review."""

    def test_plan_and_log_visit(self):
        customer = self._customer("Visit Co", self.tier_c)
        with freeze_time("2024-03-12 10:00:00"):
            visit = (
                self.env["sale.visit"]
                .with_user(self.salesperson)
                .create(
                    {
                        "partner_id": customer.id,
                        "purpose": "Present the new range",
                        "preparation": "Samples",
                        "strategy": "Start with the quality figures",
                        "planned_date": "2024-03-11 09:00:00",
                        "channel": "onsite",
                        "followup_ids": [
                            Command.create(
                                {
                                    "name": "Send the quotation",
                                    "user_id": self.salesperson.id,
                                    "date_deadline": "2024-03-15",
                                }
                            ),
                            Command.create(
                                {
                                    "name": "Check the drawings",
                                    "user_id": self.head_user.id,
                                    "date_deadline": "2024-03-20",
                                }
                            ),
                        ],
                    }
                )
            )
            self.assertTrue(visit.name.startswith("VIS/2024/"))
            self.assertEqual(visit.state, "planned")
            self.assertFalse(visit.activity_ids, "No follow-up before the visit.")
            with self.assertRaisesRegex(UserError, "summary"):
                visit.action_done()
            visit.write(
                {
                    "summary": "The buyer liked the range",
                    "customer_needs": "Shorter lead times",
                    "problems": "One late delivery",
                    "customer_feedback": "Prices are fair",
                }
            )
            visit.action_done()
        self.assertEqual(visit.state, "done")
        self.assertEqual(visit.visit_date, date(2024, 3, 11), "Planned day by default")
        activities = visit.sudo().activity_ids.sorted("date_deadline")
        self.assertEqual(
            [(a.summary, a.user_id, a.date_deadline) for a in activities],
            [
                ("Send the quotation", self.salesperson, date(2024, 3, 15)),
                ("Check the drawings", self.head_user, date(2024, 3, 20)),
            ],
        )
        self.assertTrue(all(visit.followup_ids.mapped("is_scheduled")))
        # Logging twice never schedules twice; a late follow-up is scheduled.
        visit.with_user(self.salesperson).write(
            {
                "followup_ids": [
                    Command.create(
                        {
                            "name": "Call back",
                            "user_id": self.salesperson.id,
                            "date_deadline": "2024-03-25",
                        }
                    )
                ]
            }
        )
        self.assertEqual(len(visit.sudo().activity_ids), 3)

    def test_status_guards(self):
        customer = self._customer("Guard Co", self.tier_c)
        Visit = self.env["sale.visit"].with_user(self.salesperson)
        with self.assertRaises(UserError):
            Visit.create({"partner_id": customer.id, "purpose": "x", "state": "done"})
        visit = Visit.create({"partner_id": customer.id, "purpose": "x"})
        with self.assertRaises(UserError):
            visit.write({"state": "done"})
        with self.assertRaises(ValidationError):
            visit.write({"visit_date": date.today() + timedelta(days=3)})
        visit.action_mark_missed()
        self.assertEqual(visit.state, "missed")
        with self.assertRaises(UserError):
            visit.unlink()
        visit.action_cancel()
        visit.action_reset_to_planned()
        self.assertEqual(visit.state, "planned")
        visit.unlink()

    def test_missed_job(self):
        customer = self._customer("Missed Co", self.tier_c)
        with freeze_time("2024-03-20 10:00:00"):
            old = self._visit(customer, date(2024, 3, 12), state="planned")
            recent = self._visit(customer, date(2024, 3, 14), state="planned")
            self.env["sale.visit"]._cron_mark_missed_visits()
        self.assertEqual(old.state, "missed")
        self.assertEqual(recent.state, "planned")
        # A missed visit can still be logged.
        with freeze_time("2024-03-21 10:00:00"):
            old.with_user(self.salesperson).write({"summary": "It did take place"})
            old.with_user(self.salesperson).action_done()
        self.assertEqual(old.state, "done")

    def test_manager_review(self):
        customer = self._customer("Review Co", self.tier_c)
        visit = self._visit(customer, date.today() - timedelta(days=1))
        with self.assertRaises(AccessError):
            visit.with_user(self.salesperson).write({"effectiveness": "4"})
        own_visit = self._visit(customer, date.today(), user=self.head_user)
        with self.assertRaises(AccessError):
            own_visit.with_user(self.head_user).write({"effectiveness": "4"})
        planned = self._visit(customer, date.today(), state="planned")
        with self.assertRaises(UserError):
            planned.with_user(self.head_user).write({"manager_comment": "Too early"})
        visit.with_user(self.head_user).write(
            {"effectiveness": "4", "manager_comment": "Clear next steps."}
        )
        self.assertEqual(visit.reviewed_by_id, self.head_user)
        self.assertTrue(visit.reviewed_date)
        self.assertTrue(visit.with_user(self.head_user).can_review)
        self.assertFalse(visit.with_user(self.salesperson).can_review)

    def test_feedback_from_visit(self):
        customer = self._customer("Heard Co", self.tier_c)
        visit = self._visit(customer, date.today(), customer_feedback="Labels fade")
        action = visit.with_user(self.salesperson).action_record_feedback()
        self.assertEqual(action["context"]["default_visit_id"], visit.id)
        self.assertEqual(action["context"]["default_description"], "Labels fade")


@tagged("post_install", "-at_install")
class TestCustomerVisitStatus(VisitCommon):
    """R-06: last visit, next due date and overdue of a customer."""

    def _status(self, partner):
        partner.invalidate_recordset(
            ["last_visit_date", "visit_next_due_date", "is_visit_overdue"]
        )
        return (
            partner.last_visit_date,
            partner.visit_next_due_date,
            partner.is_visit_overdue,
        )

    def _overdue_ids(self):
        return set(
            self.env["res.partner"].search([("is_visit_overdue", "=", True)]).ids
        )

    def test_weekly_across_iso_year(self):
        customer = self._customer("Weekly Co", self.tier_a, created="2020-11-02")
        self._visit(customer, date(2020, 12, 28))
        # Saturday of ISO week 53 of 2020: the current window is met.
        with freeze_time("2021-01-02 12:00:00"):
            self.assertEqual(
                self._status(customer), (date(2020, 12, 28), date(2021, 1, 10), False)
            )
        # Next week: not met yet, the previous one was.
        with freeze_time("2021-01-05 12:00:00"):
            self.assertEqual(
                self._status(customer), (date(2020, 12, 28), date(2021, 1, 10), False)
            )
            self.assertNotIn(customer.id, self._overdue_ids())
        # The week of 2021-01-04 ended without a visit.
        with freeze_time("2021-01-12 12:00:00"):
            self.assertEqual(
                self._status(customer), (date(2020, 12, 28), date(2021, 1, 10), True)
            )
            self.assertIn(customer.id, self._overdue_ids())
            contact = self.env["res.partner"].create(
                {"name": "Buyer", "parent_id": customer.id}
            )
            self.assertTrue(contact.is_visit_overdue, "Contacts show their company's")
            self.assertIn(
                contact,
                self.env["res.partner"].search([("is_visit_overdue", "=", True)]),
            )

    def test_monthly_across_leap_day(self):
        customer = self._customer("Monthly Co", self.tier_c, created="2023-12-01")
        self._visit(customer, date(2024, 1, 31))
        with freeze_time("2024-02-29 12:00:00"):
            self.assertEqual(
                self._status(customer), (date(2024, 1, 31), date(2024, 2, 29), False)
            )
        with freeze_time("2024-03-01 12:00:00"):
            self.assertEqual(
                self._status(customer), (date(2024, 1, 31), date(2024, 2, 29), True)
            )
            self.assertIn(customer.id, self._overdue_ids())
            self.assertNotIn(
                customer,
                self.env["res.partner"].search([("is_visit_overdue", "=", False)]),
            )
            self._visit(customer, date(2024, 3, 1))
            self.assertEqual(
                self._status(customer), (date(2024, 3, 1), date(2024, 4, 30), False)
            )
            self.assertNotIn(customer.id, self._overdue_ids())

    def test_biweekly_and_new_customers(self):
        old = self._customer("Old Co", self.tier_b, created="2023-01-01")
        new = self._customer("New Co", self.tier_b, created="2024-02-27")
        untiered = self._customer("Free Co", False, created="2023-01-01")
        with freeze_time("2024-03-01 12:00:00"):
            # Window 2024-02-26 .. 2024-03-10; the previous one ended unvisited
            # on 2024-02-25, the date an overdue customer shows.
            self.assertEqual(self._status(old), (False, date(2024, 2, 25), True))
            # Created in the current window: not overdue yet.
            self.assertEqual(self._status(new), (False, date(2024, 3, 10), False))
            self.assertEqual(self._status(untiered), (False, False, False))
            overdue = self._overdue_ids()
            self.assertIn(old.id, overdue)
            self.assertNotIn(new.id, overdue)
            self.assertNotIn(untiered.id, overdue)

    def test_log_a_visit_from_customer(self):
        customer = self._customer("Log Co", self.tier_c)
        self._visit(customer, date.today())
        self._visit(customer, date.today(), state="cancelled")
        self.assertEqual(customer.with_user(self.salesperson).visit_count, 1)
        action = customer.with_user(self.salesperson).action_log_visit()
        self.assertEqual(action["res_model"], "sale.visit")
        self.assertEqual(action["context"]["default_partner_id"], customer.id)
        action = customer.with_user(self.salesperson).action_view_visits()
        self.assertEqual(
            self.env["sale.visit"].search(action["domain"]).partner_id, customer
        )


@tagged("post_install", "-at_install")
class TestVisitDueJob(VisitCommon):
    """R-06: the daily job gives one to-do per customer and window that is due."""

    def _due_activities(self, partners):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", partners.ids),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref(
                        "sale_process_control.mail_activity_type_visit_due"
                    ).id,
                ),
            ]
        )

    def test_job_schedules_once_per_window(self):
        Visit = self.env["sale.visit"]
        weekly = self._customer("Job Weekly", self.tier_a, created="2024-01-01")
        monthly = self._customer("Job Monthly", self.tier_c, created="2024-01-01")
        visited = self._customer("Job Visited", self.tier_c, created="2024-01-01")
        planned = self._customer("Job Planned", self.tier_c, created="2024-01-01")
        orphan = self._customer("Job Orphan", self.tier_c, created="2024-01-01")
        orphan.user_id = False
        mine = weekly | monthly | visited | planned | orphan
        self._visit(visited, date(2024, 3, 1))
        self._visit(planned, date(2024, 3, 20), state="planned")
        with freeze_time("2024-03-04 06:00:00"):
            Visit._cron_schedule_due_visits()
            activities = self._due_activities(mine)
            self.assertEqual(
                {(a.res_id, a.user_id, a.date_deadline) for a in activities},
                {
                    (weekly.id, self.salesperson, date(2024, 3, 10)),
                    (monthly.id, self.salesperson, date(2024, 3, 31)),
                },
            )
            # Idempotent: the same day, or after the to-do was done without a
            # visit, the window gets no second to-do.
            Visit._cron_schedule_due_visits()
            self.assertEqual(self._due_activities(mine), activities)
            activities.filtered(lambda a: a.res_id == monthly.id).action_feedback(
                feedback="Called instead"
            )
            Visit._cron_schedule_due_visits()
            self.assertEqual(self._due_activities(mine).mapped("res_id"), [weekly.id])
        # A visit logged in the window marks its to-do done.
        with freeze_time("2024-03-06 10:00:00"):
            visit = self._visit(weekly, date(2024, 3, 5), state="planned")
            visit.with_user(self.salesperson).write({"summary": "Done"})
            visit.with_user(self.salesperson).action_done()
            self.assertFalse(self._due_activities(weekly))
        # Next week: the weekly customer is due again, the monthly one is not.
        with freeze_time("2024-03-11 06:00:00"):
            Visit._cron_schedule_due_visits()
            self.assertEqual(
                [(a.res_id, a.date_deadline) for a in self._due_activities(mine)],
                [(weekly.id, date(2024, 3, 17))],
            )
        # Next month: the planned visit's window has passed.
        with freeze_time("2024-04-01 06:00:00"):
            Visit._cron_schedule_due_visits()
            self.assertEqual(
                set(self._due_activities(mine).mapped("res_id")),
                {weekly.id, monthly.id, visited.id, planned.id},
            )

    def test_job_query_count_does_not_grow(self):
        """The job's queries do not depend on the number of customers."""
        Visit = self.env["sale.visit"]

        def prepare(count, prefix):
            customers = self.env["res.partner"]
            for index in range(count):
                customers |= self._customer(
                    f"{prefix} {index}", self.tier_c, created="2024-01-01"
                )
            # Half of them had a visit this month.
            for customer in customers[: count // 2]:
                self._visit(customer, date(2024, 3, 1))
            self.env.flush_all()
            self.env.invalidate_all()
            return customers

        with freeze_time("2024-03-04 06:00:00"):
            # Warm up caches (ir.model, activity type, ...).
            warm = prepare(2, "Warm")
            Visit._cron_schedule_due_visits()
            self.assertEqual(len(self._due_activities(warm)), 1)
            small = prepare(4, "Small")
            with self.assertQueryCount(__system__=20):
                Visit._cron_schedule_due_visits()
            self.assertEqual(len(self._due_activities(small)), 2)
            large = prepare(40, "Large")
            with self.assertQueryCount(__system__=20):
                Visit._cron_schedule_due_visits()
            self.assertEqual(len(self._due_activities(large)), 20)


@tagged("post_install", "-at_install")
class TestVisitAccess(VisitCommon):
    """Salespeople see their customers' visits; heads all; supervision reads."""

    def test_access_per_role(self):
        mine = self._customer("Mine Co", self.tier_c)
        theirs = self._customer("Theirs Co", self.tier_c, user=self.other_salesperson)
        my_visit = self._visit(mine, date.today())
        their_visit = self._visit(theirs, date.today())
        both = my_visit | their_visit
        Visit = self.env["sale.visit"]
        self.assertEqual(
            Visit.with_user(self.salesperson).search([("id", "in", both.ids)]),
            my_visit,
        )
        with self.assertRaises(AccessError):
            their_visit.with_user(self.salesperson).read(["summary"])
        with self.assertRaises(AccessError):
            Visit.with_user(self.salesperson).create(
                {"partner_id": theirs.id, "purpose": "Poach"}
            )
        # Contacts of my customers are my customers too.
        contact = self.env["res.partner"].create(
            {"name": "Buyer", "parent_id": mine.id}
        )
        Visit.with_user(self.salesperson).create(
            {"partner_id": contact.id, "purpose": "Meet the buyer"}
        )
        # Department head: their team's, and may edit them.
        self.assertEqual(
            Visit.with_user(self.head_user).search([("id", "in", both.ids)]),
            my_visit,
        )
        with self.assertRaises(AccessError):
            their_visit.with_user(self.head_user).read(["summary"])
        self.visit_team.member_ids = [Command.link(self.other_salesperson.id)]
        self.assertEqual(
            Visit.with_user(self.head_user).search([("id", "in", both.ids)]), both
        )
        their_visit.with_user(self.head_user).write({"problems": "Noted"})
        # Sales director: all.
        self.visit_team.member_ids = [Command.unlink(self.other_salesperson.id)]
        self.assertEqual(
            Visit.with_user(self.director_user).search([("id", "in", both.ids)]),
            both,
        )
        # Supervision reads all, writes none of others'.
        self.assertEqual(
            Visit.with_user(self.supervision_user).search([("id", "in", both.ids)]),
            both,
        )
        with self.assertRaises(AccessError):
            their_visit.with_user(self.supervision_user).write({"problems": "x"})
        # Customer service without customers sees no visit.
        self.assertFalse(
            Visit.with_user(self.service_user).search([("id", "in", both.ids)])
        )

    def test_other_company_visits_hidden(self):
        other_company = self.env["res.company"].create({"name": "Visit Co B"})
        customer = self._customer("Two Co", self.tier_c)
        visit = self._visit(customer, date.today())
        visit_b = self.env["sale.visit"].create(
            {
                "partner_id": customer.id,
                "purpose": "In company B",
                "company_id": other_company.id,
                "user_id": self.head_user.id,
            }
        )
        self.assertEqual(
            self.env["sale.visit"]
            .with_user(self.head_user)
            .search([("partner_id", "=", customer.id)]),
            visit,
        )
        self.assertTrue(visit_b.exists())
