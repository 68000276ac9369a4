# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .sale_credit_grade import CREDIT_GRADES
from .sale_tools import company_lang

EVALUATION_STATES = [("draft", "Draft"), ("done", "Validated"), ("cancel", "Cancelled")]


class SaleCreditEvaluation(models.Model):
    """A credit evaluation of a customer with a weighted scorecard (R-20)."""

    _name = "sale.credit.evaluation"
    _inherit = ["mail.thread", "sale.decision.guard"]
    # Set by the buttons and jobs only (sale.decision.guard).
    _decision_fields = ("state",)
    _description = "Credit Evaluation"
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        domain="[('parent_id', '=', False)]",
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    evaluator_id = fields.Many2one(
        "res.users", required=True, default=lambda self: self.env.user, tracking=True
    )
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    valid_until = fields.Date(
        required=True,
        default=lambda self: fields.Date.context_today(self) + relativedelta(years=1),
        tracking=True,
    )
    line_ids = fields.One2many(
        "sale.credit.evaluation.line",
        "evaluation_id",
        copy=True,
        default=lambda self: self._default_line_commands(self.env.company),
    )
    score = fields.Float(compute="_compute_score", store=True, digits=(16, 1))
    grade_id = fields.Many2one(
        "sale.credit.grade", compute="_compute_score", store=True
    )
    grade = fields.Selection(related="grade_id.code", store=True)
    state = fields.Selection(
        EVALUATION_STATES, default="draft", required=True, tracking=True
    )
    note = fields.Text(string="Findings")

    @api.depends("partner_id", "date")
    def _compute_name(self):
        for evaluation in self:
            # Stored and read by everybody: in the company's language.
            evaluation.name = evaluation.with_context(
                lang=company_lang(evaluation.company_id)
            ).env._(
                "Credit evaluation %(customer)s %(date)s",
                customer=evaluation.partner_id.display_name or "",
                date=evaluation.date or "",
            )

    @api.depends("line_ids.score", "line_ids.weight", "company_id")
    def _compute_score(self):
        Grade = self.env["sale.credit.grade"]
        for evaluation in self:
            total_weight = sum(evaluation.line_ids.mapped("weight"))
            evaluation.score = (
                sum(line.score * line.weight for line in evaluation.line_ids)
                / total_weight
                if total_weight
                else 0.0
            )
            evaluation.grade_id = (
                Grade._grade_for_score(evaluation.company_id, evaluation.score)
                if evaluation.line_ids
                else False
            )

    @api.constrains("date", "valid_until")
    def _check_validity(self):
        for evaluation in self:
            if evaluation.valid_until < evaluation.date:
                raise ValidationError(
                    self.env._("An evaluation cannot expire before its date.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        evaluations = super().create(vals_list)
        for evaluation in evaluations.filtered(lambda e: not e.line_ids):
            evaluation.line_ids = evaluation._default_lines()
        return evaluations

    def write(self, vals):
        if (
            not self.env.su
            and any(e.state != "draft" for e in self)
            and set(vals) - {"message_main_attachment_id"}
        ):
            raise UserError(
                self.env._(
                    "A validated evaluation is kept as it is; make a new evaluation."
                )
            )
        return super().write(vals)

    def _default_lines(self):
        self.ensure_one()
        return self._default_line_commands(self.company_id)

    @api.model
    def _default_line_commands(self, company):
        criteria = self.env["sale.credit.criterion"].search(
            [("company_id", "in", (False, company.id))]
        )
        return [
            Command.create({"criterion_id": criterion.id, "weight": criterion.weight})
            for criterion in criteria
        ]

    def action_validate(self):
        """Validate: the grade becomes the customer's grade in this company."""
        if not self.env.user.has_group(
            "sale_process_control.group_sale_reviewer_finance"
        ) and (
            not self.env.user.has_group(
                "sale_process_control.group_sale_department_head"
            )
        ):
            raise UserError(
                self.env._(
                    "Finance reviewers or department heads validate credit evaluations."
                )
            )
        for evaluation in self:
            if evaluation.state != "draft":
                raise UserError(self.env._("Only draft evaluations are validated."))
            if not evaluation.grade_id:
                raise UserError(
                    self.env._("Score the criteria of the scorecard before validating.")
                )
        # Status and the customer's grade change through this button only.
        for evaluation in self.sudo():
            evaluation.state = "done"
            partner = evaluation.partner_id.commercial_partner_id.with_company(
                evaluation.company_id
            )
            partner.write(
                {
                    "credit_grade": evaluation.grade,
                    "credit_grade_valid_until": evaluation.valid_until,
                }
            )
            partner.message_post(
                body=self.env._(
                    "Credit evaluated: score %(score)s, grade %(grade)s, valid until "
                    "%(until)s.",
                    score=round(evaluation.score, 1),
                    grade=evaluation.grade,
                    until=evaluation.valid_until,
                )
            )
        self.partner_id.commercial_partner_id._recheck_credit_holds()
        return True

    def action_cancel(self):
        self.check_access("write")
        self.sudo().write({"state": "cancel"})
        return True


class SaleCreditEvaluationLine(models.Model):
    _name = "sale.credit.evaluation.line"
    _description = "Credit Evaluation Line"
    _order = "evaluation_id, id"

    evaluation_id = fields.Many2one(
        "sale.credit.evaluation", required=True, ondelete="cascade", index=True
    )
    criterion_id = fields.Many2one("sale.credit.criterion", required=True)
    category = fields.Selection(related="criterion_id.category")
    guidance = fields.Text(related="criterion_id.guidance")
    weight = fields.Float(required=True, default=1.0)
    score = fields.Float(help="From 0 (worst) to 100 (best).")
    comment = fields.Char()

    @api.constrains("score", "weight")
    def _check_score(self):
        for line in self:
            if not 0 <= line.score <= 100 or line.weight <= 0:
                raise ValidationError(
                    self.env._("Scores go from 0 to 100 and weights must be positive.")
                )


# Re-exported for views and reports that list the grades.
__all__ = ["CREDIT_GRADES"]
