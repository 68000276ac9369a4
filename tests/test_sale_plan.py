# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import SaleProcessControlCommon


class SalePlanCommon(SaleProcessControlCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.management2_user = cls._create_role_user(
            "spc_management2", "sale_process_control.group_sale_management"
        )
        cls.outsider = new_test_user(
            cls.env,
            "spc_plan_outsider",
            groups="sales_team.group_sale_salesman",
            company_id=cls.env.company.id,
        )
        cls.team = cls.env["crm.team"].create(
            {
                "name": "SPC Plan Team",
                "user_id": cls.head_user.id,
                "member_ids": [Command.set(cls.sale_user.ids)],
            }
        )

    @classmethod
    def _plan(cls, user=None, **vals):
        return (
            cls.env["sale.plan"]
            .with_user(user or cls.head_user)
            .create(
                {
                    "name": "SPC 2025 first half",
                    "team_id": cls.team.id,
                    "date_start": date(2025, 1, 1),
                    "date_end": date(2025, 6, 30),
                    "target_amount": 3000.0,
                    "target_customer_count": 4,
                    "phase_ids": [
                        Command.create(
                            {
                                "name": "Q1",
                                "date_start": date(2025, 1, 1),
                                "date_end": date(2025, 3, 31),
                                "target_amount": 1000.0,
                                "target_visit_count": 4,
                                "target_new_customer_count": 2,
                            }
                        ),
                        Command.create(
                            {
                                "name": "Q2",
                                "date_start": date(2025, 4, 1),
                                "date_end": date(2025, 6, 30),
                                "target_amount": 2000.0,
                                "target_visit_count": 6,
                                "target_new_customer_count": 2,
                            }
                        ),
                    ],
                    **vals,
                }
            )
        )

    def _approve(self, plan, user=None):
        plan.with_user(user or self.management_user).action_approve()


@tagged("post_install", "-at_install")
class TestSalePlan(SalePlanCommon):
    """R-39: the general manager approves the plan through the review engine;
    only approval puts it in force, and it then changes only by corrections."""

    def test_approval_activates_plan(self):
        plan = self._plan()
        self.assertEqual(plan.state, "draft")
        plan.with_user(self.head_user).action_submit()
        self.assertEqual(plan.state, "review")
        self.assertEqual(plan.approval_state, "pending")
        step = plan.approval_ids
        self.assertEqual(
            step.group_id, self.env.ref("sale_process_control.group_sale_management")
        )
        # The department head who drew it up cannot approve it, nor can a
        # director: only the general manager's role decides.
        with self.assertRaises(AccessError):
            plan.with_user(self.head_user).action_approve()
        with self.assertRaises(UserError):
            plan.with_user(self.director_user).action_approve()
        self.assertEqual(plan.state, "review")
        # Nobody sets the status by hand, not even the plan's author.
        with self.assertRaises(UserError):
            plan.with_user(self.head_user).write({"state": "active"})
        with self.assertRaises(AccessError):
            plan.with_user(self.head_user).write({"approval_state": "approved"})
        self._approve(plan)
        self.assertEqual(plan.state, "active")
        self.assertEqual(plan.approval_state, "approved")
        self.assertTrue(plan._approval_is_valid())
        self.assertEqual(step.decided_by_id, self.management_user)

    def test_requester_cannot_approve_own_plan(self):
        plan = self._plan(user=self.management_user, user_id=self.management_user.id)
        plan.with_user(self.management_user).action_submit()
        self.assertFalse(plan.with_user(self.management_user).approval_can_decide)
        with self.assertRaises(AccessError):
            plan.with_user(self.management_user).action_approve()
        self.assertEqual(plan.state, "review")
        self.assertTrue(plan.with_user(self.management2_user).approval_can_decide)
        self._approve(plan, self.management2_user)
        self.assertEqual(plan.state, "active")

    def test_rejection_and_resubmission(self):
        plan = self._plan()
        plan.with_user(self.head_user).action_submit()
        with self.assertRaises(UserError):
            plan.with_user(self.management_user).action_reject("")
        plan.with_user(self.management_user).action_reject("Q2 target too low")
        self.assertEqual(plan.state, "rejected")
        # A rejected plan is edited and submitted again for a new round.
        plan.with_user(self.head_user).write({"target_amount": 3500.0})
        plan.phase_ids[1].with_user(self.head_user).target_amount = 2500.0
        plan.with_user(self.head_user).action_submit()
        self.assertEqual(plan.approval_round, 2)
        self._approve(plan)
        self.assertEqual(plan.state, "active")

    def test_key_fields_frozen_after_submission(self):
        plan = self._plan()
        plan.with_user(self.head_user).action_submit()
        with self.assertRaises(UserError):
            plan.with_user(self.head_user).write({"target_amount": 1.0})
        self._approve(plan)
        phase = plan.phase_ids[0]
        for vals in (
            {"target_amount": 9999.0},
            {"date_end": date(2025, 2, 28)},
            {"salesperson_ids": [Command.link(self.outsider.id)]},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                plan.with_user(self.head_user).write(vals)
        with self.assertRaises(UserError):
            phase.with_user(self.head_user).write({"target_amount": 1.0})
        with self.assertRaises(UserError):
            self.env["sale.plan.phase"].with_user(self.head_user).create(
                {
                    "plan_id": plan.id,
                    "name": "Q3",
                    "date_start": date(2025, 5, 1),
                    "date_end": date(2025, 6, 30),
                }
            )
        with self.assertRaises(UserError):
            phase.with_user(self.head_user).unlink()
        # The written summary belongs to the running plan.
        phase.with_user(self.head_user).summary = "Two trade fairs brought leads."
        self.assertEqual(phase.summary, "Two trade fairs brought leads.")
        self.assertEqual(plan.state, "active")
        self.assertTrue(plan._approval_is_valid())
        # Even a superuser change of an approved figure voids the approval.
        plan.sudo().target_amount = 10.0
        self.assertEqual(plan.approval_state, "none")
        self.assertEqual(plan.state, "draft")

    def test_plan_form(self):
        with Form(self.env["sale.plan"].with_user(self.head_user)) as form:
            form.name = "SPC form plan"
            form.date_start = date(2025, 7, 1)
            form.date_end = date(2025, 12, 31)
            form.target_amount = 5000.0
            form.team_id = self.team
            with form.phase_ids.new() as phase:
                phase.name = "H2 launch"
                phase.date_start = date(2025, 7, 1)
                phase.date_end = date(2025, 9, 30)
                phase.target_amount = 2000.0
                phase.target_visit_count = 5
        plan = form.record
        self.assertEqual(plan.user_id, self.head_user)
        self.assertEqual(plan.phase_ids.name, "H2 launch")
        self.assertEqual(plan.phase_target_amount, 2000.0)
        plan.with_user(self.head_user).action_submit()
        self._approve(plan)
        # The running plan's form no longer edits what was approved.
        form = Form(plan.with_user(self.head_user))
        with self.assertRaises(AssertionError):
            form.target_amount = 1.0
        action = plan.with_user(self.head_user).action_request_correction()
        with Form(
            self.env["sale.plan.correction"]
            .with_user(self.head_user)
            .with_context(**action["context"])
        ) as correction_form:
            correction_form.phase_id = plan.phase_ids
            # The phase's values are offered as the starting point.
            self.assertEqual(correction_form.new_target_amount, 2000.0)
            self.assertEqual(correction_form.new_date_end, date(2025, 9, 30))
            correction_form.new_target_visit_count = 8
            correction_form.reason = "More prospects from the fair"
        correction = correction_form.record
        self.assertEqual(correction.plan_id, plan)
        self.assertEqual(correction.state, "draft")
        self.assertTrue(correction.name.startswith("PC/"))

    def test_delete_plans(self):
        draft = self._plan()
        phases = draft.phase_ids
        draft.with_user(self.head_user).unlink()
        self.assertFalse(phases.exists())
        active = self._plan()
        active.with_user(self.head_user).action_submit()
        self._approve(active)
        with self.assertRaises(UserError):
            active.with_user(self.head_user).unlink()
        active.with_user(self.head_user).action_cancel()
        self.assertEqual(active.state, "cancel")
        active.with_user(self.head_user).unlink()
        self.assertFalse(active.exists())

    def test_plan_constraints(self):
        with self.assertRaises(UserError):
            self._plan(phase_ids=[]).with_user(self.head_user).action_submit()
        with self.assertRaises(ValidationError):
            self._plan(
                phase_ids=[
                    Command.create(
                        {
                            "name": "Too late",
                            "date_start": date(2025, 6, 1),
                            "date_end": date(2025, 7, 31),
                        }
                    )
                ]
            )

    def test_plan_access(self):
        plan = self._plan()
        # Salespeople read the plan of their department, not draw one up.
        self.assertEqual(plan.with_user(self.sale_user).name, "SPC 2025 first half")
        with self.assertRaises(AccessError):
            self._plan(user=self.sale_user)
        with self.assertRaises(AccessError):
            plan.with_user(self.sale_user).write({"name": "Mine"})
        # Another company's plans stay in that company.
        other_company = self.env["res.company"].create({"name": "SPC Plan Other"})
        other_plan = self._plan(
            user=self.env.user, company_id=other_company.id, team_id=False
        )
        self.assertFalse(
            self.env["sale.plan"]
            .with_user(self.head_user)
            .search([("id", "=", other_plan.id)])
        )


@tagged("post_install", "-at_install")
class TestSalePlanCorrection(SalePlanCommon):
    """R-39: a correction changes a phase only once approved, and keeps the
    previous values."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls._plan()
        cls.plan.with_user(cls.head_user).action_submit()
        cls.plan.with_user(cls.management_user).action_approve()
        cls.phase = cls.plan.phase_ids.filtered(lambda p: p.name == "Q1")

    def _correction(self, **vals):
        return (
            self.env["sale.plan.correction"]
            .with_user(self.head_user)
            .create(
                {
                    "plan_id": self.plan.id,
                    "phase_id": self.phase.id,
                    "reason": "Trade fair moved to April",
                    **vals,
                }
            )
        )

    def test_correction_applied_only_on_approval(self):
        correction = self._correction()
        # Pre-filled with the phase's current values.
        self.assertEqual(correction.new_target_amount, 1000.0)
        self.assertEqual(correction.new_date_end, date(2025, 3, 31))
        correction.with_user(self.head_user).write(
            {"new_target_amount": 1500.0, "new_date_end": date(2025, 4, 15)}
        )
        correction.with_user(self.head_user).action_submit()
        self.assertEqual(correction.state, "review")
        self.assertEqual(self.phase.target_amount, 1000.0)
        with self.assertRaises(UserError):
            correction.with_user(self.head_user).write({"new_target_amount": 5.0})
        with self.assertRaises(AccessError):
            correction.with_user(self.head_user).action_approve()
        correction.with_user(self.management_user).action_reject("Keep Q1 as is")
        self.assertEqual(correction.state, "rejected")
        self.assertEqual(self.phase.target_amount, 1000.0)
        self.assertEqual(self.phase.date_end, date(2025, 3, 31))
        # Resubmitted and approved: now the phase moves.
        correction.with_user(self.head_user).action_submit()
        correction.with_user(self.management_user).action_approve()
        self.assertEqual(correction.state, "applied")
        self.assertEqual(self.phase.target_amount, 1500.0)
        self.assertEqual(self.phase.date_end, date(2025, 4, 15))
        self.assertEqual(correction.old_target_amount, 1000.0)
        self.assertEqual(correction.old_date_end, date(2025, 3, 31))
        self.assertTrue(correction.applied_date)
        # The plan stays in force with its approval valid, and keeps the history.
        self.assertEqual(self.plan.state, "active")
        self.assertTrue(self.plan._approval_is_valid())
        self.assertEqual(self.plan.correction_ids, correction)
        self.assertTrue(
            any(
                correction.name in str(body)
                for body in self.plan.message_ids.mapped("body")
            )
        )
        with self.assertRaises(UserError):
            correction.with_user(self.head_user).action_cancel()

    def test_correction_needs_plan_in_force(self):
        draft_plan = self._plan()
        correction = (
            self.env["sale.plan.correction"]
            .with_user(self.head_user)
            .create(
                {
                    "plan_id": draft_plan.id,
                    "phase_id": draft_plan.phase_ids[0].id,
                    "reason": "Earlier",
                }
            )
        )
        with self.assertRaises(UserError):
            correction.with_user(self.head_user).action_submit()
        with self.assertRaises(ValidationError):
            self._correction(phase_id=draft_plan.phase_ids[0].id)

    def test_correction_outside_plan_refused(self):
        correction = self._correction(new_date_end=date(2025, 8, 31))
        correction.with_user(self.head_user).action_submit()
        with self.assertRaises(ValidationError):
            correction.with_user(self.management_user).action_approve()


@tagged("post_install", "-at_install")
class TestSalePlanSummary(SalePlanCommon):
    """R-39: the phase summary reads the visits, deals and products of the
    phase's dates and the plan's people."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.old_customer = Partner.create({"name": "SPC Old Customer"})
        cls.new_a = Partner.create({"name": "SPC New A", "is_company": True})
        cls.new_a_contact = Partner.create(
            {"name": "SPC New A Buyer", "parent_id": cls.new_a.id}
        )
        cls.new_b = Partner.create({"name": "SPC New B"})
        for partner in (cls.old_customer, cls.new_a, cls.new_b):
            partner.user_id = cls.sale_user
        cls.product_x = cls.env["product.product"].create(
            {"name": "SPC Lathe", "list_price": 100.0, "taxes_id": [Command.clear()]}
        )
        cls.product_y = cls.env["product.product"].create(
            {"name": "SPC Spindle", "list_price": 50.0, "taxes_id": [Command.clear()]}
        )
        x, y = cls.product_x, cls.product_y
        # Before the plan: the old customer is not new in Q1.
        cls._order(cls.sale_user, cls.old_customer, datetime(2024, 12, 10), [(x, 1)])
        # Q1: three deals of the team, 200 + 250 + 200 = 650, two new customers.
        cls._order(cls.sale_user, cls.old_customer, datetime(2025, 1, 10), [(x, 2)])
        cls._order(
            cls.sale_user, cls.new_a_contact, datetime(2025, 2, 5), [(x, 1), (y, 3)]
        )
        cls._order(cls.head_user, cls.new_b, datetime(2025, 3, 31, 10), [(y, 4)])
        # Not counted: outside the team, a quotation, a cancelled order.
        cls._order(cls.outsider, cls.new_a, datetime(2025, 2, 10), [(x, 10)])
        cls._order(
            cls.sale_user, cls.new_b, datetime(2025, 2, 1), [(x, 5)], confirm=False
        )
        cancelled = cls._order(cls.sale_user, cls.new_b, datetime(2025, 2, 2), [(x, 7)])
        cancelled.sudo()._action_cancel()
        # Q2: one deal with the old customer.
        cls._order(cls.sale_user, cls.old_customer, datetime(2025, 4, 2), [(x, 1)])
        # Visits: two done in Q1 by the team, one by the outsider, one planned.
        cls._visit(cls.sale_user, cls.old_customer, date(2025, 1, 20))
        cls._visit(cls.head_user, cls.new_a, date(2025, 3, 3))
        cls._visit(cls.outsider, cls.new_b, date(2025, 3, 4))
        cls._visit(cls.sale_user, cls.new_b, False)
        cls._visit(cls.sale_user, cls.new_b, date(2025, 5, 6))
        cls.plan = cls._plan()
        cls.q1, cls.q2 = cls.plan.phase_ids.sorted("date_start")

    @classmethod
    def _order(cls, user, partner, when, lines, confirm=True):
        order = (
            cls.env["sale.order"]
            .sudo()
            .create(
                {
                    "partner_id": partner.id,
                    "user_id": user.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "product_uom_qty": quantity,
                                "price_unit": product.list_price,
                                "tax_id": [Command.clear()],
                            }
                        )
                        for product, quantity in lines
                    ],
                }
            )
        )
        if confirm:
            order.action_confirm()
        order.date_order = when
        return order

    @classmethod
    def _visit(cls, user, partner, day):
        visit = (
            cls.env["sale.visit"]
            .sudo()
            .create(
                {
                    "partner_id": partner.id,
                    "user_id": user.id,
                    "purpose": "Present the new lathe",
                    "planned_date": datetime(2025, 1, 15, 9),
                }
            )
        )
        if day:
            visit.write({"summary": "Met the buyer", "visit_date": day})
            visit.write({"state": "done"})
        return visit

    def test_phase_figures(self):
        self.assertEqual(self.q1.order_count, 3)
        self.assertAlmostEqual(self.q1.order_amount, 650.0)
        self.assertAlmostEqual(self.q1.achievement, 65.0)
        self.assertEqual(self.q1.new_customer_count, 2)
        self.assertEqual(self.q1.visit_count, 2)
        self.assertEqual(self.q2.order_count, 1)
        self.assertAlmostEqual(self.q2.order_amount, 100.0)
        self.assertAlmostEqual(self.q2.achievement, 5.0)
        self.assertEqual(self.q2.new_customer_count, 0)
        self.assertEqual(self.q2.visit_count, 1)
        self.assertAlmostEqual(self.plan.achieved_amount, 750.0)
        self.assertAlmostEqual(self.plan.phase_target_amount, 3000.0)

    def test_top_products(self):
        products = self.q1._get_figures()["products"]
        # Spindle 3 + 4 = 7 for 350 before lathe 2 + 1 = 3 for 300.
        self.assertEqual(
            [(p, q, a) for p, q, a in products],
            [(self.product_y, 7.0, 350.0), (self.product_x, 3.0, 300.0)],
        )
        self.assertIn("SPC Spindle", self.q1.product_summary)
        self.assertLess(
            self.q1.product_summary.index("SPC Spindle"),
            self.q1.product_summary.index("SPC Lathe"),
        )
        action = self.q1.action_view_product_sales()
        self.assertEqual(action["res_model"], "sale.report")
        self.assertAlmostEqual(
            sum(
                self.env["sale.report"]
                .search(action["domain"])
                .mapped("price_subtotal")
            ),
            650.0,
        )

    def test_figures_follow_plan_people(self):
        # Only the named salespeople: the head's deal and visit drop out.
        plan = self._plan(
            team_id=False, salesperson_ids=[Command.set(self.sale_user.ids)]
        )
        q1 = plan.phase_ids.sorted("date_start")[0]
        self.assertEqual(q1.order_count, 2)
        self.assertAlmostEqual(q1.order_amount, 450.0)
        self.assertEqual(q1.new_customer_count, 1)
        self.assertEqual(q1.visit_count, 1)
        # Nobody named: the whole company, the outsider included.
        everyone = self._plan(team_id=False).phase_ids.sorted("date_start")[0]
        self.assertEqual(everyone.order_count, 4)
        self.assertAlmostEqual(everyone.order_amount, 1650.0)
        self.assertEqual(everyone.visit_count, 3)

    def test_phase_days_in_user_time_zone(self):
        # 20:00 UTC on 31 March is already 1 April in Shanghai.
        self._order(
            self.head_user, self.new_b, datetime(2025, 3, 31, 20), [(self.product_y, 1)]
        )
        utc = self.plan.with_context(tz="UTC").phase_ids.sorted("date_start")
        self.assertEqual(utc.mapped("order_count"), [4, 1])
        self.assertEqual(utc.mapped("order_amount"), [700.0, 100.0])
        shanghai = self.plan.with_context(tz="Asia/Shanghai").phase_ids.sorted(
            "date_start"
        )
        self.assertEqual(shanghai.mapped("order_count"), [3, 2])
        self.assertEqual(shanghai.mapped("order_amount"), [650.0, 150.0])

    def test_salesperson_reads_team_figures(self):
        # The salesperson cannot read the head's order, yet the plan's figures
        # are the team's.
        self.env.invalidate_all()
        q1 = self.q1.with_user(self.sale_user)
        self.assertEqual(q1.order_count, 3)
        self.assertAlmostEqual(q1.order_amount, 650.0)
        self.assertEqual(
            len(
                self.env["sale.order"]
                .with_user(self.sale_user)
                .search(self.q1._get_order_domain())
            ),
            2,
        )
