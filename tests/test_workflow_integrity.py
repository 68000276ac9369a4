# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
"""Issue 14: every workflow document is decided by its actions only, deciders
hold their role, a salesperson sees only their own customers (R-42), and bad
input gets a sentence, not a traceback."""

from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from ..models.sale_contract import amount_in_chinese
from .common import SaleProcessControlCommon

# Forged values a client could send at create, per document with a status.
FORGED_AT_CREATE = {
    "sale.credit.limit.request": {"state": "approved", "previous_limit": 7777777},
    "sale.contract": {"state": "approved"},
    "sale.contract.amendment": {"state": "applied", "applied_date": "2026-01-01"},
    "sale.appraisal": {"state": "approved"},
    "sale.target.adjustment": {"state": "approved"},
    "sale.plan": {"state": "active"},
    "sale.plan.correction": {"state": "applied"},
    "sale.price.change": {"state": "applied"},
    "sale.tier.review": {"state": "done"},
    "sale.period.report": {"state": "reviewed"},
    "sale.spot.check": {"state": "done"},
    "sale.rectification": {"state": "closed"},
    "sale.risk.event": {"state": "closed", "closed_date": "2026-01-01"},
    "sale.honour": {"state": "confirmed"},
    "sale.customer.feedback": {"state": "closed"},
    "sale.credit.evaluation": {"state": "done"},
}
# Errors that are sentences for the user (MissingError is a UserError).
USER_ERRORS = (UserError, AccessError, ValidationError)


@tagged("post_install", "-at_install")
class TestDecisionsAreTakenByActions(SaleProcessControlCommon):
    def test_forged_status_refused_at_create_for_every_document(self):
        # The sales administrator holds every role and create right: the
        # refusal comes from the decision guard, not from an access right.
        for model, forged in FORGED_AT_CREATE.items():
            with self.subTest(model=model):
                Model = self.env[model].with_user(self.sale_manager)
                before = Model.sudo().search_count([])
                with self.assertRaises(UserError) as refused:
                    Model.create(dict(forged))
                self.assertRegex(
                    str(refused.exception),
                    r"buttons|review|starts as|decision",
                    f"{model}: refused for another reason",
                )
                self.assertEqual(Model.sudo().search_count([]), before)

    def test_status_default_key_is_ignored_and_copy_starts_over(self):
        Event = self.env["sale.risk.event"].with_user(self.supervision_user)
        event = Event.with_context(default_state="closed").create(
            {"name": "Price war", "risk_type": "market", "severity": "low"}
        )
        self.assertEqual(event.state, "open")
        event.write(
            {
                "cause": "A",
                "measure_effect": "B",
                "lessons": "C",
                "improvements": "D",
            }
        )
        event.action_close()
        self.assertEqual(event.state, "closed")
        with self.assertRaises(AccessError):
            event.write({"state": "open"})
        copied = event.copy()
        self.assertEqual((copied.state, copied.closed_date), ("open", False))

    def test_salesperson_cannot_close_automatic_credit_hold_event(self):
        event = (
            self.env["sale.risk.event"]
            .sudo()
            .create(
                {
                    "name": "Credit hold",
                    "risk_type": "credit",
                    "severity": "medium",
                    "user_id": self.sale_user.id,
                    "is_automatic": True,
                    "auto_cause": "credit_hold",
                    "auto_key": "integrity-test",
                    "cause": "A",
                    "measure_effect": "B",
                    "lessons": "C",
                    "improvements": "D",
                }
            )
        )
        with self.assertRaisesRegex(AccessError, "raised by the system"):
            event.with_user(self.sale_user).action_close()
        with self.assertRaises(AccessError):
            event.with_user(self.sale_user).write({"state": "closed"})
        self.assertEqual(event.state, "open")
        event.with_user(self.supervision_user).action_close()
        self.assertEqual(event.state, "closed")

    def test_expiry_job_ignores_a_limit_that_skipped_its_review(self):
        customer = self.env["res.partner"].create({"name": "Forged Limit Customer"})
        customer.with_company(self.env.company).credit_limit = 20000.0
        # Written as the database would hold it after a forged create: the
        # request says approved and expired, its review never ran.
        request = (
            self.env["sale.credit.limit.request"]
            .sudo()
            .create(
                {
                    "partner_id": customer.id,
                    "proposed_limit": 30000.0,
                    "valid_until": date(2020, 1, 1),
                    "reason": "forged",
                }
            )
        )
        request.sudo().write({"state": "approved", "previous_limit": 7777777.0})
        self.env["sale.credit.limit.request"]._cron_expire_temporary_limits()
        self.assertEqual(customer.with_company(self.env.company).credit_limit, 20000.0)
        self.assertEqual(request.state, "approved")


