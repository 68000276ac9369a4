# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestSaleAppraisalTour(HttpCase):
    """Browser tour: the head generates a quarter's appraisals and scores one,
    the salesperson acknowledges, the director approves and prints."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesperson = new_test_user(
            cls.env,
            "spc_tour_appr_sales",
            name="Tour Salesperson",
            groups="sales_team.group_sale_salesman",
        )
        cls.head = new_test_user(
            cls.env,
            "spc_tour_appr_head",
            groups="sale_process_control.group_sale_department_head",
        )
        new_test_user(
            cls.env,
            "spc_tour_appr_director",
            groups="sale_process_control.group_sale_director",
        )
        cls.env["crm.team"].create(
            {
                "name": "Tour Team",
                "user_id": cls.head.id,
                "member_ids": [Command.set(cls.salesperson.ids)],
            }
        )
        cls.template = cls.env["sale.appraisal.template"].create(
            {
                "name": "Tour Quarterly",
                "period_type": "quarter",
                "line_ids": [
                    Command.create(
                        {
                            "kpi_id": cls.env.ref(
                                "sale_process_control.sale_kpi_sales_amount"
                            ).id,
                            "weight": 80,
                            "target_value": 1000,
                            "floor_value": 0,
                        }
                    ),
                    Command.create(
                        {"line_type": "quality", "name": "Attitude", "weight": 20}
                    ),
                ],
            }
        )
        product = cls.env["product.product"].create(
            {"name": "Tour Service", "type": "service", "list_price": 100.0}
        )
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.env["res.partner"].create({"name": "Tour Co"}).id,
                "user_id": cls.salesperson.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_uom_qty": 5,
                            "price_unit": 100.0,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
            }
        )
        order.action_confirm()
        order.date_order = "2026-02-10 10:00:00"

    def test_generate_score_approve_print(self):
        self.start_tour(
            "/odoo/action-sale_process_control.sale_appraisal_action",
            "spc_appraisal_generate_and_score",
            login="spc_tour_appr_head",
        )
        appraisal = self.env["sale.appraisal"].search(
            [("template_id", "=", self.template.id)]
        )
        self.assertEqual(appraisal.user_id, self.salesperson)
        self.assertEqual(appraisal.state, "scored")
        # 500 / 1000 -> 50 x 80 %, attitude 90 x 20 %.
        self.assertAlmostEqual(appraisal.final_score, 58.0)
        appraisal.with_user(self.salesperson).action_acknowledge()
        self.start_tour(
            f"/odoo/action-sale_process_control.sale_appraisal_action/{appraisal.id}",
            "spc_appraisal_approve_and_print",
            login="spc_tour_appr_director",
        )
        self.assertEqual(appraisal.state, "approved")
