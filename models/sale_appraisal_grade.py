# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import fields, models


class SaleAppraisalGrade(models.Model):
    """A grade band of the appraisal: the grade goes to final scores from its
    minimum up to the next band's (e.g. A from 90, B from 80, C from 60, D
    below). Bands without a company apply to all companies."""

    _name = "sale.appraisal.grade"
    _description = "Appraisal Grade"
    _order = "min_score desc, id"

    name = fields.Char(required=True, translate=True)
    min_score = fields.Float(string="From Score", required=True, digits=(16, 2))
    description = fields.Char(translate=True)
    company_id = fields.Many2one("res.company", index=True)
