# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from datetime import datetime, timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import SaleProcessControlCommon


class SaleStatisticsCommon(SaleProcessControlCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.state_ny = cls.env.ref("base.state_us_27")
        cls.customer_a, cls.customer_b, cls.customer_c = cls.env["res.partner"].create(
            [
                {
                    "name": "Stats Customer A",
                    "is_company": True,
                    "customer_rank": 1,
                    "user_id": cls.sale_user.id,
                    "country_id": cls.env.ref("base.us").id,
                    "state_id": cls.state_ny.id,
                },
                {
                    "name": "Stats Customer B",
                    "is_company": True,
                    "customer_rank": 1,
                    "user_id": cls.sale_user.id,
                },
                {
                    "name": "Stats Customer C",
                    "is_company": True,
                    "customer_rank": 1,
                    "user_id": cls.sale_user.id,
                },
            ]
        )
        cls.contact_a = cls.env["res.partner"].create(
            {"name": "Buyer of A", "parent_id": cls.customer_a.id}
        )

    @classmethod
    def _order(cls, partner, day, lines, user=None, commitment=None):
        """Confirmed order of ``partner`` dated ``day``; ``lines`` are
        (product, quantity, unit price)."""
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "user_id": (user or cls.sale_user).id,
                "team_id": cls.sale_team.id,
                "commitment_date": commitment,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": quantity,
                            "price_unit": price,
                        }
                    )
                    for product, quantity, price in lines
                ],
            }
        )
        order.action_confirm()
        order.date_order = day
        return order


