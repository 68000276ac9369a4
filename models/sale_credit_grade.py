# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .default_names import name_in_installed_languages

CREDIT_GRADES = [
    ("A", "A (good)"),
    ("B", "B (average)"),
    ("C", "C (poor)"),
    ("D", "D (bad)"),
]
CRITERION_CATEGORIES = [
    ("basic", "Basic information"),
    ("operations", "Operations"),
    ("finances", "Finances"),
    ("payment", "Payment record"),
    ("external", "External sources"),
]


class SaleCreditGrade(models.Model):
    """A credit grade band: the score that earns it and what it means (R-20).

    What a grade means is data: a grade may block new orders, or require a
    prepayment or a guarantee.
    """

    _name = "sale.credit.grade"
    _description = "Credit Grade"
    _order = "company_id, code"
    _check_company_auto = True

    code = fields.Selection(CREDIT_GRADES, required=True)
    name = fields.Char(required=True, translate=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    min_score = fields.Float(
        string="From Score",
        help="Scores from this value (inclusive) up to the next better grade earn "
        "this grade.",
    )
    blocks_orders = fields.Boolean(
        string="Blocks New Orders",
        help="With credit control on, orders of customers of this grade are put on "
        "credit hold.",
    )
    requires_prepayment = fields.Boolean(
        string="Prepayment or Guarantee",
        help="Orders of customers of this grade need a prepayment or a guarantee; "
        "salespeople are warned on the order.",
    )
    description = fields.Text(translate=True)

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "Each company has one band per grade.",
        ),
    ]

    @api.constrains("min_score")
    def _check_min_score(self):
        for grade in self:
            if not 0 <= grade.min_score <= 100:
                raise ValidationError(self.env._("Scores go from 0 to 100."))

    @api.model
    def _grade_for_score(self, company, score):
        """The best grade whose lower bound the score reaches (bounds inclusive)."""
        grades = self.search([("company_id", "=", company.id)], order="min_score desc")
        for grade in grades:
            if score >= grade.min_score:
                return grade
        return grades[-1:]

    @api.model
    def _install_default_grades(self):
        return self._create_default_grades(self.env["res.company"].search([]))

    @api.model
    def _get_default_grade_names(self):
        """Names of the policy's grades in the language of the environment."""
        return {
            "A": self.env._("A: good credit"),
            "B": self.env._("B: average credit"),
            "C": self.env._("C: poor credit, prepayment or guarantee"),
            "D": self.env._("D: bad credit, no new orders"),
        }

    @api.model
    def _create_default_grades(self, companies):
        """Give companies without grades the policy's A to D, named in every
        installed language."""
        defaults = [
            ("A", 85.0, False, False),
            ("B", 70.0, False, False),
            ("C", 55.0, False, True),
            ("D", 0.0, True, True),
        ]
        Grade = self.with_context(lang="en_US")
        names = Grade._get_default_grade_names()
        vals_list = []
        for company in companies:
            existing = set(
                self.search([("company_id", "=", company.id)]).mapped("code")
            )
            vals_list += [
                {
                    "code": code,
                    "name": names[code],
                    "company_id": company.id,
                    "min_score": score,
                    "blocks_orders": blocks,
                    "requires_prepayment": prepay,
                }
                for code, score, blocks, prepay in defaults
                if code not in existing
            ]
        grades = Grade.create(vals_list)
        name_in_installed_languages(
            grades, lambda records: records._get_default_grade_names()
        )
        return grades.with_env(self.env)


class SaleCreditCriterion(models.Model):
    """A line of the credit scorecard, with its weight."""

    _name = "sale.credit.criterion"
    _description = "Credit Scorecard Criterion"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    category = fields.Selection(CRITERION_CATEGORIES, required=True, default="basic")
    weight = fields.Float(required=True, default=1.0)
    company_id = fields.Many2one("res.company", help="Empty: used in every company.")
    guidance = fields.Text(
        translate=True, help="How to score this criterion from 0 to 100."
    )

    @api.constrains("weight")
    def _check_weight(self):
        for criterion in self:
            if criterion.weight <= 0:
                raise ValidationError(
                    self.env._("A criterion weight must be positive.")
                )
