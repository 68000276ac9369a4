# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare

APPRAISAL_ROLES = [
    ("salesperson", "Salesperson"),
    ("head", "Department Head"),
]
APPRAISAL_PERIODS = [
    ("month", "Month"),
    ("quarter", "Quarter"),
    ("year", "Year"),
]
LINE_TYPES = [
    ("kpi", "KPI"),
    ("quality", "Qualitative"),
]


class SaleAppraisalTemplate(models.Model):
    """What an appraisal measures for a role and a period type (R-34): the KPIs
    and qualitative criteria, with their weights (100 in total), targets and
    floors. Annual templates may have no lines: the annual score is the
    average of the quarterly appraisals."""

    _name = "sale.appraisal.template"
    _description = "Appraisal Template"
    _order = "sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    role = fields.Selection(APPRAISAL_ROLES, required=True, default="salesperson")
    period_type = fields.Selection(APPRAISAL_PERIODS, required=True, default="quarter")
    line_ids = fields.One2many(
        "sale.appraisal.template.line",
        "template_id",
        string="Criteria",
        copy=True,
    )
    total_weight = fields.Float(compute="_compute_total_weight")
    bonus_base = fields.Monetary(
        currency_field="currency_id",
        help="Default base amount of the performance bonus of each appraisal.",
    )
    note = fields.Html(translate=True)

    @api.depends("line_ids.weight")
    def _compute_total_weight(self):
        for template in self:
            template.total_weight = sum(template.line_ids.mapped("weight"))

    @api.constrains("line_ids", "period_type")
    def _check_total_weight(self):
        for template in self:
            if not template.line_ids and template.period_type == "year":
                continue
            total = sum(template.line_ids.mapped("weight"))
            if float_compare(total, 100.0, precision_digits=2):
                raise ValidationError(
                    self.env._(
                        "The weights of the template %(template)s add up to "
                        "%(total)s; make them add up to 100.",
                        template=template.name,
                        total=round(total, 2),
                    )
                )


class SaleAppraisalTemplateLine(models.Model):
    _name = "sale.appraisal.template.line"
    _description = "Appraisal Template Criterion"
    _order = "sequence, id"

    template_id = fields.Many2one(
        "sale.appraisal.template",
        required=True,
        ondelete="cascade",
        index=True,
    )
    sequence = fields.Integer(default=10)
    line_type = fields.Selection(
        LINE_TYPES, string="Type", required=True, default="kpi"
    )
    kpi_id = fields.Many2one("sale.kpi", string="KPI", ondelete="restrict")
    name = fields.Char(
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        translate=True,
    )
    weight = fields.Float(
        compute="_compute_from_kpi",
        store=True,
        readonly=False,
        precompute=True,
        digits=(16, 2),
    )
    target_value = fields.Float(
        string="Target",
        compute="_compute_from_kpi",
        store=True,
        readonly=False,
        precompute=True,
        digits=(16, 2),
    )
    floor_value = fields.Float(
        string="Floor",
        compute="_compute_from_kpi",
        store=True,
        readonly=False,
        precompute=True,
        digits=(16, 2),
    )
    max_score = fields.Float(
        string="Maximum Score",
        compute="_compute_from_kpi",
        store=True,
        readonly=False,
        precompute=True,
    )

    @api.depends("kpi_id")
    def _compute_name(self):
        for line in self:
            line.name = line.kpi_id.name or line.name

    @api.depends("kpi_id")
    def _compute_from_kpi(self):
        for line in self:
            kpi = line.kpi_id
            if not kpi:
                line.weight = line.weight
                line.target_value = line.target_value
                line.floor_value = line.floor_value
                line.max_score = line.max_score or 100.0
                continue
            line.weight = kpi.default_weight
            line.target_value = kpi.default_target
            line.floor_value = kpi.default_floor
            line.max_score = kpi.default_max_score

    @api.constrains("weight")
    def _check_template_weight(self):
        self.template_id._check_total_weight()

    @api.constrains("line_type", "kpi_id")
    def _check_kpi(self):
        for line in self:
            if line.line_type == "kpi" and not line.kpi_id:
                raise ValidationError(
                    self.env._(
                        "Choose the KPI of the criterion %(name)s.", name=line.name
                    )
                )

    def _prepare_appraisal_line_vals(self, user_values, user_targets=None):
        """Values of the appraisal line of this criterion; ``user_values`` maps
        KPI ids to (value, note) of the appraised user, ``user_targets`` KPI
        ids to the user's own target of the period (see
        ``_get_personal_target``)."""
        self.ensure_one()
        value, note = user_values.get(self.kpi_id.id, (0.0, ""))
        if self.line_type == "kpi" and self.kpi_id.source == "manual":
            note = self.env._("Manual input: enter the value")
        name = self.name
        if self.kpi_id and name == self.kpi_id.with_context(lang="en_US").name:
            # A criterion named after its KPI reads in the appraisal's
            # language, not in the language its template was made in.
            name = self.kpi_id.name
        return {
            "sequence": self.sequence,
            "line_type": self.line_type,
            "kpi_id": self.kpi_id.id,
            "name": name,
            "weight": self.weight,
            **self._get_personal_target(user_targets or {}),
            "max_score": self.max_score,
            "value": value,
            "note": note,
        }

    def _get_personal_target(self, user_targets):
        """Target and floor of this criterion for one appraised user: the
        user's own sales target of the period where the KPI measures it, with
        the floor kept in the template's proportion; the template's otherwise."""
        self.ensure_one()
        target = user_targets.get(self.kpi_id.id)
        if not target or target <= 0:
            return {"target_value": self.target_value, "floor_value": self.floor_value}
        floor = self.floor_value
        if self.target_value:
            floor = self.floor_value * target / self.target_value
        return {"target_value": target, "floor_value": floor}
