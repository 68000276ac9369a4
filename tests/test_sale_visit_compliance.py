# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from ..models.sale_visit_window import COVERAGE_PARAM, window_start
from .test_sale_visit import VisitCommon

MEASURES = [
    "required_count:sum",
    "met_count:sum",
    "compliance_rate:avg",
    "overdue_count:sum",
    "visit_count:sum",
    "planned_count:sum",
    "missed_count:sum",
]


@tagged("post_install", "-at_install")
class TestVisitCompliance(VisitCommon):
    """R-08: compliance per salesperson, tier and period, on hand-computed cases.

    The report counts up to the database's today, so the cases are built
    around the current windows, and Python's clock is frozen on the same day.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.cr.execute("SELECT (now() AT TIME ZONE 'UTC')::date")
        cls.today = cls.env.cr.fetchone()[0]
        month = window_start(cls.today, "monthly")
        week = window_start(cls.today, "weekly")
        fortnight = window_start(cls.today, "biweekly")
        cls.week = week
        # Monthly: created 3 months ago; months -3 and -1 visited, -2 missed,
        # this month not yet: 2 of 3 required windows met.
        cls.monthly = cls._customer(
            "Compliance Monthly", cls.tier_c, created=month - relativedelta(months=3)
        )
        cls._visit(cls.monthly, month - relativedelta(months=3))
        cls._visit(cls.monthly, month - relativedelta(months=2), state="missed")
        cls._visit(cls.monthly, month - relativedelta(months=1))
        # Weekly: created 4 weeks ago; weeks -4, -3 (twice) and this week
        # visited: 3 of 5 required windows (this week counts once met).
        cls.weekly = cls._customer(
            "Compliance Weekly", cls.tier_a, created=week - timedelta(weeks=4)
        )
        cls._visit(cls.weekly, week - timedelta(weeks=4))
        cls._visit(cls.weekly, week - timedelta(weeks=3))
        cls._visit(cls.weekly, week - timedelta(weeks=3) + timedelta(days=2))
        cls._visit(cls.weekly, week)
        # Every two weeks: created two windows ago, never visited: overdue.
        cls.biweekly = cls._customer(
            "Compliance Biweekly", cls.tier_b, created=fortnight - timedelta(weeks=4)
        )
        # Another salesperson's customer, and a customer without tier.
        cls.theirs = cls._customer(
            "Compliance Theirs",
            cls.tier_c,
            user=cls.other_salesperson,
            created=month - relativedelta(months=1),
        )
        cls._visit(cls.theirs, month - relativedelta(months=1))
        cls.untiered = cls._customer(
            "Compliance Untiered", False, created=month - relativedelta(months=3)
        )
        cls.customers = (
            cls.monthly | cls.weekly | cls.biweekly | cls.theirs | cls.untiered
        )
        cls.env.flush_all()

    def _figures(self, groupby, user=None):
        Report = self.env["sale.visit.compliance.report"]
        if user:
            Report = Report.with_user(user)
        groups = Report._read_group(
            [("partner_id", "in", self.customers.ids)], [groupby], MEASURES
        )
        return {
            key: {
                name.split(":")[0]: round(value, 2) if value is not None else None
                for name, value in zip(MEASURES, values, strict=True)
            }
            for key, *values in groups
        }

    def test_compliance_per_salesperson(self):
        figures = self._figures("user_id")
        self.assertEqual(
            figures[self.salesperson],
            {
                "required_count": 3 + 5 + 2,
                "met_count": 2 + 3 + 0,
                "compliance_rate": 50.0,
                "overdue_count": 1,
                "visit_count": 2 + 4,
                "planned_count": 3 + 4,
                "missed_count": 1,
            },
        )
        self.assertEqual(figures[self.other_salesperson]["compliance_rate"], 100.0)
        self.assertEqual(figures[self.other_salesperson]["required_count"], 1)

    def test_compliance_per_tier(self):
        figures = self._figures("tier_id")
        self.assertEqual(figures[self.tier_c]["required_count"], 3 + 1)
        self.assertEqual(figures[self.tier_c]["compliance_rate"], 75.0)
        self.assertEqual(figures[self.tier_a]["compliance_rate"], 60.0)
        self.assertEqual(figures[self.tier_b]["compliance_rate"], 0.0)
        self.assertEqual(figures[self.tier_b]["overdue_count"], 1)

    def test_rows_per_window(self):
        Report = self.env["sale.visit.compliance.report"]
        rows = Report.search([("partner_id", "=", self.weekly.id)])
        self.assertEqual(
            rows.mapped("window_start"),
            [self.week - timedelta(weeks=n) for n in range(5)],
        )
        current = rows.filtered("is_current")
        self.assertEqual(current.window_start, self.week)
        self.assertEqual(current.window_end, self.week + timedelta(days=6))
        self.assertEqual((current.required_count, current.met_count), (1, 1))
        self.assertEqual(rows[3].visit_count, 2, "Two visits in week -3")
        self.assertFalse(Report.search([("partner_id", "=", self.untiered.id)]))
        # Pivot by month, as the menu opens it.
        groups = Report.read_group(
            [("partner_id", "in", self.customers.ids)],
            ["required_count:sum", "met_count:sum", "compliance_rate:avg"],
            ["window_start:month"],
        )
        self.assertEqual(
            sum(group["required_count"] for group in groups), 3 + 5 + 2 + 1
        )

    # ------------------------------------------------------------------
    # Stored windows
    # ------------------------------------------------------------------
    def _rows(self, partners=None):
        fields_read = [
            "partner_id",
            "user_id",
            "tier_id",
            "window_start",
            "window_end",
            "is_current",
            "required_count",
            "met_count",
            "compliance_rate",
            "overdue_count",
            "visit_count",
            "planned_count",
            "missed_count",
        ]
        rows = self.env["sale.visit.compliance.report"].search_read(
            [("partner_id", "in", (partners or self.customers).ids)],
            fields_read,
            order="partner_id, window_start",
        )
        return [{name: row[name] for name in fields_read} for row in rows]

    def _expire_windows(self):
        """As if the daily job had stopped for longer than the look-ahead."""
        self.env["ir.config_parameter"].sudo().set_param(
            COVERAGE_PARAM, fields.Date.to_string(self.today - timedelta(days=1))
        )

    def test_stored_windows_match_windows_built_at_query_time(self):
        """The stored rows give the figures the windows built at query time
        give (the report falls back on these when the rows are out of date)."""
        Window = self.env["sale.visit.window"]
        self.assertTrue(Window._is_current())
        stored = self._rows()
        self.assertEqual(len(stored), 4 + 5 + 3 + 2)
        self._expire_windows()
        self.assertFalse(Window._is_current())
        self.assertEqual(self._rows(), stored)
        # The daily job brings them back, and changes nothing the second time.
        Window._cron_refresh()
        self.assertTrue(Window._is_current())
        self.assertEqual(self._rows(), stored)
        self.assertEqual(Window._refresh(), 0)

    def test_windows_follow_visits(self):
        """A visit logged, moved, cancelled or deleted counts at once."""
        before = self._figures("tier_id")[self.tier_b]
        self.assertEqual((before["met_count"], before["overdue_count"]), (0, 1))
        with freeze_time(datetime.combine(self.today, time(12, 0))):
            visit = self._visit(self.biweekly, self.today, state="planned")
            self.assertEqual(self._figures("tier_id")[self.tier_b]["planned_count"], 1)
            visit.summary = "Met the buyer."
            visit.action_done()
        after = self._figures("tier_id")[self.tier_b]
        self.assertEqual(
            (after["met_count"], after["overdue_count"], after["visit_count"]),
            (1, 0, 1),
        )
        # Moved back into the previous window: still not overdue, the current
        # window is open again.
        fortnight = window_start(self.today, "biweekly")
        visit.visit_date = fortnight - timedelta(days=1)
        rows = {row["window_start"]: row for row in self._rows(self.biweekly)}
        self.assertEqual(rows[fortnight - timedelta(weeks=2)]["met_count"], 1)
        self.assertEqual(rows[fortnight]["visit_count"], 0)
        self.assertEqual(rows[fortnight]["overdue_count"], 0)
        self.assertEqual(rows[fortnight]["planned_count"], 1)
        planned = self._visit(self.biweekly, self.today, state="planned")
        self.assertEqual(self._rows(self.biweekly)[-1]["planned_count"], 2)
        planned.action_cancel()
        self.assertEqual(self._rows(self.biweekly), list(rows.values()))
        planned.unlink()
        self.assertEqual(self._rows(self.biweekly), list(rows.values()))

    def test_windows_follow_tier_and_salesperson(self):
        """A new cadence rebuilds the customer's windows; a new salesperson
        takes them over; a customer without tier has none."""
        self.monthly.with_company(self.company).sudo().customer_tier_id = self.tier_a
        rows = self._rows(self.monthly)
        self.assertTrue(rows)
        self.assertEqual({row["tier_id"][0] for row in rows}, {self.tier_a.id})
        self.assertEqual(
            [row["window_start"] for row in rows],
            [
                window_start(self.today, "weekly") - timedelta(weeks=n)
                for n in reversed(range(len(rows)))
            ],
        )
        self.monthly.user_id = self.other_salesperson
        self.assertEqual(
            {row["user_id"][0] for row in self._rows(self.monthly)},
            {self.other_salesperson.id},
        )
        # The tier's cadence changes for all its customers.
        self.tier_a.visit_interval = "monthly"
        self.assertEqual(
            len(self._rows(self.monthly)), 4, "Back to four monthly windows"
        )
        created = self.week - timedelta(weeks=4)
        self.assertEqual(
            len(self._rows(self.weekly)),
            (self.today.year - created.year) * 12
            + self.today.month
            - created.month
            + 1,
            "The weekly customer's windows are now the months since its creation",
        )
        self.monthly.with_company(self.company).sudo().customer_tier_id = False
        self.assertFalse(self._rows(self.monthly))
        self.assertFalse(
            self.env["sale.visit.window"].search([("partner_id", "=", self.monthly.id)])
        )

    def test_windows_follow_company_structure(self):
        """A customer becoming a contact of another company loses its windows;
        the merged customer's visits count for the one that remains."""
        self.monthly.write({"parent_id": self.theirs.id, "is_company": False})
        self.assertFalse(self._rows(self.monthly))
        theirs = {row["window_start"]: row for row in self._rows(self.theirs)}
        month = window_start(self.today, "monthly")
        # The contact's visits (months -3 and -1) now count for its company.
        self.assertEqual(theirs[month - relativedelta(months=1)]["visit_count"], 2)
        self.monthly.write({"parent_id": False, "is_company": True})
        self.assertEqual(len(self._rows(self.monthly)), 4)
        wizard = self.env["base.partner.merge.automatic.wizard"].create({})
        wizard._merge((self.monthly | self.theirs).ids, self.monthly)
        self.assertFalse(self.theirs.exists())
        rows = {row["window_start"]: row for row in self._rows(self.monthly)}
        self.assertEqual(rows[month - relativedelta(months=1)]["visit_count"], 2)

    def test_refresh_queries_do_not_grow(self):
        """Bringing the windows in line is one statement for one customer or
        for all of them."""
        Window = self.env["sale.visit.window"]
        self.env.flush_all()
        for partners in (self.weekly, self.customers):
            with self.subTest(customers=len(partners)), self.assertQueryCount(1):
                Window._refresh(partners.ids)

    def test_overdue_matches_customer(self):
        """The report's overdue customers are those the customer form shows."""
        with freeze_time(datetime.combine(self.today, time(12, 0))):
            self.customers.invalidate_recordset(["is_visit_overdue"])
            overdue = self.customers.filtered("is_visit_overdue")
        self.assertEqual(overdue, self.biweekly)
        rows = self.env["sale.visit.compliance.report"].search(
            [("partner_id", "in", self.customers.ids), ("overdue_count", ">", 0)]
        )
        self.assertEqual(rows.partner_id, overdue)
        self.assertTrue(rows.is_current)

    def test_access_per_role(self):
        self.assertEqual(
            set(self._figures("user_id", user=self.salesperson)), {self.salesperson}
        )
        # The head leads the salesperson's team only; the director sees all.
        self.assertEqual(
            set(self._figures("user_id", user=self.head_user)), {self.salesperson}
        )
        self.assertEqual(
            set(self._figures("user_id", user=self.director_user)),
            {self.salesperson, self.other_salesperson},
        )
        self.assertEqual(
            set(self._figures("user_id", user=self.supervision_user)),
            {self.salesperson, self.other_salesperson},
        )