@tagged("post_install", "-at_install")
class TestDeciderHoldsTheRole(SaleProcessControlCommon):
    def test_team_leader_without_head_role_is_not_the_head_reviewer(self):
        head_group = self.env.ref("sale_process_control.group_sale_department_head")
        Order = self.env["sale.order"]
        step = {"reviewer_id": self.sale_user.id, "group_id": head_group.id}
        self.assertFalse(Order._approval_step_reviewer(step))
        step = {"reviewer_id": self.head_user.id, "group_id": head_group.id}
        self.assertEqual(Order._approval_step_reviewer(step), self.head_user.id)

        order = Order.create({"partner_id": self.partner.id})
        approval = (
            self.env["sale.approval"]
            .sudo()
            .create(
                {
                    "res_model": "sale.order",
                    "res_id": order.id,
                    "company_id": order.company_id.id,
                    "name": "Department head review",
                    "group_id": head_group.id,
                    # A step written before the fix names a plain salesperson.
                    "reviewer_id": self.sale_user.id,
                    "requester_id": self.sale_manager.id,
                    "state": "pending",
                }
            )
        )
        self.assertFalse(approval._is_decidable_by(self.sale_user))
        self.assertTrue(approval._is_decidable_by(self.head_user))
        mine = (
            self.env["sale.approval"]
            .with_user(self.sale_user)
            .search([("can_decide", "=", True), ("id", "=", approval.id)])
        )
        self.assertFalse(mine)


