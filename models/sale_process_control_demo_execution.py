# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
import logging
from datetime import timedelta

from odoo import api, fields, models

from .sale_process_control_demo import in_demo_lang

_logger = logging.getLogger(__name__)

# Acceptances of the most recent deliveries: result, problem, remarks.
DEMO_ACCEPTANCES = [
    ("accepted", False, False),
    (
        "accepted_remarks",
        "quality",
        "两件导轨外包装破损，滑块表面有轻微划痕，客户同意先行使用，要求更换划伤件。",
    ),
    ("accepted_remarks", False, "随货资料缺少合格证副本，已约定补寄。"),
]


class SaleProcessControlDemo(models.AbstractModel):
    _inherit = "sale.process.control.demo"

    @api.model
    @in_demo_lang
    def _generate_demo_execution(self):
        """Execution states on the demo history (demo data only): one order
        late, one at risk, acceptances of the latest deliveries (one with
        remarks about quality, which opens a complaint) and of two older
        invoiced orders, which completes them."""
        company = self.env.ref(
            "sale_process_control.company_demo", raise_if_not_found=False
        )
        if not company:
            return True
        demo = self._demo_with_company(company)
        orders = demo.env["sale.order"].search(
            [("company_id", "=", company.id), ("state", "=", "sale")],
            order="date_order desc, id desc",
        )
        if orders.acceptance_ids:
            return True
        demo._demo_execution_dates(orders.filtered("has_open_delivery"))
        delivered = orders.filtered(
            lambda o: o.is_fully_delivered and o.delivery_done_date
        ).sorted("delivery_done_date", reverse=True)
        latest = delivered[: len(DEMO_ACCEPTANCES)]
        demo._demo_acceptances(latest, DEMO_ACCEPTANCES)
        # Older orders: one completed and paid, one completed awaiting payment.
        older = delivered - latest
        paid = older.filtered("is_fully_paid")[:1]
        unpaid = older.filtered(lambda o: o.is_fully_invoiced and not o.is_fully_paid)
        demo._demo_acceptances(paid + unpaid[:1], [("accepted", False, False)] * 2)
        return True

    def _demo_execution_dates(self, open_orders):
        """Promise the two latest open orders for dates that make one late and
        the other at risk."""
        now = fields.Datetime.now()
        for order, days in zip(open_orders[:2], (-4, 2), strict=False):
            order.commitment_date = now + timedelta(days=days)

    def _demo_acceptances(self, orders, outcomes):
        today = fields.Date.context_today(self)
        vals_list = []
        for order, (result, problem, remarks) in zip(orders, outcomes, strict=False):
            delivery = order._get_outgoing_deliveries().sorted("date_done")[-1:]
            vals_list.append(
                {
                    "order_id": order.id,
                    "picking_id": delivery.id,
                    "date": min(
                        order.delivery_done_date.date() + timedelta(days=2), today
                    ),
                    "result": result,
                    "problem_type": problem,
                    "remarks": remarks,
                    "accepted_by_id": (
                        order.customer_contact_id or order.partner_id
                    ).id,
                }
            )
        acceptances = self.env["sale.order.acceptance"].create(vals_list)
        _logger.info("Demo execution: %s acceptances", len(acceptances))
        return acceptances
