# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import float_compare, float_is_zero

from .sale_tools import ensure_one_record

ACCEPTANCE_RESULTS = [
    ("accepted", "Accepted"),
    ("accepted_remarks", "Accepted with Remarks"),
    ("rejected", "Rejected"),
]
ACCEPTED_RESULTS = ("accepted", "accepted_remarks")
WAITING_FOR = [
    ("delivery", "Awaiting Delivery"),
    ("acceptance", "Awaiting Acceptance"),
    ("invoice", "Awaiting Invoice"),
    ("payment", "Awaiting Payment"),
]
ON_TIME_HELP = (
    "Delivered on time: every outgoing delivery of the order is done or "
    "cancelled, and the last one was done on or before the promised date "
    "(calendar days, UTC). Partial deliveries and backorders count with the "
    "date of the last one; returns from the customer are ignored; a "
    "replacement delivery after a return is an outgoing delivery and counts."
)
MAIL_TEMPLATE = "sale_process_control.mail_template_sale_execution_status"


def _day_start(day):
    """The first moment (UTC) of a calendar day, to compare stored datetimes."""
    return datetime.combine(day, time.min)


class SaleOrder(models.Model):
    """Execution of confirmed orders (R-16) and customer acceptance (R-17)."""

    _inherit = "sale.order"

    # ------------------------------------------------------------------
    # Progress of the flows (not stored: read on the form and the list)
    # ------------------------------------------------------------------
    execution_reserved_percent = fields.Float(
        string="Reserved %",
        compute="_compute_execution_reserved_percent",
        help="Quantity reserved or already delivered, in percent of the quantity "
        "of the outgoing deliveries.",
    )
    execution_delivered_percent = fields.Float(
        string="Delivered %",
        compute="_compute_execution_delivered_percent",
        help="Delivered quantity of the order lines, weighted by their amount.",
    )
    execution_invoiced_percent = fields.Float(
        string="Invoiced %",
        compute="_compute_execution_invoiced_percent",
        help="Posted customer invoices less credit notes, in percent of the order "
        "total.",
    )
    execution_paid_percent = fields.Float(
        string="Paid %",
        compute="_compute_execution_invoiced_percent",
        help="Paid part of the posted invoices (total less amount due), in percent "
        "of the order total.",
    )
    has_execution_production = fields.Boolean(
        string="Has Manufacturing",
        compute="_compute_execution_supply",
        help="Manufacturing orders exist for this order (Manufacturing app).",
    )
    execution_production_percent = fields.Float(
        string="Manufactured %",
        compute="_compute_execution_supply",
        help="Produced quantity of the manufacturing orders of this order.",
    )
    has_execution_purchase = fields.Boolean(
        string="Has Purchases",
        compute="_compute_execution_supply",
        help="Purchase orders exist for this order (Purchase app).",
    )
    execution_purchase_percent = fields.Float(
        string="Purchased %",
        compute="_compute_execution_supply",
        help="Received quantity of the purchase orders of this order.",
    )
    execution_delivery_ids = fields.Many2many(
        "stock.picking",
        string="Outgoing Deliveries",
        compute="_compute_execution_delivery_ids",
    )

    # ------------------------------------------------------------------
    # Promised vs actual delivery
    # ------------------------------------------------------------------
    promised_date = fields.Datetime(
        string="Promised Delivery Date",
        compute="_compute_promised_date",
        store=True,
        help="The delivery date promised to the customer: the delivery date of the "
        "order if set, else the expected date.",
    )
    has_open_delivery = fields.Boolean(
        string="Delivery Open",
        compute="_compute_delivery_done_date",
        store=True,
        help="An outgoing delivery of the order is neither done nor cancelled.",
    )
    delivery_done_date = fields.Datetime(
        string="Delivered On",
        compute="_compute_delivery_done_date",
        store=True,
        help="Date of the last outgoing delivery, once no outgoing delivery is "
        "open any more.",
    )
    is_on_time = fields.Boolean(
        string="On Time",
        compute="_compute_is_on_time",
        store=True,
        help=ON_TIME_HELP,
    )
    is_delivered_late = fields.Boolean(
        string="Delivered Late",
        compute="_compute_is_on_time",
        store=True,
        help="All deliveries are done, the last one after the promised date.",
    )
    is_late = fields.Boolean(
        string="Late",
        compute="_compute_is_late",
        search="_search_is_late",
        help="Delivered after the promised date, or still not delivered when the "
        "promised date has passed.",
    )
    is_at_risk = fields.Boolean(
        string="At Risk",
        compute="_compute_is_late",
        search="_search_is_at_risk",
        help="Not yet delivered and the promised date is past or within the "
        "company's at-risk days.",
    )
    delivery_delay_days = fields.Integer(
        string="Delay (Days)",
        compute="_compute_is_late",
        help="Days between the promised date and the last delivery, or today when "
        "the order is not yet delivered.",
    )

    # ------------------------------------------------------------------
    # Acceptance and completion
    # ------------------------------------------------------------------
    acceptance_ids = fields.One2many(
        "sale.order.acceptance",
        "order_id",
        string="Acceptances",
    )
    acceptance_count = fields.Integer(compute="_compute_acceptance_count")
    acceptance_state = fields.Selection(
        ACCEPTANCE_RESULTS,
        string="Customer Acceptance",
        compute="_compute_acceptance_state",
        store=True,
        help="Result of the customer's latest acceptance of the delivered goods.",
    )
    is_fully_delivered = fields.Boolean(
        string="Fully Delivered",
        compute="_compute_is_fully_delivered",
        store=True,
        help="Every line is delivered in the ordered quantity (returns deducted).",
    )
    is_fully_invoiced = fields.Boolean(
        string="Fully Invoiced",
        compute="_compute_invoice_completion",
        store=True,
        help="Every line is invoiced and no invoice of the order is still a draft.",
    )
    is_fully_paid = fields.Boolean(
        string="Fully Paid",
        compute="_compute_invoice_completion",
        store=True,
        help="Fully invoiced and nothing is due on the posted invoices.",
    )
    is_execution_completed = fields.Boolean(
        string="Completed",
        compute="_compute_execution_completion",
        store=True,
        help="Fully delivered, accepted by the customer and fully invoiced.",
    )
    execution_waiting_for = fields.Selection(
        WAITING_FOR,
        string="Order Waiting For",
        compute="_compute_execution_completion",
        store=True,
        index=True,
        help="What the confirmed order still waits for, in this order: delivery, "
        "the customer's acceptance, the invoice, the payment.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("picking_ids.move_ids.quantity", "picking_ids.move_ids.state")
    def _compute_execution_reserved_percent(self):
        for order in self:
            order.execution_reserved_percent = order._get_reserved_percent()

    @api.depends(
        "order_line.qty_delivered",
        "order_line.product_uom_qty",
        "order_line.price_subtotal",
    )
    def _compute_execution_delivered_percent(self):
        for order in self:
            order.execution_delivered_percent = order._get_delivered_percent()

    @api.depends(
        "order_line.invoice_lines.move_id.state",
        "order_line.invoice_lines.move_id.amount_residual",
        "amount_total",
    )
    def _compute_execution_invoiced_percent(self):
        for order in self:
            invoiced, paid = order._get_invoiced_paid_amounts()
            total = order.amount_total
            if order.currency_id.is_zero(total):
                order.execution_invoiced_percent = 0.0
                order.execution_paid_percent = 0.0
            else:
                order.execution_invoiced_percent = min(invoiced / total * 100, 100.0)
                order.execution_paid_percent = min(paid / total * 100, 100.0)

    def _compute_execution_supply(self):
        productions = self._get_execution_productions()
        purchase_lines = self._get_execution_purchase_lines()
        for order in self:
            order_productions = productions.get(order.id) if productions else None
            order.has_execution_production = bool(order_productions)
            order.execution_production_percent = (
                self._get_ratio_percent(
                    order_productions.mapped("qty_produced"),
                    order_productions.mapped("product_qty"),
                )
                if order_productions
                else 0.0
            )
            order_purchase = purchase_lines.get(order.id) if purchase_lines else None
            order.has_execution_purchase = bool(order_purchase)
            order.execution_purchase_percent = (
                self._get_ratio_percent(
                    order_purchase.mapped("qty_received"),
                    order_purchase.mapped("product_qty"),
                )
                if order_purchase
                else 0.0
            )

    @api.depends("picking_ids.picking_type_code", "picking_ids.state")
    def _compute_execution_delivery_ids(self):
        for order in self:
            order.execution_delivery_ids = order._get_outgoing_deliveries()

    @api.depends("commitment_date", "expected_date")
    def _compute_promised_date(self):
        for order in self:
            order.promised_date = order.commitment_date or order.expected_date

    @api.depends(
        "picking_ids.picking_type_code",
        "picking_ids.state",
        "picking_ids.date_done",
    )
    def _compute_delivery_done_date(self):
        for order in self:
            deliveries = order._get_outgoing_deliveries()
            done = deliveries.filtered(lambda p: p.state == "done")
            order.has_open_delivery = bool(deliveries - done)
            order.delivery_done_date = (
                max(done.mapped("date_done"))
                if done and not order.has_open_delivery
                else False
            )

    @api.depends("delivery_done_date", "promised_date")
    def _compute_is_on_time(self):
        for order in self:
            done = order.delivery_done_date
            late = bool(
                done
                and order.promised_date
                and done.date() > order.promised_date.date()
            )
            order.is_delivered_late = late
            order.is_on_time = bool(done) and not late

    @api.depends(
        "state",
        "promised_date",
        "has_open_delivery",
        "delivery_done_date",
        "is_delivered_late",
        "company_id.sale_execution_risk_days",
    )
    def _compute_is_late(self):
        today = fields.Date.today()
        for order in self:
            promised = order.promised_date and order.promised_date.date()
            pending = bool(
                order.state == "sale" and order.has_open_delivery and promised
            )
            overdue = pending and promised < today
            order.is_late = order.is_delivered_late or overdue
            order.is_at_risk = pending and promised <= today + timedelta(
                days=order.company_id.sale_execution_risk_days
            )
            if order.delivery_done_date and promised:
                delay = (order.delivery_done_date.date() - promised).days
            elif pending:
                delay = (today - promised).days
            else:
                delay = 0
            order.delivery_delay_days = max(delay, 0)

    @api.depends("acceptance_ids")
    def _compute_acceptance_count(self):
        for order in self:
            order.acceptance_count = len(order.acceptance_ids)

    @api.depends("acceptance_ids.result", "acceptance_ids.date")
    def _compute_acceptance_state(self):
        for order in self:
            latest = order.acceptance_ids.sorted(lambda a: (a.date, a.id))[-1:]
            order.acceptance_state = latest.result or False

    @api.depends("state", "order_line.qty_delivered", "order_line.product_uom_qty")
    def _compute_is_fully_delivered(self):
        for order in self:
            lines = order._get_execution_lines()
            order.is_fully_delivered = bool(
                order.state == "sale"
                and lines
                and all(
                    float_compare(
                        line.qty_delivered,
                        line.product_uom_qty,
                        precision_rounding=line.product_uom.rounding,
                    )
                    >= 0
                    for line in lines
                )
            )

    @api.depends(
        "state",
        "invoice_status",
        "order_line.invoice_lines.move_id.state",
        "order_line.invoice_lines.move_id.amount_residual",
    )
    def _compute_invoice_completion(self):
        for order in self:
            invoices = order._get_customer_invoices()
            invoiced = (
                order.state == "sale"
                and order.invoice_status == "invoiced"
                and bool(invoices)
                and all(invoice.state != "draft" for invoice in invoices)
            )
            order.is_fully_invoiced = invoiced
            order.is_fully_paid = invoiced and all(
                invoice.currency_id.is_zero(invoice.amount_residual)
                for invoice in invoices.filtered(lambda m: m.state == "posted")
            )

    @api.depends(
        "state",
        "is_fully_delivered",
        "acceptance_state",
        "is_fully_invoiced",
        "is_fully_paid",
    )
    def _compute_execution_completion(self):
        for order in self:
            accepted = order.acceptance_state in ACCEPTED_RESULTS
            order.is_execution_completed = bool(
                order.state == "sale"
                and order.is_fully_delivered
                and accepted
                and order.is_fully_invoiced
            )
            if order.state != "sale":
                waiting_for = False
            elif not order.is_fully_delivered:
                waiting_for = "delivery"
            elif not accepted:
                waiting_for = "acceptance"
            elif not order.is_fully_invoiced:
                waiting_for = "invoice"
            elif not order.is_fully_paid:
                waiting_for = "payment"
            else:
                waiting_for = False
            order.execution_waiting_for = waiting_for

    # ------------------------------------------------------------------
    # Searches
    # ------------------------------------------------------------------
    def _search_is_late(self, operator, value):
        today = _day_start(fields.Date.today())
        domain = [
            "|",
            ("is_delivered_late", "=", True),
            "&",
            "&",
            ("state", "=", "sale"),
            ("has_open_delivery", "=", True),
            ("promised_date", "<", today),
        ]
        return self._get_boolean_search_domain(domain, operator, value)

    def _search_is_at_risk(self, operator, value):
        today = fields.Date.today()
        per_company = [
            [
                ("company_id", "=", company.id),
                (
                    "promised_date",
                    "<",
                    _day_start(
                        today + timedelta(days=company.sale_execution_risk_days + 1)
                    ),
                ),
            ]
            for company in self.env.companies
        ]
        domain = expression.AND(
            [
                [("state", "=", "sale"), ("has_open_delivery", "=", True)],
                expression.OR(per_company) if per_company else expression.FALSE_DOMAIN,
            ]
        )
        return self._get_boolean_search_domain(domain, operator, value)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_send_execution_status(self):
        """Open the mail composer with the delivery status message."""
        ensure_one_record(self)
        template = self.env.ref(MAIL_TEMPLATE, raise_if_not_found=False)
        lang = self.env.context.get("lang")
        if template and template.lang:
            lang = template._render_lang(self.ids)[self.id]
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Send Delivery Status"),
            "res_model": "mail.compose.message",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_model": "sale.order",
                "default_res_ids": self.ids,
                "default_composition_mode": "comment",
                "default_template_id": template.id if template else False,
                "default_email_layout_xmlid": (
                    "mail.mail_notification_layout_with_responsible_signature"
                ),
                "force_email": True,
                "model_description": self.with_context(lang=lang).type_name,
            },
        }

    def action_record_acceptance(self):
        """Open a new acceptance record of this order in a dialog."""
        ensure_one_record(self)
        self.env["sale.order.acceptance"]._check_order_delivered(self)
        deliveries = self._get_outgoing_deliveries().filtered(
            lambda p: p.state == "done"
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record Acceptance"),
            "res_model": "sale.order.acceptance",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_order_id": self.id,
                "default_picking_id": deliveries.sorted("date_done")[-1:].id,
                "default_accepted_by_id": (
                    self.customer_contact_id or self.partner_id
                ).id,
            },
        }

    def action_view_acceptances(self):
        ensure_one_record(self)
        action = self.env["ir.actions.actions"]._for_xml_id(
            "sale_process_control.sale_order_acceptance_action"
        )
        action["domain"] = [("order_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _get_outgoing_deliveries(self):
        """Outgoing deliveries of the order that are not cancelled; returns
        from the customer are receipts and stay out."""
        return self.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state != "cancel"
        )

    def _get_execution_lines(self):
        """Lines that are delivered: products and services, without sections,
        notes, down payments, delivery costs and combo headers."""
        self.ensure_one()
        return self.order_line.filtered(
            lambda line: (
                not line.display_type
                and not line.is_downpayment
                and not line._is_delivery()
                and line.product_id.type != "combo"
                and not float_is_zero(
                    line.product_uom_qty, precision_rounding=line.product_uom.rounding
                )
            )
        )

    def _get_customer_invoices(self):
        return self.invoice_ids.filtered(
            lambda m: (
                m.move_type in ("out_invoice", "out_refund") and m.state != "cancel"
            )
        )

    def _get_reserved_percent(self):
        self.ensure_one()
        moves = self._get_outgoing_deliveries().move_ids.filtered(
            lambda m: m.state != "cancel"
        )
        reserved = moves.filtered(
            lambda m: m.state in ("partially_available", "assigned", "done")
        )
        return self._get_ratio_percent(
            reserved.mapped("quantity"), moves.mapped("product_uom_qty")
        )

    def _get_delivered_percent(self):
        self.ensure_one()
        lines = self._get_execution_lines()
        weights = [line.price_subtotal for line in lines]
        if not any(weights):
            weights = [1.0] * len(lines)
        total = sum(weights)
        if not total:
            return 0.0
        done = sum(
            min(line.qty_delivered / line.product_uom_qty, 1.0) * weight
            for line, weight in zip(lines, weights, strict=True)
        )
        return done / total * 100

    def _get_invoiced_paid_amounts(self):
        """Invoiced and paid amounts of the posted invoices, in the order's
        currency; credit notes count negative."""
        self.ensure_one()
        invoiced = paid = 0.0
        for invoice in self._get_customer_invoices().filtered(
            lambda m: m.state == "posted"
        ):
            sign = -1 if invoice.move_type == "out_refund" else 1
            total = invoice.currency_id._convert(
                invoice.amount_total,
                self.currency_id,
                self.company_id,
                invoice.invoice_date or fields.Date.today(),
            )
            residual = invoice.currency_id._convert(
                invoice.amount_residual,
                self.currency_id,
                self.company_id,
                invoice.invoice_date or fields.Date.today(),
            )
            invoiced += sign * total
            paid += sign * (total - residual)
        return invoiced, paid

    @api.model
    def _get_ratio_percent(self, done_values, total_values):
        total = sum(total_values)
        if not total:
            return 0.0
        return min(sum(done_values) / total * 100, 100.0)

    def _get_execution_productions(self):
        """Manufacturing orders per order id, or None when the Manufacturing
        app is not installed (this module does not depend on it)."""
        if "mrp.production" not in self.env or not self.ids:
            return None
        # Progress figures only: salespeople need not hold manufacturing rights.
        orders = self.sudo()
        Production = orders.env["mrp.production"]
        if "mrp_production_ids" in self._fields:
            return {
                order.id: order.mrp_production_ids.filtered(
                    lambda p: p.state != "cancel"
                )
                for order in orders
            }
        productions = Production.search(
            [("origin", "in", orders.mapped("name")), ("state", "!=", "cancel")]
        )
        return {
            order.id: productions.filtered(lambda p, o=order: p.origin == o.name)
            for order in orders
        }

    def _get_execution_purchase_lines(self):
        """Purchase order lines per order id, or None when the Purchase app is
        not installed (this module does not depend on it)."""
        if "purchase.order" not in self.env or not self.ids:
            return None
        # Progress figures only: salespeople need not hold purchase rights.
        orders = self.sudo()
        if hasattr(orders, "_get_purchase_orders"):
            return {
                order.id: order._get_purchase_orders()
                .filtered(lambda p: p.state != "cancel")
                .order_line
                for order in orders
            }
        purchases = orders.env["purchase.order"].search(
            [("origin", "in", orders.mapped("name")), ("state", "!=", "cancel")]
        )
        return {
            order.id: purchases.filtered(
                lambda p, o=order: p.origin == o.name
            ).order_line
            for order in orders
        }

    @api.model
    def _get_boolean_search_domain(self, domain, operator, value):
        """``domain`` for ``= True``, its negation for ``= False`` or ``!=``."""
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(
                self.env._("Search this field with “is set” or “is not set” only.")
            )
        positive = (operator == "=") == bool(value)
        if positive:
            return domain
        return ["!", *expression.normalize_domain(domain)]
