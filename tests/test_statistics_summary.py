# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from datetime import datetime

from odoo.tests import tagged

from .test_sale_statistics import SaleStatisticsCommon

REPORT = "sale.order.statistics.report"
MEASURES = ["__count", "order_count:sum", "amount_untaxed:sum", "quantity:sum"]


@tagged("post_install", "-at_install")
class TestStatisticsSummary(SaleStatisticsCommon):
    """The order statistics read from the summary's cells give the figures of
    the lines, after every kind of change and before any fold."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Cell = cls.env["sale.order.statistics.cell"]
        cls.order_1 = cls._order(
            cls.contact_a,
            datetime(2025, 3, 31, 17, 30),  # 1 April in Shanghai
            [(cls.product, 2, 100.0), (cls.service_product, 1, 50.0)],
        )
        cls.order_2 = cls._order(
            cls.customer_a, datetime(2025, 3, 31, 17, 45), [(cls.product, 1, 80.0)]
        )
        cls.order_3 = cls._order(
            cls.customer_b,
            datetime(2025, 4, 2, 9),
            [(cls.product, 3, 100.0)],
            user=cls.head_user,
        )
        cls.Cell._fold_dirty()

    def _read(self, groupby, domain=None, tz="Asia/Shanghai", lines=False):
        Report = (
            self.env[REPORT]
            .with_user(self.head_user)
            .with_context(tz=tz, statistics_from_lines=lines)
        )
        rows = Report._read_group(domain or [], groupby, MEASURES)
        return sorted(
            (
                tuple(
                    value.id if hasattr(value, "ids") else value
                    for value in row[: len(groupby)]
                ),
                row[len(groupby)],
                row[len(groupby) + 1],
                round(row[len(groupby) + 2], 2),
                round(row[len(groupby) + 3], 3),
            )
            for row in rows
        )

    def assertSameAsLines(self, groupby, domain=None, tz="Asia/Shanghai"):
        summary = self._read(groupby, domain, tz)
        lines = self._read(groupby, domain, tz, lines=True)
        self.assertEqual(summary, lines)
        self.assertTrue(lines, "the comparison must see some figures")
        return summary

    def _routed(self, groupby, domain=None, tz="Asia/Shanghai", order=None):
        Report = self.env[REPORT].with_user(self.head_user).with_context(tz=tz)
        return (
            Report._summary_aggregates(domain or [], groupby, MEASURES, (), order)
            is not None
        )

    def test_groupings_answered_from_cells(self):
        self.assertTrue(self._routed(["user_id"]))
        self.assertTrue(self._routed(["date:month", "team_id", "state_id"]))
        self.assertTrue(self._routed([], [("date", ">=", "2025-03-31 16:00:00")]))
        # Customer, product and category need the lines.
        self.assertFalse(self._routed(["partner_id"]))
        self.assertFalse(self._routed(["user_id"], [("categ_id", "=", 1)]))
        # A time zone half an hour off the hour, a date inside an hour, an
        # order by a measure.
        self.assertFalse(self._routed(["date:day"], tz="Asia/Kolkata"))
        self.assertFalse(self._routed([], [("date", ">=", "2025-03-31 16:30:00")]))
        self.assertFalse(self._routed(["user_id"], order="amount_untaxed desc"))

    def test_same_figures_as_lines(self):
        mine = [("team_id", "=", self.sale_team.id)]
        by_user = self.assertSameAsLines(["user_id"], mine)
        # Rows: lines, orders, amount, quantity.
        self.assertIn(((self.sale_user.id,), 3, 2, 330.0, 4.0), by_user)
        by_month = self.assertSameAsLines(["date:month"], mine)
        # In Shanghai, the first two orders are of April.
        self.assertIn(((datetime(2025, 4, 1),), 4, 3, 630.0, 7.0), by_month)
        self.assertSameAsLines(["date:day", "user_id"], mine, tz="UTC")
        self.assertSameAsLines(["state_id", "country_id", "team_id"])
        self.assertSameAsLines([], [("date", ">=", "2025-03-31 16:00:00")])

    def test_changes_are_seen_before_the_fold(self):
        mine = [("team_id", "=", self.sale_team.id)]
        self.assertFalse(self.env["sale.order.statistics.dirty"].search_count([]))
        # A quantity, a new line, a salesperson, a customer's region, a
        # cancellation: each is seen at once, then folded into the cells.
        self.order_1.order_line[0].product_uom_qty = 5
        self.order_2.order_line.copy({"order_id": self.order_2.id})
        self.order_3.user_id = self.sale_user
        self.customer_a.state_id = self.env.ref("base.state_us_5")
        self.env.flush_all()
        self.assertTrue(self.env["sale.order.statistics.dirty"].search_count([]))
        by_user = self.assertSameAsLines(["user_id", "state_id"], mine)
        amount = sum((self.order_1 | self.order_2).mapped("amount_untaxed"))
        self.assertIn(
            (
                (self.sale_user.id, self.env.ref("base.state_us_5").id),
                4,
                2,
                amount,
                8.0,
            ),
            by_user,
        )
        self.order_2._action_cancel()
        self.assertSameAsLines(["user_id", "state_id"], mine)
        self.assertGreater(self.Cell._fold_dirty(), 0)
        self.assertFalse(self.env["sale.order.statistics.dirty"].search_count([]))
        self.assertSameAsLines(["user_id", "state_id"], mine)
        self.assertEqual(self.Cell._check_against_lines(), [])

    def test_deliveries_and_invoices_do_not_mark_hours(self):
        # Lines written for what does not change their figures.
        self.order_3.order_line.write({"qty_delivered": 3})
        self.env.flush_all()
        self.assertFalse(self.env["sale.order.statistics.dirty"].search_count([]))

    def test_check_and_rebuild(self):
        self.assertEqual(self.Cell._check_against_lines(), [])
        self.env.cr.execute(
            "UPDATE sale_order_statistics_cell SET amount_untaxed = amount_untaxed + 1 "
            "WHERE date = '2025-04-02 09:00:00'"
        )
        self.env.invalidate_all()
        [difference] = self.Cell._check_against_lines()
        self.assertEqual(difference[6][3] - difference[7][3], 1)
        self.Cell._rebuild()
        self.assertEqual(self.Cell._check_against_lines(), [])

    def test_company_rule_holds_on_cells(self):
        # The head reads only the companies they work in.
        other = self.env["res.company"].create({"name": "Statistics Other Co"})
        self.env.cr.execute(
            "INSERT INTO sale_order_statistics_cell (company_id, date, user_id, "
            "order_count, line_count, quantity, amount_untaxed) "
            "VALUES (%s, '2025-04-02 09:00:00', %s, 1, 1, 1, 999999)",
            [other.id, self.head_user.id],
        )
        self.env.invalidate_all()
        totals = self._read([], [("user_id", "=", self.head_user.id)])
        self.assertEqual(totals, [((), 1, 1, 300.0, 3.0)])

    def test_job_folds_every_mark(self):
        # More marks than one batch takes: the job goes on until none is left.
        for quantity in (4, 5, 6):
            self.order_1.order_line[0].product_uom_qty = quantity
            self.order_3.order_line[0].product_uom_qty = quantity
            self.env.flush_all()
        Dirty = self.env["sale.order.statistics.dirty"]
        self.assertGreaterEqual(Dirty.search_count([]), 6)
        self.assertGreater(self.Cell._fold_dirty(batch=2), 0)
        self.assertTrue(Dirty.search_count([]))
        self.Cell.with_context(fold_batch=2)._cron_fold_dirty()
        self.assertFalse(Dirty.search_count([]))
        self.assertEqual(self.Cell._check_against_lines(), [])
