# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# Chatter and attachments stay usable while a request is locked.
EDITABLE_WHEN_LOCKED = {"message_main_attachment_id", "message_follower_ids"}
PRICE_CHANGE_STATES = [
    ("draft", "Draft"),
    ("review", "Under Review"),
    ("applied", "Applied"),
    ("rejected", "Rejected"),
    ("cancel", "Cancelled"),
]


class SalePriceChange(models.Model):
    """A request to change selling prices (R-18): sales proposes, finance
    checks cost and margin, management approves; only then prices change."""

    _name = "sale.price.change"
    _inherit = ["mail.thread", "mail.activity.mixin", "sale.approval.request.mixin"]
    _approval_decision_fields = ("effective_date",)
    _description = "Price Change Request"
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users",
        string="Requested By",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
    )
    pricelist_id = fields.Many2one(
        "product.pricelist",
        check_company=True,
        tracking=True,
        help="Leave empty to change the products' sales price; otherwise the fixed "
        "price of each product in this pricelist changes.",
    )
    reason = fields.Text(required=True, tracking=True)
    effective_date = fields.Date(
        string="Applied On",
        readonly=True,
        copy=False,
    )
    state = fields.Selection(
        PRICE_CHANGE_STATES,
        required=True,
        default="draft",
        readonly=True,
        copy=False,
        tracking=True,
    )
    line_ids = fields.One2many(
        "sale.price.change.line",
        "change_id",
        string="Products",
        copy=True,
    )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                vals["name"] = self.env["ir.sequence"].with_company(
                    company
                ).next_by_code("sale.price.change") or self.env._("New")
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and "state" in vals:
            raise UserError(
                self.env._(
                    "The status of a price change follows its review; use the buttons "
                    "of the request."
                )
            )
        if not self.env.su and set(vals) - EDITABLE_WHEN_LOCKED:
            self._check_editable()
        return super().write(vals)

    def _check_editable(self):
        locked = self.filtered(lambda c: c.state in ("review", "applied"))
        if locked:
            raise UserError(
                self.env._(
                    "%(request)s is under review or applied and cannot be edited. "
                    "Cancel it, or create a new request.",
                    request=locked[0].name,
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_applied(self):
        if any(change.state in ("review", "applied") for change in self):
            raise UserError(
                self.env._("Price changes under review or applied cannot be deleted.")
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_submit(self):
        for change in self:
            if change.state not in ("draft", "rejected"):
                raise UserError(
                    self.env._(
                        "%(request)s was already submitted.", request=change.name
                    )
                )
        self.action_submit_for_approval()
        self.sudo().write({"state": "review"})
        return True

    def action_cancel(self):
        for change in self:
            if change.state == "applied":
                raise UserError(
                    self.env._(
                        "%(request)s is applied; request a new change to undo it.",
                        request=change.name,
                    )
                )
        self.check_access("write")
        for change in self.filtered(lambda c: c.approval_state == "pending"):
            change._approval_reset(self.env._("The request was cancelled."))
        self.sudo().write({"state": "cancel"})
        return True

    def action_reset_to_draft(self):
        self.check_access("write")
        if any(change.state not in ("rejected", "cancel") for change in self):
            raise UserError(
                self.env._("Only rejected or cancelled requests go back to draft.")
            )
        self.sudo().write({"state": "draft"})
        return True

    # ------------------------------------------------------------------
    # Review engine hooks
    # ------------------------------------------------------------------
    def _check_approval_submittable(self):
        result = super()._check_approval_submittable()
        if not self.line_ids:
            raise UserError(
                self.env._(
                    "Add the products whose price should change to %(request)s.",
                    request=self.name,
                )
            )
        if any(line.proposed_price < 0 for line in self.line_ids):
            raise UserError(self.env._("A proposed price cannot be negative."))
        return result

    def _get_approval_steps(self):
        self.ensure_one()
        return [
            {
                "name": self.env._("Finance check of cost and margin"),
                "group_id": self.env.ref(
                    "sale_process_control.group_sale_reviewer_finance"
                ).id,
                "stage": 1,
                "checklist": self.env._(
                    "Cost, margin before and after the change, effect on open "
                    "quotations."
                ),
            },
            {
                "name": self.env._("Management approval"),
                "group_id": self.env.ref(
                    "sale_process_control.group_sale_management"
                ).id,
                "stage": 2,
            },
        ]

    def _get_approval_fingerprint_values(self):
        self.ensure_one()
        return {
            "pricelist": self.pricelist_id.id,
            "lines": sorted(
                (line.product_id.id, line.proposed_price) for line in self.line_ids
            ),
        }

    def _on_approval_approved(self):
        result = super()._on_approval_approved()
        self._apply_prices()
        return result

    def _on_approval_reset(self):
        result = super()._on_approval_reset()
        self.filtered(lambda c: c.state == "review").sudo().write({"state": "draft"})
        return result

    def _apply_prices(self):
        """Write the approved prices: the only place prices change."""
        today = fields.Date.context_today(self)
        for change in self.sudo():
            for line in change.line_ids:
                line._apply_price()
            change.write({"state": "applied", "effective_date": today})
            change.line_ids.write({"applied_date": today})


class SalePriceChangeLine(models.Model):
    _name = "sale.price.change.line"
    _description = "Price Change Line"
    _order = "change_id, id"
    _check_company_auto = True

    change_id = fields.Many2one(
        "sale.price.change",
        string="Price Change Request",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="change_id.company_id", store=True)
    currency_id = fields.Many2one(related="change_id.currency_id")
    state = fields.Selection(related="change_id.state", string="Status")
    product_id = fields.Many2one(
        "product.product",
        required=True,
        check_company=True,
        domain="[('sale_ok', '=', True)]",
    )
    current_price = fields.Monetary(
        compute="_compute_current_price",
        store=True,
        readonly=False,
        precompute=True,
        help="The price in force when the request was made.",
    )
    proposed_price = fields.Monetary(required=True)
    change_percent = fields.Float(
        string="Change (%)",
        compute="_compute_margins",
        digits=(16, 2),
    )
    cost = fields.Monetary(
        compute="_compute_margins",
        groups="sale_process_control.group_sale_reviewer_finance,"
        "sale_process_control.group_sale_management",
    )
    margin_before = fields.Float(
        string="Margin Before (%)",
        compute="_compute_margins",
        digits=(16, 2),
        groups="sale_process_control.group_sale_reviewer_finance,"
        "sale_process_control.group_sale_management",
    )
    margin_after = fields.Float(
        string="Margin After (%)",
        compute="_compute_margins",
        digits=(16, 2),
        groups="sale_process_control.group_sale_reviewer_finance,"
        "sale_process_control.group_sale_management",
    )
    reason = fields.Char()
    applied_date = fields.Date(string="Applied On", readonly=True, copy=False)
    pricelist_item_id = fields.Many2one(
        "product.pricelist.item",
        string="Pricelist Rule",
        readonly=True,
        copy=False,
    )

    _sql_constraints = [
        (
            "proposed_price_positive",
            "CHECK(proposed_price >= 0)",
            "A proposed price cannot be negative.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        if not self.env.su:
            lines.change_id._check_editable()
        return lines

    def write(self, vals):
        if not self.env.su:
            self.change_id._check_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_locked(self):
        self.change_id._check_editable()

    @api.depends("product_id", "change_id.pricelist_id")
    def _compute_current_price(self):
        for line in self:
            line.current_price = line._get_price_in_force()

    @api.depends("current_price", "proposed_price", "product_id")
    def _compute_margins(self):
        for line in self:
            cost = line.product_id.sudo().standard_price
            line.cost = cost
            line.change_percent = (
                (line.proposed_price - line.current_price) / line.current_price * 100
                if line.current_price
                else 0.0
            )
            line.margin_before = (
                (line.current_price - cost) / line.current_price * 100
                if line.current_price
                else 0.0
            )
            line.margin_after = (
                (line.proposed_price - cost) / line.proposed_price * 100
                if line.proposed_price
                else 0.0
            )

    @api.constrains("product_id", "change_id")
    def _check_product_once(self):
        for line in self:
            others = line.change_id.line_ids - line
            if line.product_id in others.product_id:
                raise ValidationError(
                    self.env._(
                        "%(product)s appears twice in %(request)s.",
                        product=line.product_id.display_name,
                        request=line.change_id.name,
                    )
                )

    def _get_price_in_force(self):
        self.ensure_one()
        if not self.product_id:
            return 0.0
        pricelist = self.change_id.pricelist_id
        if pricelist:
            return pricelist._get_product_price(self.product_id, 1.0)
        return self.product_id.lst_price

    def _apply_price(self):
        self.ensure_one()
        change = self.change_id
        product = self.product_id
        if not change.pricelist_id:
            template = product.product_tmpl_id
            # Variants share the template price; the difference stays in price_extra.
            template.list_price = self.proposed_price - (
                product.lst_price - template.list_price
            )
        else:
            item = change.pricelist_id.item_ids.filtered(
                lambda i: (
                    i.applied_on == "0_product_variant"
                    and i.product_id == product
                    and i.compute_price == "fixed"
                    and i.min_quantity <= 1
                    and not i.date_start
                    and not i.date_end
                )
            )[:1]
            if item:
                item.fixed_price = self.proposed_price
            else:
                item = self.env["product.pricelist.item"].create(
                    {
                        "pricelist_id": change.pricelist_id.id,
                        "applied_on": "0_product_variant",
                        "product_id": product.id,
                        "product_tmpl_id": product.product_tmpl_id.id,
                        "compute_price": "fixed",
                        "fixed_price": self.proposed_price,
                    }
                )
            self.pricelist_item_id = item
        product.product_tmpl_id.message_post(
            body=self.env._(
                "Price changed from %(old)s to %(new)s by %(request)s (%(pricelist)s).",
                old=self.current_price,
                new=self.proposed_price,
                request=change.name,
                pricelist=change.pricelist_id.display_name or self.env._("sales price"),
            )
        )
