# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
import base64
import math
import random
from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import SaleProcessControlCommon


class SupervisionCommon(SaleProcessControlCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_salesperson = cls._create_role_user(
            "spc_sup_sales2", "sales_team.group_sale_salesman"
        )
        cls.team = cls.env["crm.team"].create(
            {
                "name": "SPC East Team",
                "user_id": cls.head_user.id,
                "member_ids": [
                    Command.link(cls.sale_user.id),
                    Command.link(cls.other_salesperson.id),
                ],
            }
        )
        cls.other_team = cls.env["crm.team"].create({"name": "SPC West Team"})
        cls.tier_a = cls.env["sale.customer.tier"].search([], limit=1) or cls.env[
            "sale.customer.tier"
        ].create({"name": "SPC Tier"})
        cls.customer_a = cls.env["res.partner"].create(
            {"name": "SPC Sample A", "is_company": True}
        )
        cls.customer_b = cls.env["res.partner"].create(
            {"name": "SPC Sample B", "is_company": True}
        )
        cls.customer_a.customer_tier_id = cls.tier_a
        # Twelve confirmed orders in March 2026: amounts 100..1200, the odd ones
        # by the salesperson (East team), the even ones by the other one.
        cls.orders = cls.env["sale.order"]
        with freeze_time("2026-03-10 10:00:00"):
            for index in range(1, 13):
                cls.orders |= cls._confirmed_order(
                    cls.sale_user if index % 2 else cls.other_salesperson,
                    cls.customer_a if index <= 4 else cls.customer_b,
                    index * 100.0,
                    team=cls.team if index % 2 else cls.other_team,
                )
        with freeze_time("2026-05-10 10:00:00"):
            cls.late_order = cls._confirmed_order(cls.sale_user, cls.customer_a, 5000.0)

    @classmethod
    def _confirmed_order(cls, user, customer, amount, team=None):
        order = cls.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "user_id": user.id,
                "team_id": (team or cls.team).id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.service_product.id,
                            "product_uom_qty": 1.0,
                            "price_unit": amount,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        return order

    def _spot_check(self, **values):
        return (
            self.env["sale.spot.check"]
            .with_user(self.supervision_user)
            .create(
                dict(
                    {"date_from": date(2026, 3, 1), "date_to": date(2026, 3, 31)},
                    **values,
                )
            )
        )


@tagged("post_install", "-at_install")
class TestSpotCheckSample(SupervisionCommon):
    """R-37: the sample is reproducible from its seed and stays within the
    filters."""

    def test_sample_reproducible_from_seed(self):
        first = self._spot_check(sample_size=4, seed=20260310)
        first.action_draw_sample()
        second = self._spot_check(sample_size=4, seed=20260310)
        second.action_draw_sample()
        self.assertEqual(first.line_ids.order_id, second.line_ids.order_id)
        self.assertEqual(first.candidate_count, 12)
        # Hand-computed: the documented draw over the sorted candidate ids.
        expected = sorted(random.Random(20260310).sample(sorted(self.orders.ids), 4))
        self.assertEqual(first.line_ids.order_id.ids, expected)
        self.assertNotIn(self.late_order, first.line_ids.order_id)
        # Reset and drawn again, the sample is the same.
        first.action_reset_draft()
        self.assertFalse(first.line_ids)
        first.action_draw_sample()
        self.assertEqual(first.line_ids.order_id.ids, expected)
        # Another seed draws another sample (for these two seeds).
        other = self._spot_check(sample_size=4, seed=1)
        other.action_draw_sample()
        self.assertNotEqual(other.line_ids.order_id.ids, expected)

    def test_sample_within_filters(self):
        check = self._spot_check(
            sample_mode="percent",
            sample_percent=50.0,
            salesperson_ids=[Command.set(self.sale_user.ids)],
            min_amount=300.0,
            seed=99,
        )
        check.action_draw_sample()
        # Odd orders of at least 300: 300, 500, 700, 900, 1100 -> ceil(2.5) = 3.
        self.assertEqual(check.candidate_count, 5)
        self.assertEqual(len(check.line_ids), math.ceil(5 * 0.5))
        for order in check.line_ids.order_id:
            self.assertEqual(order.user_id, self.sale_user)
            self.assertGreaterEqual(order.amount_total, 300.0)
        by_team = self._spot_check(team_ids=[Command.set(self.other_team.ids)])
        by_team.action_draw_sample()
        self.assertEqual(by_team.candidate_count, 6)
        self.assertEqual(by_team.line_ids.order_id.team_id, self.other_team)
        by_tier = self._spot_check(tier_ids=[Command.set(self.tier_a.ids)])
        by_tier.action_draw_sample()
        self.assertEqual(by_tier.line_ids.order_id, self.orders[:4])
        empty = self._spot_check(min_amount=100000.0)
        with self.assertRaises(UserError) as refused:
            empty.action_draw_sample()
        self.assertIn("No confirmed order matches", str(refused.exception))

    def test_done_needs_every_line_checked(self):
        check = self._spot_check(sample_size=2, seed=5)
        check.action_draw_sample()
        with self.assertRaises(UserError) as refused:
            check.action_done()
        self.assertIn("Confirm the checklist", str(refused.exception))
        check.line_ids.action_confirm_check()
        check.action_done()
        self.assertEqual(check.state, "done")
        with self.assertRaises(UserError):
            check.line_ids[:1].action_confirm_check()

    def test_spot_checks_for_supervision_only(self):
        for user in (self.sale_user, self.head_user, self.finance_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.env["sale.spot.check"].with_user(user).create(
                    {"date_from": date(2026, 3, 1), "date_to": date(2026, 3, 31)}
                )
        check = self._spot_check(sample_size=1)
        with self.assertRaises(AccessError):
            check.with_user(self.sale_user).read(["name"])


@tagged("post_install", "-at_install")
class TestRectification(SupervisionCommon):
    """R-38: notices from findings, answered with evidence, verified and
    closed; overdue ones escalate to the manager once."""

    def _finding_line(self):
        check = self._spot_check(
            sample_size=1, salesperson_ids=[Command.set(self.sale_user.ids)], seed=3
        )
        check.action_draw_sample()
        line = check.line_ids
        line.write({"paid_on_time": False, "payment_note": "Invoice paid late"})
        return line

    def _notice(self, deadline=date(2026, 4, 10)):
        with freeze_time("2026-04-01 09:00:00"):
            action = self._finding_line().action_create_rectification()
            notice = self.env["sale.rectification"].browse(action["res_id"])
            notice.with_user(self.supervision_user).write({"deadline": deadline})
            notice.with_user(self.supervision_user).action_send()
        return notice

    def test_notice_from_spot_check_line(self):
        line = self._finding_line()
        action = line.action_create_rectification()
        notice = self.env["sale.rectification"].browse(action["res_id"])
        self.assertEqual(
            (notice.source, notice.state, notice.user_id, notice.manager_id),
            ("spot_check", "draft", self.sale_user, self.head_user),
        )
        self.assertEqual(notice.order_id, line.order_id)
        self.assertIn("Paid On Time: Invoice paid late", notice.finding)
        self.assertTrue(notice.name.startswith("ZG"))
        self.assertEqual(line.check_id.rectification_count, 1)
        # A line without finding or note gives no notice.
        line.write(
            {
                "info_complete": True,
                "review_compliant": True,
                "contract_compliant": True,
                "delivered_on_time": True,
                "paid_on_time": True,
            }
        )
        self.assertFalse(line.has_finding)
        with self.assertRaises(UserError):
            line.action_create_rectification()

    def test_answer_verify_close(self):
        notice = self._notice()
        self.assertEqual(notice.state, "open")
        self.assertEqual(notice.activity_ids.user_id, self.sale_user)
        mine = notice.with_user(self.sale_user)
        # The responsible person sees it in their own entry.
        self.assertIn(
            notice,
            self.env["sale.rectification"]
            .with_user(self.sale_user)
            .search([("user_id", "=", self.sale_user.id)]),
        )
        with self.assertRaises(AccessError):
            mine.write({"deadline": date(2026, 5, 1)})
        with self.assertRaises(UserError) as refused:
            mine.action_answer()
        self.assertIn("Write what was corrected", str(refused.exception))
        with self.assertRaises(AccessError):
            notice.with_user(self.other_salesperson).read(["name"])
        with self.assertRaises(AccessError):
            notice.with_user(self.other_salesperson).action_answer()
        evidence = self.env["ir.attachment"].create(
            {
                "name": "receipt.pdf",
                "datas": base64.b64encode(b"%PDF-1.4 receipt"),
                "res_model": "sale.rectification",
                "res_id": notice.id,
            }
        )
        mine.write(
            {
                "answer": "Payment reminder sent; customer paid.",
                "evidence_ids": [Command.link(evidence.id)],
            }
        )
        mine.action_answer()
        self.assertEqual(notice.state, "answered")
        with self.assertRaises(AccessError):
            mine.action_close()
        supervised = notice.with_user(self.supervision_user)
        supervised.action_send_back()
        self.assertEqual(notice.state, "open")
        mine.write({"answer": "Payment received on the bank statement, attached."})
        mine.action_answer()
        supervised.action_close()
        self.assertEqual(
            (notice.state, notice.verified_by_id), ("closed", self.supervision_user)
        )
        with self.assertRaises(UserError):
            mine.write({"answer": "Changed afterwards"})
        report = self.env["ir.actions.report"]._render_qweb_html(
            "sale_process_control.report_sale_rectification", notice.ids
        )[0]
        self.assertIn(notice.name, report.decode())

    def test_overdue_escalates_once(self):
        notice = self._notice(deadline=date(2026, 4, 10))
        Notice = self.env["sale.rectification"]
        with freeze_time("2026-04-10 09:00:00"):
            Notice._cron_escalate_overdue()
            self.assertFalse(notice.escalated_date, "not overdue on its deadline")
            self.assertFalse(notice.is_overdue)
        with freeze_time("2026-04-11 09:00:00"):
            notice.invalidate_recordset(["is_overdue"])
            self.assertTrue(notice.is_overdue)
            self.assertIn(notice, Notice.search([("is_overdue", "=", True)]))
            Notice._cron_escalate_overdue()
            self.assertEqual(notice.escalated_date, datetime(2026, 4, 11, 9, 0))
        manager_activities = notice.activity_ids.filtered(
            lambda a: a.user_id == self.head_user
        )
        self.assertEqual(len(manager_activities), 1)
        self.assertIn("Overdue", manager_activities.summary)
        messages = notice.message_ids.filtered(lambda m: "escalated" in (m.body or ""))
        self.assertEqual(len(messages), 1)
        # The manager sees the notice; later runs do not escalate again.
        notice.with_user(self.head_user).read(["name"])
        with freeze_time("2026-04-12 09:00:00"):
            Notice._cron_escalate_overdue()
        self.assertEqual(
            len(notice.activity_ids.filtered(lambda a: a.user_id == self.head_user)), 1
        )

    def test_answered_notice_does_not_escalate(self):
        notice = self._notice(deadline=date(2026, 4, 10))
        notice.with_user(self.sale_user).write({"answer": "Done"})
        notice.with_user(self.sale_user).action_answer()
        with freeze_time("2026-04-20 09:00:00"):
            self.env["sale.rectification"]._cron_escalate_overdue()
        self.assertFalse(notice.escalated_date)


@tagged("post_install", "-at_install")
class TestSupervisionAccess(SupervisionCommon):
    """Who sees and changes risk events and rectification notices."""

    def test_risk_events_per_role(self):
        Event = self.env["sale.risk.event"]
        own = Event.create({"name": "Own risk", "user_id": self.sale_user.id})
        other = Event.create({"name": "Other risk", "user_id": self.head_user.id})
        for user in (self.sale_user, self.finance_user, self.head_user):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    Event.with_user(user).create({"name": "New risk"})
        visible = Event.with_user(self.sale_user).search(
            [("id", "in", (own + other).ids)]
        )
        self.assertEqual(visible, own)
        own.with_user(self.sale_user).write({"measures": "Call the customer"})
        with self.assertRaises(AccessError):
            other.with_user(self.sale_user).write({"measures": "Nothing"})
        everything = Event.with_user(self.supervision_user).search(
            [("id", "in", (own + other).ids)]
        )
        self.assertEqual(everything, own + other)
        Event.with_user(self.supervision_user).create({"name": "Supervision risk"})
        # Nobody fakes or hides an automatic event by hand.
        for user in (self.sale_user, self.supervision_user):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                Event.with_user(user).browse(own.id).write(
                    {"auto_key": "credit_hold:1", "is_automatic": True}
                )

    def test_multi_company(self):
        company_b = self.env["res.company"].create({"name": "SPC Supervision B"})
        event_b = self.env["sale.risk.event"].create(
            {"name": "Risk of B", "company_id": company_b.id}
        )
        notice_b = self.env["sale.rectification"].create(
            {
                "company_id": company_b.id,
                "user_id": self.env.user.id,
                "finding": "Finding of B",
                "required_action": "Act",
            }
        )
        with self.assertRaises(AccessError):
            event_b.with_user(self.supervision_user).read(["name"])
        with self.assertRaises(AccessError):
            notice_b.with_user(self.supervision_user).read(["name"])
        supervisor_b = new_test_user(
            self.env,
            "spc_sup_b",
            groups="sale_process_control.group_sale_supervision",
            company_id=company_b.id,
        )
        self.assertEqual(
            self.env["sale.risk.event"].with_user(supervisor_b).search([]), event_b
        )
