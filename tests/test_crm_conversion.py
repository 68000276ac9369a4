# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from freezegun import freeze_time

from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCrmConversion(TransactionCase):
    """R-11: conversion = won / closed opportunities per salesperson and period."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alice = new_test_user(
            cls.env, "spc_conv_alice", groups="sales_team.group_sale_salesman"
        )
        cls.bob = new_test_user(
            cls.env, "spc_conv_bob", groups="sales_team.group_sale_salesman"
        )
        cls.won_stage = cls.env["crm.stage"].search([("is_won", "=", True)], limit=1)
        Lead = cls.env["crm.lead"]

        def opportunity(user, outcome, day):
            with freeze_time(day):
                lead = Lead.create(
                    {
                        "name": f"{user.login} {outcome} {day}",
                        "type": "opportunity",
                        "user_id": user.id,
                    }
                )
                if outcome == "won":
                    lead.action_set_won()
                elif outcome == "lost":
                    lead.action_set_lost()
            return lead

        # Alice: 3 won, 1 lost in March; 1 won in April (other period); 1 still open.
        for day in ("2026-03-02", "2026-03-10", "2026-03-31 23:00:00"):
            opportunity(cls.alice, "won", day)
        opportunity(cls.alice, "lost", "2026-03-15")
        opportunity(cls.alice, "won", "2026-04-01")
        opportunity(cls.alice, "open", "2026-03-05")
        # Bob: only lost in March.
        opportunity(cls.bob, "lost", "2026-03-03")
        opportunity(cls.bob, "lost", "2026-03-04")

    def test_conversion_per_salesperson_and_period(self):
        figures = self.env["crm.lead"]._get_conversion_by_salesperson(
            "2026-03-01", "2026-04-01"
        )
        self.assertEqual(figures[self.alice.id], {"won": 3, "closed": 4, "rate": 75.0})
        self.assertEqual(figures[self.bob.id], {"won": 0, "closed": 2, "rate": 0.0})

    def test_no_closed_opportunity_means_no_figure(self):
        figures = self.env["crm.lead"]._get_conversion_by_salesperson(
            "2025-01-01", "2025-02-01"
        )
        self.assertEqual(figures, {})

    def test_single_query_whatever_the_team_size(self):
        self.env["crm.lead"]._get_conversion_by_salesperson("2026-03-01", "2026-04-01")
        with self.assertQueryCount(1):
            self.env["crm.lead"]._get_conversion_by_salesperson(
                "2026-03-01", "2026-04-01"
            )
