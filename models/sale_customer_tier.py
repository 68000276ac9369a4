# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .default_names import name_in_installed_languages
from .sale_tools import ensure_one_record

TIER_CODES = [("A", "A"), ("B", "B"), ("C", "C")]
VISIT_INTERVALS = [
    ("weekly", "Every week"),
    ("biweekly", "Every two weeks"),
    ("monthly", "Every month"),
    ("none", "No minimum"),
]


class SaleCustomerTier(models.Model):
    """A customer tier (客户分类) of one company, with the thresholds that earn it.

    The rule that turns figures into a tier (``_pick_tier``): tiers are tried
    from A to C; a customer gets the first tier whose three thresholds it
    reaches — revenue >= minimum revenue AND orders >= minimum order count AND
    potential score >= minimum potential. Thresholds are inclusive, so a value
    exactly on a boundary earns the higher tier. A customer that reaches no
    tier's thresholds gets the lowest tier (C).
    """

    _name = "sale.customer.tier"
    _description = "Customer Tier"
    _order = "company_id, code"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    code = fields.Selection(TIER_CODES, required=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    min_revenue = fields.Monetary(
        string="Minimum Revenue",
        help="Revenue over the evaluation window (untaxed, company currency) from "
        "which a customer qualifies.",
    )
    min_order_count = fields.Integer(
        string="Minimum Orders",
        help="Number of orders (or invoices) over the evaluation window.",
    )
    min_potential = fields.Integer(
        string="Minimum Potential",
        help="Minimum potential score (1 to 5) given by the salesperson.",
    )
    window_months = fields.Integer(
        string="Evaluation Window (Months)",
        default=12,
        required=True,
        help="Trailing months counted when the tier is evaluated.",
    )
    visit_interval = fields.Selection(
        VISIT_INTERVALS,
        string="Visit Cadence",
        required=True,
        default="monthly",
        help="Minimum visit frequency, counted in calendar windows: ISO weeks, fixed "
        "two-week windows, or calendar months.",
    )
    is_key_account = fields.Boolean(
        string="Key Account",
        help="Customers of this tier are flagged for focus.",
    )
    description = fields.Text(translate=True)
    customer_count = fields.Integer(compute="_compute_customer_count")

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "Each company has one tier per code.",
        ),
    ]

    @api.constrains("min_potential", "window_months", "min_revenue", "min_order_count")
    def _check_thresholds(self):
        for tier in self:
            if not 0 <= tier.min_potential <= 5:
                raise ValidationError(
                    self.env._("The minimum potential is a score from 0 to 5.")
                )
            if (
                tier.window_months < 1
                or tier.min_revenue < 0
                or tier.min_order_count < 0
            ):
                raise ValidationError(
                    self.env._(
                        "The evaluation window is at least one month; minimum revenue "
                        "and order count cannot be negative."
                    )
                )

    def write(self, vals):
        # The stored visit windows of the customers follow the cadence.
        if not {"visit_interval", "active", "company_id"} & set(vals):
            return super().write(vals)
        Window = self.env["sale.visit.window"]
        before = Window._get_tier_partner_ids(self)
        result = super().write(vals)
        Window._refresh(before)
        return result

    def _compute_customer_count(self):
        Partner = self.env["res.partner"]
        for tier in self:
            tier.customer_count = Partner.with_company(tier.company_id).search_count(
                [("customer_tier_id", "=", tier.id)]
            )

    def action_view_customers(self):
        ensure_one_record(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.display_name,
            "res_model": "res.partner",
            "view_mode": "list,form",
            "domain": [("customer_tier_id", "=", self.id)],
            "context": {"allowed_company_ids": [self.company_id.id]},
        }

    @api.model
    def _get_company_tiers(self, company):
        """Active tiers of ``company``, from A to C."""
        return self.search([("company_id", "=", company.id)], order="code")

    @api.model
    def _pick_tier(self, tiers, revenue, order_count, potential):
        """The tier earned by these figures (see the class docstring)."""
        for tier in tiers.sorted("code"):
            if (
                revenue >= tier.min_revenue
                and order_count >= tier.min_order_count
                and potential >= tier.min_potential
            ):
                return tier
        return tiers.sorted("code")[-1:]

    @api.model
    def _install_default_tiers(self):
        """Called at installation: give every existing company its tiers."""
        return self._create_default_tiers(self.env["res.company"].search([]))

    @api.model
    def _get_default_tier_names(self):
        """Names of the policy's tiers in the language of the environment."""
        return {
            "A": self.env._("A: key customer"),
            "B": self.env._("B: regular customer"),
            "C": self.env._("C: occasional customer"),
        }

    @api.model
    def _create_default_tiers(self, companies):
        """Give companies without tiers the policy's A/B/C (P2 §2), named in
        every installed language."""
        defaults = [
            ("A", 500000.0, 12, 4, "weekly", True),
            ("B", 100000.0, 4, 2, "biweekly", False),
            ("C", 0.0, 0, 0, "monthly", False),
        ]
        Tier = self.with_context(lang="en_US")
        names = Tier._get_default_tier_names()
        vals_list = []
        for company in companies:
            existing = set(
                self.with_context(active_test=False)
                .search([("company_id", "=", company.id)])
                .mapped("code")
            )
            vals_list += [
                {
                    "code": code,
                    "name": names[code],
                    "company_id": company.id,
                    "min_revenue": revenue,
                    "min_order_count": orders,
                    "min_potential": potential,
                    "visit_interval": interval,
                    "is_key_account": key,
                }
                for code, revenue, orders, potential, interval, key in defaults
                if code not in existing
            ]
        tiers = Tier.create(vals_list)
        name_in_installed_languages(
            tiers, lambda records: records._get_default_tier_names()
        )
        return tiers.with_env(self.env)
