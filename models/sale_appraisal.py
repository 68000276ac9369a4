# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .sale_appraisal_template import LINE_TYPES
from .sale_decision_guard import decision_action
from .sale_tools import ensure_one_record

APPRAISAL_STATES = [
    ("draft", "Draft"),
    ("scored", "Scored"),
    ("acknowledged", "Acknowledged"),
    ("approved", "Approved"),
]
# Fields that only change while the appraisal is a draft.
DRAFT_FIELDS = {
    "user_id",
    "template_id",
    "company_id",
    "date_from",
    "date_to",
    "line_ids",
    "quality_line_ids",
    "comment",
    "bonus_base",
    "quarter_appraisal_ids",
    "team_id",
}
# Fields only the workflow actions and the computations write.
WORKFLOW_FIELDS = {
    "state",
    "refuse_reason",
    "scored_by_id",
    "scored_date",
    "acknowledged_date",
    "approved_by_id",
    "approved_date",
    "final_score",
    "grade_id",
    "achievement",
    "bonus_rule_id",
    "bonus_factor",
    "bonus_amount",
}
DIRECTOR_GROUP = "sale_process_control.group_sale_director"
HEAD_GROUP = "sale_process_control.group_sale_department_head"


class SaleAppraisal(models.Model):
    """The appraisal of one salesperson for one period (R-34, R-35).

    The generation wizard fills in the KPI values; the department head of the
    salesperson's team adds the qualitative scores and a comment and scores it;
    the salesperson acknowledges it; a sales director approves it. Nobody
    scores or approves their own appraisal. The final score is the weighted sum
    of the line scores; for an annual appraisal it is the average of the final
    scores of the quarterly appraisals of the year (scored or later).
    """

    _name = "sale.appraisal"
    _description = "Sales Appraisal"
    _inherit = ["mail.thread", "mail.activity.mixin", "sale.decision.guard"]
    # Set by the buttons and jobs only (sale.decision.guard).
    _decision_fields = tuple(sorted(WORKFLOW_FIELDS))
    _order = "date_from desc, user_id"
    _check_company_auto = True

    _sql_constraints = [
        (
            "period_unique",
            "UNIQUE(user_id, template_id, date_from, date_to)",
            "A salesperson has one appraisal per template and period.",
        ),
        (
            "dates_check",
            "CHECK(date_from <= date_to)",
            "The period of an appraisal must end after it starts.",
        ),
    ]

    name = fields.Char(compute="_compute_name", store=True)
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        required=True,
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        index=True,
        check_company=True,
        help="The team whose leader scores the appraisal.",
    )
    template_id = fields.Many2one(
        "sale.appraisal.template",
        required=True,
        index=True,
        check_company=True,
        ondelete="restrict",
    )
    period_type = fields.Selection(
        related="template_id.period_type",
        store=True,
    )
    date_from = fields.Date(string="Period Start", required=True)
    date_to = fields.Date(string="Period End", required=True)
    state = fields.Selection(
        APPRAISAL_STATES,
        string="Status",
        required=True,
        default="draft",
        copy=False,
        tracking=True,
        index=True,
    )
    line_ids = fields.One2many(
        "sale.appraisal.line",
        "appraisal_id",
        string="KPIs",
        domain=[("line_type", "=", "kpi")],
    )
    quality_line_ids = fields.One2many(
        "sale.appraisal.line",
        "appraisal_id",
        string="Qualitative Criteria",
        domain=[("line_type", "=", "quality")],
    )
    comment = fields.Html(string="Head's Comment")
    refuse_reason = fields.Text(readonly=True, copy=False, tracking=True)
    quarter_appraisal_ids = fields.Many2many(
        "sale.appraisal",
        "sale_appraisal_quarter_rel",
        "annual_id",
        "quarter_id",
        string="Quarterly Appraisals",
        help="The quarterly appraisals whose final scores the annual appraisal "
        "averages.",
    )
    final_score = fields.Float(
        compute="_compute_final_score",
        recursive=True,
        store=True,
        digits=(16, 2),
        tracking=True,
        aggregator="avg",
    )
    grade_id = fields.Many2one(
        "sale.appraisal.grade",
        compute="_compute_grade_id",
        store=True,
    )
    achievement = fields.Float(
        string="Target Achievement (%)",
        compute="_compute_achievement",
        recursive=True,
        store=True,
        digits=(16, 2),
        aggregator="avg",
    )
    bonus_base = fields.Monetary(
        currency_field="currency_id",
        tracking=True,
    )
    bonus_rule_id = fields.Many2one(
        "sale.bonus.rule",
        string="Bonus Range",
        compute="_compute_bonus",
        store=True,
    )
    bonus_factor = fields.Float(compute="_compute_bonus", store=True, digits=(16, 4))
    bonus_amount = fields.Monetary(
        string="Bonus",
        compute="_compute_bonus",
        store=True,
        currency_field="currency_id",
    )
    scored_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    scored_date = fields.Datetime(string="Scored On", readonly=True, copy=False)
    acknowledged_date = fields.Datetime(
        string="Acknowledged On", readonly=True, copy=False
    )
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    approved_date = fields.Datetime(string="Approved On", readonly=True, copy=False)
    is_own = fields.Boolean(compute="_compute_is_own")

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("user_id.name", "template_id.name", "date_from", "date_to")
    def _compute_name(self):
        for appraisal in self:
            appraisal.name = (
                f"{appraisal.user_id.name or ''} - {appraisal.template_id.name or ''}"
                f" ({appraisal.date_from or ''} ~ {appraisal.date_to or ''})"
            )

    @api.depends(
        "period_type",
        "line_ids.weighted_score",
        "quality_line_ids.weighted_score",
        "quarter_appraisal_ids.final_score",
    )
    def _compute_final_score(self):
        for appraisal in self:
            quarters = appraisal.quarter_appraisal_ids
            if appraisal.period_type == "year" and quarters:
                appraisal.final_score = sum(quarters.mapped("final_score")) / len(
                    quarters
                )
            else:
                appraisal.final_score = sum(
                    (appraisal.line_ids | appraisal.quality_line_ids).mapped(
                        "weighted_score"
                    )
                )

    @api.depends("final_score", "company_id")
    def _compute_grade_id(self):
        grades = self.env["sale.appraisal.grade"].search([], order="min_score desc")
        for appraisal in self:
            appraisal.grade_id = grades.filtered(
                lambda g, a=appraisal: (
                    (not g.company_id or g.company_id == a.company_id)
                    and g.min_score <= a.final_score
                )
            )[:1]

    @api.depends(
        "line_ids.value", "line_ids.kpi_id", "quarter_appraisal_ids.achievement"
    )
    def _compute_achievement(self):
        for appraisal in self:
            quarters = appraisal.quarter_appraisal_ids
            line = appraisal.line_ids.filtered(
                lambda ln: ln.kpi_id.code == "target_achievement"
            )[:1]
            if line or not quarters:
                appraisal.achievement = line.value
            else:
                appraisal.achievement = sum(quarters.mapped("achievement")) / len(
                    quarters
                )

    @api.depends("achievement", "final_score", "bonus_base", "company_id")
    def _compute_bonus(self):
        rules = self.env["sale.bonus.rule"].search([])
        for appraisal in self:
            rule = rules.filtered(
                lambda r, a=appraisal: r.company_id == a.company_id
            )._find(appraisal.achievement, appraisal.final_score)
            factor = rule._get_factor(appraisal.achievement) if rule else 0.0
            appraisal.bonus_rule_id = rule
            appraisal.bonus_factor = factor
            appraisal.bonus_amount = appraisal.currency_id.round(
                appraisal.bonus_base * factor
            )

    @api.depends_context("uid")
    @api.depends("user_id")
    def _compute_is_own(self):
        for appraisal in self:
            appraisal.is_own = appraisal.user_id == self.env.user

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    def write(self, vals):
        if WORKFLOW_FIELDS.intersection(vals) and not self.env.su:
            raise AccessError(
                self.env._(
                    "The status and the results of an appraisal change through "
                    "its buttons only."
                )
            )
        if DRAFT_FIELDS.intersection(vals):
            self._check_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_not_draft(self):
        if any(appraisal.state != "draft" for appraisal in self):
            raise UserError(
                self.env._("Only draft appraisals can be deleted; refuse it first.")
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @decision_action
    def action_score(self):
        for appraisal in self:
            appraisal._check_state("draft")
            appraisal._check_is_scorer()
            unscored = appraisal.quality_line_ids.filtered(lambda ln: not ln.score)
            unscored |= appraisal.line_ids.filtered(
                lambda ln: ln.scoring_rule == "manual" and not ln.score
            )
            if unscored:
                raise UserError(
                    self.env._(
                        "Give a score to %(criteria)s before scoring the appraisal.",
                        criteria=", ".join(unscored.mapped("name")),
                    )
                )
            # A manual input left empty would score as a value of zero.
            missing = appraisal.line_ids.filtered(
                lambda ln: ln.is_manual_value and not ln.value
            )
            if missing:
                raise UserError(
                    self.env._(
                        "Enter the value of %(kpis)s before scoring the appraisal.",
                        kpis=", ".join(missing.mapped("name")),
                    )
                )
        # The state and the audit fields are written by this action only.
        self.sudo().write(
            {
                "state": "scored",
                "scored_by_id": self.env.user.id,
                "scored_date": fields.Datetime.now(),
                "refuse_reason": False,
            }
        )
        return True

    @decision_action
    def action_acknowledge(self):
        for appraisal in self:
            appraisal._check_state("scored")
            if appraisal.user_id != self.env.user:
                raise AccessError(
                    self.env._(
                        "Only %(user)s can acknowledge their own appraisal.",
                        user=appraisal.user_id.name,
                    )
                )
        # Salespeople may not edit appraisals; acknowledging is their only step.
        self.sudo().write(
            {"state": "acknowledged", "acknowledged_date": fields.Datetime.now()}
        )
        return True

    @decision_action
    def action_approve(self):
        for appraisal in self:
            appraisal._check_state("acknowledged")
            appraisal._check_is_director()
        self.sudo().write(
            {
                "state": "approved",
                "approved_by_id": self.env.user.id,
                "approved_date": fields.Datetime.now(),
            }
        )
        return True

    def action_open_refuse(self):
        ensure_one_record(self)
        self._check_can_refuse()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Refuse Appraisal"),
            "res_model": "sale.appraisal.refuse",
            "view_mode": "form",
            "target": "new",
            "context": {"default_appraisal_id": self.id},
        }

    def action_print(self):
        return self.env.ref(
            "sale_process_control.action_report_sale_appraisal"
        ).report_action(self)

    @decision_action
    def action_recompute(self):
        """Fetch the KPI values of the draft appraisals again."""
        for appraisal in self:
            appraisal._check_state("draft")
            appraisal._check_is_scorer()
        for (template, date_from, date_to), appraisals in self.grouped(
            lambda a: (a.template_id, a.date_from, a.date_to)
        ).items():
            self._generate(template, appraisals.user_id, date_from, date_to)
        return True

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    @decision_action
    def _refuse(self, reason):
        self._check_can_refuse()
        if not (reason or "").strip():
            raise UserError(self.env._("Say why the appraisal is refused."))
        self.sudo().write(
            {
                "state": "draft",
                "refuse_reason": reason,
                "scored_by_id": False,
                "scored_date": False,
                "acknowledged_date": False,
            }
        )
        for appraisal in self:
            appraisal.message_post(
                body=self.env._("Appraisal refused: %(reason)s", reason=reason),
                partner_ids=appraisal.user_id.partner_id.ids,
            )

    @api.model
    @decision_action
    def _generate(self, template, users, date_from, date_to, team=None):
        """Create or refresh the appraisals of ``users`` for the period; new
        appraisals belong to ``team`` or else to each user's sales team.

        All KPI values are computed in one batch. Draft appraisals that exist
        for the same template and period get the new values (qualitative
        scores and comments stay); appraisals past draft are left alone.
        Returns the appraisals created or refreshed.
        """
        company = template.company_id
        kpi_lines = template.line_ids.filtered(lambda ln: ln.line_type == "kpi")
        values = kpi_lines.kpi_id.with_company(company)._get_values(
            users, date_from, date_to
        )
        # Look for existing appraisals beyond the user's own rules, so that a
        # run never duplicates one; only those the user may change are refreshed.
        existing = (
            self.sudo()
            .search(
                [
                    ("template_id", "=", template.id),
                    ("date_from", "=", date_from),
                    ("date_to", "=", date_to),
                    ("user_id", "in", users.ids),
                ]
            )
            .with_env(self.env)
        )
        personal_targets = self._get_personal_targets(
            kpi_lines, users, date_from, date_to
        )
        writable = existing._filtered_access("write")
        by_user = {appraisal.user_id.id: appraisal for appraisal in existing.sudo()}
        quarters = self._get_quarter_appraisals(template, users, date_from, date_to)
        vals_list = []
        refreshed = self.browse()
        for user in users:
            user_values = {
                kpi_id: figures[user.id] for kpi_id, figures in values.items()
            }
            user_targets = personal_targets.get(user.id, {})
            appraisal = by_user.get(user.id)
            if appraisal:
                appraisal = appraisal.with_env(self.env)
                if appraisal.state == "draft" and appraisal in writable:
                    appraisal._refresh_kpi_values(user_values, user_targets)
                    if template.period_type == "year":
                        appraisal.quarter_appraisal_ids = quarters.get(
                            user.id, self.browse()
                        )
                    refreshed |= appraisal
                continue
            vals_list.append(
                {
                    "user_id": user.id,
                    "company_id": company.id,
                    "team_id": (team or user.sale_team_id).id,
                    "template_id": template.id,
                    "date_from": date_from,
                    "date_to": date_to,
                    "bonus_base": template.bonus_base,
                    "quarter_appraisal_ids": [
                        fields.Command.set(quarters.get(user.id, self.browse()).ids)
                    ],
                    "line_ids": [
                        fields.Command.create(
                            line._prepare_appraisal_line_vals(user_values, user_targets)
                        )
                        for line in kpi_lines
                    ],
                    "quality_line_ids": [
                        fields.Command.create(line._prepare_appraisal_line_vals({}))
                        for line in template.line_ids - kpi_lines
                    ],
                }
            )
        # Without the mail thread's work per record (a follower, an "assigned"
        # mail each): the appraised salespeople follow their appraisals through
        # one batch of followers, and nobody gets two hundred mails.
        created = self.with_context(tracking_disable=True).create(vals_list)
        created._subscribe_appraised_users()
        return created | refreshed

    def _subscribe_appraised_users(self):
        """Make each appraised salesperson a follower of their appraisal, in
        one insert whatever the number of appraisals."""
        subtypes = self.env["mail.message.subtype"].default_subtypes(self._name)[0]
        self.env["mail.followers"].sudo().create(
            [
                {
                    "res_model": self._name,
                    "res_id": appraisal.id,
                    "partner_id": appraisal.user_id.partner_id.id,
                    "subtype_ids": [fields.Command.set(subtypes.ids)],
                }
                for appraisal in self
                if appraisal.user_id.partner_id
            ]
        )

    def _refresh_kpi_values(self, user_values, user_targets=None):
        self.ensure_one()
        criteria = {
            criterion.kpi_id.id: criterion
            for criterion in self.template_id.line_ids
            if criterion.line_type == "kpi"
        }
        for line in self.line_ids:
            if line.kpi_id.id in user_values:
                value, note = user_values[line.kpi_id.id]
                vals = {"value": value, "note": note}
                if user_targets and line.kpi_id.id in criteria:
                    vals.update(
                        criteria[line.kpi_id.id]._get_personal_target(user_targets)
                    )
                # Computed values are written by the generation only.
                line.sudo().write(vals)

    @api.model
    def _get_personal_targets(self, kpi_lines, users, date_from, date_to):
        """``{user_id: {kpi_id: target}}``: the KPIs that measure what a
        salesperson's sales target sets (the sales amount) are scored against
        that target of the period, not against the template's one figure for
        everybody."""
        amount_kpis = kpi_lines.kpi_id.filtered(lambda k: k.code == "sales_amount")
        if not amount_kpis or "sale.target" not in self.env:
            return {}
        company = kpi_lines.template_id.company_id[:1]
        figures = (
            self.env["sale.target"]
            .with_company(company)
            ._get_user_achievement(users, date_from, date_to)
        )
        return {
            user_id: dict.fromkeys(amount_kpis.ids, values["target"])
            for user_id, values in figures.items()
            if values["target"] > 0
        }

    @api.model
    def _get_quarter_appraisals(self, template, users, date_from, date_to):
        """``{user_id: quarterly appraisals}`` of an annual template's year."""
        if template.period_type != "year":
            return {}
        quarters = self.search(
            [
                ("user_id", "in", users.ids),
                ("company_id", "=", template.company_id.id),
                ("period_type", "=", "quarter"),
                ("state", "!=", "draft"),
                ("date_from", ">=", date_from),
                ("date_to", "<=", date_to),
            ]
        )
        return {
            user.id: records for user, records in quarters.grouped("user_id").items()
        }

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------
    def _check_state(self, state):
        self.ensure_one()
        if self.state != state:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                self.env._(
                    "%(appraisal)s is %(state)s; this step needs it %(needed)s.",
                    appraisal=self.name,
                    state=labels[self.state],
                    needed=labels[state],
                )
            )

    def _check_editable(self):
        for appraisal in self:
            if appraisal.state != "draft":
                raise UserError(
                    self.env._(
                        "%(appraisal)s is no longer a draft. Refuse it to change it.",
                        appraisal=appraisal.name,
                    )
                )
            if not self.env.su and appraisal.user_id == self.env.user:
                raise AccessError(self.env._("You cannot change your own appraisal."))

    def _is_director(self):
        return self.env.su or self.env.user.has_group(DIRECTOR_GROUP)

    def _check_is_scorer(self):
        """The leader of the appraisal's team, or a director, not the appraised."""
        self.ensure_one()
        user = self.env.user
        if self.user_id == user and not self.env.su:
            raise AccessError(self.env._("You cannot score your own appraisal."))
        is_head = user.has_group(HEAD_GROUP) and self.team_id.user_id == user
        if not (self._is_director() or is_head):
            raise AccessError(
                self.env._(
                    "Only the leader of %(team)s or a sales director can score "
                    "%(appraisal)s.",
                    team=self.team_id.name or self.env._("the salesperson's team"),
                    appraisal=self.name,
                )
            )

    def _check_is_director(self):
        self.ensure_one()
        if self.user_id == self.env.user and not self.env.su:
            raise AccessError(self.env._("You cannot approve your own appraisal."))
        if not self._is_director():
            raise AccessError(
                self.env._("Only a sales director can approve appraisals.")
            )

    def _check_can_refuse(self):
        for appraisal in self:
            if appraisal.state not in ("scored", "acknowledged"):
                raise UserError(
                    self.env._("Only scored or acknowledged appraisals can be refused.")
                )
            appraisal._check_is_scorer()

    def _get_print_lang(self):
        """Chinese by default: the appraised user's language when it is a
        Chinese one, otherwise Simplified Chinese when installed, otherwise
        the language of the user who prints."""
        self.ensure_one()
        installed = {code for code, _name in self.env["res.lang"].get_installed()}
        lang = self.user_id.partner_id.lang
        if lang and lang.startswith("zh") and lang in installed:
            return lang
        if "zh_CN" in installed:
            return "zh_CN"
        return self.env.lang or "en_US"


