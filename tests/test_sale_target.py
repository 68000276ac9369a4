# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import SaleProcessControlCommon

YEAR = 2025


class SaleTargetCommon(SaleProcessControlCommon):
    """Two teams, two salespeople, two product categories, two regions and
    confirmed orders on known dates, so achievements can be computed by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.sale_achievement_basis = "order"
        cls.seller_a = cls._create_role_user(
            "spc_target_seller_a", "sales_team.group_sale_salesman"
        )
        cls.seller_b = cls._create_role_user(
            "spc_target_seller_b", "sales_team.group_sale_salesman"
        )
        cls.team_north = cls.env["crm.team"].create(
            {
                "name": "SPC North",
                "user_id": cls.head_user.id,
                "crm_team_member_ids": [
                    Command.create({"user_id": cls.seller_a.id}),
                ],
            }
        )
        cls.team_south = cls.env["crm.team"].create(
            {
                "name": "SPC South",
                "crm_team_member_ids": [
                    Command.create({"user_id": cls.seller_b.id}),
                ],
            }
        )
        Category = cls.env["product.category"]
        cls.categ_parent = Category.create({"name": "SPC Machines"})
        cls.categ_child = Category.create(
            {"name": "SPC Pumps", "parent_id": cls.categ_parent.id}
        )
        cls.categ_other = Category.create({"name": "SPC Spares"})
        Product = cls.env["product.product"]
        cls.pump = Product.create(
            {"name": "SPC Pump", "categ_id": cls.categ_child.id, "taxes_id": False}
        )
        cls.spare = Product.create(
            {"name": "SPC Spare", "categ_id": cls.categ_other.id, "taxes_id": False}
        )
        china = cls.env.ref("base.cn")
        cls.state_sh = cls.env["res.country.state"].search(
            [("country_id", "=", china.id)], limit=1
        )
        cls.state_other = cls.env["res.country.state"].search(
            [("country_id", "=", china.id), ("id", "!=", cls.state_sh.id)], limit=1
        )
        cls.tier_a = cls.env["sale.customer.tier"].search(
            [("company_id", "=", cls.company.id), ("code", "=", "A")], limit=1
        )
        Partner = cls.env["res.partner"]
        cls.customer_sh = Partner.create(
            {
                "name": "SPC Shanghai Co",
                "is_company": True,
                "state_id": cls.state_sh.id,
                "country_id": china.id,
                "customer_tier_id": cls.tier_a.id,
            }
        )
        cls.customer_other = Partner.create(
            {
                "name": "SPC Other Co",
                "is_company": True,
                "state_id": cls.state_other.id,
                "country_id": china.id,
            }
        )
        cls.contact_sh = Partner.create(
            {"name": "SPC Contact", "parent_id": cls.customer_sh.id}
        )

    @classmethod
    def _order(cls, when, lines, partner=None, user=None, team=None, confirm=True):
        """A confirmed order dated ``when`` with ``lines`` of
        ``(product, quantity, unit price)``."""
        order = cls.env["sale.order"].create(
            {
                "partner_id": (partner or cls.customer_sh).id,
                "user_id": (user or cls.seller_a).id,
                "team_id": (team or cls.team_north).id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": quantity,
                            "price_unit": price,
                            "tax_id": [Command.clear()],
                        }
                    )
                    for product, quantity, price in lines
                ],
            }
        )
        if confirm:
            order.action_confirm()
        order.date_order = when
        return order

    @classmethod
    def _target(cls, **values):
        vals = {
            "name": "SPC Target",
            "period_type": "year",
            "year": YEAR,
            "dimension": "company",
            "amount": 1000.0,
        }
        vals.update(values)
        return cls.env["sale.target"].create(vals)


@tagged("post_install", "-at_install")
class TestSaleTarget(SaleTargetCommon):
    """Periods, dimensions, the tree and its checks."""

    def test_period_dates(self):
        year = self._target()
        self.assertEqual(
            (year.date_from, year.date_to), (date(2025, 1, 1), date(2025, 12, 31))
        )
        quarter = self._target(period_type="quarter", quarter="3")
        self.assertEqual(
            (quarter.date_from, quarter.date_to), (date(2025, 7, 1), date(2025, 9, 30))
        )
        month = self._target(period_type="month", month="2")
        self.assertEqual(
            (month.date_from, month.date_to), (date(2025, 2, 1), date(2025, 2, 28))
        )
        # Dates may also be set by hand for an irregular period.
        month.write({"date_from": date(2025, 2, 10)})
        self.assertEqual(month.date_from, date(2025, 2, 10))

    def test_dimension_needs_its_value(self):
        with self.assertRaises(ValidationError):
            self._target(dimension="user")
        with self.assertRaises(ValidationError):
            self._target(dimension="category")
        target = self._target(dimension="user", user_id=self.seller_a.id)
        # The salesperson's team is filled in, so its head sees the target.
        self.assertEqual(target.team_id, self.team_north)

    def test_child_period_within_parent(self):
        parent = self._target()
        with self.assertRaises(ValidationError):
            self._target(parent_id=parent.id, year=YEAR + 1)

    def test_children_add_up_flagged_and_activation_refused(self):
        parent = self._target(amount=1000.0)
        self._target(
            parent_id=parent.id, period_type="quarter", quarter="1", amount=600.0
        )
        child = self._target(
            parent_id=parent.id, period_type="quarter", quarter="2", amount=300.0
        )
        # Saving is allowed; the parent says by how much its children differ.
        self.assertTrue(parent.is_unbalanced)
        self.assertEqual(parent.children_total, 900.0)
        self.assertEqual(parent.children_difference, -100.0)
        self.assertIn(
            parent, self.env["sale.target"].search([("is_unbalanced", "=", True)])
        )
        with self.assertRaisesRegex(UserError, "add up to"):
            parent.action_activate()
        with self.assertRaises(UserError):
            parent.write({"state": "active"})
        self.assertEqual(parent.state, "draft")
        child.amount = 400.0
        self.assertFalse(parent.is_unbalanced)
        self.assertEqual(parent.children_difference, 0.0)
        parent.action_activate()
        self.assertEqual(parent.state, "active")

    def test_active_amount_refused_for_non_managers(self):
        target = self._target(team_id=self.team_north.id, dimension="team")
        target.action_activate()
        with self.assertRaisesRegex(UserError, "Request a target adjustment"):
            target.with_user(self.head_user).write({"amount": 2000.0})
        # Other fields stay editable; the same amount is no change.
        target.with_user(self.head_user).write({"name": "Renamed", "amount": 1000.0})
        self.assertEqual(target.name, "Renamed")
        target.with_user(self.director_user).write({"amount": 2000.0})
        self.assertEqual(target.amount, 2000.0)


@tagged("post_install", "-at_install")
class TestSaleTargetDecompose(SaleTargetCommon):
    """Splits add up to the parent exactly, the remainder on the last child."""

    def _decompose(self, target, split, method="even", weights=None, user=None):
        wizard_form = Form(
            self.env["sale.target.decompose"]
            .with_user(user or self.env.user)
            .with_context(default_target_id=target.id)
        )
        wizard_form.split = split
        wizard_form.method = method
        if weights:
            for index, weight in enumerate(weights):
                with wizard_form.line_ids.edit(index) as line:
                    line.weight = weight
        wizard = wizard_form.save()
        wizard.action_apply()
        return target.child_ids.sorted("date_from")

    def test_even_quarters_rounding(self):
        target = self._target(amount=1000.03, quantity=10.0)
        quarters = self._decompose(target, "quarter")
        self.assertEqual(quarters.mapped("amount"), [250.01, 250.01, 250.01, 250.0])
        self.assertEqual(quarters.mapped("quantity"), [2.5, 2.5, 2.5, 2.5])
        self.assertEqual(quarters.mapped("quarter"), ["1", "2", "3", "4"])
        self.assertEqual(quarters[2].date_from, date(2025, 7, 1))
        self.assertAlmostEqual(sum(quarters.mapped("amount")), 1000.03, places=6)
        self.assertFalse(target.is_unbalanced)

    def test_even_months_remainder_on_last(self):
        target = self._target(amount=100.0)
        months = self._decompose(target, "month")
        self.assertEqual(len(months), 12)
        self.assertEqual(months[:11].mapped("amount"), [8.33] * 11)
        self.assertEqual(months[11].amount, 8.37)
        self.assertEqual(months[11].date_to, date(2025, 12, 31))
        self.assertFalse(target.is_unbalanced)

    def test_quarters_then_months(self):
        target = self._target(amount=1000.0)
        quarters = self._decompose(target, "quarter_month")
        self.assertEqual(quarters.mapped("amount"), [250.0] * 4)
        first_months = quarters[0].child_ids.sorted("date_from")
        self.assertEqual(first_months.mapped("amount"), [83.33, 83.33, 83.34])
        self.assertEqual(first_months.mapped("month"), ["1", "2", "3"])
        for quarter in quarters:
            self.assertFalse(quarter.is_unbalanced)
        self.assertEqual(len(target.search([("id", "child_of", target.id)])), 17)

    def test_weights(self):
        target = self._target(amount=1000.0)
        quarters = self._decompose(target, "quarter", "weights", [1, 1, 1, 2])
        self.assertEqual(quarters.mapped("amount"), [200.0, 200.0, 200.0, 400.0])

    def test_seasonality_from_last_year(self):
        # 2024: 300 in March, 100 in November, 50 in January; nothing else.
        self._order(datetime(2024, 1, 10, 10), [(self.pump, 1, 50.0)])
        self._order(datetime(2024, 3, 15, 10), [(self.pump, 3, 100.0)])
        self._order(datetime(2024, 11, 2, 10), [(self.pump, 1, 100.0)])
        target = self._target(amount=900.0)
        quarters = self._decompose(target, "quarter", "seasonality")
        self.assertEqual(quarters.mapped("amount"), [700.0, 0.0, 0.0, 200.0])
        months = self._decompose(quarters[0], "month", "seasonality")
        self.assertEqual(months.mapped("amount"), [100.0, 0.0, 600.0])

    def test_seasonality_before_the_first_sale_is_an_average_month(self):
        # The history begins in July 2024: January to June are unknown, not
        # months without sales, so no quarter gets a zero target.
        self._order(datetime(2024, 7, 10, 10), [(self.pump, 2, 100.0)])
        self._order(datetime(2024, 10, 5, 10), [(self.pump, 1, 100.0)])
        target = self._target(amount=1200.0)
        quarters = self._decompose(target, "quarter", "seasonality")
        # Known months average 300 / 6 = 50: weights 150, 150, 200, 100.
        self.assertEqual(quarters.mapped("amount"), [300.0, 300.0, 400.0, 200.0])

    def test_seasonality_falls_back_to_even(self):
        target = self._target(
            amount=400.0, dimension="region", region_id=self.state_sh.id
        )
        quarters = self._decompose(target, "quarter", "seasonality")
        self.assertEqual(quarters.mapped("amount"), [100.0] * 4)

    def test_across_salespeople_by_last_year_share(self):
        self._order(
            datetime(2024, 5, 1, 10), [(self.pump, 3, 100.0)], user=self.seller_a
        )
        self._order(
            datetime(2024, 6, 1, 10),
            [(self.pump, 1, 100.0)],
            user=self.seller_b,
            team=self.team_south,
        )
        target = self._target(amount=1000.0)
        wizard_form = Form(
            self.env["sale.target.decompose"].with_context(default_target_id=target.id)
        )
        wizard_form.split = "user"
        wizard_form.method = "share"
        while len(wizard_form.line_ids):
            wizard_form.line_ids.remove(0)
        for seller in (self.seller_a, self.seller_b):
            with wizard_form.line_ids.new() as line:
                line.user_id = seller
                line.name = seller.name
        wizard_form.save().action_apply()
        children = target.child_ids.sorted(lambda t: t.user_id == self.seller_b)
        self.assertEqual(children.mapped("user_id"), self.seller_a + self.seller_b)
        self.assertEqual(children.mapped("amount"), [750.0, 250.0])
        self.assertEqual(children.mapped("dimension"), ["user", "user"])
        self.assertEqual(children[1].team_id, self.team_south)
        self.assertEqual(children[0].date_from, target.date_from)

    def test_across_teams_by_weights_rounding(self):
        target = self._target(amount=100.0)
        wizard_form = Form(
            self.env["sale.target.decompose"].with_context(default_target_id=target.id)
        )
        wizard_form.split = "team"
        wizard_form.method = "weights"
        while len(wizard_form.line_ids):
            wizard_form.line_ids.remove(0)
        for team in (self.team_north, self.team_south, self.sale_team):
            with wizard_form.line_ids.new() as line:
                line.team_id = team
                line.weight = 1.0
        wizard_form.save().action_apply()
        children = target.child_ids.sorted("id")
        self.assertEqual(children.mapped("amount"), [33.33, 33.33, 33.34])
        self.assertEqual(
            children.mapped("team_id"),
            self.team_north + self.team_south + self.sale_team,
        )

    def test_refusals(self):
        target = self._target(amount=100.0, period_type="month", month="1")
        with self.assertRaises(UserError):
            self._decompose(target, "quarter")
        year = self._target(amount=100.0)
        self._decompose(year, "quarter")
        with self.assertRaisesRegex(UserError, "already has children"):
            self._decompose(year, "month")


@tagged("post_install", "-at_install")
class TestSaleTargetAchievement(SaleTargetCommon):
    """Actual, gap and % on hand-computed orders, per dimension and basis."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # North / seller A / Shanghai (tier A): pumps 3 x 100 + spares 2 x 50
        cls.order_1 = cls._order(
            datetime(2025, 2, 10, 9), [(cls.pump, 3, 100.0), (cls.spare, 2, 50.0)]
        )
        # South / seller B / other region: pumps 1 x 1000, in May.
        cls.order_2 = cls._order(
            datetime(2025, 5, 20, 9),
            [(cls.pump, 1, 1000.0)],
            partner=cls.customer_other,
            user=cls.seller_b,
            team=cls.team_south,
        )
        # A contact of the Shanghai company, seller A, in March.
        cls.order_3 = cls._order(
            datetime(2025, 3, 1, 9), [(cls.spare, 4, 25.0)], partner=cls.contact_sh
        )
        # Not counted: a quotation, an order of last year, a cancelled order.
        cls._order(datetime(2025, 2, 1, 9), [(cls.pump, 9, 100.0)], confirm=False)
        cls._order(datetime(2024, 12, 31, 9), [(cls.pump, 9, 100.0)])
        cancelled = cls._order(datetime(2025, 4, 1, 9), [(cls.pump, 9, 100.0)])
        cancelled._action_cancel()

    def test_actual_per_dimension(self):
        cases = [
            ({"dimension": "company"}, 1500.0),
            ({"dimension": "team", "team_id": self.team_north.id}, 500.0),
            ({"dimension": "team", "team_id": self.team_south.id}, 1000.0),
            ({"dimension": "user", "user_id": self.seller_a.id}, 500.0),
            ({"dimension": "category", "categ_id": self.categ_parent.id}, 1300.0),
            ({"dimension": "category", "categ_id": self.categ_other.id}, 200.0),
            ({"dimension": "region", "region_id": self.state_sh.id}, 500.0),
            ({"dimension": "tier", "tier_id": self.tier_a.id}, 500.0),
        ]
        targets = self.env["sale.target"]
        for values, _actual in cases:
            targets |= self._target(amount=2000.0, **values)
        for target, (values, actual) in zip(targets, cases, strict=True):
            with self.subTest(**values):
                self.assertAlmostEqual(target.actual_amount, actual)
                self.assertAlmostEqual(target.gap_amount, 2000.0 - actual)
                self.assertAlmostEqual(target.achievement_rate, actual / 20.0)
        category = targets.filtered(lambda t: t.categ_id == self.categ_parent)
        self.assertEqual(category.actual_quantity, 4.0)
        company = targets.filtered(lambda t: t.dimension == "company")
        self.assertEqual(company.document_count, 3)
        action = company.action_view_documents()
        self.assertEqual(action["res_model"], "sale.order")
        self.assertEqual(
            set(action["domain"][0][2]),
            set((self.order_1 + self.order_2 + self.order_3).ids),
        )

    def test_dashboard_rows(self):
        """The dashboard's target card: active targets of the period, largest
        first, with their achievement and an action on the target."""
        team = self._target(dimension="team", team_id=self.team_south.id, amount=4000.0)
        seller = self._target(dimension="user", user_id=self.seller_a.id)
        draft = self._target(amount=9000.0)
        (team + seller).write({"state": "active"})
        Target = self.env["sale.target"]
        rows = Target._get_dashboard_achievement(date(2025, 1, 1), date(2026, 1, 1))
        self.assertEqual([row["id"] for row in rows], [team.id, seller.id])
        self.assertNotIn(draft.id, [row["id"] for row in rows])
        self.assertEqual(
            (rows[0]["target"], rows[0]["actual"], rows[0]["rate"]),
            (4000.0, 1000.0, 25.0),
        )
        self.assertEqual(rows[1]["rate"], 50.0)
        self.assertEqual(rows[0]["action"]["res_model"], "sale.target")
        self.assertEqual(rows[0]["action"]["domain"], [("id", "=", team.id)])
        # A year target does not lie inside one quarter.
        self.assertFalse(
            Target._get_dashboard_achievement(date(2025, 1, 1), date(2025, 4, 1))
        )

    def test_periods_and_rollup(self):
        year = self._target(amount=2000.0)
        q1 = self._target(
            parent_id=year.id, period_type="quarter", quarter="1", amount=1000.0
        )
        q2 = self._target(
            parent_id=year.id, period_type="quarter", quarter="2", amount=1000.0
        )
        feb = self._target(
            parent_id=q1.id, period_type="month", month="2", amount=500.0
        )
        self.assertAlmostEqual(q1.actual_amount, 500.0)
        self.assertAlmostEqual(q2.actual_amount, 1000.0)
        self.assertAlmostEqual(feb.actual_amount, 400.0)
        self.assertAlmostEqual(year.actual_amount, 1500.0)
        self.assertAlmostEqual(year.rollup_actual_amount, 1500.0)
        self.assertAlmostEqual(q1.rollup_actual_amount, 400.0)
        self.assertAlmostEqual(q1.achievement_rate, 50.0)

    def test_invoice_basis(self):
        self.company.sale_achievement_basis = "invoice"
        invoice = self.order_2._create_invoices()
        invoice.invoice_date = date(2025, 6, 3)
        invoice.action_post()
        refund = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": self.customer_other.id,
                "invoice_user_id": self.seller_b.id,
                "team_id": self.team_south.id,
                "invoice_date": date(2025, 6, 5),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.pump.id,
                            "quantity": 1,
                            "price_unit": 200.0,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        refund.action_post()
        seller_b = self._target(
            dimension="user", user_id=self.seller_b.id, amount=1000.0
        )
        june = self._target(period_type="month", month="5", amount=100.0)
        self.assertAlmostEqual(seller_b.actual_amount, 800.0)
        self.assertEqual(seller_b.document_count, 2)
        # May has the order but no invoice.
        self.assertEqual(june.actual_amount, 0.0)
        self.assertEqual(seller_b.action_view_documents()["res_model"], "account.move")

    def test_month_report(self):
        year = self._target(amount=1200.0)
        self.env["sale.target.decompose"].create(
            {"target_id": year.id, "split": "month", "method": "even"}
        ).action_apply()
        self.env.flush_all()
        rows = self.env["sale.target.month.report"].search(
            [("target_id", "child_of", year.id)]
        )
        self.assertEqual(len(rows), 12)
        by_month = {row.date.month: row for row in rows}
        self.assertEqual(by_month[2].target_amount, 100.0)
        self.assertAlmostEqual(by_month[2].actual_amount, 400.0)
        self.assertAlmostEqual(by_month[3].actual_amount, 100.0)
        self.assertAlmostEqual(by_month[5].actual_amount, 1000.0)
        self.assertAlmostEqual(by_month[5].gap_amount, -900.0)
        self.assertEqual(by_month[7].actual_amount, 0.0)
        action = year.action_view_month_report()
        self.assertEqual(action["res_model"], "sale.target.month.report")

    def test_user_achievement_api(self):
        year = self._target(dimension="user", user_id=self.seller_a.id, amount=4000.0)
        q1 = self._target(
            dimension="user",
            user_id=self.seller_a.id,
            parent_id=year.id,
            period_type="quarter",
            quarter="1",
            amount=1000.0,
        )
        q2 = self._target(
            dimension="user",
            user_id=self.seller_a.id,
            parent_id=year.id,
            period_type="quarter",
            quarter="2",
            amount=3000.0,
        )
        self._target(
            dimension="user",
            user_id=self.seller_b.id,
            period_type="quarter",
            quarter="1",
            amount=700.0,
        ).action_activate()
        # Drafts do not count.
        self._target(
            dimension="user", user_id=self.seller_b.id, period_type="month", month="2"
        )
        (year + q1 + q2).action_activate()
        users = self.seller_a + self.seller_b + self.head_user
        Target = self.env["sale.target"]
        first_quarter = Target._get_user_achievement(
            users, date(2025, 1, 1), date(2025, 3, 31)
        )
        self.assertEqual(
            first_quarter,
            {
                self.seller_a.id: {"target": 1000.0, "actual": 500.0},
                self.seller_b.id: {"target": 700.0, "actual": 0.0},
                self.head_user.id: {"target": 0.0, "actual": 0.0},
            },
        )
        # The year counts once, not with its own quarters.
        whole_year = Target._get_user_achievement(users, "2025-01-01", "2025-12-31")
        self.assertEqual(
            whole_year[self.seller_a.id], {"target": 4000.0, "actual": 500.0}
        )
        self.assertEqual(
            whole_year[self.seller_b.id], {"target": 700.0, "actual": 1000.0}
        )

    def test_achievement_query_count(self):
        """Reading the achievement of a list costs the same number of queries
        whatever its length."""

        def make(count):
            return self.env["sale.target"].create(
                [
                    {
                        "name": f"SPC Q {index}",
                        "year": YEAR,
                        "dimension": ("company", "team", "user", "category")[index % 4],
                        "team_id": self.team_north.id,
                        "user_id": self.seller_a.id,
                        "categ_id": self.categ_parent.id,
                        "amount": 100.0,
                    }
                    for index in range(count)
                ]
            )

        fields_read = [
            "actual_amount",
            "gap_amount",
            "achievement_rate",
            "rollup_actual_amount",
        ]
        small, large = make(3), make(30)
        for targets in (small, large):
            targets.invalidate_recordset()
        self.env.flush_all()
        with self.assertQueryCount(__system__=3):
            small.read(fields_read)
        with self.assertQueryCount(__system__=3):
            large.read(fields_read)
        self.assertTrue(all(t.actual_amount > 0 for t in large))