@tagged("post_install", "-at_install")
class TestSaleStatistics(SaleStatisticsCommon):
    """Order statistics, growth, frequency and ranking on hand-computed data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order_1 = cls._order(
            cls.contact_a,
            datetime(2024, 1, 15, 9),
            [(cls.product, 2, 100.0), (cls.service_product, 1, 50.0)],
        )
        cls.order_2 = cls._order(
            cls.customer_a, datetime(2024, 2, 10, 9), [(cls.product, 1, 100.0)]
        )
        cls.order_3 = cls._order(
            cls.customer_b, datetime(2025, 1, 20, 9), [(cls.product, 3, 100.0)]
        )
        # Quotations and cancelled orders do not count.
        cls.env["sale.order"].create(
            {
                "partner_id": cls.customer_b.id,
                "user_id": cls.sale_user.id,
                "order_line": [Command.create({"product_id": cls.product.id})],
            }
        )
        cls.customers = cls.customer_a | cls.customer_b

    def _groups(self, model, domain, groupby, aggregates):
        """{group key: aggregates}; the key is a tuple when grouped by several
        fields."""
        size = len(groupby)
        return {
            (group[:size] if size > 1 else group[0]): group[size:]
            for group in self.env[model]
            .with_user(self.head_user)
            ._read_group(domain, groupby, aggregates)
        }

    def test_order_statistics(self):
        domain = [("partner_id", "in", self.customers.ids)]
        aggregates = ["order_count:sum", "amount_untaxed:sum", "quantity:sum"]
        by_customer = self._groups(
            "sale.order.statistics.report", domain, ["partner_id"], aggregates
        )
        # The contact's order counts for its company.
        self.assertEqual(by_customer[self.customer_a], (2, 350.0, 4.0))
        self.assertEqual(by_customer[self.customer_b], (1, 300.0, 3.0))
        by_product = self._groups(
            "sale.order.statistics.report", domain, ["product_id"], aggregates
        )
        self.assertEqual(by_product[self.product], (3, 600.0, 6.0))
        self.assertEqual(by_product[self.service_product], (1, 50.0, 1.0))
        # Distinct orders over all lines, not lines.
        [(total, amount)] = (
            self.env["sale.order.statistics.report"]
            .with_user(self.head_user)
            ._read_group(domain, [], ["order_count:sum", "amount_untaxed:sum"])
        )
        self.assertEqual((total, amount), (3, 650.0))
        by_region = self._groups(
            "sale.order.statistics.report",
            domain,
            ["state_id", "categ_id", "user_id", "team_id"],
            ["order_count:sum"],
        )
        self.assertEqual(
            by_region[
                self.state_ny, self.product_category, self.sale_user, self.sale_team
            ],
            (2,),
        )
        by_month = self._groups(
            "sale.order.statistics.report",
            domain,
            ["date:month"],
            ["amount_untaxed:sum"],
        )
        self.assertEqual(
            {month.strftime("%Y-%m"): amount for month, (amount,) in by_month.items()},
            {"2024-01": 250.0, "2024-02": 100.0, "2025-01": 300.0},
        )

    def test_growth(self):
        domain = [("user_id", "=", self.sale_user.id)]
        groups = self._groups(
            "sale.order.growth.report",
            domain + [("month", "<=", "2025-03-01")],
            ["month:month"],
            [
                "amount:sum",
                "amount_previous_month:sum",
                "amount_last_year:sum",
                "growth_mom:avg",
                "growth_yoy:avg",
            ],
        )
        rows = {month.strftime("%Y-%m"): values for month, values in groups.items()}
        expected = {
            # month: amount, previous month, last year, growth mom, growth yoy
            # (None: no base to compare with, the growth is empty)
            "2024-01": (250.0, 0.0, 0.0, None, None),
            "2024-02": (100.0, 250.0, 0.0, -60.0, None),
            "2024-03": (0.0, 100.0, 0.0, -100.0, None),
            "2025-01": (300.0, 0.0, 250.0, None, 20.0),
            "2025-02": (0.0, 300.0, 100.0, -100.0, -100.0),
        }
        self.assertEqual(set(rows), set(expected))
        for month, values in expected.items():
            with self.subTest(month=month):
                self.assertEqual(rows[month][:3], values[:3])
                for value, growth in zip(values[3:], rows[month][3:], strict=True):
                    if value is None:
                        self.assertIs(growth, False)
                    else:
                        self.assertAlmostEqual(growth, value)
        # Row by row too: one row per month of the salesperson and team.
        Growth = self.env["sale.order.growth.report"].with_user(self.head_user)
        row = Growth.search(domain + [("month", "=", "2024-02-01")])
        self.assertEqual(
            (row.team_id, row.order_count, row.amount, row.growth_mom),
            (self.sale_team, 1, 100.0, -60.0),
        )
        # Over a group, growth is computed on the group's sums: 2024 has 350
        # against 350 the months before (0 %), 2025-01 alone has no base month.
        groups = self._groups(
            "sale.order.growth.report",
            domain,
            ["month:year"],
            ["amount:sum", "growth_mom:avg", "growth_yoy:avg"],
        )
        by_year = {month.year: values for month, values in groups.items()}
        self.assertEqual(by_year[2024][:2], (350.0, 0.0))
        self.assertIs(by_year[2024][2], False, "no base last year: no growth")
        self.assertAlmostEqual(by_year[2025][2], (300.0 - 350.0) / 350.0 * 100.0)

    def test_purchase_frequency(self):
        groups = self._groups(
            "sale.customer.frequency.report",
            [("partner_id", "in", self.customers.ids)],
            ["partner_id"],
            ["order_count:sum", "days_since_previous:avg"],
        )
        self.assertEqual(groups[self.customer_a], (2, 26.0))
        self.assertEqual(groups[self.customer_b][0], 1)
        self.assertIs(
            groups[self.customer_b][1], False, "a first order has no interval"
        )

    def test_product_ranking(self):
        Ranking = self.env["sale.product.ranking.report"].with_user(self.head_user)
        rows = Ranking.search(
            [("month", "=", "2024-01-01"), ("company_id", "=", self.env.company.id)]
        )
        self.assertEqual(
            [(r.product_id, r.sales_rank, r.amount, r.order_count) for r in rows],
            [(self.product, 1, 200.0, 1), (self.service_product, 2, 50.0, 1)],
        )

    def test_access(self):
        for model in (
            "sale.order.statistics.report",
            "sale.order.growth.report",
            "sale.customer.frequency.report",
            "sale.product.ranking.report",
            "sale.delivery.performance.report",
            "sale.complaint.rate.report",
        ):
            with self.subTest(model=model):
                self.env[model].with_user(self.director_user).search_count([])
                with self.assertRaises(AccessError):
                    self.env[model].with_user(self.sale_user).search_count([])


@tagged("post_install", "-at_install")
class TestSaleDeliveryComplaints(SaleStatisticsCommon):
    """On-time delivery and complaint rate on hand-computed data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        now = fields.Datetime.now().replace(microsecond=0)
        cls.today = now
        # Promised tomorrow, delivered today: on time, one day early.
        cls.order_early = cls._order(
            cls.customer_a,
            now - timedelta(days=3),
            [(cls.product, 2, 100.0)],
            commitment=now + timedelta(days=1),
        )
        # Promised yesterday, delivered today: one day late.
        cls.order_late = cls._order(
            cls.customer_b,
            now - timedelta(days=3),
            [(cls.product, 1, 100.0)],
            commitment=now - timedelta(days=1),
        )
        # Not delivered yet: neither in on-time nor in delivered orders.
        cls.order_open = cls._order(
            cls.customer_b, now - timedelta(days=2), [(cls.product, 1, 100.0)]
        )
        for order in cls.order_early | cls.order_late:
            cls._deliver(order, now)
        Feedback = cls.env["sale.customer.feedback"]
        Feedback.create(
            [
                {
                    "partner_id": cls.contact_a.id,
                    "subject": "Scratched",
                    "feedback_type": "complaint",
                    "product_id": cls.product.id,
                    "user_id": cls.sale_user.id,
                },
                {
                    "partner_id": cls.customer_b.id,
                    "subject": "Thank you",
                    "feedback_type": "feedback",
                    "product_id": cls.product.id,
                    "user_id": cls.sale_user.id,
                },
                {
                    # A customer without delivered orders: no rate to compute.
                    "partner_id": cls.customer_c.id,
                    "subject": "Late answer",
                    "feedback_type": "complaint",
                    "user_id": cls.sale_user.id,
                },
            ]
        )

    @classmethod
    def _deliver(cls, order, when):
        picking = order.picking_ids
        picking.move_ids.write({"quantity": 2.0, "picked": True})
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.button_validate()
        picking.date_done = when
        return picking

    def _groups(self, model, domain, groupby, aggregates):
        """{group key: aggregates}; the key is a tuple when grouped by several
        fields."""
        size = len(groupby)
        return {
            (group[:size] if size > 1 else group[0]): group[size:]
            for group in self.env[model]
            .with_user(self.head_user)
            ._read_group(domain, groupby, aggregates)
        }

    def test_on_time_delivery(self):
        Report = self.env["sale.delivery.performance.report"].with_user(self.head_user)
        rows = Report.search(
            [("order_id", "in", (self.order_early | self.order_late).ids)]
        )
        self.assertEqual(len(rows), 2)
        early = rows.filtered(lambda r: r.order_id == self.order_early)
        late = rows.filtered(lambda r: r.order_id == self.order_late)
        self.assertEqual((early.on_time_count, early.delay_days), (1, -1))
        self.assertEqual((late.on_time_count, late.delay_days), (0, 1))
        self.assertEqual(early.date_promised, self.order_early.commitment_date)
        groups = self._groups(
            "sale.delivery.performance.report",
            [("partner_id", "in", (self.customer_a | self.customer_b).ids)],
            ["user_id"],
            ["delivery_count:sum", "on_time_count:sum", "on_time_rate:avg"],
        )
        self.assertEqual(groups[self.sale_user], (2, 1, 50.0))
        by_customer = self._groups(
            "sale.delivery.performance.report",
            [("partner_id", "in", (self.customer_a | self.customer_b).ids)],
            ["partner_id"],
            ["on_time_rate:avg"],
        )
        self.assertEqual(by_customer[self.customer_a], (100.0,))
        self.assertEqual(by_customer[self.customer_b], (0.0,))

    def test_promised_date_falls_back_to_the_deadline(self):
        order = self._order(
            self.customer_c, self.today - timedelta(days=1), [(self.product, 1, 10.0)]
        )
        picking = order.picking_ids
        picking.scheduled_date = self.today + timedelta(days=5)
        self._deliver(order, self.today)
        row = self.env["sale.delivery.performance.report"].search(
            [("picking_id", "=", picking.id)]
        )
        expected = picking.date_deadline or picking.scheduled_date
        self.assertEqual(row.date_promised, expected)
        self.assertEqual(row.on_time_count, 1)

    def test_complaint_rate(self):
        customers = self.customer_a | self.customer_b | self.customer_c
        domain = [("partner_id", "in", customers.ids)]
        aggregates = [
            "delivered_count:sum",
            "complaint_count:sum",
            "complaint_rate:avg",
        ]
        by_user = self._groups(
            "sale.complaint.rate.report", domain, ["user_id"], aggregates
        )
        # Two delivered orders, two complaints (the feedback does not count).
        self.assertEqual(by_user[self.sale_user], (2, 2, 100.0))
        by_customer = self._groups(
            "sale.complaint.rate.report", domain, ["partner_id"], aggregates
        )
        self.assertEqual(by_customer[self.customer_a], (1, 1, 100.0))
        self.assertEqual(by_customer[self.customer_b], (1, 0, 0.0))
        # Nothing delivered: the rate is empty rather than infinite.
        self.assertEqual(by_customer[self.customer_c][:2], (0, 1))
        self.assertIs(by_customer[self.customer_c][2], False)
        by_product = self._groups(
            "sale.complaint.rate.report", domain, ["product_id"], aggregates
        )
        self.assertEqual(by_product[self.product], (2, 1, 50.0))
        by_month = self._groups(
            "sale.complaint.rate.report", domain, ["date:month"], aggregates
        )
        self.assertEqual(list(by_month.values()), [(2, 2, 100.0)])