@tagged("post_install", "-at_install")
class TestWhatASalespersonSees(SaleProcessControlCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.owner = cls.sale_user
        cls.other = new_test_user(
            cls.env,
            "spc_integrity_other",
            groups="sales_team.group_sale_salesman",
            company_id=cls.env.company.id,
        )
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Integrity Team",
                "user_id": cls.head_user.id,
                "member_ids": [Command.set(cls.owner.ids)],
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Owned Customer",
                "is_company": True,
                "user_id": cls.owner.id,
                "need_price": "Wants 5% below list",
                "potential_score": 5,
            }
        )

    def test_only_head_or_director_changes_the_salesperson(self):
        self.env.company.sale_customer_ownership_control = True
        with self.assertRaisesRegex(AccessError, "head of their team"):
            self.customer.with_user(self.other).write({"user_id": self.other.id})
        self.assertEqual(self.customer.user_id, self.owner)
        # The owner cannot hand it over either.
        with self.assertRaises(AccessError):
            self.customer.with_user(self.owner).write({"user_id": self.other.id})
        self.customer.with_user(self.head_user).write({"user_id": self.other.id})
        self.assertEqual(self.customer.user_id, self.other)
        self.assertIn(
            "Salesperson changed from",
            self.customer.message_ids[:1].body,
        )
        self.customer.with_user(self.director_user).write({"user_id": self.owner.id})
        self.assertEqual(self.customer.user_id, self.owner)

    def test_ownership_control_is_off_until_switched_on(self):
        self.env.company.sale_customer_ownership_control = False
        self.customer.with_user(self.sale_manager).write({"user_id": self.other.id})
        self.assertEqual(self.customer.user_id, self.other)

    def test_customer_file_of_others_is_not_readable(self):
        export = self.env.ref("base.group_allow_export")
        (self.owner | self.other).write({"groups_id": [Command.link(export.id)]})
        mine = self.customer.with_user(self.owner)
        self.assertEqual(
            mine.read(["need_price"])[0]["need_price"], self.customer.need_price
        )
        theirs = self.customer.with_user(self.other)
        values = theirs.read(["need_price", "potential_score", "name"])[0]
        self.assertFalse(values["need_price"])
        self.assertFalse(values["potential_score"])
        self.assertEqual(values["name"], "Owned Customer")
        # Nor by filtering, grouping or exporting.
        Partner = self.env["res.partner"].with_user(self.other)
        self.assertFalse(Partner.search([("need_price", "ilike", "below list")]))
        groups = Partner._read_group(
            [("id", "=", self.customer.id)], ["potential_score"], ["__count"]
        )
        self.assertFalse(groups)
        with self.assertRaisesRegex(AccessError, "not exported"):
            theirs.export_data(["name", "need_price"])
        self.assertTrue(mine.export_data(["name", "need_price"])["datas"])
        # The head of the owner's team and a director read it.
        head_view = self.customer.with_user(self.head_user).read(["need_price"])[0]
        self.assertTrue(head_view["need_price"])
        director_view = self.customer.with_user(self.director_user).read(
            ["need_price"]
        )[0]
        self.assertTrue(director_view["need_price"])

    def test_tier_history_of_others_is_not_readable(self):
        tier = self.env["sale.customer.tier"].search([], limit=1)
        self.env["sale.customer.tier.history"].sudo().create(
            {
                "partner_id": self.customer.id,
                "company_id": self.env.company.id,
                "user_id": self.head_user.id,
                "new_tier_id": tier.id,
                "reason": "Integrity",
            }
        )
        History = self.env["sale.customer.tier.history"]
        domain = [("partner_id", "=", self.customer.id)]
        self.assertEqual(History.with_user(self.owner).search_count(domain), 1)
        self.assertEqual(History.with_user(self.other).search_count(domain), 0)
        self.assertEqual(History.with_user(self.head_user).search_count(domain), 1)

    def test_credit_figures_do_not_leak_through_an_order(self):
        self.env.company.sale_credit_control_enabled = True
        self.customer.with_company(self.env.company).write(
            {"credit_limit": 55000.0, "use_partner_credit_limit": True}
        )
        order = (
            self.env["sale.order"]
            .with_user(self.other)
            .create({"partner_id": self.customer.id, "user_id": self.other.id})
        )
        self.assertEqual(order.credit_limit_sales, 0.0)
        self.assertFalse(order.credit_grade)
        self.assertEqual(
            order.with_user(self.owner).sudo(False).credit_limit_sales, 55000.0
        )

    def test_salesperson_monthly_report_covers_own_work_only(self):
        report = (
            self.env["sale.period.report"]
            .with_user(self.owner)
            .create(
                {
                    "report_type": "monthly",
                    "date_from": date(2026, 3, 1),
                    "team_id": self.team.id,
                }
            )
        )
        self.assertEqual(report._get_scope_users(), self.owner)
        head_report = (
            self.env["sale.period.report"]
            .with_user(self.head_user)
            .create(
                {
                    "report_type": "monthly",
                    "date_from": date(2026, 3, 1),
                    "team_id": self.team.id,
                }
            )
        )
        self.assertEqual(head_report._get_scope_users(), self.owner | self.head_user)


