# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import api, fields, models
from odoo.exceptions import ValidationError

REVIEW_STAGES = [
    ("1", "Preliminary review"),
    ("2", "Joint review"),
    ("3", "Final approval"),
]


class SaleReviewRule(models.Model):
    """Which review steps an order needs: conditions -> a reviewer role.

    A rule without any condition applies to every order submitted while order
    review is on; a rule with conditions applies when at least one holds.
    """

    _name = "sale.review.rule"
    _description = "Order Review Rule"
    _order = "stage, sequence, id"
    _check_company_auto = True

    name = fields.Char(string="Step", required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty to apply the rule in every company.",
    )
    stage = fields.Selection(
        REVIEW_STAGES,
        required=True,
        default="1",
        help="Steps of the same stage are reviewed in parallel; the joint review "
        "starts once the preliminary review is approved.",
    )
    group_id = fields.Many2one(
        "res.groups",
        string="Reviewer Role",
        required=True,
        ondelete="restrict",
    )
    use_team_leader = fields.Boolean(
        string="Sales Team Leader Reviews",
        help="The leader of the order's sales team is asked first (unless they are "
        "the order's salesperson); members of the role may decide as well.",
    )
    checklist = fields.Text(translate=True, help="What the reviewer checks.")
    on_large_amount = fields.Boolean(
        string="Large Order",
        help="The untaxed amount reaches the company's joint review amount.",
    )
    on_special_product = fields.Boolean(
        string="Special Product",
        help="The order contains a product flagged as special.",
    )
    on_complex_requirements = fields.Boolean(
        string="Complex Technical Requirements",
        help="The salesperson ticked complex technical requirements on the order.",
    )
    on_new_customer = fields.Boolean(
        string="First-Time Customer",
        help="The customer has no confirmed order yet.",
    )
    credit_grades = fields.Char(
        help="Comma-separated credit grades (e.g. C,D) for which the step applies.",
    )
    condition_summary = fields.Char(
        string="Applies To",
        compute="_compute_condition_summary",
    )

    @api.depends(
        "on_large_amount",
        "on_special_product",
        "on_complex_requirements",
        "on_new_customer",
        "credit_grades",
    )
    def _compute_condition_summary(self):
        for rule in self:
            parts = [
                label
                for flag, label in (
                    (rule.on_large_amount, self.env._("large order")),
                    (rule.on_special_product, self.env._("special product")),
                    (rule.on_complex_requirements, self.env._("complex requirements")),
                    (rule.on_new_customer, self.env._("first-time customer")),
                )
                if flag
            ]
            if rule.credit_grades:
                parts.append(
                    self.env._("credit grade %(grades)s", grades=rule.credit_grades)
                )
            rule.condition_summary = (
                self.env._("any of: %(conditions)s", conditions=", ".join(parts))
                if parts
                else self.env._("every order")
            )

    @api.constrains("credit_grades")
    def _check_credit_grades(self):
        for rule in self:
            grades = rule._get_credit_grades()
            if any(grade not in {"A", "B", "C", "D"} for grade in grades):
                raise ValidationError(
                    self.env._(
                        "Credit grades of rule %(rule)s must be letters A to D "
                        "separated by commas, e.g. C,D.",
                        rule=rule.name,
                    )
                )

    def _get_credit_grades(self):
        self.ensure_one()
        return {
            g.strip().upper()
            for g in (self.credit_grades or "").split(",")
            if g.strip()
        }

    def _has_conditions(self):
        self.ensure_one()
        return bool(
            self.on_large_amount
            or self.on_special_product
            or self.on_complex_requirements
            or self.on_new_customer
            or self.credit_grades
        )

    def _matches(self, facts):
        """Whether the rule applies to an order described by ``facts`` (see
        ``sale.order._get_review_facts``)."""
        self.ensure_one()
        if not self._has_conditions():
            return True
        return bool(
            (self.on_large_amount and facts["large_amount"])
            or (self.on_special_product and facts["special_product"])
            or (self.on_complex_requirements and facts["complex_requirements"])
            or (self.on_new_customer and facts["new_customer"])
            or (
                facts["credit_grade"]
                and facts["credit_grade"] in self._get_credit_grades()
            )
        )
