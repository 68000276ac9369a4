# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo.tests import HttpCase, new_test_user, tagged

from .common import load_chinese


@tagged("post_install", "-at_install")
class TestTierReviewTour(HttpCase):
    """Browser tour: a department head confirms this quarter's tier review."""

    def _confirm_in_tour(self, tour, login, lang="en_US"):
        """A department head runs ``tour`` on this quarter's review, which
        proposes a tier for one new customer; returns the review and it."""
        new_test_user(
            self.env,
            login,
            groups="sale_process_control.group_sale_department_head",
            lang=lang,
        )
        self.env["sale.tier.review"].search([]).unlink()
        customer = self.env["res.partner"].create(
            {"name": "Tour Tier Customer", "is_company": True, "customer_rank": 1}
        )
        self.start_tour("/odoo/sales", tour, login=login)
        review = self.env["sale.tier.review"].search(
            [("company_id", "=", self.env.company.id)]
        )
        return review, customer

    def test_head_confirms_tier_review(self):
        review, customer = self._confirm_in_tour(
            "spc_tier_review_confirm", "spc_tour_tier_head"
        )
        self.assertEqual(review.state, "done")
        self.assertTrue(customer.with_company(self.env.company).customer_tier_id)
        self.assertEqual(len(customer.tier_history_ids), 1)

    def test_head_confirms_tier_review_in_chinese(self):
        load_chinese(self.env, overwrite=True)
        self.env.company.partner_id.lang = "zh_CN"
        review, customer = self._confirm_in_tour(
            "spc_tier_review_confirm_zh", "spc_tour_tier_head_zh", lang="zh_CN"
        )
        self.assertEqual(review.state, "done")
        self.assertIn("季度客户分类审核", review.name)
        self.assertEqual(
            customer.with_company(self.env.company).customer_tier_id.code, "C"
        )