@tagged("post_install", "-at_install")
class TestBadInputGetsASentence(SaleProcessControlCommon):
    def _module_models(self):
        prefix = "odoo.addons.sale_process_control."
        for name, model in self.env.registry.items():
            if model._abstract or model._transient and name.startswith("res.config"):
                continue
            yield (
                name,
                {
                    attr
                    for cls in type(self.env[name]).__mro__
                    if cls.__module__.startswith(prefix)
                    for attr, value in vars(cls).items()
                    if attr.startswith("action_") and callable(value)
                },
            )

    def test_public_actions_on_empty_and_missing_records(self):
        called = refused = 0
        for name, actions in self._module_models():
            for action in sorted(actions):
                for ids in ([], [987654321]):
                    records = self.env[name].with_user(self.sale_manager).browse(ids)
                    method = getattr(records, action)
                    if getattr(method, "_api", None) == "model":
                        continue
                    with self.subTest(model=name, action=action, ids=ids):
                        called += 1
                        try:
                            with self.env.cr.savepoint():
                                method()
                        except USER_ERRORS:
                            refused += 1
                        except TypeError as error:
                            # Actions that need an argument are called with
                            # one by their buttons; the call itself is wrong.
                            self.assertIn("argument", str(error))
        self.assertGreater(called, 60)
        self.assertGreater(refused, 60, "empty and missing records get a sentence")

    def test_release_days_are_checked(self):
        Release = self.env["sale.credit.release"]
        for days in ("abc", None, 10**7, 0, -3, 2.5, True):
            with self.subTest(days=days):
                with self.assertRaisesRegex(UserError, "day"):
                    Release._get_release_days(days)
        self.assertEqual(Release._get_release_days("14"), 14)
        for order_id in (None, "x", 987654321):
            with self.subTest(order_id=order_id):
                with self.assertRaises(UserError):
                    Release._get_release_order(order_id)

    def test_contract_amount_beyond_words_is_refused(self):
        self.assertEqual(amount_in_chinese(10.0**16), "")
        self.assertEqual(amount_in_chinese(100000.0), "壹拾万元整")
        with self.assertRaisesRegex(ValidationError, "states in words"):
            self.env["sale.contract"].create(
                {
                    "partner_id": self.partner.id,
                    "currency_id": self.env.company.currency_id.id,
                    "line_ids": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "name": "Too much",
                                "quantity": 1.0,
                                "price_unit": 10.0**17,
                            }
                        )
                    ],
                }
            )

    def test_arguments_of_public_methods_are_checked(self):
        """The public methods that take arguments, called over RPC with
        values of the wrong type or beyond bounds, answer with a sentence."""
        self.env.company.sale_review_enabled = True
        for xmlid in ("technical", "finance", "production"):
            self.env.ref(
                f"sale_process_control.sale_review_rule_{xmlid}"
            ).active = False
        team = self.env["crm.team"].create(
            {"name": "Fuzz Team", "user_id": self.head_user.id}
        )
        customer = self.env["res.partner"].create(
            {
                "name": "Fuzz Customer Ltd",
                "is_company": True,
                "street": "8 Canal Road",
                "city": "Suzhou",
            }
        )
        contact = self.env["res.partner"].create(
            {"name": "Mr Fuzz", "parent_id": customer.id, "phone": "+86 512 1"}
        )
        order = (
            self.env["sale.order"]
            .with_user(self.sale_user)
            .create(
                {
                    "partner_id": customer.id,
                    "customer_contact_id": contact.id,
                    "commitment_date": "2030-01-15 08:00:00",
                    "requirement_description": "One unit.",
                    "team_id": team.id,
                    "order_line": [Command.create({"product_id": self.product.id})],
                }
            )
        )
        order.action_submit_for_approval()
        as_head = order.with_user(self.head_user)
        for comment in (123, 4.5, ["no"], {"a": 1}, True):
            for action in ("action_approve", "action_reject"):
                with self.subTest(action=action, comment=comment):
                    with self.assertRaisesRegex(UserError, "must be text"):
                        getattr(as_head, action)(comment)
        self.assertEqual(order.approval_state, "pending")
        with self.assertRaisesRegex(UserError, "Say why"):
            as_head.action_reject("   ")
        as_head.action_approve("x" * 20000)
        self.assertEqual(order.approval_state, "approved")

        Dashboard = self.env["sale.dashboard"].with_user(self.head_user)
        for period in ("decade", None, 5, ["year"], {"p": 1}, "year"):
            with self.subTest(period=period):
                data = Dashboard.get_dashboard_data(period)
                self.assertIn(data["period"], ("month", "year"))
        with self.assertRaises(AccessError):
            Dashboard.with_user(self.sale_user).get_dashboard_data("month")
