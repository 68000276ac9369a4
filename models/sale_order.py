# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare, float_repr, float_round

from .sale_tools import ensure_one_record

REVIEWABLE_ORDER_STATES = ("draft", "sent")
DISCOUNT_STEP_SEQUENCE = 900
# Roles that grant discounts, lowest first, with the group that holds each.
DISCOUNT_ROLE_GROUPS = [
    ("salesperson", None),
    ("head", "sale_process_control.group_sale_department_head"),
    ("director", "sale_process_control.group_sale_director"),
    ("management", "sale_process_control.group_sale_management"),
]


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "sale.approval.mixin"]

    review_required = fields.Boolean(
        compute="_compute_review_required",
        help="The order needs approved reviews (order review, or discounts above "
        "the salesperson's authority) before it can be confirmed.",
    )
    review_required_on_confirm = fields.Boolean(
        string="Review Required at Confirmation",
        readonly=True,
        copy=False,
        help="Whether the order needed approved reviews when it was confirmed; "
        "orders confirmed before the review control was switched on did not.",
    )
    review_allow_send = fields.Boolean(related="company_id.sale_review_allow_send")
    partner_commercial_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        string="Customer Company",
    )
    # Order registration form (订单信息登记表)
    customer_contact_id = fields.Many2one(
        "res.partner",
        string="Contact Person",
        domain="[('commercial_partner_id', '=', partner_commercial_id), "
        "('type', '=', 'contact')]",
        help="The customer's person in charge of this order.",
    )
    customer_contact_phone = fields.Char(
        string="Contact Phone",
        compute="_compute_customer_contact_phone",
        store=True,
        readonly=False,
        precompute=True,
    )
    requirement_description = fields.Text(
        string="Product/Service Description",
        help="What the customer needs: products or services, specifications, use.",
    )
    has_complex_requirements = fields.Boolean(
        string="Complex Technical Requirements",
        help="Tick when the order carries technical requirements that the technical "
        "department must check for feasibility.",
    )
    registration_missing = fields.Char(
        string="Missing Registration Items",
        compute="_compute_registration_missing",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends(
        "company_id.sale_review_enabled",
        "company_id.sale_discount_control_enabled",
        "order_line.discount",
        "order_line.price_unit",
        "order_line.product_uom",
        "order_line.product_uom_qty",
        "order_line.product_id",
        "partner_id",
        "pricelist_id",
        "user_id",
    )
    @api.depends("state", "review_required_on_confirm")
    def _compute_review_required(self):
        for order in self:
            if order.state in ("sale", "done"):
                # What the order needed when it was confirmed, not what
                # today's settings would ask of a new one.
                order.review_required = order.review_required_on_confirm
            else:
                order.review_required = order._get_review_required()

    @api.depends("customer_contact_id")
    def _compute_customer_contact_phone(self):
        for order in self:
            contact = order.customer_contact_id
            if contact:
                order.customer_contact_phone = contact.phone or contact.mobile or False
            elif not order.customer_contact_phone:
                order.customer_contact_phone = False

    @api.depends(
        "partner_id",
        "customer_contact_id",
        "customer_contact_phone",
        "commitment_date",
        "partner_shipping_id.street",
        "partner_shipping_id.city",
        "requirement_description",
        "order_line.product_uom_qty",
        "order_line.discount",
        "order_line.discount_reason",
    )
    def _compute_registration_missing(self):
        for order in self:
            order.registration_missing = (
                ", ".join(order._get_registration_missing()) or False
            )

    # ------------------------------------------------------------------
    # Review engine hooks
    # ------------------------------------------------------------------
    def _get_approval_steps(self):
        self.ensure_one()
        steps = []
        if self.company_id.sale_review_enabled:
            steps += self._get_rule_steps()
        steps += self._get_discount_steps()
        return steps

    def _get_rule_steps(self):
        self.ensure_one()
        rules = self.env["sale.review.rule"].search(
            [("company_id", "in", (False, self.company_id.id))]
        )
        facts = self._get_review_facts()
        # The team leader reviews their team's orders, unless they sell it.
        leader = self.team_id.user_id
        leader = leader if leader and leader != self.user_id else self.env["res.users"]
        return [
            {
                "name": rule.name,
                "group_id": rule.group_id.id,
                "reviewer_id": leader.id if rule.use_team_leader and leader else False,
                "stage": int(rule.stage),
                "sequence": rule.sequence,
                "checklist": rule.checklist,
            }
            for rule in rules
            if rule._matches(facts)
        ]

    def _get_review_facts(self):
        """What the review rules look at, computed once per submission."""
        self.ensure_one()
        commercial = self.partner_id.commercial_partner_id
        amount = self.currency_id._convert(
            self.amount_untaxed,
            self.company_id.currency_id,
            self.company_id,
            self.date_order or fields.Date.context_today(self),
        )
        has_past_order = bool(
            self.env["sale.order"]
            .sudo()
            .search(
                [
                    ("partner_id", "child_of", commercial.id),
                    ("company_id", "=", self.company_id.id),
                    ("state", "=", "sale"),
                    ("id", "!=", self.id),
                ],
                limit=1,
            )
        )
        return {
            "large_amount": amount >= self.company_id.sale_joint_review_amount > 0,
            "special_product": any(
                self.order_line.product_id.product_tmpl_id.mapped("is_special_product")
            ),
            "complex_requirements": self.has_complex_requirements,
            "new_customer": not has_past_order,
            # The credit grade arrives with credit control; rules on it wait for it.
            "credit_grade": commercial["credit_grade"]
            if "credit_grade" in commercial._fields
            else False,
        }

    # ------------------------------------------------------------------
    # Discount authority
    # ------------------------------------------------------------------
    def _get_discount_authority(self, user):
        """The highest discount ``user`` may grant in this order's company."""
        self.ensure_one()
        ladder = dict(self.company_id._get_sale_discount_ladder())
        for role, group in reversed(DISCOUNT_ROLE_GROUPS):
            if group and user.has_group(group):
                return ladder[role]
        return ladder["salesperson"]

    def _get_discount_excess(self):
        """Lines whose effective discount exceeds the salesperson's own
        authority, with that discount: ``{line: discount}``."""
        self.ensure_one()
        if not self.company_id.sale_discount_control_enabled:
            return {}
        authority = self._get_discount_authority(self.user_id or self.env.user)
        return {
            line: discount
            for line, discount in self._get_effective_discounts().items()
            if float_compare(discount, authority, precision_digits=4) > 0
        }

    def _get_effective_discounts(self):
        """``{line: discount (%)}`` of the order's product lines, measured
        against the price the customer gets without a manual change.

        A line's discount is the larger of its discount field and how far its
        net unit price lies below the price of the customer's own pricelist
        (a lowered unit price, another pricelist, a larger unit of measure for
        the same price). A line of negative amount (a rebate) gives the
        discount of the whole order: how far the order's net amount lies below
        what its other lines cost at the customer's price.
        """
        self.ensure_one()
        # Lines without a quantity sell nothing (Odoo adds them for products
        # delivered beyond the order); they count once they get one.
        lines = self.order_line.filtered(
            lambda line: (
                not line.display_type
                and not line.is_downpayment
                and line.product_id
                and line.product_uom_qty
            )
        )
        rounding = self.currency_id.rounding or 0.01
        discounts = {}
        rebates = self.env["sale.order.line"]
        reference_total = net_total = 0.0
        for line in lines:
            net_unit = line.price_unit * (1 - (line.discount or 0.0) / 100.0)
            net_amount = net_unit * line.product_uom_qty
            net_total += net_amount
            if float_compare(net_amount, 0.0, precision_rounding=rounding) < 0:
                rebates |= line
                continue
            discount = line.discount or 0.0
            reference = line._get_reference_price_unit()
            if float_compare(reference, 0.0, precision_rounding=rounding) > 0:
                discount = max(discount, 100.0 * (1 - net_unit / reference))
                reference_total += reference * line.product_uom_qty
            else:
                reference_total += net_amount
            discounts[line] = float_round(discount, precision_digits=2)
        if rebates:
            whole_order = (
                100.0 * (1 - net_total / reference_total)
                if float_compare(reference_total, 0.0, precision_rounding=rounding) > 0
                else 100.0
            )
            whole_order = float_round(max(whole_order, 0.0), precision_digits=2)
            for line in rebates:
                discounts[line] = whole_order
        return discounts

    def _get_discount_steps(self):
        self.ensure_one()
        lines = self._get_discount_excess()
        if not lines:
            return []
        highest = max(lines.values())
        ladder = self.company_id._get_sale_discount_ladder()
        for role, group_xmlid in DISCOUNT_ROLE_GROUPS[1:]:
            if float_compare(dict(ladder)[role], highest, precision_digits=4) >= 0:
                return [
                    {
                        "name": self.env._(
                            "Discount approval (up to %(discount)s%%)",
                            discount=float_repr(highest, 2),
                        ),
                        "group_id": self.env.ref(group_xmlid).id,
                        # The head decides it with the preliminary review;
                        # higher roles approve after the joint review.
                        "stage": 1 if role == "head" else 3,
                        "sequence": DISCOUNT_STEP_SEQUENCE,
                        "checklist": self.env._(
                            "Discounts above the salesperson's authority: %(lines)s",
                            lines="; ".join(
                                f"{line.product_id.display_name} "
                                f"{float_repr(discount, 2)}%"
                                f" ({line.discount_reason or '-'})"
                                for line, discount in lines.items()
                            ),
                        ),
                    }
                ]
        raise UserError(
            self.env._(
                "A discount of %(discount)s%% exceeds the authority of every role "
                "(management may grant up to %(maximum)s%%). Lower the discount.",
                discount=float_repr(highest, 2),
                maximum=float_repr(dict(ladder)["management"], 2),
            )
        )

    def _on_approval_approved(self):
        result = super()._on_approval_approved()
        for order in self:
            lines = order._get_discount_excess()
            if not lines:
                continue
            step = order._get_current_steps().filtered(
                lambda s: s.state == "approved" and s.sequence == DISCOUNT_STEP_SEQUENCE
            )[-1:]
            # Approvers may not write order lines; the engine records their decision.
            for line, discount in lines.items():
                line.sudo().write(
                    {
                        "discount_approved": discount,
                        "discount_approved_by_id": step.decided_by_id.id,
                    }
                )
        return result

    # ------------------------------------------------------------------
    # Registration
    # ------------------------------------------------------------------
    def _get_registration_missing(self):
        """Labels of the registration items still missing on the order."""
        self.ensure_one()
        fields_ = self._fields
        missing = []
        if not self.customer_contact_id:
            missing.append(
                fields_["customer_contact_id"].get_description(self.env)["string"]
            )
        if not self.customer_contact_phone:
            missing.append(
                fields_["customer_contact_phone"].get_description(self.env)["string"]
            )
        if not self.commitment_date:
            missing.append(self.env._("Delivery Date"))
        shipping = self.partner_shipping_id
        if not shipping or not (shipping.street and shipping.city):
            missing.append(self.env._("Delivery Address (street and city)"))
        if not (self.requirement_description or "").strip():
            missing.append(
                fields_["requirement_description"].get_description(self.env)["string"]
            )
        product_lines = self.order_line.filtered(lambda line: not line.display_type)
        if not product_lines:
            missing.append(self.env._("Order lines"))
        elif any(line.product_uom_qty <= 0 for line in product_lines):
            missing.append(self.env._("Quantity on every line"))
        if any(not line.discount_reason for line in self._get_discount_excess()):
            missing.append(
                self.env._(
                    "Discount Reason of each order line discounted above your authority"
                )
            )
        return missing

    def _check_approval_submittable(self):
        result = super()._check_approval_submittable()
        missing = self._get_registration_missing()
        if missing:
            raise UserError(
                self.env._(
                    "%(order)s cannot be submitted for review yet. Complete these "
                    "items of the order registration: %(items)s.",
                    order=self.name,
                    items=", ".join(missing),
                )
            )
        if self.state not in REVIEWABLE_ORDER_STATES:
            raise UserError(
                self.env._(
                    "Only quotations are submitted for review; %(order)s is already "
                    "confirmed or cancelled.",
                    order=self.name,
                )
            )
        return result

    def _get_approval_fingerprint_values(self):
        """Everything a review approves: a change of any of it after submission
        resets the review (see ``APPROVED_ORDER_FIELDS``)."""
        self.ensure_one()
        return {
            "company": self.company_id.id,
            "partner": self.partner_id.id,
            "invoice_address": self.partner_invoice_id.id,
            "delivery_address": self.partner_shipping_id.id,
            "pricelist": self.pricelist_id.id,
            "currency": self.currency_id.id,
            "payment_term": self.payment_term_id.id,
            "fiscal_position": self.fiscal_position_id.id,
            "commitment_date": str(self.commitment_date or ""),
            "amount_untaxed": self.currency_id.round(self.amount_untaxed),
            "amount_total": self.currency_id.round(self.amount_total),
            "lines": sorted(
                (
                    line.product_id.id,
                    line.product_uom_qty,
                    line.product_uom.id,
                    line.price_unit,
                    line.discount,
                    sorted(line.tax_id.ids),
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
    # Review part of the confirmation gate (sale_order_gate.py)
    # ------------------------------------------------------------------
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

    def action_quotation_send(self):
        if not self:
            ensure_one_record(self)
        for order in self:
            if (
                order.state in REVIEWABLE_ORDER_STATES
                and order._is_waiting_for_review()
                and not order.company_id.sale_review_allow_send
            ):
                raise UserError(
                    self.env._(
                        "%(order)s is sent to the customer once its review is "
                        "approved. Submit it for review first.",
                        order=order.name,
                    )
                )
        return super().action_quotation_send()

    def action_print_review_sheet(self):
        return self.env.ref(
            "sale_process_control.action_report_sale_review_sheet"
        ).report_action(self)

    def _has_to_be_signed(self):
        # The customer cannot sign, and so confirm, a quotation under review.
        return super()._has_to_be_signed() and not self._is_waiting_for_review()

    def _has_to_be_paid(self):
        return super()._has_to_be_paid() and not self._is_waiting_for_review()

    def _is_waiting_for_review(self):
        """Judged on the order's values now, not on a cached compute."""
        self.ensure_one()
        return self._get_review_required() and not self._approval_is_valid()

    def _get_review_required(self):
        self.ensure_one()
        return bool(self.company_id.sale_review_enabled or self._get_discount_excess())


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    discount_reason = fields.Char(
        help="Why the customer gets this discount; required when it exceeds your "
        "authority.",
    )
    discount_approved = fields.Float(
        string="Approved Discount (%)",
        digits="Discount",
        readonly=True,
        copy=False,
    )
    discount_approved_by_id = fields.Many2one(
        "res.users",
        readonly=True,
        copy=False,
    )

    def _get_reference_price_unit(self):
        """The unit price this line would have without a manual change: the
        price of the customer's own pricelist (or the product's sales price)
        for its product, quantity, unit and date, in the order's currency and
        on the same tax basis as ``price_unit``."""
        self.ensure_one()
        order = self.order_id
        company = order.company_id or self.env.company
        line = self.with_company(company)
        product = line.product_id.with_context(**line._get_product_price_context())
        quantity = line.product_uom_qty or 1.0
        uom = line.product_uom or product.uom_id
        date = order.date_order or fields.Datetime.now()
        pricelist = order.partner_id.with_company(company).property_product_pricelist
        if pricelist and pricelist == order.pricelist_id:
            rule = line.pricelist_item_id
        elif pricelist:
            rule = self.env["product.pricelist.item"].browse(
                pricelist._get_product_rule(
                    product, quantity=quantity, uom=uom, date=date
                )
            )
        else:
            rule = self.env["product.pricelist.item"]
        currency = pricelist.currency_id or order.currency_id
        price = rule._compute_price(product, quantity, uom, date, currency=currency)
        if currency != order.currency_id:
            price = currency._convert(price, order.currency_id, company, date)
        return line.product_id._get_tax_included_unit_price_from_price(
            price,
            product_taxes=line.product_id.taxes_id.filtered(
                lambda tax: tax.company_id == company
            ),
            fiscal_position=order.fiscal_position_id,
        )
