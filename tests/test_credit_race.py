# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
import threading
from contextlib import contextmanager
from datetime import timedelta
from unittest.mock import patch

from psycopg2 import errors as pg_errors

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.exceptions import UserError
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.tests import BaseCase, get_db_name, tagged
from odoo.tools import mute_logger

from odoo.addons.sale_process_control.models import sale_order_credit

SWITCHES = (
    "sale_credit_control_enabled",
    "sale_review_enabled",
    "sale_discount_control_enabled",
    "sale_contract_required",
)


@tagged("post_install", "-at_install")
class TestCreditRace(BaseCase):
    """Two orders of one customer confirmed at the same moment cannot both pass
    when together they exceed the limit: the check runs under a row lock on the
    commercial partner. Two real cursors, real commits (cleaned up after)."""

    def setUp(self):
        super().setUp()
        self.registry = Registry(get_db_name())
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env.company
            self.company_id = company.id
            self.previous_switches = {name: company[name] for name in SWITCHES}
            # Only credit control: the race is about the credit check.
            company.write(
                {name: name == "sale_credit_control_enabled" for name in SWITCHES}
            )
            partner = env["res.partner"].create(
                {"name": "Race Customer", "is_company": True}
            )
            partner.with_company(company).write(
                {
                    "credit_limit": 1000.0,
                    "credit_grade": "A",
                    "credit_grade_valid_until": fields.Date.today()
                    + timedelta(days=30),
                }
            )
            product = env["product.product"].create(
                {
                    "name": "Race Product",
                    "list_price": 600.0,
                    "taxes_id": [Command.clear()],
                }
            )
            self.partner_id, self.product_id = partner.id, product.id
            self.order_ids = []
            self.order_ids = self._new_orders(env, 2)
        self.addCleanup(self._cleanup)

    def _new_orders(self, env, count):
        orders = env["sale.order"].create(
            [
                {
                    "partner_id": self.partner_id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.product_id, "tax_id": [Command.clear()]}
                        )
                    ],
                }
                for _i in range(count)
            ]
        )
        self.order_ids += orders.ids
        return orders.ids

    def _cleanup(self):
        # The switch first and on its own: other tests must find it as it was.
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["res.company"].browse(self.company_id).write(self.previous_switches)
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            orders = env["sale.order"].browse(self.order_ids).exists()
            env["sale.credit.lock"].search(
                [("partner_id", "=", self.partner_id)]
            ).unlink()
            orders.picking_ids.action_cancel()
            orders._action_cancel()
            orders.unlink()
            # Cancelled stock moves keep referring to them: archive, do not delete.
            env["product.product"].browse(
                self.product_id
            ).product_tmpl_id.active = False
            env["res.partner"].browse(self.partner_id).active = False

    @contextmanager
    def _two_transactions(self):
        """Two real cursors, as two requests would have, closed afterwards."""
        cr1 = self.registry.cursor()
        cr2 = self.registry.cursor()
        try:
            yield (
                api.Environment(cr1, SUPERUSER_ID, {}),
                api.Environment(cr2, SUPERUSER_ID, {}),
            )
        finally:
            cr1.close()
            cr2.close()

    def test_simultaneous_confirmations_cannot_both_pass(self):
        first_id, second_id = self.order_ids
        with self._two_transactions() as (env1, env2):
            cr1, cr2 = env1.cr, env2.cr
            first = env1["sale.order"].browse(first_id)
            first.action_confirm()
            self.assertEqual(first.state, "sale", "600 of 1000: the first order passes")

            # The first transaction is not committed: the second confirmation
            # must wait for it, and here gives up after a short wait.
            second = env2["sale.order"].browse(second_id)
            with (
                patch.object(sale_order_credit, "CREDIT_LOCK_TIMEOUT_MS", 200),
                mute_logger("odoo.sql_db"),
                self.assertRaisesRegex(UserError, "being confirmed right now"),
            ):
                second.action_confirm()
            # The refusal leaves the transaction usable.
            cr2.execute("SELECT 1")
            self.assertEqual(cr2.fetchone(), (1,))
            cr2.rollback()

            cr1.commit()
            env2.invalidate_all()
            second = env2["sale.order"].browse(second_id)
            second.action_confirm()
            self.assertEqual(second.state, "draft")
            self.assertTrue(second.credit_hold, "together they exceed the limit")
            self.assertIn("exceeds the credit limit", second.credit_hold_reasons)
            cr2.commit()

    def test_confirmation_on_an_older_snapshot_is_run_again(self):
        """The second transaction took its snapshot before the first committed:
        the lock alone would let it pass on figures that miss the first order.
        The written lock row refuses it with a serialization failure, and run
        again (as Odoo runs a request again) it counts the first order."""
        first_id, second_id = self.order_ids
        with self._two_transactions() as (env1, env2):
            cr1, cr2 = env1.cr, env2.cr
            # The second request starts (and reads) before the first commits.
            self.assertEqual(env2["sale.order"].browse(second_id).state, "draft")
            env1["sale.order"].browse(first_id).action_confirm()
            cr1.commit()

            second = env2["sale.order"].browse(second_id)
            with (
                mute_logger("odoo.sql_db"),
                self.assertRaises(pg_errors.SerializationFailure),
            ):
                second.action_confirm()
            cr2.rollback()
            env2.invalidate_all()

            # The same call through Odoo's request retry: a fresh snapshot.
            cr2.execute("SELECT 1")  # a new snapshot, taken before the retry
            with (
                patch("odoo.service.model.time.sleep"),
                mute_logger("odoo.sql_db", "odoo.service.model"),
            ):
                retrying(
                    lambda: env2["sale.order"].browse(second_id).action_confirm(),
                    env2,
                )
            second = env2["sale.order"].browse(second_id)
            self.assertEqual(second.state, "draft")
            self.assertTrue(second.credit_hold)
            self.assertIn("exceeds the credit limit", second.credit_hold_reasons)

    def test_two_users_confirming_at_once_never_both_pass(self):
        """Two threads, each its own cursor, confirm one order each at the same
        moment, through Odoo's retry as two HTTP requests would: in every round
        exactly one is confirmed and the other is held for finance."""
        rounds = 20
        for round_no in range(rounds):
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                # The customer's earlier confirmed orders are delivered and
                # paid in full: only this round's two orders count.
                env["sale.order"].browse(self.order_ids).filtered(
                    lambda o: o.state == "sale"
                ).with_context(disable_cancel_warning=True)._action_cancel()
                pair = self._new_orders(env, 2)
            barrier = threading.Barrier(2, timeout=30)
            outcomes = {}

            def confirm(order_id):
                with self.registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    try:
                        # Both snapshots are taken before either confirms.
                        env["sale.order"].browse(order_id).state  # noqa: B018
                        barrier.wait()
                        retrying(
                            lambda: env["sale.order"].browse(order_id).action_confirm(),
                            env,
                        )
                        outcomes[order_id] = "done"
                    except Exception as error:  # reported below
                        outcomes[order_id] = repr(error)

            registry = self.registry
            with (
                patch("odoo.service.model.time.sleep"),
                # The test runner holds the registry lock while tests run; the
                # threads (as HTTP workers would) use the loaded registry.
                patch.object(
                    Registry, "__new__", staticmethod(lambda cls, db_name: registry)
                ),
                mute_logger("odoo.sql_db", "odoo.service.model"),
            ):
                threads = [
                    threading.Thread(target=confirm, args=(order_id,))
                    for order_id in pair
                ]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join(60)
            self.assertEqual(outcomes, dict.fromkeys(pair, "done"), round_no)
            with self.registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                orders = env["sale.order"].browse(pair)
                self.assertEqual(
                    sorted(orders.mapped("state")), ["draft", "sale"], round_no
                )
                self.assertEqual(
                    orders.filtered("credit_hold").mapped("state"), ["draft"], round_no
                )
