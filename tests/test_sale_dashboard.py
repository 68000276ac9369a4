# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import SaleProcessControlCommon

# Queries of one dashboard load, whatever the volume of data (the target card
# reads its targets in one search when there are none).
DASHBOARD_QUERIES = 23


@tagged("post_install", "-at_install")
class TestSaleDashboard(SaleProcessControlCommon):
    """The manager dashboard: content on hand-computed data, links to the
    records, access and a query count independent of the data volume."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller_2 = cls._create_role_user(
            "spc_dash_seller", "sales_team.group_sale_salesman"
        )
        cls.product_3 = cls.env["product.product"].create(
            {"name": "Dashboard Gear", "type": "service", "list_price": 10.0}
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Dashboard Customer", "is_company": True, "customer_rank": 1}
        )
        cls.order_1 = cls._order(
            cls.sale_user, [(cls.product, 300.0), (cls.product_3, 120.0)]
        )
        cls.order_2 = cls._order(cls.seller_2, [(cls.service_product, 50.0)])
        cls.held = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "order_line": [
                    Command.create({"product_id": cls.product_3.id, "price_unit": 75.0})
                ],
            }
        )
        cls.held.write({"credit_hold": True})
        today = fields.Date.context_today(cls.env.user)
        cls.invoice = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": cls.customer.id,
                "invoice_date": today - timedelta(days=60),
                "invoice_date_due": today - timedelta(days=30),
                "invoice_payment_term_id": False,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": cls.product_3.id,
                            "price_unit": 500.0,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        cls.invoice.action_post()

    @classmethod
    def _order(cls, user, lines, partner=None):
        order = cls.env["sale.order"].create(
            {
                "partner_id": (partner or cls.customer).id,
                "user_id": user.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": 1.0,
                            "price_unit": price,
                        }
                    )
                    for product, price in lines
                ],
            }
        )
        order.action_confirm()
        return order

    def _data(self, period="month"):
        return (
            self.env["sale.dashboard"]
            .with_user(self.head_user)
            .get_dashboard_data(period)
        )

    def _opens(self, action, records):
        """Whether the figure's action lists ``records``, as the head."""
        found = (
            self.env[action["res_model"]]
            .with_user(self.head_user)
            .search(action["domain"])
        )
        return records <= found if records._name == found._name else False

    def test_content(self):
        data = self._data()
        top = [(row["name"], row["amount"]) for row in data["products"]["top"]]
        self.assertEqual(
            top,
            [
                (self.product.name, 300.0),
                (self.product_3.name, 120.0),
                (self.service_product.name, 50.0),
            ],
        )
        bottom = [row["amount"] for row in data["products"]["bottom"]]
        self.assertEqual(bottom, [50.0, 120.0, 300.0])
        sellers = [
            (row["id"], row["amount"], row["order_count"])
            for row in data["salespeople"]
        ]
        self.assertEqual(
            sellers, [(self.sale_user.id, 420.0, 1), (self.seller_2.id, 50.0, 1)]
        )
        self.assertEqual(len(data["trend"]), 12)
        self.assertEqual(data["trend"][-1]["amount"], 470.0)
        self.assertEqual(
            data["trend"][-1]["label"], fields.Date.today().strftime("%Y-%m")
        )
        self.assertEqual(sum(month["amount"] for month in data["trend"][:-1]), 0.0)
        self.assertEqual(
            (data["credit_holds"]["count"], data["credit_holds"]["amount"]),
            (1, self.held.amount_total),
        )
        self.assertEqual(data["receivables"]["amount"], 500.0)
        self.assertEqual(
            [row["id"] for row in data["receivables"]["customers"]], [self.customer.id]
        )
        self.assertEqual(data["targets"]["available"], "sale.target" in self.env)
        if "sale.target" not in self.env:
            self.assertEqual(data["targets"]["rows"], [])
        self.assertIsInstance(data["visits"], list)

    def test_figures_open_their_records(self):
        data = self._data("year")
        self.assertTrue(self._opens(data["salespeople"][0]["action"], self.order_1))
        self.assertFalse(self._opens(data["salespeople"][0]["action"], self.order_2))
        self.assertTrue(
            self._opens(data["trend"][-1]["action"], self.order_1 | self.order_2)
        )
        self.assertTrue(self._opens(data["credit_holds"]["action"], self.held))
        product_rows = self.env["sale.order.statistics.report"].search(
            [("product_id", "=", self.product.id), ("order_id", "=", self.order_1.id)]
        )
        self.assertTrue(self._opens(data["products"]["top"][0]["action"], product_rows))
        aging = self.env["sale.receivable.aging.report"].search(
            [("move_id", "=", self.invoice.id)]
        )
        self.assertTrue(self._opens(data["receivables"]["action"], aging))
        self.assertTrue(
            self._opens(data["receivables"]["customers"][0]["action"], aging)
        )
        # Actions travel to the browser: only JSON types.
        for leaf in data["trend"][-1]["action"]["domain"]:
            self.assertIsInstance(leaf[2], str | int | bool)

    def test_access(self):
        with self.assertRaises(AccessError):
            self.env["sale.dashboard"].with_user(self.sale_user).get_dashboard_data(
                "month"
            )
        self.env["sale.dashboard"].with_user(self.director_user).get_dashboard_data(
            "year"
        )

    def test_query_count(self):
        counts = []
        for size in (1, 8):
            products = self.env["product.product"].create(
                [
                    {"name": f"Bulk {size}-{index}", "type": "service"}
                    for index in range(size)
                ]
            )
            sellers = [
                self._create_role_user(
                    f"spc_bulk_{size}_{index}", "sales_team.group_sale_salesman"
                )
                for index in range(size)
            ]
            customers = self.env["res.partner"].create(
                [
                    {"name": f"Bulk {size}-{index}", "is_company": True}
                    for index in range(size)
                ]
            )
            for product, seller, customer in zip(
                products, sellers, customers, strict=True
            ):
                self._order(seller, [(product, 10.0)], partner=customer)
            self._data()  # rights and rules cached again after the new users
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            with self.assertQueryCount(DASHBOARD_QUERIES):
                self._data()
            counts.append(self.cr.sql_log_count - before)
        self.assertEqual(counts[0], counts[1])


@tagged("post_install", "-at_install")
class TestStatisticsMenus(SaleProcessControlCommon):
    """Dashboard and statistics for the management line; period reports for
    every salesperson."""

    def test_menus_per_role(self):
        menus = {
            xmlid: self.env.ref(f"sale_process_control.{xmlid}")
            for xmlid in (
                "sale_dashboard_menu",
                "sale_statistics_menu",
                "sale_order_statistics_report_menu",
                "sale_complaint_rate_report_menu",
                "sale_period_report_menu",
            )
        }
        for user in (self.head_user, self.director_user, self.management_user):
            visible = self.env["ir.ui.menu"].with_user(user)._visible_menu_ids()
            with self.subTest(user=user.login):
                self.assertTrue(all(menu.id in visible for menu in menus.values()))
        visible = self.env["ir.ui.menu"].with_user(self.sale_user)._visible_menu_ids()
        for xmlid in ("sale_dashboard_menu", "sale_statistics_menu"):
            self.assertNotIn(menus[xmlid].id, visible)
        self.assertEqual(
            menus["sale_period_report_menu"].groups_id,
            self.env.ref("sales_team.group_sale_salesman"),
        )
