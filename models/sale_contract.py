# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
import math
from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare

from .sale_contract_template import CLAUSE_FIELDS, PLACEHOLDER
from .sale_tools import ensure_one_record, read_all_related

try:
    import cn2an
except (
    ImportError
):  # declared in external_dependencies; the module does not install without it
    cn2an = None

CONTRACT_STATES = [
    ("draft", "Draft"),
    ("review", "Under Review"),
    ("approved", "Approved"),
    ("signed", "In Force"),
    ("done", "Completed"),
    ("terminated", "Terminated"),
    ("cancel", "Cancelled"),
]
LOCKED_STATES = ("approved", "signed", "done", "terminated", "cancel")
# Written by signing, the engine and the ledger; never by a plain edit.
CONTRACT_ENGINE_FIELDS = {"state", "archive_number", "version"}
SIGNING_FIELDS = {
    "sign_date",
    "company_signatory_id",
    "customer_signatory",
    "signed_file",
    "signed_filename",
}


# The largest contract amount a contract states in words to the fen: beyond
# it a float no longer holds the fen exactly.
MAX_CONTRACT_AMOUNT = 10**12


def amount_in_chinese(amount):
    """Chinese capital numerals of an amount (大写金额), e.g. 壹拾万元整; empty
    for an amount beyond ``MAX_CONTRACT_AMOUNT``, which a contract refuses."""
    if not math.isfinite(amount) or abs(amount) >= MAX_CONTRACT_AMOUNT:
        return ""
    return cn2an.an2cn(round(amount, 2), "rmb")


