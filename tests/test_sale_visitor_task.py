# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from datetime import timedelta

from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import SaleProcessControlCommon


@tagged("post_install", "-at_install")
class TestSaleVisitor(SaleProcessControlCommon):
    """R-40: a registered visitor becomes a CRM lead with its intent level and
    a follow-up activity for the salesperson; a won deal records its deposit
    and subscription agreement."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_salesperson = new_test_user(
            cls.env,
            "spc_visitor_other",
            groups="sales_team.group_sale_salesman",
            company_id=cls.env.company.id,
        )
        cls.today = fields.Date.context_today(cls.env.user)

    def _visitor(self, user=None, **vals):
        return (
            self.env["sale.visitor"]
            .with_user(user or self.sale_user)
            .create(
                {
                    "name": "Zhou Min",
                    "partner_name": "SPC Visiting Works",
                    "phone": "+86 21 5555 0101",
                    "email": "zhou.min@visiting.example.com",
                    "purpose": "Looking for two lathes for a new line",
                    "product_ids": [Command.set(self.product.ids)],
                    "intent_level": "high",
                    "followup_date": self.today + timedelta(days=3),
                    **vals,
                }
            )
        )

    def test_register_creates_opportunity_and_followup(self):
        visitor = self._visitor()
        self.assertEqual(visitor.state, "draft")
        action = visitor.action_register()
        lead = visitor.lead_id
        self.assertEqual(visitor.state, "registered")
        self.assertEqual(action["res_id"], lead.id)
        # Without the Leads setting, the visitor is an opportunity straight away.
        self.assertEqual(lead.type, "opportunity")
        self.assertEqual(lead.intent_level, "high")
        self.assertEqual(lead.priority, "2")
        self.assertEqual(lead.user_id, self.sale_user)
        self.assertEqual(lead.contact_name, "Zhou Min")
        self.assertEqual(lead.partner_name, "SPC Visiting Works")
        self.assertEqual(lead.email_from, "zhou.min@visiting.example.com")
        self.assertIn(self.product.display_name, str(lead.description))
        activity = lead.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.sale_user)
        self.assertEqual(activity.date_deadline, self.today + timedelta(days=3))
        self.assertEqual(
            activity.activity_type_id, self.env.ref("mail.mail_activity_data_call")
        )
        with self.assertRaises(UserError):
            visitor.action_register()
        # The salesperson finds the lead among their own.
        self.assertEqual(
            self.env["crm.lead"]
            .with_user(self.sale_user)
            .search([("intent_level", "=", "high"), ("id", "=", lead.id)]),
            lead,
        )

    def test_reception_hands_over_to_salesperson(self):
        # Reception (customer service) registers a low-intent walk-in for a
        # salesperson: the lead and the follow-up are the salesperson's.
        visitor = self._visitor(
            user=self.service_user,
            received_by_id=self.service_user.id,
            user_id=self.sale_user.id,
            intent_level="low",
        )
        self.assertTrue(visitor.action_register())
        lead = visitor.lead_id.with_user(self.sale_user)
        self.assertEqual(lead.user_id, self.sale_user)
        self.assertEqual(lead.intent_level, "low")
        self.assertEqual(lead.priority, "0")
        self.assertEqual(lead.activity_ids.user_id, self.sale_user)
        self.assertEqual(lead.create_uid, self.service_user)

    def test_lead_type_follows_crm_setting(self):
        self.sale_user.groups_id = [Command.link(self.env.ref("crm.group_use_lead").id)]
        visitor = self._visitor(intent_level="medium")
        visitor.action_register()
        self.assertEqual(visitor.lead_id.type, "lead")
        self.assertEqual(visitor.lead_id.priority, "1")

    def test_visitor_constraints(self):
        with self.assertRaises(ValidationError):
            self._visitor(phone=False, email=False)
        with self.assertRaises(ValidationError):
            self._visitor(followup_date=self.today - timedelta(days=1))
        visitor = self._visitor()
        with self.assertRaises(UserError):
            visitor.write({"state": "registered"})
        lead = self.env["crm.lead"].create({"name": "SPC other lead"})
        with self.assertRaises(UserError):
            visitor.with_user(self.sale_user).write({"lead_id": lead.id})

    def test_visitor_access(self):
        visitor = self._visitor()
        Visitor = self.env["sale.visitor"]
        self.assertFalse(
            Visitor.with_user(self.other_salesperson).search([("id", "=", visitor.id)])
        )
        self.assertEqual(
            Visitor.with_user(self.head_user).search([("id", "=", visitor.id)]),
            visitor,
        )
        self.assertEqual(
            Visitor.with_user(self.supervision_user).search([("id", "=", visitor.id)]),
            visitor,
        )
        with self.assertRaises(AccessError):
            visitor.with_user(self.supervision_user).write({"note": "Checked"})
        with self.assertRaises(AccessError):
            visitor.with_user(self.other_salesperson).action_register()

    def test_deposit_opens_down_payment_wizard(self):
        order = self.sale_order.with_user(self.sale_user)
        self.sale_order.user_id = self.sale_user
        with self.assertRaises(UserError):
            order.action_record_deposit()
        order.action_confirm()
        action = order.action_record_deposit()
        self.assertEqual(action["res_model"], "sale.advance.payment.inv")
        self.assertEqual(action["target"], "new")
        self.assertEqual(action["context"]["active_ids"], order.ids)
        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_user(self.sale_user)
            .with_context(**action["context"])
            .create({"amount": 30.0})
        )
        self.assertEqual(wizard.sale_order_ids, order)
        self.assertEqual(wizard.advance_payment_method, "percentage")
        wizard.create_invoices()
        self.assertAlmostEqual(order.deposit_amount, order.amount_untaxed * 0.3)
        self.assertTrue(order.invoice_ids)

    def test_subscription_agreement(self):
        order = self.sale_order
        with self.assertRaises(ValidationError):
            order.write({"agreement_signed": True})
        order.write(
            {
                "agreement_signed": True,
                "agreement_date": self.today,
                "agreement_filename": "agreement.pdf",
                "agreement_document": "JVBERi0xLjQK",
            }
        )
        self.assertTrue(order.agreement_document)
        self.assertFalse(order.copy().agreement_signed)


@tagged("post_install", "-at_install")
class TestSaleTask(SaleProcessControlCommon):
    """R-41: sales tasks; salespeople see their own, department heads their
    teams', directors all, supervision reads all."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.outsider = new_test_user(
            cls.env,
            "spc_task_outsider",
            groups="sales_team.group_sale_salesman",
            company_id=cls.env.company.id,
        )
        cls.env["crm.team"].create(
            {
                "name": "SPC Task Team",
                "user_id": cls.head_user.id,
                "member_ids": [Command.set(cls.sale_user.ids)],
            }
        )
        cls.today = fields.Date.context_today(cls.env.user)
        Task = cls.env["sale.task"]
        cls.own_task = Task.create(cls._task_vals(cls.sale_user, "Call the fair leads"))
        cls.head_task = Task.create(cls._task_vals(cls.head_user, "Prepare Q2 plan"))
        cls.outsider_task = Task.create(
            cls._task_vals(cls.outsider, "Visit the north customers")
        )

    @classmethod
    def _task_vals(cls, user, name, **vals):
        return {
            "name": name,
            "user_id": user.id,
            "date_start": cls.today,
            "date_end": cls.today + timedelta(days=5),
            **vals,
        }

    def _visible(self, user):
        return (
            self.env["sale.task"]
            .with_user(user)
            .search(
                [
                    (
                        "id",
                        "in",
                        (self.own_task | self.head_task | self.outsider_task).ids,
                    )
                ]
            )
        )

    def test_task_access_per_role(self):
        self.assertEqual(self._visible(self.sale_user), self.own_task)
        self.assertEqual(self._visible(self.head_user), self.own_task | self.head_task)
        everything = self.own_task | self.head_task | self.outsider_task
        self.assertEqual(self._visible(self.director_user), everything)
        self.assertEqual(self._visible(self.supervision_user), everything)
        with self.assertRaises(AccessError):
            self.outsider_task.with_user(self.sale_user).read(["name"])
        with self.assertRaises(AccessError):
            self.env["sale.task"].with_user(self.sale_user).create(
                self._task_vals(self.outsider, "Not mine to give")
            )
        with self.assertRaises(AccessError):
            self.own_task.with_user(self.supervision_user).write({"name": "Checked"})
        # The head assigns tasks to the team's members.
        assigned = (
            self.env["sale.task"]
            .with_user(self.head_user)
            .create(self._task_vals(self.sale_user, "Quote the two lathes"))
        )
        self.assertEqual(self._visible(self.sale_user), self.own_task)
        self.assertTrue(assigned.with_user(self.sale_user).name)

    def test_task_flow_and_overdue(self):
        task = self.own_task.with_user(self.sale_user)
        self.assertEqual(task.state, "todo")
        task.action_start()
        self.assertEqual(task.state, "in_progress")
        task.action_done()
        self.assertEqual(task.state, "done")
        task.action_reset()
        self.assertEqual(task.state, "todo")
        late = self.env["sale.task"].create(
            self._task_vals(
                self.sale_user,
                "Send the catalogue",
                date_start=self.today - timedelta(days=10),
                date_end=self.today - timedelta(days=1),
            )
        )
        self.assertTrue(late.is_overdue)
        self.assertFalse(task.is_overdue)
        overdue = self.env["sale.task"].search(
            [("is_overdue", "=", True), ("user_id", "=", self.sale_user.id)]
        )
        self.assertEqual(overdue, late)
        on_time = self.env["sale.task"].search(
            [("is_overdue", "=", False), ("user_id", "=", self.sale_user.id)]
        )
        self.assertEqual(on_time, self.own_task)
        late.action_cancel()
        self.assertFalse(late.is_overdue)
        self.assertFalse(
            self.env["sale.task"].search(
                [("is_overdue", "=", True), ("user_id", "=", self.sale_user.id)]
            )
        )

    @mute_logger("odoo.sql_db")
    def test_task_dates(self):
        with self.assertRaises(IntegrityError):
            self.env["sale.task"].create(
                self._task_vals(
                    self.sale_user,
                    "Backwards",
                    date_end=self.today - timedelta(days=1),
                )
            )
