# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare, float_repr

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
        "user_id",
    )
    def _compute_review_required(self):
        for order in self:
            order.review_required = bool(
                order.company_id.sale_review_enabled or order._get_discount_excess()
            )

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
        """Lines whose discount exceeds the salesperson's own authority."""
        self.ensure_one()
        if not self.company_id.sale_discount_control_enabled:
            return self.env["sale.order.line"]
        authority = self._get_discount_authority(self.user_id or self.env.user)
        return self.order_line.filtered(
            lambda line: (
                not line.display_type
                and float_compare(line.discount, authority, precision_digits=4) > 0
            )
        )

    def _get_discount_steps(self):
        self.ensure_one()
        lines = self._get_discount_excess()
        if not lines:
            return []
        highest = max(lines.mapped("discount"))
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
                                f"{float_repr(line.discount, 2)}%"
                                f" ({line.discount_reason or '-'})"
                                for line in lines
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
            for line in lines.sudo():
                line.write(
                    {
                        "discount_approved": line.discount,
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
            missing.append(self.env._("Reason for each discount above your authority"))
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

    def action_quotation_send(self):
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
        self.ensure_one()
        return self.review_required and not self._approval_is_valid()


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

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.order_id._approval_check_changes()
        return lines

    def write(self, vals):
        if not self.env.su and {"discount_approved", "discount_approved_by_id"} & set(
            vals
        ):
            raise AccessError(
                self.env._(
                    "Approved discounts are recorded by the review only. Submit the "
                    "order for review to have a discount approved."
                )
            )
        result = super().write(vals)
        self.order_id._approval_check_changes()
        return result

    def unlink(self):
        orders = self.order_id
        result = super().unlink()
        orders.exists()._approval_check_changes()
        return result
