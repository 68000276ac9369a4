# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from datetime import timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .test_receivable_aging import NOON, TODAY, ReceivableAgingCommon

AGGREGATES = [
    "__count",
    "amount_residual:sum",
    "amount_overdue:sum",
    "amount_not_due:sum",
    "amount_band_1:sum",
    "amount_band_2:sum",
    "amount_older:sum",
    "days_overdue:max",
]
GROUPINGS = (
    ["partner_id"],
    ["band"],
    ["user_id", "band"],
    ["date_maturity:month"],
    ["company_id", "team_id"],
)


@tagged("post_install", "-at_install")
class TestReceivableSummary(ReceivableAgingCommon):
    """The open receivables' summary behind the aging report and the credit
    check: the same figures as the journal items, before and after the fold,
    whatever changes the items."""

    def setUp(self):
        super().setUp()
        self.Cell = self.env["sale.receivable.open.cell"]
        self.Report = self.env["sale.receivable.aging.report"]

    def _both(self, groupby, domain=None, user=None):
        report = self.Report.with_user(user) if user else self.Report
        report.invalidate_model()
        summary = report._read_group(domain or [], groupby, AGGREGATES)
        items = report.with_context(aging_from_items=True)._read_group(
            domain or [], groupby, AGGREGATES
        )
        return summary, items

    def _assert_same_as_items(self, message):
        for groupby in GROUPINGS:
            summary, items = self._both(groupby)
            self.assertTrue(items, message)
            self.assertEqual(summary, items, f"{message}: by {groupby}")
        self.assertEqual(self.Cell._check_against_items(), [], message)

    def _marks(self):
        self.env.flush_all()
        self.env.cr.execute("SELECT COUNT(*) FROM sale_receivable_open_dirty")
        return self.env.cr.fetchone()[0]

    def _open_invoices(self):
        paid = self._invoice(600.0, -45)
        self._pay(paid, 250.0)
        split = self._invoice(1000.0, -70, term=self.split_term)
        refund = self._invoice(100.0, -5, move_type="out_refund")
        own = self._invoice(300.0, -5, partner=self.contact)
        other = self._invoice(
            200.0, 10, partner=self.other_customer, user=self.other_salesperson
        )
        self._invoice(700.0, -20, company=self.company_2)
        return paid, split, refund, own, other

    def test_groupings_answered_from_the_summary(self):
        ok = self.Report._summary_aggregates
        for groupby in GROUPINGS:
            self.assertIsNotNone(ok([], groupby, AGGREGATES, (), None), groupby)
        self.assertIsNotNone(
            ok([("partner_id", "=", self.customer.id)], ["band"], ["__count"], (), None)
        )
        # What the cells do not hold is read from the items.
        for groupby, aggregates, domain, order in (
            (["move_type"], ["__count"], [], None),
            (["move_id"], ["__count"], [], None),
            (["partner_id"], ["amount_residual:sum"], [("move_id", "=", 1)], None),
            (["partner_id"], ["amount_residual:sum"], [], "amount_residual desc"),
            (["partner_id"], ["invoice_date:max"], [], None),
        ):
            self.assertIsNone(ok(domain, groupby, aggregates, (), order), groupby)

    @freeze_time(NOON)
    def test_same_figures_as_the_items_before_and_after_the_fold(self):
        paid, split, refund, own, other = self._open_invoices()
        self.assertTrue(self._marks(), "new invoices mark their customers")
        self._assert_same_as_items("marked, before the fold")
        self.Cell._cron_fold_dirty()
        self.assertEqual(self._marks(), 0)
        self._assert_same_as_items("after the fold")

        # Every kind of change: a payment, a credit note matched with its
        # invoice, another salesperson on a posted invoice, an invoice back to
        # draft, another due date.
        self._pay(split, 500.0)
        (paid + refund).line_ids.filtered(
            lambda line: line.account_type == "asset_receivable"
        ).reconcile()
        own.invoice_user_id = self.other_salesperson
        other.button_draft()
        other.invoice_date_due = TODAY + timedelta(days=40)
        other.action_post()
        self.assertTrue(self._marks())
        self._assert_same_as_items("changed, before the fold")
        self.Cell._cron_fold_dirty()
        self._assert_same_as_items("changed, after the fold")

        # The aging itself, from the summary.
        [[customer, overdue, count]] = self.Report._read_group(
            [
                ("partner_id", "=", self.customer.id),
                ("company_id", "=", self.company.id),
            ],
            ["partner_id"],
            ["amount_overdue:sum", "__count"],
        )
        self.assertEqual(customer, self.customer)
        # 350 of the paid invoice less the matched credit note 100, the split's
        # 600 less 100 still open after 500, and the contact's 300.
        self.assertEqual(overdue, 250.0 + 500.0 + 300.0)
        self.assertEqual(count, 3)

    @freeze_time(NOON)
    def test_writes_that_do_not_change_figures_mark_nothing(self):
        invoice = self._invoice(400.0, -10)
        self.Cell._cron_fold_dirty()
        invoice.line_ids.write({"name": "Renamed"})
        invoice.ref = "Reference only"
        # A new contact of the customer has no open item of its own.
        self.env["res.partner"].create(
            {"name": "New Buyer", "parent_id": self.customer.id}
        )
        self.assertEqual(self._marks(), 0)
        invoice.invoice_user_id = self.other_salesperson
        self.assertEqual(self._marks(), 1)

    @freeze_time(NOON)
    def test_salespeople_see_their_own_customers_in_the_summary(self):
        self._open_invoices()
        self.Cell._cron_fold_dirty()
        summary, items = self._both(["partner_id"], user=self.salesperson)
        self.assertEqual(summary, items)
        self.assertEqual([row[0] for row in summary], [self.customer])
        summary, items = self._both(["partner_id"], user=self.other_salesperson)
        self.assertEqual(summary, items)
        self.assertEqual([row[0] for row in summary], [self.other_customer])

    @freeze_time(NOON)
    def test_credit_figures_from_the_summary(self):
        self._open_invoices()
        self.company.sale_credit_overdue_days = 30

        def figures():
            return self.customer._get_credit_figures(self.company)[self.customer.id]

        marked = figures()
        self.Cell._cron_fold_dirty()
        folded = figures()
        for key in (
            "receivable",
            "overdue",
            "overdue_beyond_tolerance",
            "overdue_days",
        ):
            self.assertAlmostEqual(marked[key], folded[key], msg=key)
        # 350 + 1000 - 100 + 300 open; overdue: all but the credit note; more
        # than 30 days: the 350 and the split's first 400.
        self.assertAlmostEqual(folded["receivable"], 1550.0)
        self.assertAlmostEqual(folded["overdue"], 1650.0)
        self.assertAlmostEqual(folded["overdue_beyond_tolerance"], 750.0)
        self.assertEqual(folded["overdue_days"], 70)

    @freeze_time(NOON)
    def test_check_finds_a_forged_cell_and_rebuild_mends_it(self):
        self._open_invoices()
        self.Cell._cron_fold_dirty()
        self.env.cr.execute(
            "UPDATE sale_receivable_open_cell SET amount_residual = amount_residual + 1"
            " WHERE id = (SELECT MIN(id) FROM sale_receivable_open_cell)"
        )
        self.assertEqual(len(self.Cell._check_against_items()), 1)
        # The report reads the cells: the forged amount shows until the rebuild.
        summary, items = self._both(["company_id"])
        self.assertNotEqual(summary, items)
        self.Cell._rebuild()
        self.assertEqual(self.Cell._check_against_items(), [])
        summary, items = self._both(["company_id"])
        self.assertEqual(summary, items)

    @freeze_time(NOON)
    def test_a_customer_changing_salesperson(self):
        """The cells hold the customer's salesperson for invoices without
        one: another salesperson is marked and seen at once."""
        self._invoice(300.0, -5, partner=self.contact)
        self._invoice(200.0, -5, partner=self.other_customer)
        self.Cell._cron_fold_dirty()

        def by_customer_and_salesperson():
            summary, items = self._both(["partner_id", "user_id"])
            self.assertEqual(summary, items)
            return {
                (row[0], row[1]): row[3]
                for row in summary
                if row[0] in (self.customer, self.other_customer)
            }

        self.assertEqual(
            by_customer_and_salesperson(),
            {
                (self.customer, self.salesperson): 300.0,
                (self.other_customer, self.other_salesperson): 200.0,
            },
        )
        self.other_customer.user_id = self.salesperson
        self.assertTrue(self._marks())
        for folded in (False, True):
            if folded:
                self.Cell._cron_fold_dirty()
            self.assertEqual(
                by_customer_and_salesperson(),
                {
                    (self.customer, self.salesperson): 300.0,
                    (self.other_customer, self.salesperson): 200.0,
                },
            )
