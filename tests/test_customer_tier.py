# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from odoo.addons.sale.tests.common import SaleCommon

from .common import load_chinese


@tagged("post_install", "-at_install")
class TestCustomerTier(SaleCommon):
    """R-01/R-02: tiers from figures, quarterly reviews, overrides, history."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.head = new_test_user(
            cls.env,
            "spc_tier_head",
            groups="sale_process_control.group_sale_department_head",
        )
        cls.salesperson = new_test_user(
            cls.env, "spc_tier_sales", groups="sales_team.group_sale_salesman"
        )
        Tier = cls.env["sale.customer.tier"]
        Tier.search([("company_id", "=", cls.company.id)]).unlink()
        cls.tier_a, cls.tier_b, cls.tier_c = Tier.create(
            [
                {
                    "code": "A",
                    "name": "A",
                    "min_revenue": 1000.0,
                    "min_order_count": 3,
                    "min_potential": 4,
                    "visit_interval": "weekly",
                    "is_key_account": True,
                },
                {
                    "code": "B",
                    "name": "B",
                    "min_revenue": 500.0,
                    "min_order_count": 2,
                    "min_potential": 2,
                    "visit_interval": "biweekly",
                },
                {"code": "C", "name": "C", "visit_interval": "monthly"},
            ]
        )
        cls.product.list_price = 100.0
        # Reviews made by the scheduled job of this database are not ours.
        cls.env["sale.tier.review"].search([]).unlink()

    def _customer(self, name, potential=3):
        return self.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "customer_rank": 1,
                "potential_score": potential,
                "user_id": self.salesperson.id,
            }
        )

    def _sell(self, partner, amount, when):
        with freeze_time(when):
            order = self.env["sale.order"].create(
                {
                    "partner_id": partner.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "product_uom_qty": amount / 100.0,
                                "tax_id": False,
                            }
                        )
                    ],
                }
            )
            order.action_confirm()
        return order

    def _review(self, day):
        with freeze_time(day):
            self.env["sale.tier.review"]._cron_create_quarterly_reviews()
        return self.env["sale.tier.review"].search(
            [("company_id", "=", self.company.id)], order="date_start desc", limit=1
        )

    # ------------------------------------------------------------------
    def test_pick_tier_boundaries_and_ties(self):
        tiers = self.tier_a | self.tier_b | self.tier_c
        pick = self.env["sale.customer.tier"]._pick_tier
        self.assertEqual(
            pick(tiers, 1000.0, 3, 4), self.tier_a, "thresholds are inclusive"
        )
        self.assertEqual(pick(tiers, 999.99, 3, 4), self.tier_b)
        self.assertEqual(
            pick(tiers, 5000.0, 10, 3), self.tier_b, "all three are needed"
        )
        self.assertEqual(pick(tiers, 500.0, 2, 2), self.tier_b)
        self.assertEqual(pick(tiers, 500.0, 1, 5), self.tier_c)
        self.assertEqual(pick(tiers, 0.0, 0, 1), self.tier_c, "nobody falls below C")

    def test_quarterly_review_window_and_proposals(self):
        big = self._customer("Big Co", potential=5)
        mid = self._customer("Mid Co")
        quiet = self._customer("Quiet Co")
        # Window of the Q4 2026 review: [2025-10-01, 2026-10-01).
        self._sell(big, 400.0, "2025-10-01 00:00:01")
        self._sell(big, 300.0, "2026-03-01")
        self._sell(big, 300.0, "2026-09-30 23:00:00")
        self._sell(big, 5000.0, "2026-10-01 00:00:01")  # next quarter's window
        self._sell(mid, 300.0, "2025-09-30 23:00:00")  # before the window
        self._sell(mid, 250.0, "2026-01-05")
        self._sell(mid, 250.0, "2026-02-05")

        review = self._review("2026-12-31 10:00:00")
        self.assertEqual(str(review.date_start), "2026-10-01")
        lines = {line.partner_id: line for line in review.line_ids}
        self.assertEqual(lines[big].revenue, 1000.0)
        self.assertEqual(lines[big].order_count, 3)
        self.assertEqual(lines[big].proposed_tier_id, self.tier_a)
        self.assertEqual(lines[mid].revenue, 500.0)
        self.assertEqual(lines[mid].proposed_tier_id, self.tier_b)
        self.assertEqual(lines[quiet].proposed_tier_id, self.tier_c)
        self.assertEqual(
            lines[quiet].state, "pending", "a customer without tier gets one"
        )

    def test_year_end_opens_the_next_years_review(self):
        review = self._review("2027-01-01 00:30:00")
        self.assertEqual(str(review.date_start), "2027-01-01")
        self.assertEqual(str(review.date_end), "2027-03-31")

    def test_rerun_duplicates_nothing_and_keeps_overrides(self):
        customer = self._customer("Rerun Co")
        review = self._review("2026-11-15")
        line = review.line_ids.filtered(lambda line: line.partner_id == customer)
        line.with_user(self.head).write(
            {"final_tier_id": self.tier_b.id, "reason": "Strategic account."}
        )
        again = self._review("2026-11-20")
        self.assertEqual(again, review)
        review.with_user(self.head).action_evaluate()
        line = review.line_ids.filtered(lambda line: line.partner_id == customer)
        self.assertEqual(len(line), 1)
        self.assertEqual(line.final_tier_id, self.tier_b, "the override survives")
        self.assertEqual(
            self.env["sale.tier.review"].search_count(
                [
                    ("company_id", "=", self.company.id),
                    ("date_start", "=", "2026-10-01"),
                ]
            ),
            1,
        )

    def test_override_needs_reason_and_history_written_once(self):
        customer = self._customer("Override Co")
        review = self._review("2026-11-15")
        line = review.line_ids.filtered(lambda line: line.partner_id == customer)
        self.assertEqual(line.proposed_tier_id, self.tier_c)
        line.with_user(self.head).final_tier_id = self.tier_a
        with self.assertRaisesRegex(UserError, "reason for each override"):
            line.with_user(self.head).action_confirm()
        line.with_user(self.head).reason = "Signed a framework agreement."
        line.with_user(self.head).action_confirm()
        line.with_user(self.head).action_confirm()
        review.with_user(self.head).action_confirm_all()
        history = customer.tier_history_ids
        self.assertEqual(len(history), 1)
        self.assertEqual(history.new_tier_id, self.tier_a)
        self.assertEqual(history.reason, "Signed a framework agreement.")
        self.assertEqual(customer.customer_tier_id, self.tier_a)
        self.assertTrue(customer.is_key_account)
        self.assertTrue(
            customer.activity_ids.filtered(lambda a: a.user_id == self.salesperson),
            "the salesperson is told",
        )
        self.assertIn("changed from", customer.message_ids[0].body)
        # The customer's visit windows follow the new tier's weekly cadence.
        windows = self.env["sale.visit.window"].search(
            [("partner_id", "=", customer.id)]
        )
        self.assertTrue(windows)
        self.assertEqual(set(windows.mapped("tier_id")), {self.tier_a})
        self.assertEqual(set(windows.mapped("visit_interval")), {"weekly"})

    def test_only_heads_confirm_and_history_is_read_only(self):
        customer = self._customer("Rights Co")
        review = self._review("2026-11-15")
        line = review.line_ids.filtered(lambda line: line.partner_id == customer)
        with self.assertRaises(UserError):
            line.with_user(self.salesperson).action_confirm()
        with self.assertRaises(AccessError):
            self.env["sale.customer.tier.history"].with_user(self.head).create(
                {
                    "partner_id": customer.id,
                    "company_id": self.company.id,
                    "user_id": self.head.id,
                    "new_tier_id": self.tier_a.id,
                }
            )

    def test_contacts_show_their_company_tier(self):
        customer = self._customer("Parent Co")
        contact = self.env["res.partner"].create(
            {"name": "Buyer", "parent_id": customer.id}
        )
        review = self._review("2026-11-15")
        review.with_user(self.head).action_confirm_all()
        self.assertEqual(contact.partner_tier_id, self.tier_c)
        self.assertEqual(review.state, "done")

    def test_potential_score_is_one_to_five(self):
        with self.assertRaises(ValidationError):
            self._customer("Bad Potential", potential=6)

    def test_evaluation_queries_do_not_grow_with_customers(self):
        def count_queries(number, quarter_start):
            self.env["res.partner"].create(
                [
                    {"name": f"Q{number}-{i}", "is_company": True, "customer_rank": 1}
                    for i in range(number)
                ]
            )
            review = self.env["sale.tier.review"].create(
                {"company_id": self.company.id, "date_start": quarter_start}
            )
            self.env.invalidate_all()
            # The users are in the cache or not depending on what ran before;
            # load them first so that only the evaluation's own queries count.
            self.env["res.users"].with_context(active_test=False).search([]).mapped(
                "login"
            )
            before = self.cr.sql_log_count
            review.with_user(self.head).action_evaluate()
            return self.cr.sql_log_count - before

        count_queries(3, "2024-01-01")
        # Each size twice, keeping the lower count: a cache filled once by
        # whichever evaluation comes first is not a cost per customer. Every
        # evaluation covers all customers so far; they stay well under the
        # batches that do grow with them (the ORM reads 1,000 records at a
        # time, the review inserts 10,000 lines per statement).
        self.assertLess(
            self.env["res.partner"].search_count([("customer_rank", ">", 0)]) + 68,
            100,
        )
        small = min(count_queries(4, "2024-04-01"), count_queries(4, "2024-07-01"))
        large = min(count_queries(30, "2024-10-01"), count_queries(30, "2025-01-01"))
        self.assertEqual(
            small, large, f"{small} queries for 4 customers, {large} for 30"
        )

    def test_default_tiers_named_in_installed_languages(self):
        """A new company's tiers carry the policy's names in every language."""
        self.env["res.lang"]._activate_lang("zh_CN")
        company = self.env["res.company"].create({"name": "Tier Language Co"})
        tier_a = self.env["sale.customer.tier"].search(
            [("company_id", "=", company.id), ("code", "=", "A")]
        )
        self.assertEqual(tier_a.with_context(lang="en_US").name, "A: key customer")
        self.assertEqual(tier_a.with_context(lang="zh_CN").name, "A类：重点客户")
        grade_d = self.env["sale.credit.grade"].search(
            [("company_id", "=", company.id), ("code", "=", "D")]
        )
        self.assertEqual(
            grade_d.with_context(lang="en_US").name, "D: bad credit, no new orders"
        )
        self.assertNotEqual(
            grade_d.with_context(lang="zh_CN").name, "D: bad credit, no new orders"
        )

    def test_default_tiers_named_in_a_language_installed_later(self):
        company = self.env["res.company"].create({"name": "Tier Language Co"})
        tiers = self.env["sale.customer.tier"].search([("company_id", "=", company.id)])
        by_code = {tier.code: tier for tier in tiers}
        by_code["B"].name = "B: our partners"
        load_chinese(self.env)
        chinese = {t.code: t.name for t in tiers.with_context(lang="zh_CN")}
        self.assertEqual(chinese["C"], "C类：零星客户")
        self.assertEqual(chinese["A"], "A类：重点客户")
        # Renamed by the company: its own name stays.
        self.assertEqual(chinese["B"], "B: our partners")
        self.assertEqual(
            by_code["C"].with_context(lang="en_US").name, "C: occasional customer"
        )
