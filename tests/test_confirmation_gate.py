# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
"""The bypass matrix: every control of the confirmation gate against every way
in, tried as a salesperson with the JSON-RPC API would. Each attempt must end
in a clear error with nothing changed."""

from contextlib import contextmanager
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import SaleProcessControlCommon

ALL_CONTROLS = {
    "sale_review_enabled": True,
    "sale_discount_control_enabled": True,
    "sale_credit_control_enabled": True,
    "sale_contract_required": True,
    "sale_contract_amount": 50000.0,
    "sale_contract_major_amount": 10_000_000.0,
    "sale_contract_gate_state": "signed",
    "sale_credit_release_tolerance": 5.0,
    "sale_credit_overdue_days": 30,
    "sale_credit_overdue_amount": 0.0,
}


class GateCommon(SaleProcessControlCommon):
    """A company with every control on, a team led by the head, customers of
    each credit situation and a product at 1,000."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write(ALL_CONTROLS)
        # Only the department head's step: the joint-review rules have their
        # own tests.
        for xmlid in ("technical", "finance", "production"):
            cls.env.ref(f"sale_process_control.sale_review_rule_{xmlid}").active = False
        cls.salesperson = cls.sale_user
        cls.finance_user.groups_id |= cls.env.ref("account.group_account_invoice")
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Gate Team",
                "user_id": cls.head_user.id,
                "company_id": cls.company.id,
            }
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Gate Pump",
                "type": "consu",
                "list_price": 1000.0,
                "taxes_id": [Command.clear()],
                "invoice_policy": "order",
            }
        )
        cls.tax = cls.env["account.tax"].create({"name": "Gate VAT", "amount": 13.0})
        cls.customer = cls._customer("Gate Customer", score=80.0, limit=15000.0)
        cls.big_customer = cls._customer(
            "Gate Big Customer", score=80.0, limit=1_000_000.0
        )
        cls.bad_customer = cls._customer("Gate Grade D", score=5.0, limit=1_000_000.0)

    @classmethod
    def _customer(cls, name, score, limit):
        partner = cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "street": "1 Gate Road",
                "city": "Suzhou",
                "user_id": cls.sale_user.id,
            }
        )
        cls.contacts = getattr(cls, "contacts", {})
        cls.contacts[partner] = cls.env["res.partner"].create(
            {
                "name": f"{name} Buyer",
                "parent_id": partner.id,
                "type": "contact",
                "phone": "+86 512 0000 0000",
            }
        )
        evaluation = cls.env["sale.credit.evaluation"].create(
            {
                "partner_id": partner.id,
                "company_id": cls.company.id,
                "valid_until": fields.Date.today() + timedelta(days=365),
            }
        )
        evaluation.line_ids.write({"score": score})
        evaluation.with_user(cls.finance_user).action_validate()
        request = (
            cls.env["sale.credit.limit.request"]
            .with_user(cls.sale_user)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": cls.company.id,
                    "proposed_limit": limit,
                    "reason": "Expected volume",
                }
            )
        )
        request.action_submit()
        request.with_user(cls.finance_user).action_approve()
        request.with_user(cls.management_user).action_approve()
        return partner

    def _order_vals(self, qty=10, partner=None, **line_vals):
        partner = partner or self.customer
        return {
            "partner_id": partner.id,
            "customer_contact_id": self.contacts[partner].id,
            "commitment_date": fields.Datetime.now() + timedelta(days=30),
            "requirement_description": "Standard pumps.",
            "user_id": self.salesperson.id,
            "team_id": self.team.id,
            "order_line": [
                Command.create(
                    {
                        "product_id": self.product.id,
                        "product_uom_qty": qty,
                        "tax_id": [Command.clear()],
                        **line_vals,
                    }
                )
            ],
        }

    def _order(self, qty=10, partner=None, **line_vals):
        return (
            self.env["sale.order"]
            .with_user(self.salesperson)
            .create(self._order_vals(qty, partner, **line_vals))
        )

    def _approve(self, order):
        """Submit as the salesperson; every reviewer decides what waits for them."""
        order.with_user(self.salesperson).action_submit_for_approval()
        for reviewer in (self.head_user, self.director_user, self.management_user):
            if order.approval_state != "pending":
                break
            if order.with_user(reviewer).approval_can_decide:
                order.with_user(reviewer).action_approve()
        self.assertEqual(order.approval_state, "approved")
        return order

    def assertRaisesRegex(self, exception, regex, *args, **kwargs):
        """As unittest's, and like Odoo's ``assertRaises`` the refused change
        is rolled back to a savepoint, so what is asserted afterwards is what
        the database kept."""
        if args or kwargs:
            return super().assertRaisesRegex(exception, regex, *args, **kwargs)
        return self._refused(exception, regex)

    @contextmanager
    def _refused(self, exception, regex):
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertRegex(str(caught.exception), regex)

    def _as_sales(self, record):
        return record.with_user(self.salesperson)

    def _assert_untouched(self, order, state="draft"):
        order.invalidate_recordset()
        self.assertEqual(order.state, state)
        self.assertFalse(order.picking_ids)


@tagged("post_install", "-at_install")
class TestConfirmationGateBypass(GateCommon):
    # ------------------------------------------------------------------
    # Engine fields: nobody forges a decision
    # ------------------------------------------------------------------
    def test_create_with_forged_approval_is_refused(self):
        Order = self.env["sale.order"].with_user(self.salesperson)
        for forged in (
            {"approval_state": "approved"},
            {"approval_fingerprint": "0" * 40},
            {"approval_requester_id": self.head_user.id},
            {"credit_hold": False, "credit_hold_reasons": "none"},
            {"review_required_on_confirm": False},
            {"contract_required_on_confirm": True},
        ):
            with self.subTest(forged=forged), self.assertRaises(AccessError):
                Order.create(dict(self._order_vals(), **forged))
        self.assertFalse(Order.search([("partner_id", "=", self.customer.id)]))

    def test_context_defaults_do_not_preset_engine_fields(self):
        order = (
            self.env["sale.order"]
            .with_user(self.salesperson)
            .with_context(
                default_approval_state="approved",
                default_approval_fingerprint="f" * 40,
            )
            .create(self._order_vals())
        )
        self.assertEqual(order.approval_state, "none")
        self.assertFalse(order.approval_fingerprint)
        with self.assertRaisesRegex(UserError, "before its review is approved"):
            order.action_confirm()

    def test_fingerprint_is_keyed_with_the_database_secret(self):
        order = self._approve(self._order())
        self.assertEqual(len(order.approval_fingerprint), 64)
        self.env["ir.config_parameter"].sudo().set_param("database.secret", "other")
        self.assertNotEqual(
            order.approval_fingerprint, order._compute_approval_fingerprint()
        )

    def test_write_of_engine_fields_is_refused(self):
        order = self._order()
        order.sudo()._set_credit_hold(["a test hold"])
        release_vals = {"reason": "forged", "days": 30}
        for forged in (
            {"approval_state": "approved"},
            {"credit_hold": False},
            {"credit_hold_reasons": False},
            {"credit_release_ids": [Command.create(release_vals)]},
            {"approval_ids": [Command.clear()]},
            {"review_required_on_confirm": True},
        ):
            with self.subTest(forged=forged), self.assertRaises(AccessError):
                self._as_sales(order).write(forged)
        order.invalidate_recordset()
        self.assertTrue(order.credit_hold)
        self.assertFalse(order.credit_release_ids)

    def test_line_engine_fields_are_refused_at_create_and_write(self):
        order = self._order()
        with self.assertRaises(AccessError):
            self._as_sales(order).write(
                {
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "discount": 40.0,
                                "discount_approved": 40.0,
                            }
                        )
                    ]
                }
            )
        with self.assertRaises(AccessError):
            self._as_sales(order.order_line).write({"discount_approved": 40.0})
        self.assertEqual(len(order.order_line), 1)
        self.assertFalse(order.order_line.discount_approved)

    # ------------------------------------------------------------------
    # Every path into a confirmed state
    # ------------------------------------------------------------------
    def test_create_in_confirmed_state_meets_the_gate(self):
        Order = self.env["sale.order"].with_user(self.salesperson)
        with self.assertRaisesRegex(UserError, "before its review is approved"):
            Order.create(dict(self._order_vals(), state="sale"))
        self.assertFalse(Order.search([("partner_id", "=", self.customer.id)]))

    def test_load_in_confirmed_state_meets_the_gate(self):
        Order = self.env["sale.order"].with_user(self.salesperson)
        result = Order.load(
            ["partner_id/.id", "state", "order_line/product_id/.id"],
            [[str(self.customer.id), "sale", str(self.product.id)]],
        )
        self.assertFalse(result["ids"])
        self.assertIn(
            "before its review is approved",
            " ".join(message["message"] for message in result["messages"]),
        )
        result = Order.load(
            ["partner_id/.id", "approval_state"],
            [[str(self.customer.id), "approved"]],
        )
        self.assertFalse(result["ids"])
        self.assertFalse(Order.search([("partner_id", "=", self.customer.id)]))

    def test_copy_into_confirmed_state_meets_the_gate(self):
        order = self._approve(self._order())
        with self.assertRaisesRegex(UserError, "before its review is approved"):
            self._as_sales(order).copy({"state": "sale"})
        with self.assertRaises(AccessError):
            self._as_sales(order).copy({"approval_state": "approved"})
        copy = self._as_sales(order).copy()
        self.assertEqual(copy.approval_state, "none")
        self.assertEqual(copy.state, "draft")

    def test_state_write_from_every_state_meets_the_gate(self):
        for start in ("draft", "sent", "cancel"):
            with self.subTest(start=start):
                order = self._order()
                if start == "sent":
                    order.sudo().state = "sent"
                elif start == "cancel":
                    self._as_sales(order).action_cancel()
                with self.assertRaisesRegex(UserError, "before its review is approved"):
                    self._as_sales(order).write({"state": "sale"})
                self._assert_untouched(order, start)

    def test_cancelled_order_written_confirmed_meets_credit_and_contract(self):
        # Approved, but over the limit: cancel, then write the state.
        order = self._approve(self._order(qty=16))
        self._as_sales(order).action_cancel()
        with self.assertRaisesRegex(UserError, "cannot be confirmed on credit"):
            self._as_sales(order).write({"state": "sale"})
        self._assert_untouched(order, "cancel")
        # Approved and within the limit, but over the contract amount.
        big = self._approve(self._order(qty=60, partner=self.big_customer))
        self._as_sales(big).action_cancel()
        with self.assertRaisesRegex(UserError, "needs a sales contract"):
            self._as_sales(big).write({"state": "sale"})
        self._assert_untouched(big, "cancel")

    def test_confirmation_records_the_rules_in_force(self):
        # Reviewed under the rules: the order keeps that it needed a review,
        # after the rules are switched off too.
        order = self._approve(self._order())
        order.with_user(self.salesperson).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertTrue(order.review_required_on_confirm)
        self.company.sale_review_enabled = False
        order.invalidate_recordset(["review_required"])
        self.assertTrue(order.review_required)
        # Confirmed without rules: switching them on later does not make it
        # an order that skipped its review.
        plain = self._order(partner=self.big_customer)
        plain.with_user(self.salesperson).action_confirm()
        self.assertEqual(plain.state, "sale")
        self.company.sale_review_enabled = True
        plain.invalidate_recordset(["review_required"])
        self.assertFalse(plain.review_required_on_confirm)
        self.assertFalse(plain.review_required)

    def test_confirmation_through_the_button_creates_the_delivery(self):
        order = self._approve(self._order())
        self._as_sales(order).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertTrue(order.picking_ids)

    # ------------------------------------------------------------------
    # Several orders in one call
    # ------------------------------------------------------------------
    def test_batch_confirmation_is_checked_cumulatively(self):
        first = self._approve(self._order(qty=10))
        second = self._approve(self._order(qty=10))
        both = self._as_sales(first | second)
        # 10,000 each fits the 15,000 limit; together they do not.
        with self.assertRaisesRegex(UserError, "cannot be confirmed on credit"):
            both.write({"state": "sale"})
        self._assert_untouched(first)
        self._assert_untouched(second)
        both.action_confirm()
        self.assertEqual(first.state, "sale")
        self.assertEqual(second.state, "draft")
        self.assertTrue(second.credit_hold)
        self.assertIn("exceeds the credit limit", second.credit_hold_reasons)

    def test_batch_with_one_unapproved_order_confirms_none(self):
        approved = self._approve(self._order(qty=2))
        unapproved = self._order(qty=2)
        with self.assertRaisesRegex(UserError, "before its review is approved"):
            self._as_sales(approved | unapproved).action_confirm()
        self._assert_untouched(approved)
        self._assert_untouched(unapproved)

    # ------------------------------------------------------------------
    # One call that changes the order and confirms it
    # ------------------------------------------------------------------
    def test_state_written_with_other_changes_is_judged_after_them(self):
        attempts = {
            "grade D customer": lambda order: {"partner_id": self.bad_customer.id},
            "lower price": lambda order: {
                "order_line": [Command.update(order.order_line.id, {"price_unit": 1})]
            },
            "more pieces": lambda order: {
                "order_line": [
                    Command.update(order.order_line.id, {"product_uom_qty": 14})
                ]
            },
        }
        for label, change in attempts.items():
            with self.subTest(label):
                order = self._approve(self._order(qty=10))
                with self.assertRaises(UserError):
                    self._as_sales(order).write(dict(change(order), state="sale"))
                self._assert_untouched(order)
                self.assertEqual(order.partner_id, self.customer)
                self.assertEqual(order.order_line.price_unit, 1000.0)
                self.assertEqual(order.order_line.product_uom_qty, 10)
                self.assertEqual(order.approval_state, "approved")

    # ------------------------------------------------------------------
    # Contract coverage
    # ------------------------------------------------------------------
    def _signed_contract(self, order):
        contract = (
            self.env["sale.contract"]
            .with_user(self.salesperson)
            ._create_from_orders(order)
        )
        contract.action_submit()
        contract.with_user(self.head_user).action_approve()
        contract.with_user(self.legal_user).action_approve()
        self.env["sale.contract.sign"].with_user(self.salesperson).create(
            {
                "contract_id": contract.id,
                "customer_signatory": "王总",
                "signed_file": "JVBERi0xLjQK",
                "signed_filename": "signed.pdf",
            }
        ).action_sign()
        self.assertEqual(contract.state, "signed")
        return contract

    def test_contract_created_signed_is_refused(self):
        Contract = self.env["sale.contract"].with_user(self.salesperson)
        order = self._order(qty=60, partner=self.big_customer)
        for forged in (
            {"state": "signed"},
            {"state": "approved"},
            {"approval_state": "approved"},
            {"archive_number": "ARCH-1"},
            {"sign_date": fields.Date.today()},
        ):
            with self.subTest(forged=forged), self.assertRaises(UserError):
                Contract.create(
                    {
                        "partner_id": self.big_customer.id,
                        "currency_id": order.currency_id.id,
                        "order_ids": [Command.set(order.ids)],
                        **forged,
                    }
                )
        self.assertFalse(order.contract_ids)

    def test_other_orders_contract_cannot_be_linked(self):
        signed_for = self._approve(self._order(qty=60, partner=self.big_customer))
        self._signed_contract(signed_for)
        other = self._approve(self._order(qty=60, partner=self.big_customer))
        with self.assertRaises(AccessError):
            self._as_sales(other).write(
                {"contract_ids": [Command.link(signed_for.contract_ids.id)]}
            )
        self.assertFalse(other.contract_ids)
        with self.assertRaisesRegex(UserError, "needs a sales contract"):
            self._as_sales(other).action_confirm()
        self._assert_untouched(other)

    def test_order_grown_beyond_its_contract_is_refused(self):
        order = self._order(qty=60, partner=self.big_customer)
        self._approve(order)
        contract = self._signed_contract(order)
        # The order grows after signing (and is reviewed again): 60 to 200.
        self._as_sales(order.order_line).write({"product_uom_qty": 200})
        self._approve(order)
        with self.assertRaisesRegex(UserError, "larger than its contract"):
            self._as_sales(order).action_confirm()
        self._assert_untouched(order)
        # Within the tolerance (5 %) it passes.
        self._as_sales(order.order_line).write({"product_uom_qty": 62})
        self._approve(order)
        self._as_sales(order).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.contract_ids, contract)

    # ------------------------------------------------------------------
    # Discount authority reads the effective discount
    # ------------------------------------------------------------------
    def _discount_step(self, order):
        steps = order._get_approval_steps()
        return [step for step in steps if step["name"].startswith("Discount")]

    def test_lowered_unit_price_counts_as_a_discount(self):
        order = self._order(price_unit=880.0, discount_reason="Project price")
        self.assertEqual(list(order._get_discount_excess().values()), [12.0])
        step = self._discount_step(order)
        self.assertEqual(
            step[0]["group_id"],
            self.env.ref("sale_process_control.group_sale_director").id,
        )
        # Half the list price is beyond every role.
        self._as_sales(order.order_line).write({"price_unit": 500.0})
        with self.assertRaisesRegex(UserError, "exceeds the authority of every role"):
            self._as_sales(order).action_submit_for_approval()

    def test_negative_rebate_line_counts_for_the_whole_order(self):
        order = self._order(qty=10, discount_reason="Volume")
        rebate = self.env["product.product"].create(
            {"name": "Rebate", "type": "service", "list_price": 0.0}
        )
        self._as_sales(order).write(
            {
                "order_line": [
                    Command.create(
                        {
                            "product_id": rebate.id,
                            "price_unit": -2000.0,
                            "tax_id": [Command.clear()],
                            "discount_reason": "Year-end rebate",
                        }
                    )
                ]
            }
        )
        excess = order._get_discount_excess()
        rebate_line = order.order_line.filtered(lambda line: line.price_unit < 0)
        self.assertEqual(excess, {rebate_line: 20.0})
        self.assertEqual(
            self._discount_step(order)[0]["group_id"],
            self.env.ref("sale_process_control.group_sale_management").id,
        )

    def test_fixed_price_pricelist_counts_as_a_discount(self):
        self._enable_pricelists()
        cheap = self.env["product.pricelist"].create(
            {
                "name": "Staff prices",
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "0_product_variant",
                            "product_id": self.product.id,
                            "compute_price": "fixed",
                            "fixed_price": 500.0,
                        }
                    )
                ],
            }
        )
        order = self._order()
        self.assertFalse(order._get_discount_excess())
        self._as_sales(order).write({"pricelist_id": cheap.id})
        self._as_sales(order).action_update_prices()
        self.assertEqual(order.order_line.price_unit, 500.0)
        self.assertEqual(list(order._get_discount_excess().values()), [50.0])
        # The customer's own pricelist is set by a sales administrator only.
        with self.assertRaisesRegex(UserError, "set by a sales administrator"):
            self._as_sales(self.customer).write(
                {"property_product_pricelist": cheap.id}
            )
        self.customer.with_user(self.sale_manager).write(
            {"property_product_pricelist": cheap.id}
        )
        self.assertFalse(order._get_discount_excess())

    def test_larger_unit_for_the_same_price_counts_as_a_discount(self):
        dozen = self.env.ref("uom.product_uom_dozen")
        order = self._order(qty=2)
        self._as_sales(order.order_line).write(
            {"product_uom": dozen.id, "price_unit": 1000.0}
        )
        # 2 dozen at the price of 2 units: 1,000 a dozen against 12,000.
        self.assertEqual(list(order._get_discount_excess().values()), [91.67])

    def test_discount_within_authority_needs_no_approval(self):
        self.assertFalse(self._order()._get_discount_excess())
        small = self._order(discount=5.0)
        self.assertFalse(small._get_discount_excess())
        large = self._order(discount=8.0)
        self.assertEqual(list(large._get_discount_excess().values()), [8.0])

    # ------------------------------------------------------------------
    # A confirmed order keeps what was approved
    # ------------------------------------------------------------------
    def test_confirmed_order_keeps_its_prices_and_discounts(self):
        order = self._approve(self._order(qty=5))
        self._as_sales(order).action_confirm()
        line = order.order_line
        for change in (
            {"discount": 60.0},
            {"price_unit": 10.0},
            {"tax_id": [Command.set(self.tax.ids)]},
            {"product_uom": self.env.ref("uom.product_uom_dozen").id},
        ):
            with (
                self.subTest(change=list(change)),
                self.assertRaisesRegex(UserError, "is confirmed"),
            ):
                self._as_sales(line).write(change)
        with self.assertRaisesRegex(UserError, "is confirmed"):
            self._as_sales(order).write({"partner_id": self.bad_customer.id})
        with self.assertRaisesRegex(UserError, "is confirmed"):
            self._as_sales(order).action_update_prices()
        line.invalidate_recordset()
        self.assertEqual((line.price_unit, line.discount), (1000.0, 0.0))
        self.assertEqual(order.partner_id, self.customer)
        # A new line at a discount beyond authority waits for a quotation.
        with self.assertRaisesRegex(UserError, "above the salesperson's authority"):
            self._as_sales(order).write(
                {
                    "order_line": [
                        Command.create(
                            {"product_id": self.product.id, "discount": 40.0}
                        )
                    ]
                }
            )
        # More of the same at the approved price is Odoo's own business.
        self._as_sales(line).write({"product_uom_qty": 6})
        self.assertEqual(line.product_uom_qty, 6)

    # ------------------------------------------------------------------
    # Changes after approval reset it
    # ------------------------------------------------------------------
    def test_material_changes_after_approval_reset_it(self):
        other_address = self.env["res.partner"].create(
            {
                "name": "Other address",
                "parent_id": self.customer.id,
                "type": "other",
                "street": "9 Other Road",
                "city": "Wuxi",
            }
        )
        changes = {
            "unit": lambda o: self._as_sales(o.order_line).write(
                {"product_uom": self.env.ref("uom.product_uom_dozen").id}
            ),
            "taxes": lambda o: self._as_sales(o.order_line).write(
                {"tax_id": [Command.set(self.tax.ids)]}
            ),
            "delivery date": lambda o: self._as_sales(o).write(
                {"commitment_date": fields.Datetime.now() + timedelta(days=90)}
            ),
            "invoice address": lambda o: self._as_sales(o).write(
                {"partner_invoice_id": other_address.id}
            ),
            "delivery address": lambda o: self._as_sales(o).write(
                {"partner_shipping_id": other_address.id}
            ),
        }
        for label, change in changes.items():
            with self.subTest(label):
                order = self._approve(self._order(qty=2))
                change(order)
                self.assertEqual(order.approval_state, "none", label)
                with self.assertRaisesRegex(UserError, "review"):
                    self._as_sales(order).action_confirm()
                self._assert_untouched(order)

    # ------------------------------------------------------------------
    # Credit releases and holds
    # ------------------------------------------------------------------
    def _held(self, qty=20, partner=None):
        order = self._approve(self._order(qty=qty, partner=partner))
        self._as_sales(order).action_confirm()
        self.assertTrue(order.credit_hold)
        return order

    def _release(self, order, days=7):
        return (
            self.env["sale.credit.release"]
            .with_user(self.finance_user)
            .create(
                {"order_id": order.id, "reason": "Guarantee received", "days": days}
            )
        )

    def test_release_is_bound_to_its_customer(self):
        order = self._held()
        release = self._release(order)
        self.assertEqual(release.partner_id, self.customer)
        self.assertEqual(order._get_valid_credit_release(), release)
        # The quotation moves to the grade-D customer: the release stays behind.
        self._as_sales(order).write({"partner_id": self.bad_customer.id})
        self.assertFalse(order._get_valid_credit_release())
        self._approve(order)
        self._as_sales(order).action_confirm()
        self._assert_untouched(order)
        self.assertIn("grade D", order.credit_hold_reasons)

    def test_release_covers_its_amount_within_the_tolerance(self):
        order = self._held(qty=20)
        self._release(order)
        self._as_sales(order.order_line).write({"product_uom_qty": 22})
        self._approve(order)
        self._as_sales(order).action_confirm()
        self._assert_untouched(order)
        self._as_sales(order.order_line).write({"product_uom_qty": 21})
        self._approve(order)
        self._as_sales(order).action_confirm()
        self.assertEqual(order.state, "sale")

    def test_forged_move_or_picking_state_does_not_deliver(self):
        # Confirmed within the limit; the customer then goes over it.
        order = self._approve(self._order(qty=10))
        self._as_sales(order).action_confirm()
        self.assertEqual(order.state, "sale")
        self.customer.sudo().with_company(self.company).credit_limit = 100.0
        picking = order.picking_ids
        picking.move_ids.write({"quantity": 10, "picked": True})
        for attempt in (
            lambda: picking.move_ids.write({"state": "done", "quantity": 10}),
            lambda: picking.write({"state": "done"}),
            lambda: picking.button_validate(),
        ):
            with self.assertRaisesRegex(UserError, "cannot be validated"):
                attempt()
        picking.invalidate_recordset()
        self.assertNotEqual(picking.state, "done")
        self.assertEqual(order.order_line.qty_delivered, 0.0)

    # ------------------------------------------------------------------
    # Portal: the customer's signature meets the same gate
    # ------------------------------------------------------------------
    def test_portal_confirmation_meets_the_gate(self):
        order = self._order()
        portal_order = order.sudo()
        self.assertFalse(portal_order._has_to_be_signed())
        self.assertFalse(portal_order._has_to_be_paid())
        with self.assertRaisesRegex(UserError, "before its review is approved"):
            portal_order.action_confirm()
        self._assert_untouched(order)


@tagged("post_install", "-at_install")
class TestDecisionsAreNotGivenAtCreate(GateCommon):
    """A request's status and decision, and a customer's credit limit, are set
    by their decisions only, never by the values of a create."""

    def test_credit_limit_request_created_in_force_is_refused(self):
        Request = self.env["sale.credit.limit.request"].with_user(self.salesperson)
        vals = {
            "partner_id": self.customer.id,
            "proposed_limit": 7_777_777.0,
            "reason": "Forged",
        }
        for forged in (
            {"state": "approved", "valid_until": fields.Date.today()},
            {"state": "review"},
            {"previous_limit": 7_777_777.0},
            {"approved_date": fields.Datetime.now()},
        ):
            with (
                self.subTest(forged=list(forged)),
                self.assertRaisesRegex(UserError, "starts as a draft"),
            ):
                Request.create(dict(vals, **forged))
        request = Request.with_context(default_state="approved").create(vals)
        self.assertEqual(request.state, "draft")
        # The daily expiry job finds nothing in force to expire.
        self.env["sale.credit.limit.request"]._cron_expire_temporary_limits()
        self.assertEqual(self.customer.with_company(self.company).credit_limit, 15000.0)

    def test_customer_created_with_a_credit_limit_is_refused(self):
        Partner = self.env["res.partner"].with_user(self.salesperson)
        for forged in (
            {"credit_limit": 9_999_999.0},
            {"use_partner_credit_limit": True, "credit_limit": 1.0},
            {"credit_grade": "A"},
        ):
            with self.subTest(forged=list(forged)), self.assertRaises(UserError):
                Partner.create(dict({"name": "Forged Limit Ltd"}, **forged))
        self.assertFalse(
            self.env["res.partner"].search([("name", "=", "Forged Limit Ltd")])
        )
        partner = Partner.create({"name": "Plain New Customer", "credit_limit": 0.0})
        self.assertFalse(partner.with_company(self.company).credit_limit)
