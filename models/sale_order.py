# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import api, fields, models
from odoo.exceptions import UserError

REVIEWABLE_ORDER_STATES = ("draft", "sent")


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "sale.approval.mixin"]

    review_required = fields.Boolean(
        related="company_id.sale_review_enabled",
        string="Order Review Required",
    )

    # ------------------------------------------------------------------
    # CRUD: writing the state directly (RPC, import) meets the same gate
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        orders.filtered(lambda o: o.state == "sale")._check_confirmation_gate()
        return orders

    def write(self, vals):
        if vals.get("state") == "sale":
            self.filtered(
                lambda o: o.state in REVIEWABLE_ORDER_STATES
            )._check_confirmation_gate()
        return super().write(vals)

    def _check_confirmation_gate(self):
        for order in self:
            if order._is_waiting_for_review():
                raise UserError(order._get_review_gate_message())

    # ------------------------------------------------------------------
    # Review engine hooks
    # ------------------------------------------------------------------
    def _get_approval_steps(self):
        self.ensure_one()
        if not self.company_id.sale_review_enabled:
            return []
        head_group = self.env.ref("sale_process_control.group_sale_department_head")
        leader = self.team_id.user_id
        return [
            {
                "name": self.env._("Department head review"),
                "group_id": head_group.id,
                # The team leader reviews their team's orders, unless they sell it.
                "reviewer_id": leader.id if leader and leader != self.user_id else False,
                "sequence": 10,
                "mode": "parallel",
                "checklist": self.env._(
                    "Order information complete; customer needs clear; prices within "
                    "policy."
                ),
            }
        ]

    def _get_approval_fingerprint_values(self):
        self.ensure_one()
        return {
            "partner": self.partner_id.id,
            "pricelist": self.pricelist_id.id,
            "currency": self.currency_id.id,
            "payment_term": self.payment_term_id.id,
            "amount_untaxed": self.currency_id.round(self.amount_untaxed),
            "lines": sorted(
                (
                    line.product_id.id,
                    line.product_uom_qty,
                    line.price_unit,
                    line.discount,
                )
                for line in self.order_line
                if not line.display_type
            ),
        }

    def _get_approval_owners(self):
        return super()._get_approval_owners() | self.user_id

    def _approval_check_changes(self):
        # Only quotations are reviewed; later changes follow Odoo's own rules.
        return super(
            SaleOrder, self.filtered(lambda o: o.state in REVIEWABLE_ORDER_STATES)
        )._approval_check_changes()

    # ------------------------------------------------------------------
    # The confirmation gate (buttons, RPC, import, portal all meet it)
    # ------------------------------------------------------------------
    def _confirmation_error_message(self):
        error = super()._confirmation_error_message()
        if error:
            return error
        if self._is_waiting_for_review():
            return self._get_review_gate_message()
        return False

    def _get_review_gate_message(self):
        self.ensure_one()
        if self.approval_state == "approved":
            return self.env._(
                "%(order)s changed after its review was approved. Submit it for "
                "review again before confirming it.",
                order=self.name,
            )
        return self.env._(
            "%(order)s cannot be confirmed before its review is approved. Submit "
            "it for review and wait for the reviewers' decisions.",
            order=self.name,
        )

    def _has_to_be_signed(self):
        # The customer cannot sign, and so confirm, a quotation under review.
        return super()._has_to_be_signed() and not self._is_waiting_for_review()

    def _has_to_be_paid(self):
        return super()._has_to_be_paid() and not self._is_waiting_for_review()

    def _is_waiting_for_review(self):
        self.ensure_one()
        return self.company_id.sale_review_enabled and not self._approval_is_valid()


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.order_id._approval_check_changes()
        return lines

    def write(self, vals):
        result = super().write(vals)
        self.order_id._approval_check_changes()
        return result

    def unlink(self):
        orders = self.order_id
        result = super().unlink()
        orders.exists()._approval_check_changes()
        return result
