# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
"""The registry of benchmark figures.

A figure is a function of (env, ctx) registered under a name:

    @figure("credit_check_ms", unit="ms")
    def credit_check(env, ctx):
        ...
        return 12.5                      # or {"value": 12.5, "orders": 10}

`env` is an ORM environment (administrator) on the bench database, in a
transaction that is rolled back afterwards, so figures never change the data
set; `ctx` holds what was generated (customers, orders, lines, first ids,
product and salesperson ids; see generator._finish_orm). Each figure prints as
one JSON line: {"figure": name, "value": ..., "unit": ..., ...}. Run a subset
with `make bench ARGS="--reuse --only credit_check_ms"`.
"""

import time

FIGURES = {}


def figure(name, unit=None):
    def register(function):
        if name in FIGURES:
            raise ValueError(f"figure {name} is registered twice")
        FIGURES[name] = (function, unit)
        return function

    return register


class Timer:
    """with Timer() as timer: ...; timer.seconds"""

    def __enter__(self):
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.started


@figure("orm_orders_per_second", unit="orders/s")
def orm_orders_per_second(env, ctx):
    """Plain ORM speed on the loaded database: create and confirm 20 orders of 5
    lines for generated customers (the reason the history is written by COPY)."""
    from odoo import Command

    first = ctx["first_ids"]["partner"]
    customers = ctx["customers"]
    partners = [first + (number * 7) % customers for number in range(22)]
    products = ctx["product_ids"][:5]

    def sell(partner):
        order = env["sale.order"].create(
            {
                "partner_id": partner,
                "order_line": [
                    Command.create({"product_id": product, "product_uom_qty": 2})
                    for product in products
                ],
            }
        )
        order.action_confirm()

    for partner in partners[:2]:  # warm the caches up
        sell(partner)
    env.cr.flush()
    with Timer() as timer:
        for partner in partners[2:]:
            sell(partner)
        env.cr.flush()
    return {
        "value": round((len(partners) - 2) / timer.seconds, 1),
        "orders": len(partners) - 2,
        "lines_per_order": len(products),
    }
