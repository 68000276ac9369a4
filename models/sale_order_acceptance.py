# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import plaintext2html

from .sale_order_execution import ACCEPTANCE_RESULTS
from .sale_tools import ensure_one_record

PROBLEM_TYPES = [
    ("quality", "Quality"),
    ("quantity", "Quantity"),
]


class SaleOrderAcceptance(models.Model):
    """The customer's acceptance of delivered goods (R-17).

    Recorded after delivery. A rejection or remarks about quality or quantity
    open a complaint for customer service; the return of the goods goes through
    Odoo's own return (and exchange) of the delivery.
    """

    _name = "sale.order.acceptance"
    _description = "Customer Acceptance"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"
    _check_company_auto = True

    order_id = fields.Many2one(
        "sale.order",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        domain="[('state', '=', 'sale')]",
    )
    company_id = fields.Many2one(
        related="order_id.company_id",
        store=True,
        index=True,
    )
    partner_id = fields.Many2one(
        related="order_id.partner_id",
        string="Customer",
        store=True,
    )
    commercial_partner_id = fields.Many2one(
        related="order_id.partner_id.commercial_partner_id",
        string="Customer Company",
    )
    user_id = fields.Many2one(
        related="order_id.user_id",
        string="Salesperson",
        store=True,
        index=True,
    )
    picking_id = fields.Many2one(
        "stock.picking",
        string="Delivery Order",
        check_company=True,
        tracking=True,
        domain="[('sale_id', '=', order_id), ('picking_type_code', '=', 'outgoing'), "
        "('state', '=', 'done')]",
        help="The delivery the customer accepts or rejects; its goods can be "
        "returned from here.",
    )
    date = fields.Date(
        string="Acceptance Date",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    result = fields.Selection(
        ACCEPTANCE_RESULTS,
        required=True,
        default="accepted",
        tracking=True,
    )
    problem_type = fields.Selection(
        PROBLEM_TYPES,
        tracking=True,
        help="Quality or quantity problems open a complaint for customer service "
        "and can be returned through the delivery's return.",
    )
    accepted_by_id = fields.Many2one(
        "res.partner",
        required=True,
        tracking=True,
        domain="[('commercial_partner_id', '=', commercial_partner_id)]",
        help="The customer's person who signed the acceptance.",
    )
    remarks = fields.Text()
    document = fields.Binary(
        string="Acceptance Document",
        attachment=True,
        help="The signed acceptance certificate or delivery note.",
    )
    document_name = fields.Char()
    feedback_id = fields.Many2one(
        "sale.customer.feedback",
        string="Complaint",
        readonly=True,
        copy=False,
        check_company=True,
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("order_id.name", "date", "result")
    def _compute_display_name(self):
        labels = dict(self._fields["result"]._description_selection(self.env))
        for acceptance in self:
            acceptance.display_name = self.env._(
                "%(order)s: %(result)s",
                order=acceptance.order_id.name or "",
                result=labels.get(acceptance.result, ""),
            )

    # ------------------------------------------------------------------
    # Constraints
    # ------------------------------------------------------------------
    @api.constrains("order_id", "picking_id")
    def _check_delivery(self):
        for acceptance in self:
            self._check_order_delivered(acceptance.order_id)
            picking = acceptance.picking_id
            if picking and (
                picking.sale_id != acceptance.order_id
                or picking.picking_type_code != "outgoing"
                or picking.state != "done"
            ):
                raise ValidationError(
                    self.env._(
                        "%(delivery)s is not a done delivery of %(order)s; choose "
                        "one of the order's done deliveries.",
                        delivery=picking.display_name,
                        order=acceptance.order_id.name,
                    )
                )

    @api.constrains("result", "remarks", "problem_type")
    def _check_result_details(self):
        for acceptance in self:
            if acceptance.result == "accepted":
                continue
            if not (acceptance.remarks or "").strip():
                raise ValidationError(
                    self.env._(
                        "Write down the customer's remarks or reasons for "
                        "%(acceptance)s.",
                        acceptance=acceptance.display_name,
                    )
                )
            if acceptance.result == "rejected" and not acceptance.problem_type:
                raise ValidationError(
                    self.env._(
                        "Say whether the rejection of %(order)s is about quality or "
                        "quantity.",
                        order=acceptance.order_id.name,
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        acceptances = super().create(vals_list)
        acceptances._open_complaints()
        return acceptances

    def write(self, vals):
        res = super().write(vals)
        if {"result", "problem_type"} & set(vals):
            self._open_complaints()
        return res

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_return_goods(self):
        """Open Odoo's return of the accepted delivery (with its exchange
        option for a replacement)."""
        ensure_one_record(self)
        if not self.picking_id:
            raise UserError(
                self.env._(
                    "Choose the delivery of %(acceptance)s before returning goods.",
                    acceptance=self.display_name,
                )
            )
        action = self.env["ir.actions.actions"]._for_xml_id(
            "stock.act_stock_return_picking"
        )
        action["context"] = {
            "active_id": self.picking_id.id,
            "active_ids": self.picking_id.ids,
            "active_model": "stock.picking",
        }
        return action

    def action_view_complaint(self):
        ensure_one_record(self)
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.customer.feedback",
            "res_id": self.feedback_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @api.model
    def _check_order_delivered(self, orders):
        """Acceptance follows delivery: refuse orders that delivered nothing."""
        for order in orders:
            delivered = order.state == "sale" and any(
                line.qty_delivered > 0 for line in order.order_line
            )
            if not delivered:
                raise UserError(
                    self.env._(
                        "Nothing of %(order)s has been delivered yet; record the "
                        "customer's acceptance after a delivery is done.",
                        order=order.name,
                    )
                )

    def _needs_complaint(self):
        self.ensure_one()
        return bool(
            self.result != "accepted" and self.problem_type and not self.feedback_id
        )

    def _open_complaints(self):
        """A quality or quantity problem becomes a complaint of customer service."""
        to_open = self.filtered(lambda a: a._needs_complaint())
        if not to_open:
            return
        labels = dict(PROBLEM_TYPES)
        complaints = self.env["sale.customer.feedback"].create(
            [
                {
                    "subject": self.env._(
                        "Acceptance of %(order)s: %(problem)s problem",
                        order=acceptance.order_id.name,
                        problem=labels[acceptance.problem_type].lower(),
                    ),
                    "feedback_type": "complaint",
                    "severity": "high" if acceptance.result == "rejected" else "medium",
                    "company_id": acceptance.company_id.id,
                    "partner_id": acceptance.order_id.partner_id.id,
                    "user_id": acceptance.order_id.user_id.id or self.env.user.id,
                    "sale_order_id": acceptance.order_id.id,
                    "picking_id": acceptance.picking_id.id,
                    "description": plaintext2html(acceptance.remarks or ""),
                    "product_id": (
                        acceptance.order_id.order_line.product_id[:1].id
                        if len(acceptance.order_id.order_line.product_id) == 1
                        else False
                    ),
                }
                for acceptance in to_open
            ]
        )
        for acceptance, complaint in zip(to_open, complaints, strict=True):
            acceptance.feedback_id = complaint
            acceptance.message_post(
                body=self.env._(
                    "Complaint %(complaint)s opened for customer service.",
                    complaint=complaint.name,
                )
            )
