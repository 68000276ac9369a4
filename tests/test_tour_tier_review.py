# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestTierReviewTour(HttpCase):
    """Browser tour: a department head confirms this quarter's tier review."""

    def test_head_confirms_tier_review(self):
        new_test_user(
            self.env,
            "spc_tour_tier_head",
            groups="sale_process_control.group_sale_department_head",
        )
        self.env["sale.tier.review"].search([]).unlink()
        customer = self.env["res.partner"].create(
            {"name": "Tour Tier Customer", "is_company": True, "customer_rank": 1}
        )
        self.start_tour(
            "/odoo/sales", "spc_tier_review_confirm", login="spc_tour_tier_head"
        )
        review = self.env["sale.tier.review"].search(
            [("company_id", "=", self.env.company.id)]
        )
        self.assertEqual(review.state, "done")
        self.assertTrue(customer.with_company(self.env.company).customer_tier_id)
        self.assertEqual(len(customer.tier_history_ids), 1)

    def test_head_confirms_tier_review_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["sale_process_control"], ["zh_CN"], overwrite=True
        )
        self.env.company.partner_id.lang = "zh_CN"
        new_test_user(
            self.env,
            "spc_tour_tier_head_zh",
            groups="sale_process_control.group_sale_department_head",
            lang="zh_CN",
        )
        self.env["sale.tier.review"].search([]).unlink()
        customer = self.env["res.partner"].create(
            {"name": "Tour Tier Customer", "is_company": True, "customer_rank": 1}
        )
        self.start_tour(
            "/odoo/sales", "spc_tier_review_confirm_zh", login="spc_tour_tier_head_zh"
        )
        review = self.env["sale.tier.review"].search(
            [("company_id", "=", self.env.company.id)]
        )
        self.assertEqual(review.state, "done")
        self.assertIn("季度客户分类审核", review.name)
        self.assertEqual(
            customer.with_company(self.env.company).customer_tier_id.code, "C"
        )
