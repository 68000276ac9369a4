# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import api, fields, models
from odoo.exceptions import ValidationError

FACTOR_TYPES = [
    ("fixed", "Fixed factor"),
    ("proportional", "Proportional to achievement"),
]


class SaleBonusRule(models.Model):
    """A row of the company's bonus table (R-35, policy 002 §五(四)).

    The appraisal takes the first row (by sequence) whose target achievement
    range and score range contain its figures; ranges include their lower
    bound and exclude their upper one, an upper bound of 0 meaning "no upper
    limit". A proportional row pays achievement ÷ 100 × factor, so that above
    the target the bonus grows with the achievement and below it it is
    deducted in proportion, held between the row's floor and cap.
    Bonus = base × factor.
    """

    _name = "sale.bonus.rule"
    _description = "Bonus Table Row"
    _order = "company_id, sequence, achievement_from, id"

    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    achievement_from = fields.Float(string="Achievement From (%)", digits=(16, 2))
    achievement_to = fields.Float(
        string="Achievement To (%)",
        digits=(16, 2),
        help="Excluded; 0 means no upper limit.",
    )
    score_from = fields.Float(digits=(16, 2))
    score_to = fields.Float(
        digits=(16, 2),
        help="Excluded; 0 means no upper limit.",
    )
    factor_type = fields.Selection(FACTOR_TYPES, required=True, default="fixed")
    factor = fields.Float(digits=(16, 4), default=1.0)
    factor_min = fields.Float(
        string="Factor Floor",
        digits=(16, 4),
        help="Lowest factor a proportional row pays.",
    )
    factor_max = fields.Float(
        string="Factor Cap",
        digits=(16, 4),
        help="Highest factor a proportional row pays; 0 means no cap.",
    )
    note = fields.Char(string="Description", translate=True)

    @api.constrains(
        "achievement_from",
        "achievement_to",
        "score_from",
        "score_to",
        "factor",
        "factor_min",
        "factor_max",
    )
    def _check_ranges(self):
        for rule in self:
            if rule.achievement_to and rule.achievement_to <= rule.achievement_from:
                raise ValidationError(
                    self.env._(
                        "The achievement range of a bonus row must end above "
                        "where it starts."
                    )
                )
            if rule.score_to and rule.score_to <= rule.score_from:
                raise ValidationError(
                    self.env._(
                        "The score range of a bonus row must end above where it starts."
                    )
                )
            if rule.factor < 0 or rule.factor_min < 0 or rule.factor_max < 0:
                raise ValidationError(self.env._("Bonus factors cannot be negative."))
            if rule.factor_max and rule.factor_max < rule.factor_min:
                raise ValidationError(
                    self.env._(
                        "The factor cap of a bonus row must not be below its floor."
                    )
                )

    def _find(self, achievement, score):
        """The first row of ``self`` containing ``achievement`` and ``score``."""
        for rule in self.sorted(lambda r: (r.sequence, r.achievement_from, r.id)):
            if (
                rule.achievement_from <= achievement
                and (not rule.achievement_to or achievement < rule.achievement_to)
                and rule.score_from <= score
                and (not rule.score_to or score < rule.score_to)
            ):
                return rule
        return self.browse()

    def _get_factor(self, achievement):
        self.ensure_one()
        if self.factor_type == "fixed":
            return self.factor
        factor = max(achievement / 100.0 * self.factor, self.factor_min)
        return min(factor, self.factor_max) if self.factor_max else factor
