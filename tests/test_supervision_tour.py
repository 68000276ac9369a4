# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from .common import SaleProcessControlCommon


@tagged("post_install", "-at_install")
class TestSupervisionTour(HttpCase, SaleProcessControlCommon):
    """Spot check, rectification notice, answer and close in the browser
    (static/tests/tours/sale_supervision_tour.js)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        customer = cls.env["res.partner"].create(
            {"name": "Tour Supervision Customer", "is_company": True}
        )
        order = cls.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "user_id": cls.sale_user.id,
                "order_line": [
                    Command.create(
                        {"product_id": cls.service_product.id, "product_uom_qty": 1.0}
                    )
                ],
            }
        )
        order.action_confirm()
        today = fields.Date.today()
        cls.check = (
            cls.env["sale.spot.check"]
            .with_user(cls.supervision_user)
            .create(
                {
                    "date_from": today,
                    "date_to": today,
                    "sample_size": 1,
                    "salesperson_ids": [Command.set(cls.sale_user.ids)],
                }
            )
        )
        cls.check.action_draw_sample()
        cls.check.line_ids.write(
            {"paid_on_time": False, "payment_note": "Invoice paid 20 days late"}
        )

    def test_spot_check_to_closed_notice(self):
        self.start_tour(
            f"/odoo/action-sale_process_control.sale_spot_check_action/{self.check.id}",
            "spc_supervision_issue_notice",
            login=self.supervision_user.login,
        )
        notice = self.check.line_ids.rectification_ids
        self.assertEqual(len(notice), 1)
        self.assertEqual((notice.state, notice.user_id), ("open", self.sale_user))
        url = (
            "/odoo/action-sale_process_control.sale_rectification_my_action/"
            f"{notice.id}"
        )
        self.start_tour(
            url, "spc_supervision_answer_notice", login=self.sale_user.login
        )
        self.assertEqual(notice.state, "answered")
        self.assertIn("customer paid", notice.answer)
        self.start_tour(
            f"/odoo/action-sale_process_control.sale_rectification_action/{notice.id}",
            "spc_supervision_close_notice",
            login=self.supervision_user.login,
        )
        self.assertEqual(
            (notice.state, notice.verified_by_id), ("closed", self.supervision_user)
        )
