# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import api, fields, models
from odoo.tools import float_compare

from .sale_tools import ensure_one_record, read_all_related

CONTRACT_GATE = {
    "approved": ("approved", "signed", "done"),
    "signed": ("signed", "done"),
}


class SaleOrder(models.Model):
    _inherit = "sale.order"

    contract_ids = fields.Many2many(
        "sale.contract",
        "sale_contract_order_rel",
        "order_id",
        "contract_id",
        string="Contracts",
        copy=False,
        readonly=True,
    )
    contract_count = fields.Integer(compute="_compute_contract_count")
    contract_required = fields.Boolean(
        compute="_compute_contract_required",
        help="The company requires a contract for this order before confirmation.",
    )
    contract_required_on_confirm = fields.Boolean(
        string="Contract Required at Confirmation",
        readonly=True,
        copy=False,
        help="Whether the order needed a contract when it was confirmed; orders "
        "confirmed before the contract control was switched on did not.",
    )

    def _compute_contract_count(self):
        for order in self:
            order.contract_count = len(order.contract_ids)

    @api.depends(
        "state",
        "contract_required_on_confirm",
        "amount_total",
        "order_line.product_id",
        "company_id.sale_contract_required",
    )
    def _compute_contract_required(self):
        for order in self:
            if order.state in ("sale", "done"):
                order.contract_required = order.contract_required_on_confirm
            else:
                order.contract_required = order._needs_contract()

    def _needs_contract(self):
        self.ensure_one()
        company = self.company_id
        if not company.sale_contract_required:
            return False
        if any(self.order_line.product_id.product_tmpl_id.mapped("requires_contract")):
            return True
        amount = self.currency_id._convert(
            self.amount_total,
            company.currency_id,
            company,
            self.date_order or fields.Date.context_today(self),
        )
        return (
            float_compare(
                amount,
                company.sale_contract_amount,
                precision_rounding=company.currency_id.rounding,
            )
            >= 0
        )

    def _get_contract_gate_error(self):
        """The contract part of the confirmation gate: an order that needs a
        contract is confirmed only on a contract of its own customer, in the
        state the company requires, that covers the order's amount."""
        self.ensure_one()
        if not self._needs_contract():
            return False
        company = self.company_id
        allowed = CONTRACT_GATE[company.sale_contract_gate_state]
        contracts = read_all_related(self, "contract_ids").filtered(
            lambda c: (
                c.state in allowed
                and c.company_id == company
                and c.partner_id == self.partner_id.commercial_partner_id
            )
        )
        if not contracts:
            return self.env._(
                "%(order)s needs a sales contract that is %(state)s before it is "
                "confirmed. Draft the contract from the order and have it reviewed.",
                order=self.name,
                state=self._get_contract_gate_state_label(),
            )
        if not any(contract._covers_order(self) for contract in contracts):
            contract = contracts[0]
            return self.env._(
                "%(order)s (%(amount)s) is larger than its contract %(contract)s "
                "covers (%(covered)s with a tolerance of %(tolerance)s%%). Draft a "
                "new contract or an amendment for the order as it is now.",
                order=self.name,
                amount=self.currency_id.format(self.amount_total),
                contract=contract.name,
                covered=contract.currency_id.format(contract.amount_total),
                tolerance=company.sale_credit_release_tolerance,
            )
        return False

    def _get_contract_gate_state_label(self):
        self.ensure_one()
        return dict(
            self.env["res.company"]
            ._fields["sale_contract_gate_state"]
            ._description_selection(self.env)
        )[self.company_id.sale_contract_gate_state].lower()

    def action_create_contract(self):
        contract = self.env["sale.contract"]._create_from_orders(self)
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.contract",
            "res_id": contract.id,
            "view_mode": "form",
        }

    def action_view_contracts(self):
        ensure_one_record(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Contracts"),
            "res_model": "sale.contract",
            "view_mode": "list,form",
            "domain": [("id", "in", self.contract_ids.ids)],
        }
