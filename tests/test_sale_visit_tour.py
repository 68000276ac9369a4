# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo.tests import HttpCase, new_test_user, tagged

from .common import load_chinese


@tagged("post_install", "-at_install")
class TestVisitTour(HttpCase):
    """Browser tour: a salesperson logs a visit from the customer form
    (static/tests/tours/sale_visit_tour.js)."""

    def _monthly_customer(self, name, salesperson):
        """A customer of ``salesperson`` in the C tier, visited monthly."""
        company = self.env.company
        tier = self.env["sale.customer.tier"].search(
            [("company_id", "=", company.id), ("code", "=", "C")]
        )
        tier.visit_interval = "monthly"
        customer = self.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "customer_rank": 1,
                "user_id": salesperson.id,
            }
        )
        customer.with_company(company).customer_tier_id = tier
        return customer

    def test_salesperson_logs_visit_from_customer(self):
        salesperson = new_test_user(
            self.env,
            "spc_tour_visit_sales",
            groups="sales_team.group_sale_salesman",
        )
        company = self.env.company
        customer = self._monthly_customer("Tour Visit Customer", salesperson)
        self.start_tour(
            "/odoo/sales", "spc_visit_log_from_customer", login=salesperson.login
        )
        visit = self.env["sale.visit"].search([("partner_id", "=", customer.id)])
        self.assertEqual(len(visit), 1)
        self.assertEqual(visit.state, "done")
        self.assertEqual(visit.user_id, salesperson)
        self.assertEqual(visit.purpose, "Present the new range")
        self.assertEqual(visit.customer_needs, "Shorter lead times on standard parts.")
        today = self.env.cr.now().date()
        self.assertEqual(visit.visit_date, today)
        # The visit counts at once: this month's window is met.
        row = self.env["sale.visit.compliance.report"].search(
            [("partner_id", "=", customer.id), ("is_current", "=", True)]
        )
        self.assertEqual((row.visit_count, row.met_count), (1, 1))
        self.assertEqual(
            customer.with_company(company).last_visit_date, visit.visit_date
        )

    def test_overdue_customer_in_chinese(self):
        load_chinese(self.env)
        salesperson = new_test_user(
            self.env,
            "spc_tour_visit_zh",
            groups="sales_team.group_sale_salesman",
            lang="zh_CN",
        )
        company = self.env.company
        customer = self._monthly_customer("Tour Overdue Customer", salesperson)
        # A customer of long standing, never visited: last month was missed.
        customer.flush_recordset()
        self.env.cr.execute(
            "UPDATE res_partner SET create_date = now() - interval '400 days' "
            "WHERE id = %s",
            [customer.id],
        )
        customer.invalidate_recordset(["create_date"])
        status = customer.with_company(company)
        today = self.env.cr.now().date()
        self.assertTrue(status.is_visit_overdue)
        self.assertLess(status.visit_next_due_date, today)
        self.start_tour("/odoo/sales", "spc_visit_overdue_zh", login=salesperson.login)
        visit = self.env["sale.visit"].search([("partner_id", "=", customer.id)])
        self.assertEqual(visit.state, "done")
        self.assertEqual(visit.purpose, "回顾订单与交期")
        status.invalidate_recordset()
        self.assertFalse(status.is_visit_overdue)
        self.assertGreater(status.visit_next_due_date, today)
