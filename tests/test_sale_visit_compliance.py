# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo.tests import tagged

from ..models.sale_visit_window import window_start
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

    def test_window_bound_reads_the_same_rows(self):
        """A search from a window day reads only the windows it needs, with
        the same figures (overdue included) as the whole horizon."""
        Report = self.env["sale.visit.compliance.report"]
        fields_read = [
            "partner_id",
            "window_start",
            "required_count",
            "met_count",
            "overdue_count",
            "visit_count",
            "planned_count",
            "missed_count",
        ]
        customers = [("partner_id", "in", self.customers.ids)]
        for since in (self.week, self.week - timedelta(weeks=3), self.today):
            with self.subTest(since=since):
                bounded = Report.search_read(
                    [*customers, ("window_start", ">=", since)], fields_read
                )
                everything = [
                    row
                    for row in Report.search_read(customers, fields_read)
                    if row["window_start"] >= since
                ]
                self.assertTrue(bounded)
                self.assertEqual(bounded, everything)
        self.assertEqual(
            Report._get_window_lower_bound(
                [("window_start", ">=", "2026-01-01"), ("user_id", "=", 1)]
            ),
            date(2026, 1, 1),
        )
        self.assertIsNone(
            Report._get_window_lower_bound(
                ["|", ("window_start", ">=", "2026-01-01"), ("user_id", "=", 1)]
            )
        )

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
        self.assertEqual(
            set(self._figures("user_id", user=self.head_user)),
            {self.salesperson, self.other_salesperson},
        )
        self.assertEqual(
            set(self._figures("user_id", user=self.supervision_user)),
            {self.salesperson, self.other_salesperson},
        )
