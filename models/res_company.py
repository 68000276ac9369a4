# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import api, fields, models
from odoo.exceptions import ValidationError

ACHIEVEMENT_BASIS = [
    ("order", "Confirmed orders"),
    ("invoice", "Posted invoices"),
]
CONTRACT_GATE_STATES = [
    ("approved", "Approved"),
    ("signed", "Signed"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    # ------------------------------------------------------------------
    # Blocking controls: all off by default, so that installing the module
    # never changes how an existing company confirms and delivers orders.
    # ------------------------------------------------------------------
    sale_review_enabled = fields.Boolean(
        string="Order Review",
        help="Orders must pass the department-head review (and the joint review "
        "their rules require) before they can be confirmed.",
    )
    sale_customer_ownership_control = fields.Boolean(
        string="Customer Ownership",
        help="Once a customer has a salesperson, only the head of that "
        "salesperson's team or a sales director gives it to another one; every "
        "change is logged on the customer.",
    )
    sale_review_allow_send = fields.Boolean(
        string="Send Quotations Before Approval",
        help="Allow salespeople to send a quotation to the customer while its "
        "review is still pending.",
    )
    sale_joint_review_amount = fields.Monetary(
        string="Joint Review Above",
        currency_field="currency_id",
        default=100000.0,
        help="Untaxed order amount from which the technical, finance and "
        "production reviewers join the review.",
    )
    sale_discount_control_enabled = fields.Boolean(
        string="Discount Authority",
        help="Order lines with a discount above the salesperson's authority need "
        "the approval of a role whose authority covers it.",
    )
    sale_discount_max_salesperson = fields.Float(
        string="Salesperson Maximum Discount (%)",
        digits="Discount",
        default=5.0,
    )
    sale_discount_max_head = fields.Float(
        string="Department Head Maximum Discount (%)",
        digits="Discount",
        default=10.0,
    )
    sale_discount_max_director = fields.Float(
        string="Sales Director Maximum Discount (%)",
        digits="Discount",
        default=15.0,
    )
    sale_discount_max_management = fields.Float(
        string="Management Maximum Discount (%)",
        digits="Discount",
        default=30.0,
    )
    sale_credit_control_enabled = fields.Boolean(
        string="Credit Control",
        help="Orders that exceed the customer's approved credit limit, customers "
        "of a blocking grade and customers with receivables overdue beyond the "
        "tolerance are put on credit hold until finance releases them.",
    )
    sale_credit_overdue_days = fields.Integer(
        string="Overdue Tolerance (Days)",
        default=30,
        help="Receivables overdue for more days than this put new orders on hold.",
    )
    sale_credit_overdue_amount = fields.Monetary(
        string="Overdue Tolerance (Amount)",
        currency_field="currency_id",
        help="Overdue receivables up to this amount are tolerated.",
    )
    sale_credit_release_tolerance = fields.Float(
        string="Release Tolerance (%)",
        default=5.0,
        help="A released order stays released while its amount does not grow by "
        "more than this percentage.",
    )
    sale_contract_required = fields.Boolean(
        string="Contract Requirement",
        help="Orders above the contract amount, or with products that require a "
        "contract, can only be confirmed once their contract is signed or "
        "approved.",
    )
    sale_contract_amount = fields.Monetary(
        string="Contract Required Above",
        currency_field="currency_id",
        default=50000.0,
    )
    sale_contract_major_amount = fields.Monetary(
        string="Major Contract From",
        currency_field="currency_id",
        default=500000.0,
        help="Contracts from this total also go to a joint review by finance and "
        "management.",
    )
    sale_contract_gate_state = fields.Selection(
        selection=CONTRACT_GATE_STATES,
        string="Contract Needed In State",
        default="signed",
        required=True,
    )
    # ------------------------------------------------------------------
    # Information settings
    # ------------------------------------------------------------------
    sale_achievement_basis = fields.Selection(
        selection=ACHIEVEMENT_BASIS,
        string="Revenue Basis",
        default="order",
        required=True,
        help="Whether customer tiers and target achievement count confirmed "
        "orders or posted invoices.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        # Every company starts with the policy's A/B/C tiers; it edits them later.
        self.env["sale.customer.tier"].sudo()._create_default_tiers(companies)
        self.env["sale.credit.grade"].sudo()._create_default_grades(companies)
        if any(vals.get("sale_discount_control_enabled") for vals in vals_list):
            self._enable_line_discounts()
        return companies

    def write(self, vals):
        result = super().write(vals)
        if vals.get("sale_discount_control_enabled"):
            self._enable_line_discounts()
        return result

    @api.model
    def _enable_line_discounts(self):
        """Discount authority judges the discounts of order lines: switching
        it on switches on Odoo's Discounts setting, so that salespeople see the
        discount and its reason on the lines."""
        group = self.env.ref(
            "sale.group_discount_per_so_line", raise_if_not_found=False
        )
        employee = self.env.ref("base.group_user").sudo()
        # Only when missing: writing the groups clears the registry's caches.
        if group and group not in employee.implied_ids:
            employee._apply_group(group.sudo())

    @api.constrains(
        "sale_discount_max_salesperson",
        "sale_discount_max_head",
        "sale_discount_max_director",
        "sale_discount_max_management",
    )
    def _check_sale_discount_authority(self):
        for company in self:
            ladder = company._get_sale_discount_ladder()
            if any(value < 0.0 or value > 100.0 for _role, value in ladder):
                raise ValidationError(
                    self.env._(
                        "Maximum discounts of %(company)s must lie between 0 and "
                        "100 percent.",
                        company=company.display_name,
                    )
                )
            values = [value for _role, value in ladder]
            if values != sorted(values):
                raise ValidationError(
                    self.env._(
                        "Maximum discounts of %(company)s must not decrease from "
                        "salesperson to department head, director and management: "
                        "a higher role always covers what a lower one may grant.",
                        company=company.display_name,
                    )
                )

    @api.constrains(
        "sale_joint_review_amount",
        "sale_credit_overdue_days",
        "sale_credit_overdue_amount",
        "sale_credit_release_tolerance",
        "sale_contract_amount",
        "sale_contract_major_amount",
    )
    def _check_sale_control_amounts(self):
        for company in self:
            if (
                company.sale_joint_review_amount < 0
                or company.sale_credit_overdue_days < 0
                or company.sale_credit_overdue_amount < 0
                or company.sale_credit_release_tolerance < 0
                or company.sale_contract_amount < 0
                or company.sale_contract_major_amount < 0
            ):
                raise ValidationError(
                    self.env._(
                        "Thresholds, tolerances and amounts of the sales controls of "
                        "%(company)s cannot be negative.",
                        company=company.display_name,
                    )
                )

    def _get_sale_discount_ladder(self):
        """Return the discount authority of each role, lowest role first."""
        self.ensure_one()
        return [
            ("salesperson", self.sale_discount_max_salesperson),
            ("head", self.sale_discount_max_head),
            ("director", self.sale_discount_max_director),
            ("management", self.sale_discount_max_management),
        ]
