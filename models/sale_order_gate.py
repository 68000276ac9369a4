# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
"""The confirmation gate: the one place that decides whether sales orders may
enter a confirmed state.

Every way in meets it, judged on the values *after* the change:
``action_confirm`` on one or many orders (buttons, portal signature and
payment, jobs), ``create`` and ``load`` with a confirmed state, ``copy`` with
one, and ``write`` of the state from any state, cancelled included, together
with any other change in the same call. Its checks are the order review and
discount authority (``sale_order.py``), the contract (``sale_order_contract.py``)
and credit (``sale_order_credit.py``).

The fields that record a decision (review status and fingerprint, credit hold,
releases, contracts, approved discounts) are written by the code that makes
the decision only; what a confirmed order's approval fixed (customer, company,
pricelist, prices, discounts, taxes, units) no longer changes by a plain write.
"""

from collections import defaultdict

from odoo import api, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare

from .sale_tools import ensure_one_record

CONFIRMED_STATES = ("sale",)
# The confirmation write of Odoo's action_confirm: it changes nothing the gate
# judged, so checks made just before it stand.
CONFIRMATION_KEYS = frozenset({"state", "date_order"})
# Transaction-local record of the checks passed since the order last changed
# (``cr.precommit.data`` is cleared on commit and rollback; no client reaches it).
GATE_CHECKS_KEY = "sale_process_control.gate_checks"
DELIVERY_CHECKED_KEY = "sale_process_control.delivery_checked"
ORDER_ENGINE_FIELDS = frozenset(
    {
        "credit_hold",
        "credit_hold_reasons",
        "credit_hold_date",
        "credit_release_ids",
        "contract_ids",
        "review_required_on_confirm",
        "contract_required_on_confirm",
    }
)
LINE_ENGINE_FIELDS = frozenset({"discount_approved", "discount_approved_by_id"})
# What a confirmed order's approval fixed.
LOCKED_ORDER_FIELDS = ("partner_id", "company_id", "pricelist_id", "currency_id")
LOCKED_LINE_FIELDS = (
    "order_id",
    "product_id",
    "product_uom",
    "price_unit",
    "discount",
    "tax_id",
)


