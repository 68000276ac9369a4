# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from datetime import date
from unittest.mock import patch

from odoo import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.sale.tests.common import TestSaleCommon

Q1_FROM = date(2026, 1, 1)
Q1_TO = date(2026, 3, 31)


@tagged("post_install", "-at_install")
class TestSaleKpi(TestSaleCommon):
    """R-33: each KPI formula on hand-computed data, zero denominators, and the
    scoring rule. Accounting is needed for the receivables collection rate,
    hence TestSaleCommon."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.company.sale_contract_amount = 1500.0
        salesman = "sales_team.group_sale_salesman"
        cls.s1, cls.s2, cls.s3 = (
            new_test_user(cls.env, login, groups=salesman, company_id=cls.company.id)
            for login in ("kpi_s1", "kpi_s2", "kpi_s3")
        )
        cls.users = cls.s1 | cls.s2 | cls.s3
        cls.product = cls.env["product.product"].create(
            {
                "name": "KPI Widget",
                "type": "consu",
                "list_price": 100.0,
                "standard_price": 60.0,
                "taxes_id": [Command.clear()],
            }
        )
        partner = cls.env["res.partner"]
        cls.cust_a, cls.cust_b, cls.cust_c, cls.cust_d, cls.cust_e = partner.create(
            [{"name": f"KPI Customer {letter}"} for letter in "ABCDE"]
        )
        # s1: Q1 2026 = A 10 + B 5 + E 2 units (1,700, margin 680); A and D
        # bought in Q4 2025 (D churned); B bought in Q1 2025 (growth base 400).
        cls.o1 = cls._order(cls.s1, cls.cust_a, 10, "2026-01-15 10:00:00")
        cls.o2 = cls._order(cls.s1, cls.cust_b, 5, "2026-02-10 10:00:00")
        cls.o7 = cls._order(cls.s1, cls.cust_e, 2, "2026-03-20 10:00:00")
        cls._order(cls.s1, cls.cust_a, 1, "2025-12-20 10:00:00")
        cls._order(cls.s1, cls.cust_d, 3, "2025-11-01 10:00:00")
        cls._order(cls.s1, cls.cust_b, 4, "2025-02-01 10:00:00")
        cls._order(cls.s1, cls.cust_a, 50, "2026-02-01 10:00:00", confirm=False)
        # s2: C 20 + C 16 units (3,600, margin 1,440), both above the contract
        # threshold, only the first under a signed contract.
        cls.o3 = cls._order(cls.s2, cls.cust_c, 20, "2026-03-05 10:00:00")
        cls.o9 = cls._order(cls.s2, cls.cust_c, 16, "2026-03-06 10:00:00")
        contract = cls.env["sale.contract"]._create_from_orders(cls.o3)
        cls.env.flush_all()
        cls.env.cr.execute(
            "UPDATE sale_contract SET state = 'signed' WHERE id = %s", [contract.id]
        )
        # Deliveries: o1 on time, o2 late (deadline); o3 on time by the
        # commitment date; o9 late by the scheduled date.
        cls._deliver(cls.o1, "2026-01-20", deadline="2026-01-25")
        cls._deliver(cls.o2, "2026-02-20", deadline="2026-02-15")
        cls._deliver(cls.o3, "2026-03-10", commitment="2026-03-12")
        cls._deliver(cls.o9, "2026-03-15", scheduled="2026-03-01")
        cls.env.invalidate_all()

    @classmethod
    def _order(cls, user, partner, qty, when, confirm=True):
        order = (
            cls.env["sale.order"]
            .with_company(cls.company)
            .create(
                {
                    "partner_id": partner.id,
                    "user_id": user.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": cls.product.id,
                                "product_uom_qty": qty,
                                "price_unit": 100.0,
                                "tax_id": [Command.clear()],
                            }
                        )
                    ],
                }
            )
        )
        if confirm:
            order.action_confirm()
        order.date_order = when
        return order

    @classmethod
    def _deliver(cls, order, done, deadline=None, commitment=None, scheduled=None):
        cls.env.flush_all()
        picking = order.picking_ids[:1]
        cls.env.cr.execute(
            """
            UPDATE stock_picking
               SET state = 'done', date_done = %s, date_deadline = %s,
                   scheduled_date = COALESCE(%s, scheduled_date)
             WHERE id = %s
            """,
            [done + " 12:00:00", deadline, scheduled, picking.id],
        )
        cls.env.cr.execute(
            "UPDATE sale_order SET commitment_date = %s WHERE id = %s",
            [commitment, order.id],
        )

    def _kpi(self, code):
        return self.env.ref(f"sale_process_control.sale_kpi_{code}")

    def _values(self, code, date_from=Q1_FROM, date_to=Q1_TO):
        kpi = self._kpi(code).with_company(self.company)
        values = kpi._get_values(self.users, date_from, date_to)[kpi.id]
        return {user: values[user.id][0] for user in self.users}

    def _assert_values(self, code, expected):
        values = self._values(code)
        for user, value in expected.items():
            self.assertAlmostEqual(values[user], value, places=2, msg=code)

    # ------------------------------------------------------------------
    # Formulas
    # ------------------------------------------------------------------
    def test_sales_amount_quantity_profit_count(self):
        self._assert_values("sales_amount", {self.s1: 1700, self.s2: 3600, self.s3: 0})
        self._assert_values("sales_quantity", {self.s1: 17, self.s2: 36, self.s3: 0})
        self._assert_values("profit", {self.s1: 680, self.s2: 1440, self.s3: 0})
        self._assert_values("order_count", {self.s1: 3, self.s2: 2, self.s3: 0})

    def test_target_achievement_without_targets(self):
        """Salespeople without a target get 0 and a note that says why."""
        kpi = self._kpi("target_achievement").with_company(self.company)
        with patch.object(type(kpi), "_get_target_achievement", return_value={}):
            values = kpi._get_values(self.users, Q1_FROM, Q1_TO)[kpi.id]
        self.assertEqual(values[self.s1.id], (0.0, "No targets defined"))

    def test_target_achievement_source(self):
        """The targets come from sale.target when it is installed, else none."""
        kpi = self.env["sale.kpi"]
        if "sale.target" not in self.env:
            self.assertEqual(
                kpi._get_target_achievement(self.users, Q1_FROM, Q1_TO), {}
            )
            return
        figures = {self.s1.id: {"target": 10.0, "actual": 5.0}}
        with patch.object(
            type(self.env["sale.target"]), "_get_user_achievement", return_value=figures
        ) as mocked:
            result = kpi._get_target_achievement(self.users, Q1_FROM, Q1_TO)
        self.assertEqual(result, figures)
        mocked.assert_called_once()

    def test_target_achievement_rate(self):
        """The rate is actual / target; a zero target gives 0."""
        kpi = self.env["sale.kpi"]
        figures = {
            self.s1.id: {"target": 2000.0, "actual": 1700.0},
            self.s2.id: {"target": 0.0, "actual": 500.0},
        }
        with patch.object(type(kpi), "_get_target_achievement", return_value=figures):
            values = kpi._compute_kpi_target_achievement(self.users, Q1_FROM, Q1_TO)
        self.assertAlmostEqual(values[self.s1.id], 85.0)
        self.assertEqual(values[self.s2.id], 0.0)
        self.assertNotIn(self.s3.id, values)

    def test_customer_satisfaction(self):
        feedback = self.env["sale.customer.feedback"]
        for satisfaction, closed in (
            ("4", "2026-01-10 09:00:00"),
            ("5", "2026-03-30 09:00:00"),
            ("0", "2026-02-10 09:00:00"),  # not rated: left out
            ("2", "2026-04-02 09:00:00"),  # outside the quarter
        ):
            case = feedback.create(
                {
                    "subject": "Delivery",
                    "partner_id": self.cust_a.id,
                    "user_id": self.s1.id,
                    "company_id": self.company.id,
                }
            )
            self.env.flush_all()
            self.env.cr.execute(
                "UPDATE sale_customer_feedback SET satisfaction = %s, "
                "closed_date = %s WHERE id = %s",
                [satisfaction, closed, case.id],
            )
        self.env.invalidate_all()
        self._assert_values(
            "customer_satisfaction", {self.s1: 4.5, self.s2: 0, self.s3: 0}
        )

    def test_new_customers_and_churn(self):
        # s1: E is new (A and B bought before); s2: C is new.
        self._assert_values("new_customers", {self.s1: 1, self.s2: 1, self.s3: 0})
        # s1's Q4 customers A and D: D did not come back -> 50 %; s2 had no
        # customer in Q4 (zero denominator) -> 0.
        self._assert_values("churn_rate", {self.s1: 50, self.s2: 0, self.s3: 0})

    def test_opportunity_conversion(self):
        leads = self.env["crm.lead"].create(
            [
                {"name": name, "type": "opportunity", "user_id": self.s1.id}
                for name in ("Won", "Lost", "Open 1", "Open 2", "Old won")
            ]
        )
        leads[0].action_set_won()
        leads[1].action_set_lost()
        leads[4].action_set_won()
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE crm_lead SET create_date = %s WHERE id IN %s",
            ["2026-02-01 08:00:00", tuple(leads[:4].ids)],
        )
        self.env.cr.execute(
            "UPDATE crm_lead SET create_date = %s WHERE id = %s",
            ["2025-10-01 08:00:00", leads[4].id],
        )
        self.env.invalidate_all()
        self._assert_values(
            "opportunity_conversion", {self.s1: 25, self.s2: 0, self.s3: 0}
        )

    def test_on_time_delivery(self):
        self._assert_values("on_time_delivery", {self.s1: 50, self.s2: 50, self.s3: 0})

    def test_growth_rate(self):
        # s1: (1,700 - 400) / 400; s2 sold nothing a year ago (zero base) -> 0.
        self._assert_values("growth_rate", {self.s1: 325, self.s2: 0, self.s3: 0})

    def test_contract_compliance(self):
        # s2: two orders reach 1,500, one under a signed contract; s1 none.
        self._assert_values(
            "contract_compliance", {self.s1: 0, self.s2: 50, self.s3: 0}
        )

    def test_receivable_collection(self):
        moves = self.env["account.move"]
        invoices = moves.create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": self.cust_a.id,
                    "invoice_user_id": self.s1.id,
                    "invoice_date": due,
                    "invoice_date_due": due,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": "Goods",
                                "quantity": 1.0,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                    ],
                }
                for amount, due in (
                    (1000.0, date(2026, 2, 28)),
                    (500.0, date(2026, 3, 15)),
                    (800.0, date(2026, 4, 10)),
                )
            ]
        )
        invoices.action_post()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoices[0].ids
        ).create({"payment_date": date(2026, 3, 1)})._create_payments()
        self._assert_values(
            "receivable_collection",
            {self.s1: 1000 / 1500 * 100, self.s2: 0, self.s3: 0},
        )

    def test_manual_kpi_has_no_value(self):
        kpi = self._kpi("expense_control")
        self.assertEqual(kpi.source, "manual")
        self.assertFalse(kpi._get_values(self.users, Q1_FROM, Q1_TO))
        self.assertIn("enters the rate", kpi.definition)

    # ------------------------------------------------------------------
    # Scoring
    # ------------------------------------------------------------------
    def test_linear_scoring_boundaries(self):
        score = self.env["sale.kpi"]._score
        # Higher is better: floor 60, target 100, cap 120.
        self.assertEqual(score(60, 100, 60, 120, "higher", "linear"), 0.0)
        self.assertEqual(score(40, 100, 60, 120, "higher", "linear"), 0.0)
        self.assertEqual(score(80, 100, 60, 120, "higher", "linear"), 50.0)
        self.assertEqual(score(100, 100, 60, 120, "higher", "linear"), 100.0)
        self.assertEqual(score(105, 100, 60, 120, "higher", "linear"), 112.5)
        self.assertEqual(score(200, 100, 60, 120, "higher", "linear"), 120.0)
        # Lower is better: floor 30 % churn, target 10 %, cap 110.
        self.assertEqual(score(30, 10, 30, 110, "lower", "linear"), 0.0)
        self.assertEqual(score(20, 10, 30, 110, "lower", "linear"), 50.0)
        self.assertEqual(score(10, 10, 30, 110, "lower", "linear"), 100.0)
        self.assertEqual(score(0, 10, 30, 110, "lower", "linear"), 110.0)

    def test_step_and_manual_scoring(self):
        score = self.env["sale.kpi"]._score
        self.assertEqual(score(100, 100, 90, 100, "higher", "step"), 100.0)
        self.assertEqual(score(90, 100, 90, 100, "higher", "step"), 60.0)
        self.assertEqual(score(89.9, 100, 90, 100, "higher", "step"), 0.0)
        self.assertEqual(score(95, 100, 90, 100, "higher", "manual"), 0.0)

    # ------------------------------------------------------------------
    # Performance
    # ------------------------------------------------------------------
    def test_query_count_does_not_grow_with_salespeople(self):
        """All KPIs of 2 or 6 salespeople cost the same number of queries: one
        each, plus one to read the KPIs. The target achievement is left out:
        its cost is the one of the sales target module it reads from."""
        kpis = (
            self.env["sale.kpi"]
            .search([("source", "=", "computed"), ("code", "!=", "target_achievement")])
            .with_company(self.company)
        )
        team_6 = self.users | self.env["res.users"].create(
            [
                {"name": f"KPI extra {index}", "login": f"kpi_extra_{index}"}
                for index in range(3)
            ]
        )
        team_2 = self.s1 | self.s2
        kpis._get_values(team_6, Q1_FROM, Q1_TO)  # warm-up
        self.env.invalidate_all()
        with self.assertQueryCount(13):
            values_2 = kpis._get_values(team_2, Q1_FROM, Q1_TO)
        self.env.invalidate_all()
        with self.assertQueryCount(13):
            values_6 = kpis._get_values(team_6, Q1_FROM, Q1_TO)
        self.assertEqual(len(values_2), len(kpis))
        self.assertEqual(
            values_2[self._kpi("sales_amount").id][self.s1.id],
            values_6[self._kpi("sales_amount").id][self.s1.id],
        )