class SaleContract(models.Model):
    """A sales contract drafted from one or more orders of a customer (R-25…R-29)."""

    _name = "sale.contract"
    _inherit = ["mail.thread", "mail.activity.mixin", "sale.approval.mixin"]
    _description = "Sales Contract"
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Contract Number",
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
    )
    title = fields.Char(
        string="Contract Title",
        default=lambda self: self.env._("Sales Contract"),
        required=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one("res.currency", required=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        domain="[('parent_id', '=', False)]",
        tracking=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        default=lambda self: self.env.user,
        tracking=True,
    )
    order_ids = fields.Many2many(
        "sale.order",
        "sale_contract_order_rel",
        "contract_id",
        "order_id",
        string="Orders",
        check_company=True,
        domain="[('partner_id.commercial_partner_id', '=', partner_id)]",
    )
    order_count = fields.Integer(compute="_compute_order_count")
    template_id = fields.Many2one("sale.contract.template")
    line_ids = fields.One2many(
        "sale.contract.line", "contract_id", string="Products", copy=True
    )
    amount_untaxed = fields.Monetary(compute="_compute_amounts", store=True)
    amount_tax = fields.Monetary(compute="_compute_amounts", store=True)
    amount_total = fields.Monetary(
        compute="_compute_amounts", store=True, tracking=True
    )
    amount_in_words = fields.Char(
        string="Amount in Words", compute="_compute_amount_in_words"
    )
    company_representative = fields.Char(string="Our Legal Representative")
    customer_representative = fields.Char(string="Customer's Legal Representative")
    delivery_date = fields.Date(tracking=True)
    delivery_place = fields.Text()
    payment_term_id = fields.Many2one("account.payment.term", string="Payment Terms")
    clause_delivery = fields.Text(string="Delivery Terms")
    clause_payment = fields.Text(string="Payment Terms Clause")
    clause_quality = fields.Text(string="Quality Standard")
    clause_acceptance = fields.Text(string="Acceptance")
    clause_breach = fields.Text(string="Breach Liability")
    clause_dispute = fields.Text(string="Dispute Resolution")
    clause_other = fields.Text(string="Other Clauses")
    is_major = fields.Boolean(
        string="Major Contract",
        compute="_compute_is_major",
        store=True,
        readonly=False,
        help="Major contracts also go to a joint review by finance and management. "
        "Set from the company's amount, or by hand.",
    )
    state = fields.Selection(
        CONTRACT_STATES,
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    sign_date = fields.Date(string="Signing Date", copy=False, tracking=True)
    company_signatory_id = fields.Many2one(
        "res.users", string="Signed For Us By", copy=False
    )
    customer_signatory = fields.Char(string="Signed For the Customer By", copy=False)
    signed_file = fields.Binary(string="Signed Original", attachment=True, copy=False)
    signed_filename = fields.Char(copy=False)
    archive_number = fields.Char(readonly=True, copy=False, tracking=True)
    version = fields.Integer(default=1, readonly=True, copy=False)
    amendment_ids = fields.One2many("sale.contract.amendment", "contract_id")
    # Ledger (合同台账): execution from the linked orders, deliveries and invoices.
    delivered_amount = fields.Monetary(compute="_compute_execution", store=True)
    invoiced_amount = fields.Monetary(compute="_compute_execution", store=True)
    paid_amount = fields.Monetary(compute="_compute_execution", store=True)
    delivered_percent = fields.Float(
        string="Delivered (%)",
        compute="_compute_execution",
        store=True,
        digits=(16, 1),
        aggregator="avg",
    )
    invoiced_percent = fields.Float(
        string="Invoiced (%)",
        compute="_compute_execution",
        store=True,
        digits=(16, 1),
        aggregator="avg",
    )
    paid_percent = fields.Float(
        string="Paid (%)",
        compute="_compute_execution",
        store=True,
        digits=(16, 1),
        aggregator="avg",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    def _compute_order_count(self):
        for contract in self:
            contract.order_count = len(contract.order_ids)

    @api.depends("line_ids.price_subtotal", "line_ids.price_total")
    def _compute_amounts(self):
        for contract in self:
            contract.amount_untaxed = sum(contract.line_ids.mapped("price_subtotal"))
            contract.amount_total = sum(contract.line_ids.mapped("price_total"))
            contract.amount_tax = contract.amount_total - contract.amount_untaxed

    @api.constrains("amount_total", "line_ids")
    def _check_amount_total(self):
        for contract in self:
            if abs(contract.amount_total) >= MAX_CONTRACT_AMOUNT:
                raise ValidationError(
                    self.env._(
                        "The total of %(contract)s, %(amount)s, is beyond what a "
                        "contract states in words (under %(max)s). Check the "
                        "quantities and prices of its lines.",
                        contract=contract.name,
                        amount=contract.currency_id.format(contract.amount_total),
                        max=contract.currency_id.format(MAX_CONTRACT_AMOUNT),
                    )
                )

    @api.depends("amount_total")
    def _compute_amount_in_words(self):
        for contract in self:
            contract.amount_in_words = amount_in_chinese(contract.amount_total)

    @api.depends("amount_total", "company_id.sale_contract_major_amount")
    def _compute_is_major(self):
        for contract in self:
            threshold = contract.company_id.sale_contract_major_amount
            contract.is_major = bool(threshold) and contract.amount_total >= threshold

    @api.depends(
        "amount_untaxed",
        "amount_total",
        "order_ids.order_line.qty_delivered",
        "order_ids.invoice_ids.state",
        "order_ids.invoice_ids.amount_residual",
    )
    def _compute_execution(self):
        for contract in self:
            lines = contract.order_ids.order_line.filtered(
                lambda line: not line.display_type
            )
            delivered = sum(
                line.qty_delivered * line.price_unit * (1 - line.discount / 100.0)
                for line in lines
            )
            invoices = contract.order_ids.invoice_ids.filtered(
                lambda m: (
                    m.state == "posted" and m.move_type in ("out_invoice", "out_refund")
                )
            )
            sign = {"out_invoice": 1, "out_refund": -1}
            invoiced = sum(sign[m.move_type] * m.amount_total for m in invoices)
            paid = sum(
                sign[m.move_type] * (m.amount_total - m.amount_residual)
                for m in invoices
            )
            contract.delivered_amount = delivered
            contract.invoiced_amount = invoiced
            contract.paid_amount = paid
            untaxed, total = contract.amount_untaxed, contract.amount_total
            contract.delivered_percent = 100.0 * delivered / untaxed if untaxed else 0.0
            contract.invoiced_percent = 100.0 * invoiced / total if total else 0.0
            contract.paid_percent = 100.0 * paid / total if total else 0.0

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "sale.contract"
                ) or self.env._("New")
        contracts = super().create(vals_list)
        # The default title is printed: in the contract's print language
        # (the customer's), not in the drafter's.
        default_title = self.env._("Sales Contract")
        for contract in contracts.filtered(lambda c: c.title == default_title):
            title = contract.with_context(lang=contract._get_print_lang()).env._(
                "Sales Contract"
            )
            if title != default_title:
                contract.title = title
        self.env["sale.order"]._gate_forget_all_checks()
        return contracts

    def write(self, vals):
        # A contract's state and links decide whether its orders may be
        # confirmed: a decision taken earlier in this transaction is void.
        self.env["sale.order"]._gate_forget_all_checks()
        if not self.env.su:
            editable = {"message_main_attachment_id"}
            locked = self.filtered(lambda c: c.state in LOCKED_STATES)
            if locked and set(vals) - editable:
                raise UserError(
                    self.env._(
                        "%(contract)s is approved or signed and cannot be edited. "
                        "Change it through an amendment.",
                        contract=locked[0].name,
                    )
                )
        return super().write(vals)

    def _get_engine_fields(self):
        return super()._get_engine_fields() | CONTRACT_ENGINE_FIELDS | SIGNING_FIELDS

    def _get_engine_field_error(self, names):
        if names & SIGNING_FIELDS:
            return self.env._(
                "The signature of a contract is recorded with its Sign button, once "
                "the contract is approved."
            )
        if names & CONTRACT_ENGINE_FIELDS:
            return self.env._("The contract status changes through its buttons only.")
        return super()._get_engine_field_error(names)

    def _covers_order(self, order):
        """Whether this contract covers ``order``: together with its other
        confirmed orders, the order stays within the contract's amount plus
        the company's release tolerance."""
        self.ensure_one()
        company = self.company_id
        tolerance = company.sale_credit_release_tolerance / 100.0
        orders = (
            read_all_related(self, "order_ids").filtered(
                lambda o: o.state == "sale" and o != order
            )
            | order
        )
        covered = sum(
            o.currency_id._convert(
                o.amount_total,
                self.currency_id,
                company,
                o.date_order or fields.Date.context_today(self),
            )
            for o in orders
        )
        return (
            float_compare(
                covered,
                self.amount_total * (1 + tolerance),
                precision_rounding=self.currency_id.rounding,
            )
            <= 0
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_draft(self):
        if any(contract.state not in ("draft", "cancel") for contract in self):
            raise UserError(
                self.env._("Only draft or cancelled contracts can be deleted.")
            )

    # ------------------------------------------------------------------
    # Drafting
    # ------------------------------------------------------------------
    @api.model
    def _create_from_orders(self, orders):
        """Draft one contract from orders of one customer, company and currency."""
        if not orders:
            raise UserError(self.env._("Select the orders to put under contract."))
        partner = orders.partner_id.commercial_partner_id
        if (
            len(partner) > 1
            or len(orders.company_id) > 1
            or len(orders.currency_id) > 1
        ):
            raise UserError(
                self.env._(
                    "A contract covers orders of one customer, in one company and one "
                    "currency."
                )
            )
        first = orders[0]
        template = self.env["sale.contract.template"].search(
            [("company_id", "in", (False, first.company_id.id))], limit=1
        )
        shipping = first.partner_shipping_id
        contract = self.create(
            {
                "company_id": first.company_id.id,
                "currency_id": first.currency_id.id,
                "partner_id": partner.id,
                "user_id": first.user_id.id or self.env.user.id,
                "order_ids": [Command.set(orders.ids)],
                "template_id": template.id,
                "company_representative": (
                    first.company_id.partner_id.legal_representative
                ),
                "customer_representative": partner.legal_representative,
                "delivery_date": max(
                    (o.commitment_date or o.expected_date or o.date_order).date()
                    for o in orders
                ),
                "delivery_place": ", ".join(
                    part
                    for part in (shipping.state_id.name, shipping.city, shipping.street)
                    if part
                ),
                "payment_term_id": first.payment_term_id.id,
                "line_ids": [
                    Command.create(
                        {
                            "product_id": line.product_id.id,
                            "name": line.name,
                            "quantity": line.product_uom_qty,
                            "uom_id": line.product_uom.id,
                            "price_unit": line.price_unit,
                            "discount": line.discount,
                            "tax_ids": [Command.set(line.tax_id.ids)],
                            "order_line_id": line.id,
                        }
                    )
                    for line in orders.order_line
                    if not line.display_type and not line.is_downpayment
                ],
            }
        )
        contract._apply_template()
        return contract

    def _get_placeholder_values(self):
        self.ensure_one()
        return {
            "customer": self.partner_id.name or "",
            "company": self.company_id.name or "",
            "amount": self.currency_id.format(self.amount_total)
            if self.currency_id
            else "",
            "amount_in_words": self.amount_in_words or "",
            "delivery_date": fields.Date.to_string(self.delivery_date) or "",
            "delivery_place": self.delivery_place or "",
            "payment_term": self.payment_term_id.name or "",
            "contract_number": self.name or "",
        }

    @api.model
    def _get_placeholder_names(self):
        return [
            "customer",
            "company",
            "amount",
            "amount_in_words",
            "delivery_date",
            "delivery_place",
            "payment_term",
            "contract_number",
        ]

    def _apply_template(self):
        """Fill the clauses from the template; each stays editable before review."""
        for contract in self:
            if not contract.template_id:
                continue
            template = contract.template_id.with_context(
                lang=contract._get_print_lang()
            )
            values = defaultdict(str, contract._get_placeholder_values())
            contract.write(
                {
                    name: PLACEHOLDER.sub(
                        lambda m: values[m.group(1)], template[name] or ""
                    )
                    for name in CLAUSE_FIELDS
                }
            )

    def _get_print_lang(self):
        """Chinese by default; the customer's language when it is another one."""
        self.ensure_one()
        lang = self.partner_id.lang
        installed = {code for code, _name in self.env["res.lang"].get_installed()}
        if lang and not lang.startswith("zh") and lang in installed:
            return lang
        if lang in installed:
            return lang
        return "zh_CN" if "zh_CN" in installed else self.env.lang or "en_US"

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_apply_template(self):
        self._check_draft()
        self._apply_template()
        return True

    def action_submit(self):
        self._check_draft()
        for contract in self:
            if not contract.line_ids:
                raise UserError(
                    self.env._(
                        "Add the products of %(contract)s.", contract=contract.name
                    )
                )
            missing = [
                self._fields[name].get_description(self.env)["string"]
                for name in (
                    "clause_delivery",
                    "clause_payment",
                    "clause_quality",
                    "clause_breach",
                    "clause_dispute",
                )
                if not (contract[name] or "").strip()
            ]
            if missing:
                raise UserError(
                    self.env._(
                        "Complete these clauses of %(contract)s: %(clauses)s.",
                        contract=contract.name,
                        clauses=", ".join(missing),
                    )
                )
        self.action_submit_for_approval()
        self.filtered(lambda c: c.approval_state == "pending").sudo().write(
            {"state": "review"}
        )
        return True

    def action_open_sign(self):
        ensure_one_record(self)
        if self.state != "approved":
            raise UserError(self.env._("Only approved contracts are signed."))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Sign %(contract)s", contract=self.name),
            "res_model": "sale.contract.sign",
            "view_mode": "form",
            "target": "new",
            "context": {"default_contract_id": self.id},
        }

    def _sign(self, values):
        """Record the signature: date, signatories, signed original, archive number."""
        self.ensure_one()
        self.check_access("write")
        if self.state != "approved":
            raise UserError(self.env._("Only approved contracts are signed."))
        if not values.get("signed_file"):
            raise UserError(
                self.env._(
                    "Attach the signed original of %(contract)s before recording "
                    "the signature.",
                    contract=self.name,
                )
            )
        if not values.get("sign_date") or not values.get("customer_signatory"):
            raise UserError(
                self.env._("Give the signing date and the customer's signatory.")
            )
        archive = self.env["ir.sequence"].next_by_code("sale.contract.archive")
        # Signing writes locked fields; the checks above are the control.
        self.sudo().write(dict(values, state="signed", archive_number=archive))
        self.message_post(
            body=self.env._(
                "Signed on %(date)s; archived as %(archive)s.",
                date=values["sign_date"],
                archive=archive,
            ),
        )

    def action_done(self):
        self.check_access("write")
        if any(c.state != "signed" for c in self):
            raise UserError(self.env._("Only contracts in force are completed."))
        self.sudo().write({"state": "done"})
        return True

    def action_cancel(self):
        self.check_access("write")
        if any(c.state not in ("draft", "review") for c in self):
            raise UserError(
                self.env._(
                    "Approved or signed contracts end through a termination "
                    "amendment, not a cancellation."
                )
            )
        for contract in self.filtered(lambda c: c.approval_state == "pending"):
            contract._approval_reset(self.env._("The contract was cancelled."))
        self.sudo().write({"state": "cancel"})
        return True

    def action_reset_to_draft(self):
        self.check_access("write")
        if any(
            c.state not in ("cancel",) and c.approval_state != "rejected" for c in self
        ):
            raise UserError(
                self.env._("Only rejected or cancelled contracts go back to draft.")
            )
        self.sudo().write({"state": "draft"})
        return True

    def action_view_orders(self):
        ensure_one_record(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Orders"),
            "res_model": "sale.order",
            "view_mode": "list,form",
            "domain": [("id", "in", self.order_ids.ids)],
        }

    def action_print(self):
        return self.env.ref(
            "sale_process_control.action_report_sale_contract"
        ).report_action(self)

    def _check_lines_editable(self):
        locked = self.filtered(lambda c: c.state in LOCKED_STATES)
        if locked:
            raise UserError(
                self.env._(
                    "%(contract)s is approved or signed; its products change "
                    "through an amendment.",
                    contract=locked[0].name,
                )
            )

    @api.constrains("order_ids", "partner_id")
    def _check_orders_customer(self):
        for contract in self:
            if (
                contract.order_ids.partner_id.commercial_partner_id
                - contract.partner_id
            ):
                raise ValidationError(
                    self.env._(
                        "The orders of %(contract)s belong to another customer.",
                        contract=contract.name,
                    )
                )

    def _stop_undelivered(self):
        """Cancel what Odoo still allows: open deliveries, and orders with nothing
        delivered or invoiced."""
        for order in self.order_ids:
            order.picking_ids.filtered(
                lambda p: p.state not in ("done", "cancel")
            ).action_cancel()
            if (
                not any(order.order_line.mapped("qty_delivered"))
                and not order.invoice_ids
            ):
                order._action_cancel()
            order.message_post(
                body=self.env._(
                    "Contract %(contract)s terminated: undelivered quantities "
                    "cancelled.",
                    contract=self.name,
                )
            )

    def _get_print_clauses(self):
        """(title, text) of each clause to print, titles in the print language."""
        self.ensure_one()
        contract = self.with_context(lang=self._get_print_lang())
        titles = {
            "clause_delivery": contract.env._("Delivery"),
            "clause_payment": contract.env._("Price and payment"),
            "clause_quality": contract.env._("Quality standard"),
            "clause_acceptance": contract.env._("Acceptance"),
            "clause_breach": contract.env._("Liability for breach of contract"),
            "clause_dispute": contract.env._("Dispute resolution"),
            "clause_other": contract.env._("Miscellaneous"),
        }
        clauses = [(titles[name], self[name]) for name in CLAUSE_FIELDS if self[name]]
        # Article 1 is the table of products; the clauses follow from article 2.
        return [
            (contract._get_print_article_heading(number, title), text)
            for number, (title, text) in enumerate(clauses, start=2)
        ]

    def _get_print_article_heading(self, number, title):
        """The heading of an article, numbered the way the print language does."""
        return self.env._("Article %(number)s. %(title)s", number=number, title=title)

    def _get_print_products_heading(self):
        self.ensure_one()
        contract = self.with_context(lang=self._get_print_lang())
        return contract._get_print_article_heading(
            1, contract.env._("Products, quantities and prices")
        )

    def _check_draft(self):
        for contract in self:
            if contract.state != "draft":
                raise UserError(
                    self.env._(
                        "%(contract)s is no longer a draft.", contract=contract.name
                    )
                )

    # ------------------------------------------------------------------
    # Review engine hooks
    # ------------------------------------------------------------------
    def _get_approval_steps(self):
        self.ensure_one()
        ref = self.env.ref
        leader = self.order_ids.team_id.user_id[:1]
        steps = [
            {
                "name": self.env._("Department head first review"),
                "group_id": ref("sale_process_control.group_sale_department_head").id,
                "reviewer_id": leader.id
                if leader and leader != self.user_id
                else False,
                "stage": 1,
                "checklist": self.env._(
                    "Products, prices, delivery and payment match the order and policy."
                ),
            },
            {
                "name": self.env._("Legal review"),
                "group_id": ref("sale_process_control.group_sale_reviewer_legal").id,
                "stage": 2,
                "checklist": self.env._(
                    "Parties, clauses, breach liability and dispute resolution are "
                    "lawful and protect the company."
                ),
            },
        ]
        if self.is_major:
            steps += [
                {
                    "name": self.env._("Joint legal review: finance"),
                    "group_id": ref(
                        "sale_process_control.group_sale_reviewer_finance"
                    ).id,
                    "stage": 3,
                },
                {
                    "name": self.env._("Joint legal review: management"),
                    "group_id": ref("sale_process_control.group_sale_management").id,
                    "stage": 3,
                },
            ]
        return steps

    def _get_approval_fingerprint_values(self):
        self.ensure_one()
        return {
            "partner": self.partner_id.id,
            "total": self.currency_id.round(self.amount_total)
            if self.currency_id
            else 0,
            "lines": sorted(
                (line.product_id.id, line.quantity, line.price_unit, line.discount)
                for line in self.line_ids
            ),
            "clauses": [self[name] or "" for name in CLAUSE_FIELDS],
            "delivery": str(self.delivery_date or ""),
            "orders": sorted(self.order_ids.ids),
            "company": self.company_id.id,
            "currency": self.currency_id.id,
        }

    def _get_approval_owners(self):
        return super()._get_approval_owners() | self.user_id

    def _on_approval_approved(self):
        result = super()._on_approval_approved()
        self.sudo().write({"state": "approved"})
        return result

    def _on_approval_rejected(self):
        result = super()._on_approval_rejected()
        self.sudo().write({"state": "draft"})
        return result

    def _on_approval_reset(self):
        result = super()._on_approval_reset()
        self.filtered(lambda c: c.state == "review").sudo().write({"state": "draft"})
        return result


class SaleContractLine(models.Model):
    _name = "sale.contract.line"
    _description = "Sales Contract Line"
    _order = "contract_id, sequence, id"

    contract_id = fields.Many2one(
        "sale.contract", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="contract_id.company_id", store=True)
    currency_id = fields.Many2one(related="contract_id.currency_id")
    order_line_id = fields.Many2one("sale.order.line", readonly=True)
    product_id = fields.Many2one("product.product", required=True)
    name = fields.Text(string="Specification", required=True)
    quantity = fields.Float(digits="Product Unit of Measure", default=1.0)
    uom_id = fields.Many2one("uom.uom", string="Unit")
    price_unit = fields.Float(digits="Product Price")
    discount = fields.Float(digits="Discount")
    tax_ids = fields.Many2many("account.tax", string="Taxes")
    price_subtotal = fields.Monetary(compute="_compute_amount", store=True)
    price_total = fields.Monetary(compute="_compute_amount", store=True)

    @api.depends("quantity", "price_unit", "discount", "tax_ids")
    def _compute_amount(self):
        for line in self:
            price = line.price_unit * (1 - line.discount / 100.0)
            taxes = (
                line.tax_ids.compute_all(
                    price, line.currency_id, line.quantity, product=line.product_id
                )
                if line.tax_ids
                else None
            )
            line.price_subtotal = (
                taxes["total_excluded"] if taxes else price * line.quantity
            )
            line.price_total = (
                taxes["total_included"] if taxes else price * line.quantity
            )

    @api.constrains("quantity", "price_unit", "discount", "tax_ids")
    def _check_contract_amount(self):
        self.contract_id._check_amount_total()

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        if not self.env.su:
            lines.contract_id._check_lines_editable()
        return lines

    def write(self, vals):
        if not self.env.su:
            self.contract_id._check_lines_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_locked(self):
        self.contract_id._check_lines_editable()