class SaleAppraisalLine(models.Model):
    _name = "sale.appraisal.line"
    _description = "Appraisal Line"
    _order = "sequence, id"

    appraisal_id = fields.Many2one(
        "sale.appraisal",
        required=True,
        ondelete="cascade",
        index=True,
    )
    company_id = fields.Many2one(related="appraisal_id.company_id", store=True)
    state = fields.Selection(related="appraisal_id.state")
    sequence = fields.Integer(default=10)
    line_type = fields.Selection(
        LINE_TYPES, string="Type", required=True, default="kpi"
    )
    kpi_id = fields.Many2one("sale.kpi", string="KPI", ondelete="restrict")
    name = fields.Char(string="Criterion", required=True)
    definition = fields.Html(related="kpi_id.definition")
    unit = fields.Selection(related="kpi_id.unit")
    direction = fields.Selection(related="kpi_id.direction")
    scoring_rule = fields.Selection(
        [("linear", "Linear"), ("step", "Step"), ("manual", "Manual")],
        compute="_compute_scoring_rule",
    )
    is_manual_value = fields.Boolean(compute="_compute_scoring_rule")
    value = fields.Float(digits=(16, 2))
    target_value = fields.Float(string="Target", digits=(16, 2))
    floor_value = fields.Float(string="Floor", digits=(16, 2))
    max_score = fields.Float(string="Maximum Score", default=100.0)
    weight = fields.Float(digits=(16, 2))
    score = fields.Float(
        compute="_compute_score",
        store=True,
        readonly=False,
        digits=(16, 2),
    )
    weighted_score = fields.Float(
        compute="_compute_weighted_score",
        store=True,
        digits=(16, 2),
    )
    note = fields.Char()

    @api.depends("line_type", "kpi_id.scoring_rule", "kpi_id.source")
    def _compute_scoring_rule(self):
        for line in self:
            line.scoring_rule = (
                "manual" if line.line_type == "quality" else line.kpi_id.scoring_rule
            )
            line.is_manual_value = line.kpi_id.source == "manual"

    @api.depends(
        "value",
        "target_value",
        "floor_value",
        "max_score",
        "line_type",
    )
    def _compute_score(self):
        kpi_model = self.env["sale.kpi"]
        for line in self:
            rule = line.kpi_id.scoring_rule
            if line.line_type == "quality" or rule == "manual":
                line.score = line.score
                continue
            line.score = kpi_model._score(
                line.value,
                line.target_value,
                line.floor_value,
                line.max_score,
                line.kpi_id.direction,
                rule,
            )

    @api.depends("score", "weight")
    def _compute_weighted_score(self):
        for line in self:
            line.weighted_score = line.score * line.weight / 100.0

    @api.constrains("score", "max_score")
    def _check_score(self):
        for line in self:
            if line.score < 0 or line.score > line.max_score:
                raise ValidationError(
                    self.env._(
                        "The score of %(criterion)s must lie between 0 and %(max)s.",
                        criterion=line.name,
                        max=line.max_score,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.appraisal_id._check_editable()
        return lines

    def write(self, vals):
        self.appraisal_id._check_editable()
        if not self.env.su and (
            "weighted_score" in vals
            or (
                "score" in vals
                and self.filtered(lambda ln: ln.scoring_rule != "manual")
            )
        ):
            raise UserError(
                self.env._(
                    "The score of a computed KPI follows from its value; change "
                    "the value or the target instead."
                )
            )
        if (
            not self.env.su
            and {"value", "kpi_id", "line_type"}.intersection(vals)
            and self.filtered(
                lambda ln: ln.line_type == "kpi" and not ln.is_manual_value
            )
        ):
            raise UserError(
                self.env._(
                    "The value of a computed KPI comes from the data; use Recompute "
                    "KPIs to refresh it."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_not_draft(self):
        self.appraisal_id._check_editable()
