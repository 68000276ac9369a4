# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
"""The sales flow through the ORM, each step at a given (frozen) time.

The generator builds its row templates from orders made here, and verify.py
makes the ORM twin of a generated order here, so both go through one path.
"""

from freezegun import freeze_time

from odoo import Command


def customer_values(index, user_id, country_id):
    """Values of generated customer `index` (the generator writes the same)."""
    number = index + 1
    return {
        "name": f"Bench Customer {number:06d}",
        "ref": f"BC{number:06d}",
        "is_company": True,
        "email": f"customer{number:06d}@bench.example.com",
        "phone": f"+8621{number:08d}",
        "street": f"{number % 997 + 1} Bench Road",
        "city": CITIES[index % len(CITIES)],
        "zip": f"{200000 + number % 99991:06d}",
        "country_id": country_id,
        "user_id": user_id,
    }


CITIES = ("Shanghai", "Beijing", "Shenzhen", "Hangzhou", "Suzhou", "Wuhan", "Chengdu")


def create_customer(env, index, user_id, at):
    country = env.ref("base.cn")
    with freeze_time(at):
        return env["res.partner"].create(customer_values(index, user_id, country.id))


def run_order_flow(env, partner, lines, times, pay_amount=None, payment_term=None):
    """Quotation -> confirmed -> delivered -> invoiced (-> paid), like a user.

    `lines` are (product, quantity) pairs; `times` maps quote, confirm, deliver,
    invoice and pay to naive UTC datetimes; `pay_amount` (None: no payment) is
    registered against the invoice (a callable gets the invoice), the rest left
    open. Each step ends with a flush of the cursor, as the end of a request
    would (tracking messages and their notifications run then).
    """
    with freeze_time(times["quote"]):
        order = env["sale.order"].create(
            {
                "partner_id": partner.id,
                "payment_term_id": payment_term.id if payment_term else False,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": qty})
                    for product, qty in lines
                ],
            }
        )
        env.cr.flush()
    with freeze_time(times["confirm"]):
        order.action_confirm()
        env.cr.flush()
    with freeze_time(times["deliver"]):
        for picking in order.picking_ids:
            picking.action_assign()
            for move in picking.move_ids:
                move.quantity = move.product_uom_qty
            result = picking.with_context(skip_sms=True).button_validate()
            if result is not True or picking.state != "done":
                raise RuntimeError(f"{picking.name} was not validated: {result}")
        env.cr.flush()
    with freeze_time(times["invoice"]):
        invoice = order._create_invoices()
        invoice.action_post()
        env.cr.flush()
    if callable(pay_amount):
        pay_amount = invoice.currency_id.round(pay_amount(invoice))
    if pay_amount:
        with freeze_time(times["pay"]):
            wizard = (
                env["account.payment.register"]
                .with_context(active_model="account.move", active_ids=invoice.ids)
                .create({"amount": pay_amount, "payment_difference_handling": "open"})
            )
            wizard._create_payments()
            env.cr.flush()
    return order
