# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
"""The history to generate, decided up front and reproducible from a seed.

Every order is confirmed, delivered in full, invoiced in full, and then paid in
full, paid in part or not paid (overdue once its due date has passed). Times are
naive UTC seconds since the epoch, as Odoo stores them.
"""

import bisect
import datetime
import random
from array import array
from dataclasses import dataclass

DAY = 86400
HOUR = 3600
# Quantities per line and how often each occurs.
QUANTITIES = (1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50)
QUANTITY_WEIGHTS = (14, 14, 11, 9, 9, 6, 6, 7, 4, 4, 5, 3, 3, 3, 2)
PARTIAL_FRACTIONS = (0.3, 0.5, 0.7)
PAID, PARTIAL, UNPAID = 1, 2, 0
PAYMENT_TERM_DAYS = 30


@dataclass
class Scale:
    customers: int
    orders: int
    lines_per_order: int = 5
    products: int = 40
    salespeople: int = 12
    teams: int = 3
    days: int = 540
    seed: int = 2026


SCALES = {
    # A few minutes on a laptop: 2,000 customers, 20,000 orders, ~100,000 lines.
    "small": Scale(customers=2000, orders=20000),
    # The figures of the performance issues: ~1,000,000 order lines.
    "large": Scale(customers=100000, orders=200000),
}


def to_datetime(seconds):
    return datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=seconds)


def to_seconds(value):
    return int((value - datetime.datetime(1970, 1, 1)).total_seconds())


class Plan:
    """Per order: customer, times of each step, payment shape and lines."""

    def __init__(self, scale, today=None):
        self.scale = scale
        today = today or datetime.date.today()
        self.today = today
        self.end = to_seconds(datetime.datetime.combine(today, datetime.time())) - DAY
        self.start = self.end - scale.days * DAY
        rng = random.Random(scale.seed)
        self._plan_customers(rng)
        self._plan_orders(rng)
        self._plan_lines(rng)
        self._plan_payments(rng)
        self._number_documents()

    # ------------------------------------------------------------------
    def _plan_customers(self, rng):
        scale = self.scale
        # Salesperson of each customer, and a skewed share of the orders: a few
        # customers buy a lot, many buy a little, some never.
        self.customer_user = array(
            "H", (rng.randrange(scale.salespeople) for _ in range(scale.customers))
        )
        self.customer_created = array(
            "q",
            (
                self.start - rng.randrange(2 * DAY, 400 * DAY)
                for _ in range(scale.customers)
            ),
        )
        weights = [1.0 / (rank + 1) ** 0.9 for rank in range(scale.customers)]
        rng.shuffle(weights)
        total = 0.0
        self.customer_cum_weights = []
        for weight in weights:
            total += weight
            self.customer_cum_weights.append(total)

    def _plan_orders(self, rng):
        scale = self.scale
        first_day = self.start // DAY + 1
        last_day = (self.end - 8 * DAY) // DAY
        confirms = sorted(
            rng.randrange(first_day, last_day + 1) * DAY
            + rng.randrange(HOUR, 10 * HOUR)
            for _ in range(scale.orders)
        )
        self.quote = array("q")
        self.confirm = array("q")
        self.deliver = array("q")
        self.invoice = array("q")
        for confirm in confirms:
            quote = confirm - rng.randrange(600, 2 * DAY)
            deliver = confirm + rng.randrange(2 * HOUR, 5 * DAY)
            invoice = deliver + rng.randrange(600, 2 * DAY)
            self.quote.append(quote)
            self.confirm.append(confirm)
            self.deliver.append(deliver)
            self.invoice.append(invoice)
        # Orders are named and generated in the order they were created.
        order = sorted(range(scale.orders), key=self.quote.__getitem__)
        for name in ("quote", "confirm", "deliver", "invoice"):
            values = getattr(self, name)
            setattr(self, name, array("q", (values[i] for i in order)))
        cum = self.customer_cum_weights
        top = cum[-1]
        self.customer = array(
            "l",
            (
                min(bisect.bisect(cum, rng.random() * top), scale.customers - 1)
                for _ in range(scale.orders)
            ),
        )

    def _plan_lines(self, rng):
        scale = self.scale
        self.line_start = array("l", [0])
        self.line_product = array("H")
        self.line_qty = array("H")
        most = min(scale.products, 2 * scale.lines_per_order - 1)
        for _index in range(scale.orders):
            count = rng.randint(1, most)
            for product in rng.sample(range(scale.products), count):
                self.line_product.append(product)
                self.line_qty.append(rng.choices(QUANTITIES, QUANTITY_WEIGHTS)[0])
            self.line_start.append(len(self.line_product))

    def _plan_payments(self, rng):
        """Old invoices are mostly paid; recent ones mostly open."""
        today = self.end + DAY
        self.shape = array("b")
        self.pay_fraction = array("d")
        self.pay = array("q")
        for index in range(self.scale.orders):
            invoice = self.invoice[index]
            due = invoice // DAY * DAY + PAYMENT_TERM_DAYS * DAY
            draw = rng.random()
            if due < today:
                shape = PAID if draw < 0.85 else PARTIAL if draw < 0.92 else UNPAID
            else:
                shape = PAID if draw < 0.30 else PARTIAL if draw < 0.40 else UNPAID
            pay = invoice + rng.randrange(3 * DAY, 45 * DAY)
            if shape != UNPAID and pay >= self.end:
                pay = rng.randrange(invoice + HOUR, self.end)
            self.shape.append(shape)
            self.pay_fraction.append(
                1.0
                if shape == PAID
                else rng.choice(PARTIAL_FRACTIONS)
                if shape == PARTIAL
                else 0.0
            )
            self.pay.append(pay if shape != UNPAID else 0)

    def _number_documents(self):
        """Rank of each document in the order the ORM would have numbered it."""
        orders = range(self.scale.orders)
        self.picking_rank = _ranks(orders, self.confirm, yearly=False)
        self.invoice_rank = _ranks(orders, self.invoice)
        paid = [index for index in orders if self.shape[index] != UNPAID]
        self.payment_rank = _ranks(paid, self.pay)

    # ------------------------------------------------------------------
    def lines(self, index):
        start, stop = self.line_start[index], self.line_start[index + 1]
        return [(self.line_product[i], self.line_qty[i]) for i in range(start, stop)]

    @property
    def line_count(self):
        return len(self.line_product)

    def delivered_per_product(self):
        totals = [0] * self.scale.products
        for product, qty in zip(self.line_product, self.line_qty, strict=True):
            totals[product] += qty
        return totals

    def documents_per_customer(self):
        """Posted invoices and payments per customer (the ORM's customer_rank)."""
        counts = [0] * self.scale.customers
        for index in range(self.scale.orders):
            counts[self.customer[index]] += 1 if self.shape[index] == UNPAID else 2
        return counts

    def year_counts(self, times, indexes):
        """Documents per calendar year, for the per-year sequences."""
        counts = {}
        for index in indexes:
            year = to_datetime(times[index]).year
            counts[year] = counts.get(year, 0) + 1
        return counts


def _ranks(indexes, times, yearly=True):
    """index -> (year, rank within that year, or overall) in chronological order."""
    ranks = {}
    per_year = {}
    for index in sorted(indexes, key=lambda i: (times[i], i)):
        year = to_datetime(times[index]).year if yearly else 0
        per_year[year] = per_year.get(year, 0) + 1
        ranks[index] = (year, per_year[year])
    return ranks
