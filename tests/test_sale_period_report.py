# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from datetime import date, datetime

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SaleProcessControlCommon

ACTIVITY_TYPE = "sale_process_control.mail_activity_type_period_report"
# Frozen "today": a Wednesday. Last week is 3-9 March, last month February.
TODAY = "2025-03-12 10:00:00"
WEEK = date(2025, 3, 3)
MONTH = date(2025, 2, 1)


@tagged("post_install", "-at_install")
class TestSalePeriodReport(SaleProcessControlCommon):
    """Weekly and monthly reports: figures, review, access and reminders."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller_2 = cls._create_role_user(
            "spc_seller_2", "sales_team.group_sale_salesman"
        )
        cls.outsider = cls._create_role_user(
            "spc_outsider", "sales_team.group_sale_salesman"
        )
        cls.head_2 = cls._create_role_user(
            "spc_head_2", "sale_process_control.group_sale_department_head"
        )
        cls.sale_team.write(
            {
                "user_id": cls.head_user.id,
                "member_ids": [
                    Command.link(cls.sale_user.id),
                    Command.link(cls.seller_2.id),
                ],
            }
        )
        cls.team_2 = cls.env["crm.team"].create(
            {
                "name": "Other Team",
                "user_id": cls.head_2.id,
                "member_ids": [Command.link(cls.outsider.id)],
            }
        )
        Partner = cls.env["res.partner"]
        cls.customer_a = Partner.create(
            {"name": "PR Customer A", "is_company": True, "user_id": cls.sale_user.id}
        )
        cls.customer_b = Partner.create(
            {"name": "PR Customer B", "is_company": True, "user_id": cls.sale_user.id}
        )
        cls.customer_c = Partner.create(
            {"name": "PR Customer C", "is_company": True, "user_id": cls.seller_2.id}
        )
        cls.customer_d = Partner.create(
            {"name": "PR Customer D", "is_company": True, "user_id": cls.outsider.id}
        )
        # Orders (untaxed amount, salesperson, team, day)
        cls._order(
            cls.customer_a, 50.0, cls.sale_user, cls.sale_team, datetime(2025, 2, 20, 9)
        )
        cls._order(
            cls.customer_a, 100.0, cls.sale_user, cls.sale_team, datetime(2025, 3, 4, 9)
        )
        cls._order(
            cls.customer_b, 200.0, cls.sale_user, cls.sale_team, datetime(2025, 3, 6, 9)
        )
        cls._order(
            cls.customer_c, 400.0, cls.seller_2, cls.sale_team, datetime(2025, 2, 10, 9)
        )
        cls._order(
            cls.customer_d, 999.0, cls.outsider, cls.team_2, datetime(2025, 2, 15, 9)
        )
        cls._order(
            cls.customer_d, 999.0, cls.outsider, cls.team_2, datetime(2025, 3, 5, 9)
        )
        # A quotation of the week does not count.
        cls.env["sale.order"].create(
            {
                "partner_id": cls.customer_b.id,
                "user_id": cls.sale_user.id,
                "date_order": datetime(2025, 3, 5, 9),
                "order_line": [Command.create({"product_id": cls.product.id})],
            }
        )
        # Visits (salesperson, customer, day, done)
        cls._visit(cls.sale_user, cls.customer_a, date(2025, 3, 5), True)
        cls._visit(cls.sale_user, cls.customer_b, date(2025, 3, 7), True)
        cls._visit(cls.sale_user, cls.customer_b, date(2025, 3, 10), True)
        cls._visit(cls.sale_user, cls.customer_a, date(2025, 3, 6), False)
        cls._visit(cls.seller_2, cls.customer_c, date(2025, 2, 12), True)
        cls._visit(cls.outsider, cls.customer_d, date(2025, 2, 12), True)
        # Customer payments (customer, amount, day)
        cls._payment(cls.customer_b, 150.0, date(2025, 3, 5))
        cls._payment(cls.customer_a, 30.0, date(2025, 3, 11))
        cls._payment(cls.customer_d, 70.0, date(2025, 3, 5))
        cls._payment(cls.customer_c, 80.0, date(2025, 2, 15))

    @classmethod
    def _order(cls, partner, amount, user, team, day):
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "user_id": user.id,
                "team_id": team.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.service_product.id,
                            "product_uom_qty": 1.0,
                            "price_unit": amount,
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        order.date_order = day
        return order

    @classmethod
    def _visit(cls, user, partner, day, done):
        visit = cls.env["sale.visit"].create(
            {
                "partner_id": partner.id,
                "user_id": user.id,
                "purpose": "Follow-up",
                "planned_date": datetime.combine(day, datetime.min.time()),
                "summary": "Met the buyer",
            }
        )
        if done:
            visit.visit_date = day
            visit.action_done()
        return visit

    @classmethod
    def _payment(cls, partner, amount, day):
        payment = cls.env["account.payment"].create(
            {
                "payment_type": "inbound",
                "partner_type": "customer",
                "partner_id": partner.id,
                "amount": amount,
                "date": day,
            }
        )
        payment.action_post()
        return payment

    def _report(self, user, report_type="weekly", day=WEEK, **vals):
        with freeze_time(TODAY):
            return (
                self.env["sale.period.report"]
                .with_user(user)
                .create(
                    {
                        "report_type": report_type,
                        "date_from": day,
                        "user_id": user.id,
                        **vals,
                    }
                )
            )

    def _figures(self, report):
        return (
            report.order_count,
            report.order_amount,
            report.visit_count,
            report.new_customer_count,
            report.collection_amount,
        )

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------
    def test_weekly_figures(self):
        report = self._report(self.sale_user)
        self.assertEqual(report.date_to, date(2025, 3, 9))
        self.assertEqual(report.team_id, self.sale_team)
        # Orders of 4 and 6 March; B is new (A ordered in February); two done
        # visits in the week; B paid 150 in the week.
        self.assertEqual(self._figures(report), (2, 300.0, 2, 1, 150.0))
        self.assertTrue(report.figures_date)

    def test_monthly_figures(self):
        report = self._report(self.head_user, "monthly", MONTH)
        self.assertEqual(report.date_to, date(2025, 2, 28))
        self.assertEqual(report.team_id, self.sale_team, "the team the head leads")
        # The team's February: A 50 and C 400, both new; seller 2's visit; C
        # paid 80. The other team's order, visit and payment stay out.
        self.assertEqual(self._figures(report), (2, 450.0, 1, 2, 80.0))

    def test_refresh_figures(self):
        report = self._report(self.sale_user)
        self._order(
            self.customer_b,
            25.0,
            self.sale_user,
            self.sale_team,
            datetime(2025, 3, 8, 9),
        )
        report.with_user(self.sale_user).action_refresh_figures()
        self.assertEqual(report.order_count, 3)
        self.assertEqual(report.order_amount, 325.0)

    # ------------------------------------------------------------------
    # Period and uniqueness
    # ------------------------------------------------------------------
    def test_period_start(self):
        with self.assertRaises(ValidationError):
            self._report(self.sale_user, day=date(2025, 3, 4))
        with self.assertRaises(ValidationError):
            self._report(self.head_user, "monthly", date(2025, 2, 2))

    @mute_logger("odoo.sql_db")
    def test_one_report_per_person_and_period(self):
        self._report(self.sale_user)
        # Another period or type is fine.
        self._report(self.sale_user, day=date(2025, 2, 24))
        self._report(self.sale_user, "monthly", MONTH)
        with self.assertRaises(IntegrityError):
            self._report(self.sale_user)
            self.env.flush_all()

    # ------------------------------------------------------------------
    # Submission and review
    # ------------------------------------------------------------------
    def test_weekly_submit_and_review(self):
        report = self._report(self.sale_user, progress="<p>Two new offers</p>")
        as_seller = report.with_user(self.sale_user)
        as_head = report.with_user(self.head_user)
        with self.assertRaises(UserError):
            as_head.action_submit()  # only the author submits
        with self.assertRaises(AccessError):
            as_head.write({"progress": "<p>Written by the head</p>"})
        as_seller.action_submit()
        self.assertEqual(report.state, "submitted")
        with self.assertRaises(UserError):
            as_seller.write({"progress": "<p>Changed afterwards</p>"})
        with self.assertRaises(AccessError):
            as_seller.write({"review_comment": "Fine by me"})
        with self.assertRaises(AccessError):
            as_seller.action_review()
        with self.assertRaises(UserError):
            as_head.action_request_changes()  # says what to change
        as_head.review_comment = "Add the visit to customer B"
        as_head.action_request_changes()
        self.assertEqual(report.state, "draft")
        self.assertIn("Add the visit to customer B", report.message_ids[0].body)
        as_seller.write({"customer_news": "<p>B opens a plant</p>"})
        as_seller.action_submit()
        as_head.review_comment = "Good"
        as_head.action_review()
        self.assertEqual(
            (report.state, report.reviewer_id, report.review_comment),
            ("reviewed", self.head_user, "Good"),
        )
        with self.assertRaises(UserError):
            report.with_user(self.director_user).action_review()
        with self.assertRaises(UserError):
            report.unlink()

    def test_monthly_review_by_director(self):
        report = self._report(
            self.head_user, "monthly", MONTH, results="<p>On target</p>"
        )
        report.with_user(self.head_user).action_submit()
        with self.assertRaises(AccessError):
            report.with_user(self.head_user).action_review()  # not their own
        with self.assertRaises(AccessError):
            report.with_user(self.head_2).write({"review_comment": "Ok"})
        as_director = report.with_user(self.director_user)
        as_director.review_comment = "Well done"
        as_director.action_review()
        self.assertEqual(report.state, "reviewed")
        self.assertEqual(report.reviewer_id, self.director_user)

    # ------------------------------------------------------------------
    # Access
    # ------------------------------------------------------------------
    def test_access_per_role(self):
        own = self._report(self.sale_user)
        colleague = self._report(self.seller_2)
        other_team = self._report(self.outsider)
        monthly = self._report(self.head_user, "monthly", MONTH)
        other_monthly = self._report(self.head_2, "monthly", MONTH)
        everything = own | colleague | other_team | monthly | other_monthly
        Report = self.env["sale.period.report"]
        expected = {
            self.sale_user: own,
            self.seller_2: colleague,
            self.head_user: own | colleague | monthly,
            self.head_2: other_team | other_monthly,
            self.director_user: everything,
        }
        for user, reports in expected.items():
            with self.subTest(user=user.login):
                self.assertEqual(
                    Report.with_user(user).search([("id", "in", everything.ids)]),
                    reports,
                )
        with self.assertRaises(AccessError):
            colleague.with_user(self.sale_user).read(["name"])
        with self.assertRaises(AccessError):
            Report.with_user(self.sale_user).create(
                {"date_from": date(2025, 2, 24), "user_id": self.seller_2.id}
            )

    # ------------------------------------------------------------------
    # Reminders
    # ------------------------------------------------------------------
    def _reminders(self, users):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "sale.period.report"),
                ("activity_type_id", "=", self.env.ref(ACTIVITY_TYPE).id),
                ("user_id", "in", users.ids),
            ]
        )

    def test_reminder_cron(self):
        submitted = self._report(self.sale_user)
        submitted.with_user(self.sale_user).action_submit()
        draft = self._report(self.seller_2)
        Report = self.env["sale.period.report"]
        with freeze_time(TODAY):
            Report._cron_remind_missing()
        people = (
            self.sale_user
            | self.seller_2
            | self.outsider
            | self.head_user
            | self.head_2
        )
        reminders = self._reminders(people)
        reports = Report.browse(reminders.mapped("res_id"))
        # Weekly: seller 2's draft and the outsider's missing report (created);
        # monthly: both team leaders' missing reports (created).
        self.assertEqual(
            sorted((r.user_id.login, r.report_type) for r in reports),
            sorted(
                [
                    (self.seller_2.login, "weekly"),
                    (self.outsider.login, "weekly"),
                    (self.head_user.login, "monthly"),
                    (self.head_2.login, "monthly"),
                ]
            ),
        )
        self.assertIn(draft, reports)
        self.assertEqual(set(reports.mapped("date_from")), {WEEK, MONTH})
        created = reports.filtered(lambda r: r.user_id == self.outsider)
        self.assertEqual(created.state, "draft")
        self.assertEqual(created.order_count, 1, "created with its figures")
        self.assertEqual(
            reminders.filtered(lambda a: a.res_id == created.id).user_id, self.outsider
        )
        # The next day: no second reminder for the same reports.
        with freeze_time("2025-03-13 10:00:00"):
            Report._cron_remind_missing()
        self.assertEqual(self._reminders(people), reminders)
        # Submitting closes the reminder.
        draft.with_user(self.seller_2).action_submit()
        self.assertNotIn(draft.id, self._reminders(people).mapped("res_id"))

    def test_print(self):
        report = self._report(self.sale_user, progress="<p>Two new offers</p>")
        html, __ = self.env["ir.actions.report"]._render_qweb_html(
            "sale_process_control.report_sale_period_report", report.ids
        )
        html = html.decode()
        self.assertIn("Two new offers", html)
        self.assertIn("Figures from the System", html)
        self.assertIn(report.name, html)