@tagged("post_install", "-at_install")
class TestSaleTargetAdjustment(SaleTargetCommon):
    """Only the approved adjustment changes the target, with history."""

    def setUp(self):
        super().setUp()
        self.target = self._target(
            dimension="user", user_id=self.seller_a.id, amount=1000.0
        )
        self.target.action_activate()

    def _request(self, user, new_amount=1200.0):
        return (
            self.env["sale.target.adjustment"]
            .with_user(user)
            .create(
                {
                    "target_id": self.target.id,
                    "reason": "Lost a key customer",
                    "basis": "Customer moved production abroad",
                    "new_amount": new_amount,
                }
            )
        )

    def test_head_then_director(self):
        adjustment = self._request(self.seller_a, 800.0)
        adjustment.action_submit()
        self.assertEqual(adjustment.state, "review")
        self.assertEqual(adjustment.current_amount, 1000.0)
        # The head of the target's team reviews first; the director's step waits.
        self.assertEqual(adjustment.activity_ids.user_id, self.head_user)
        self.assertEqual(adjustment.approval_waiting_for, "Department head review")
        self.assertFalse(adjustment.with_user(self.seller_a).approval_can_decide)
        adjustment.with_user(self.head_user).action_approve()
        self.assertEqual(adjustment.approval_waiting_for, "Sales director approval")
        self.assertFalse(adjustment.with_user(self.head_user).approval_can_decide)
        self.assertEqual(adjustment.state, "review")
        self.assertEqual(self.target.amount, 1000.0)
        self.assertFalse(self.target.version_ids)
        self.assertTrue(adjustment.with_user(self.director_user).approval_can_decide)
        adjustment.with_user(self.director_user).action_approve()
        self.assertEqual(adjustment.state, "approved")
        self.assertEqual(self.target.amount, 800.0)
        version = self.target.version_ids
        self.assertEqual(
            (
                version.old_amount,
                version.new_amount,
                version.adjustment_id,
                version.user_id,
            ),
            (1000.0, 800.0, adjustment, self.director_user),
        )
        message = self.target.message_ids.filtered(
            lambda m: adjustment.name in (m.body or "")
        )
        self.assertTrue(message)
        self.assertIn(self.seller_a.partner_id, message.partner_ids)
        self.assertIn(self.head_user.partner_id, message.partner_ids)

    def test_rejection_leaves_target(self):
        adjustment = self._request(self.seller_a)
        adjustment.action_submit()
        adjustment.with_user(self.head_user).action_reject("Not justified")
        self.assertEqual(adjustment.state, "rejected")
        self.assertEqual(self.target.amount, 1000.0)
        self.assertFalse(self.target.version_ids)

    def test_no_self_approval_and_no_status_write(self):
        adjustment = self._request(self.head_user)
        adjustment.action_submit()
        with self.assertRaises(AccessError):
            adjustment.with_user(self.head_user).action_approve()
        with self.assertRaisesRegex(UserError, "Use the buttons"):
            adjustment.with_user(self.head_user).write({"state": "approved"})
        with self.assertRaisesRegex(UserError, "Use the buttons"):
            adjustment.with_user(self.head_user).write({"current_amount": 1.0})
        with self.assertRaisesRegex(UserError, "under review or decided"):
            adjustment.with_user(self.head_user).write({"new_amount": 5.0})
        with self.assertRaisesRegex(UserError, "already submitted"):
            adjustment.with_user(self.head_user).action_submit()
        self.assertEqual(
            (adjustment.new_amount, adjustment.current_amount), (1200.0, 1000.0)
        )
        # Rejected, it is edited and submitted again.
        adjustment.with_user(self.director_user).action_reject("Too early")
        adjustment.with_user(self.head_user).write({"new_amount": 1100.0})
        adjustment.with_user(self.head_user).action_submit()
        self.assertEqual(adjustment.state, "review")

    def test_request_from_target(self):
        action = self.target.with_user(self.seller_a).action_request_adjustment()
        self.assertEqual(action["context"]["default_target_id"], self.target.id)