class SaleOrder(models.Model):
    _inherit = "sale.order"

    # ------------------------------------------------------------------
    # CRUD: every state change meets the gate
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        entered = orders.filtered(lambda o: o.state in CONFIRMED_STATES)
        if entered:
            entered._gate_check_entered()
        return orders

    def write(self, vals):
        entering = self.browse()
        if vals.get("state") in CONFIRMED_STATES:
            entering = self.filtered(lambda o: o.state not in CONFIRMED_STATES)
        changes_values = bool(set(vals) - CONFIRMATION_KEYS)
        if entering and changes_values:
            # One call that changes the order and confirms it: the changes
            # first (they reset the review they invalidate), then the state,
            # so the gate judges the order as the call leaves it.
            state_vals = {key: vals[key] for key in CONFIRMATION_KEYS if key in vals}
            other_vals = {key: vals[key] for key in vals if key not in state_vals}
            self.write(other_vals)
            return self.write(state_vals)
        locked = self._gate_locked_orders(vals)
        before = {order: order._gate_terms() for order in locked}
        result = super().write(vals)
        if changes_values:
            self._gate_forget_checks()
        for order, terms in before.items():
            order._gate_check_terms_kept(terms, order._gate_terms())
        if entering:
            entering._gate_check_entered()
        return result

    def _get_engine_fields(self):
        return super()._get_engine_fields() | ORDER_ENGINE_FIELDS

    def _get_engine_field_error(self, names):
        if names & {"credit_hold", "credit_hold_reasons", "credit_hold_date"}:
            return self.env._(
                "The credit hold is set by the credit check and lifted by finance's "
                "release or by the customer's payment; it cannot be changed directly."
            )
        if "credit_release_ids" in names:
            return self.env._(
                "Credit releases are given by finance with the Release button of a "
                "held order."
            )
        if names & {"review_required_on_confirm", "contract_required_on_confirm"}:
            return self.env._(
                "Whether an order needed a review or a contract is recorded when "
                "it is confirmed; it cannot be changed directly."
            )
        if "contract_ids" in names:
            return self.env._(
                "An order is linked to its contract when the contract is drafted "
                "from the order; the link cannot be changed directly."
            )
        return super()._get_engine_field_error(names)

    # ------------------------------------------------------------------
    # The gate
    # ------------------------------------------------------------------
    def _confirmation_error_message(self):
        """Odoo's seam of ``action_confirm``, the portal and payments."""
        error = super()._confirmation_error_message()
        if error:
            return error
        store = self.env.cr.precommit.data.get(GATE_CHECKS_KEY) or {}
        if "rules" in store.get(self.id, ()):
            # Review and contract were checked since the order last changed.
            error = self._get_credit_hold_gate_error()
        else:
            error = self._get_confirmation_gate_error()
        if not error:
            self._gate_remember_checks("rules")
        return error

    def _get_confirmation_gate_error(self, credit=True):
        """Why this order may not be confirmed as it is now, or False: its
        review and discount approval, its contract, its credit hold (unless
        ``credit`` is false: the credit check is about to run)."""
        self.ensure_one()
        if self._is_waiting_for_review():
            return self._get_review_gate_message()
        return self._get_contract_gate_error() or (
            credit and self._get_credit_hold_gate_error()
        )

    def _gate_check_entered(self):
        """Orders that have just entered a confirmed state, whatever the path:
        refuse the whole change unless every order passes every check."""
        checks = self._gate_take_checks()
        for order in self:
            if "rules" in checks.get(order.id, ()):
                continue
            error = order._get_confirmation_gate_error()
            if error:
                raise UserError(error)
        # Credit is checked for the whole batch at once (cumulatively).
        unchecked = self.filtered(
            lambda o: (
                o.company_id.sale_credit_control_enabled
                and "credit" not in checks.get(o.id, ())
            )
        )
        if unchecked:
            unchecked._check_credit_or_raise()
        # What the spot check and the order's pages judge it by later: the
        # rules in force when it was confirmed.
        by_flags = defaultdict(lambda: self.browse())
        for order in self:
            flags = (order._get_review_required(), order._needs_contract())
            if any(flags):
                by_flags[flags] |= order
        for (review, contract), orders in by_flags.items():
            orders.sudo().write(
                {
                    "review_required_on_confirm": review,
                    "contract_required_on_confirm": contract,
                }
            )

    # Transaction-local memory of passed checks ---------------------------
    def _gate_remember_checks(self, *checks):
        store = self.env.cr.precommit.data.setdefault(GATE_CHECKS_KEY, {})
        for order in self:
            store.setdefault(order.id, set()).update(checks)

    def _gate_forget_checks(self):
        store = self.env.cr.precommit.data.get(GATE_CHECKS_KEY)
        if store:
            for order_id in self.ids:
                store.pop(order_id, None)

    @api.model
    def _gate_forget_all_checks(self):
        store = self.env.cr.precommit.data.get(GATE_CHECKS_KEY)
        if store:
            store.clear()

    def _gate_take_checks(self):
        store = self.env.cr.precommit.data.get(GATE_CHECKS_KEY) or {}
        return {
            order_id: store.pop(order_id) for order_id in self.ids if order_id in store
        }

    # What a confirmed order's approval fixed -----------------------------
    def _gate_controls_enabled(self):
        self.ensure_one()
        company = self.company_id
        return bool(
            company.sale_review_enabled
            or company.sale_discount_control_enabled
            or company.sale_credit_control_enabled
            or company.sale_contract_required
        )

    def _gate_locked_orders(self, vals):
        """The confirmed orders of ``self`` whose fixed terms ``vals`` writes."""
        if self.env.su or not set(LOCKED_ORDER_FIELDS).intersection(vals):
            return self.browse()
        return self.filtered(
            lambda o: o.state in CONFIRMED_STATES and o._gate_controls_enabled()
        )

    def _gate_terms(self):
        self.ensure_one()
        return {name: self[name].id for name in LOCKED_ORDER_FIELDS}

    def _gate_check_terms_kept(self, before, after):
        self.ensure_one()
        changed = [name for name in LOCKED_ORDER_FIELDS if before[name] != after[name]]
        if changed:
            raise UserError(self._get_locked_terms_message(changed))

    def _get_locked_terms_message(self, names, model="sale.order"):
        """The refusal of a change of the fields ``names`` (of ``model``)."""
        self.ensure_one()
        fields_ = self.env[model]._fields
        labels = ", ".join(
            fields_[name].get_description(self.env)["string"] for name in names
        )
        return self.env._(
            "%(order)s is confirmed: its customer, prices, discounts, taxes and units "
            "were approved with it and no longer change (%(fields)s). To change them, "
            "cancel the order, set it back to quotation, submit it for review and "
            "confirm it again, or add the change to a new quotation.",
            order=self.name,
            fields=labels,
        )

    def action_update_prices(self):
        ensure_one_record(self)
        for order in self:
            if (
                not self.env.su
                and order.state in CONFIRMED_STATES
                and order._gate_controls_enabled()
            ):
                raise UserError(order._get_locked_terms_message(["pricelist_id"]))
        return super().action_update_prices()


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                self._check_line_engine_fields(vals)
        lines = super().create(vals_list)
        orders = lines.order_id
        orders._gate_forget_checks()
        orders._approval_check_changes()
        if not self.env.su:
            lines._check_discount_on_confirmed()
        return lines

    def write(self, vals):
        if not self.env.su:
            self._check_line_engine_fields(vals)
        locked = self._gate_locked_lines(vals)
        before = {line: line._gate_terms() for line in locked}
        orders = self.order_id
        result = super().write(vals)
        orders |= self.order_id
        orders._gate_forget_checks()
        for line, terms in before.items():
            line._gate_check_terms_kept(terms, vals)
        if "product_uom_qty" in vals and not self.env.su:
            self._check_discount_on_confirmed()
        orders._approval_check_changes()
        return result

    def unlink(self):
        orders = self.order_id
        result = super().unlink()
        orders = orders.exists()
        orders._gate_forget_checks()
        orders._approval_check_changes()
        return result

    def _check_line_engine_fields(self, vals):
        if LINE_ENGINE_FIELDS.intersection(vals):
            raise AccessError(
                self.env._(
                    "Approved discounts are recorded by the review only. Submit the "
                    "order for review to have a discount approved."
                )
            )

    def _gate_locked_lines(self, vals):
        if self.env.su or not set(LOCKED_LINE_FIELDS).intersection(vals):
            return self.browse()
        return self.filtered(
            lambda line: (
                line.order_id.state in CONFIRMED_STATES
                and not line.display_type
                and not line.is_downpayment
                and line.order_id._gate_controls_enabled()
            )
        )

    def _gate_terms(self):
        self.ensure_one()
        return {
            "order_id": self.order_id.id,
            "product_id": self.product_id.id,
            "product_uom": self.product_uom.id,
            "price_unit": self.price_unit,
            "discount": self.discount,
            "tax_id": sorted(self.tax_id.ids),
        }

    def _gate_check_terms_kept(self, before, vals):
        """Refuse a written change of what the confirmed order's approval fixed
        (a price the pricelist recomputes for a new quantity is not written)."""
        self.ensure_one()
        after = self._gate_terms()
        price_digits = self.env["decimal.precision"].precision_get("Product Price")
        discount_digits = self.env["decimal.precision"].precision_get("Discount")
        changed = []
        for name in LOCKED_LINE_FIELDS:
            if name not in vals:
                continue
            if name == "price_unit":
                differs = float_compare(
                    before[name], after[name], precision_digits=price_digits
                )
            elif name == "discount":
                differs = float_compare(
                    before[name], after[name], precision_digits=discount_digits
                )
            else:
                differs = before[name] != after[name]
            if differs:
                changed.append(name)
        if changed:
            order = self.env["sale.order"].browse(before["order_id"])
            raise UserError(
                order._get_locked_terms_message(changed, model="sale.order.line")
            )

    def _check_discount_on_confirmed(self):
        """A line added to a confirmed order, or given a new quantity, sells at
        no discount beyond the salesperson's authority or the discount its
        review approved: more needs a quotation and its review."""
        for order in self.order_id.filtered(
            lambda o: (
                o.state in CONFIRMED_STATES
                and o.company_id.sale_discount_control_enabled
            )
        ):
            excess = order._get_discount_excess()
            unapproved = [
                line
                for line, discount in excess.items()
                if line in self
                and float_compare(discount, line.discount_approved, precision_digits=4)
                > 0
            ]
            if unapproved:
                line = unapproved[0]
                raise UserError(
                    self.env._(
                        "%(order)s is confirmed: %(product)s would sell at a discount "
                        "of %(discount)s%%, above the salesperson's authority and "
                        "what its review approved. Put it on a new quotation and "
                        "submit it for review.",
                        order=order.name,
                        product=line.product_id.display_name,
                        discount=round(excess[line], 2),
                    )
                )


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _check_pricelist_authority(self):
        """Discount authority measures prices against the customer's own
        pricelist: while it is on, a salesperson cannot give a customer a
        cheaper pricelist; sales administrators set it."""
        company = self.env.company
        return not (
            self.env.su
            or not company.sale_discount_control_enabled
            or self.env.user.has_group("sales_team.group_sale_manager")
        )

    def _get_pricelist_refusal(self):
        return self.env._(
            "While Discount Authority is on, a customer's pricelist is set by a "
            "sales administrator: discounts are measured against it. Ask one to "
            "change it, or give the discount on the order for review."
        )

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        names = {"property_product_pricelist", "specific_property_product_pricelist"}
        if any(names.intersection(vals) for vals in vals_list) and (
            self._check_pricelist_authority()
        ):
            for partner in partners:
                default = self.new(
                    {"country_id": partner.country_id.id}
                ).property_product_pricelist
                if partner.property_product_pricelist != default:
                    raise UserError(self._get_pricelist_refusal())
        return partners

    def write(self, vals):
        names = {"property_product_pricelist", "specific_property_product_pricelist"}
        if not names.intersection(vals) or not self._check_pricelist_authority():
            return super().write(vals)
        before = {partner: partner.property_product_pricelist for partner in self}
        result = super().write(vals)
        self.invalidate_recordset(["property_product_pricelist"])
        if any(
            partner.property_product_pricelist != before[partner] for partner in self
        ):
            raise UserError(self._get_pricelist_refusal())
        return result
