# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import SaleProcessControlCommon


@tagged("post_install", "-at_install")
class TestCustomerFeedback(SaleProcessControlCommon):
    """R-05: feedback, complaints and after-sales requests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = cls.sale_user
        cls.other_salesperson = new_test_user(
            cls.env, "spc_fb_sales2", groups="sales_team.group_sale_salesman"
        )
        # The department head leads the salesperson's team, not the other's.
        cls.env["crm.team"].create(
            {
                "name": "Feedback Team",
                "user_id": cls.head_user.id,
                "member_ids": [Command.set(cls.salesperson.ids)],
            }
        )
        cls.other_service_user = cls._create_role_user(
            "spc_fb_service2", "sale_process_control.group_sale_customer_service"
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Feedback Co",
                "is_company": True,
                "customer_rank": 1,
                "user_id": cls.salesperson.id,
            }
        )
        cls.buyer = cls.env["res.partner"].create(
            {"name": "Feedback Buyer", "parent_id": cls.customer.id}
        )
        cls.other_customer = cls.env["res.partner"].create(
            {
                "name": "Other Feedback Co",
                "is_company": True,
                "customer_rank": 1,
                "user_id": cls.other_salesperson.id,
            }
        )

    def _feedback(self, partner=None, user=None, **vals):
        return (
            self.env["sale.customer.feedback"]
            .with_user(user or self.salesperson)
            .create(
                {
                    "partner_id": (partner or self.buyer).id,
                    "subject": "Scratched housings",
                    "feedback_type": "complaint",
                    **vals,
                }
            )
        )

    def _activities(self, feedback):
        return feedback.sudo().activity_ids

    def test_complaint_flow(self):
        with freeze_time("2024-03-04 10:00:00"):
            feedback = self._feedback(
                severity="high",
                sale_order_id=self.sale_order.id,
                product_id=self.product.id,
            )
        self.assertTrue(feedback.name.startswith("FB/2024/"))
        self.assertEqual(feedback.state, "new")
        self.assertEqual(feedback.commercial_partner_id, self.customer)
        self.assertEqual(feedback.user_id, self.salesperson, "The customer's")
        self.assertEqual(feedback.date_deadline, date(2024, 3, 6), "High: 2 days")
        with self.assertRaisesRegex(UserError, "customer service owner"):
            feedback.action_submit()
        feedback.service_user_id = self.service_user
        feedback.action_submit()
        self.assertEqual(feedback.state, "in_progress")
        activity = self._activities(feedback)
        self.assertEqual(activity.user_id, self.service_user)
        self.assertEqual(activity.date_deadline, date(2024, 3, 6))
        # Only the owner (or a head) resolves, and only with a response.
        with self.assertRaises(AccessError):
            feedback.action_resolve()
        as_service = feedback.with_user(self.service_user)
        with self.assertRaisesRegex(UserError, "response"):
            as_service.action_resolve()
        as_service.write(
            {
                "root_cause": "Packing without foam",
                "resolution": "Replacement shipped; packing changed from next lot.",
            }
        )
        as_service.action_resolve()
        self.assertEqual(feedback.state, "resolved")
        self.assertEqual(feedback.resolved_by_id, self.service_user)
        response = self._activities(feedback)
        self.assertEqual(response.user_id, self.salesperson, "Back to the salesperson")
        self.assertIn("Replacement shipped", str(response.note))
        # The salesperson tells the customer and closes with its satisfaction.
        feedback.write({"satisfaction": "4"})
        feedback.action_close()
        self.assertEqual(feedback.state, "closed")
        self.assertFalse(self._activities(feedback))
        self.assertTrue(feedback.closed_date)
        # It came back: customer service works on it again.
        feedback.action_reopen()
        self.assertEqual(feedback.state, "in_progress")
        self.assertEqual(self._activities(feedback).user_id, self.service_user)

    def test_status_guards(self):
        feedback = self._feedback()
        with self.assertRaises(UserError):
            feedback.write({"state": "closed"})
        with self.assertRaises(UserError):
            self._feedback(state="resolved")
        with self.assertRaises(UserError):
            feedback.action_close()
        feedback.action_cancel()
        self.assertEqual(feedback.state, "cancelled")
        feedback.action_reset_to_new()
        feedback.service_user_id = self.service_user
        feedback.action_submit()
        with self.assertRaises(UserError):
            feedback.sudo().unlink()
        feedback.action_cancel()
        self.assertFalse(self._activities(feedback))

    def test_complaint_counts(self):
        product_b = self.env["product.product"].create({"name": "Gear B"})
        self._feedback(product_id=self.product.id)
        self._feedback(product_id=self.product.id, partner=self.customer)
        self._feedback(product_id=product_b.id, feedback_type="feedback")
        cancelled = self._feedback(product_id=product_b.id)
        cancelled.action_cancel()
        self._feedback(
            partner=self.other_customer,
            product_id=product_b.id,
            user=self.other_salesperson,
        )
        Feedback = self.env["sale.customer.feedback"]
        by_customer = Feedback._get_feedback_counts("commercial_partner_id")
        self.assertEqual(by_customer[self.customer], 2)
        self.assertEqual(by_customer[self.other_customer], 1)
        by_product = Feedback._get_feedback_counts("product_id")
        self.assertEqual(by_product[self.product], 2)
        self.assertEqual(by_product[product_b], 1)
        by_user = Feedback._get_feedback_counts("user_id")
        self.assertEqual(by_user[self.salesperson], 2)
        self.assertEqual(by_user[self.other_salesperson], 1)
        all_types = Feedback._get_feedback_counts(
            "commercial_partner_id", feedback_type=False
        )
        self.assertEqual(all_types[self.customer], 3)
        self.assertEqual(self.customer.customer_feedback_count, 4)
        self.assertEqual(self.buyer.customer_feedback_count, 4)

    def test_access_per_role(self):
        mine = self._feedback(service_user_id=self.service_user.id)
        mine.action_submit()
        theirs = self._feedback(
            partner=self.other_customer,
            user=self.other_salesperson,
            service_user_id=self.other_service_user.id,
        )
        both = mine | theirs
        Feedback = self.env["sale.customer.feedback"]

        def visible(user):
            return Feedback.with_user(user).search([("id", "in", both.ids)])

        self.assertEqual(visible(self.salesperson), mine)
        self.assertEqual(visible(self.other_salesperson), theirs)
        with self.assertRaises(AccessError):
            theirs.with_user(self.salesperson).read(["subject"])
        with self.assertRaises(AccessError):
            self._feedback(partner=self.other_customer)
        # Customer service: only what is assigned to it.
        self.assertEqual(visible(self.service_user), mine)
        self.assertEqual(visible(self.other_service_user), theirs)
        mine.with_user(self.service_user).write({"resolution": "Done"})
        # Heads see and edit their team's; directors all; supervision reads
        # all, edits none of others'.
        self.assertEqual(visible(self.head_user), mine)
        with self.assertRaises(AccessError):
            theirs.with_user(self.head_user).write({"severity": "critical"})
        self.assertEqual(visible(self.director_user), both)
        theirs.with_user(self.director_user).write({"severity": "critical"})
        self.assertEqual(visible(self.supervision_user), both)
        with self.assertRaises(AccessError):
            theirs.with_user(self.supervision_user).write({"severity": "low"})
        # A head resolves in place of the owner.
        mine.with_user(self.head_user).action_resolve()
        self.assertEqual(mine.state, "resolved")
