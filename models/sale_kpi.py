# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import api, fields, models
from odoo.exceptions import ValidationError

KPI_PERIODS = [
    ("month", "Monthly"),
    ("quarter", "Quarterly"),
]
KPI_CATEGORIES = [
    ("performance", "Sales Performance"),
    ("customer", "Customer Management"),
    ("process", "Sales Process"),
    ("order", "Order Taking"),
]
KPI_DIRECTIONS = [
    ("higher", "Higher is better"),
    ("lower", "Lower is better"),
]
KPI_SCORING_RULES = [
    ("linear", "Linear between floor and target, capped"),
    ("step", "Step: full score at target, pass score from the floor"),
    ("manual", "Manual score"),
]
KPI_SOURCES = [
    ("computed", "Computed from Odoo data"),
    ("manual", "Manual input"),
]
KPI_UNITS = [
    ("amount", "Amount"),
    ("quantity", "Quantity"),
    ("count", "Count"),
    ("percent", "%"),
    ("rating", "Rating (1-5)"),
]
# Score given by the step rule between the floor and the target.
STEP_PASS_SCORE = 60.0


class SaleKpi(models.Model):
    """A key performance indicator of the sales department (R-33).

    Each computed KPI has a method ``_compute_kpi_<code>(users, date_from,
    date_to)`` returning ``{user_id: value}`` for all the users at once, with a
    constant number of queries (see ``sale_kpi_compute.py``). Manual KPIs have
    no method: their value is entered on the appraisal.
    """

    _name = "sale.kpi"
    _description = "Sales KPI"
    _order = "sequence, id"

    _sql_constraints = [
        ("code_unique", "UNIQUE(code)", "A KPI code must be unique."),
    ]

    sequence = fields.Integer(default=10)
    code = fields.Char(required=True)
    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    category = fields.Selection(KPI_CATEGORIES, required=True, default="performance")
    period_type = fields.Selection(
        KPI_PERIODS,
        string="Assessment Period",
        required=True,
        default="month",
    )
    definition = fields.Html(translate=True, sanitize_attributes=False)
    source = fields.Selection(
        KPI_SOURCES,
        string="Data Source",
        required=True,
        default="computed",
    )
    source_description = fields.Text(string="Source Details", translate=True)
    direction = fields.Selection(KPI_DIRECTIONS, required=True, default="higher")
    scoring_rule = fields.Selection(KPI_SCORING_RULES, required=True, default="linear")
    unit = fields.Selection(KPI_UNITS, required=True, default="amount")
    default_weight = fields.Float(digits=(16, 2))
    default_target = fields.Float(digits=(16, 2))
    default_floor = fields.Float(
        digits=(16, 2),
        help="Value that scores zero. Below the target when higher is better, "
        "above it when lower is better.",
    )
    default_max_score = fields.Float(
        string="Default Maximum Score",
        default=120.0,
        help="Cap of the score when the target is exceeded.",
    )
    has_method = fields.Boolean(
        string="Computed",
        compute="_compute_has_method",
        help="The module knows how to compute this KPI from the data.",
    )

    def _compute_has_method(self):
        for kpi in self:
            kpi.has_method = bool(kpi._get_compute_method())

    @api.constrains("source", "code")
    def _check_source(self):
        for kpi in self:
            if kpi.source == "computed" and not kpi._get_compute_method():
                raise ValidationError(
                    self.env._(
                        "The module has no computation for the KPI code %(code)s. "
                        "Set its data source to Manual input.",
                        code=kpi.code,
                    )
                )

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _get_compute_method(self):
        self.ensure_one()
        return getattr(self, f"_compute_kpi_{self.code}", None)

    def _get_values(self, users, date_from, date_to):
        """Values of the KPIs in ``self`` for ``users`` over the period.

        Returns ``{kpi_id: {user_id: (value, note)}}``; users without data get
        0.0. Manual KPIs are left out. The number of queries depends on the
        number of KPIs only.
        """
        result = {}
        for kpi in self:
            method = kpi.source == "computed" and kpi._get_compute_method()
            if not method:
                continue
            values = method(users, date_from, date_to)
            notes_method = getattr(self, f"_get_kpi_notes_{kpi.code}", None)
            notes = notes_method(users, values) if notes_method else {}
            result[kpi.id] = {
                user.id: (values.get(user.id, 0.0), notes.get(user.id, ""))
                for user in users
            }
        return result

    @api.model
    def _score(self, value, target, floor, max_score, direction, rule):
        """Score of ``value`` against ``target`` and ``floor``.

        Linear: 0 at the floor (and beyond it), 100 at the target, and
        proportionally more above the target up to ``max_score``. Step: 100 at
        or beyond the target, STEP_PASS_SCORE from the floor, 0 otherwise.
        The direction only says which side of the target is good.
        """
        if rule == "manual":
            return 0.0
        sign = 1 if direction == "higher" else -1
        if rule == "step":
            if sign * (value - target) >= 0:
                return 100.0
            if sign * (value - floor) >= 0:
                return STEP_PASS_SCORE
            return 0.0
        if sign * (target - floor) <= 0:
            # No usable range: all or nothing at the target.
            return 100.0 if sign * (value - target) >= 0 else 0.0
        score = (value - floor) / (target - floor) * 100.0
        return max(0.0, min(score, max_score))