@tagged("post_install", "-at_install")
class TestSaleTargetAccess(SaleTargetCommon):
    """Salespeople: their own; heads: their teams' and company-level; directors:
    all."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_target = cls._target(name="SPC Company")
        cls.north_target = cls._target(
            name="SPC North", dimension="team", team_id=cls.team_north.id
        )
        cls.south_target = cls._target(
            name="SPC South", dimension="team", team_id=cls.team_south.id
        )
        cls.seller_a_target = cls._target(
            name="SPC Seller A", dimension="user", user_id=cls.seller_a.id
        )
        cls.seller_b_target = cls._target(
            name="SPC Seller B", dimension="user", user_id=cls.seller_b.id
        )
        cls.all_targets = (
            cls.company_target
            + cls.north_target
            + cls.south_target
            + cls.seller_a_target
            + cls.seller_b_target
        )
        # Another salesperson of the North team sees the team's targets as its
        # member would if promoted to head: membership counts, not only lead.
        cls.member_head = cls._create_role_user(
            "spc_target_member_head", "sale_process_control.group_sale_department_head"
        )
        cls.env["crm.team.member"].create(
            {"crm_team_id": cls.team_south.id, "user_id": cls.member_head.id}
        )

    def _visible(self, user):
        return (
            self.env["sale.target"]
            .with_user(user)
            .search([("id", "in", self.all_targets.ids)])
        )

    def test_read_per_role(self):
        self.assertEqual(self._visible(self.seller_a), self.seller_a_target)
        self.assertEqual(
            self._visible(self.head_user),
            self.company_target + self.north_target + self.seller_a_target,
        )
        self.assertEqual(
            self._visible(self.member_head),
            self.company_target + self.south_target + self.seller_b_target,
        )
        self.assertEqual(self._visible(self.director_user), self.all_targets)
        self.assertEqual(self._visible(self.management_user), self.all_targets)
        with self.assertRaises(AccessError):
            self.seller_b_target.with_user(self.seller_a).read(["amount"])

    def test_write_per_role(self):
        with self.assertRaises(AccessError):
            self.seller_a_target.with_user(self.seller_a).write({"name": "Mine"})
        with self.assertRaises(AccessError):
            self.env["sale.target"].with_user(self.seller_a).create(
                {"name": "x", "year": YEAR, "amount": 1.0}
            )
        self.north_target.with_user(self.head_user).write({"amount": 50.0})
        self.assertEqual(self.north_target.amount, 50.0)
        with self.assertRaises(AccessError):
            self.south_target.with_user(self.head_user).write({"amount": 50.0})
        with self.assertRaises(AccessError):
            self.north_target.with_user(self.head_user).unlink()
        self.south_target.with_user(self.director_user).write({"amount": 70.0})
        self.assertEqual(self.south_target.amount, 70.0)
        self.seller_b_target.with_user(self.director_user).unlink()

    def test_adjustments_per_role(self):
        (self.seller_a_target + self.seller_b_target).action_activate()
        Adjustment = self.env["sale.target.adjustment"]
        mine = Adjustment.with_user(self.seller_a).create(
            {
                "target_id": self.seller_a_target.id,
                "reason": "r",
                "basis": "b",
                "new_amount": 10.0,
            }
        )
        other = Adjustment.with_user(self.seller_b).create(
            {
                "target_id": self.seller_b_target.id,
                "reason": "r",
                "basis": "b",
                "new_amount": 10.0,
            }
        )
        both = mine + other
        self.assertEqual(
            Adjustment.with_user(self.seller_a).search([("id", "in", both.ids)]), mine
        )
        self.assertEqual(
            Adjustment.with_user(self.head_user).search([("id", "in", both.ids)]), mine
        )
        self.assertEqual(
            Adjustment.with_user(self.director_user).search([("id", "in", both.ids)]),
            both,
        )
        with self.assertRaises(AccessError):
            other.with_user(self.seller_a).write({"reason": "mine now"})
        mine.with_user(self.seller_a).write({"reason": "clearer"})
        # A salesperson cannot request on a target they do not see.
        with self.assertRaises(AccessError):
            Adjustment.with_user(self.seller_a).create(
                {
                    "target_id": self.seller_b_target.id,
                    "reason": "r",
                    "basis": "b",
                    "new_amount": 1.0,
                }
            )

    def test_month_report_per_role(self):
        month = self._target(
            name="SPC Seller A Jan",
            dimension="user",
            user_id=self.seller_a.id,
            period_type="month",
            month="1",
        )
        other = self._target(
            name="SPC Seller B Jan",
            dimension="user",
            user_id=self.seller_b.id,
            period_type="month",
            month="1",
        )
        self.env.flush_all()
        Report = self.env["sale.target.month.report"]
        domain = [("target_id", "in", (month + other).ids)]
        self.assertEqual(
            Report.with_user(self.seller_a).search(domain).target_id, month
        )
        self.assertEqual(
            Report.with_user(self.director_user).search(domain).target_id, month + other
        )


@tagged("post_install", "-at_install")
class TestSaleTargetMenus(SaleTargetCommon):
    """Salespeople reach their targets under Performance; Sales Analysis stays
    with department heads."""

    def test_performance_entries(self):
        entries = {
            xmlid: self.env.ref(f"sale_process_control.{xmlid}").id
            for xmlid in (
                "sale_target_menu",
                "sale_target_adjustment_menu",
                "sale_target_month_report_menu",
                "sales_analysis_menu",
            )
        }
        Menu = self.env["ir.ui.menu"]
        seller = Menu.with_user(self.sale_user)._visible_menu_ids()
        head = Menu.with_user(self.head_user)._visible_menu_ids()
        for xmlid, menu_id in entries.items():
            with self.subTest(menu=xmlid):
                self.assertIn(menu_id, head)
                self.assertEqual(menu_id in seller, xmlid != "sales_analysis_menu")
