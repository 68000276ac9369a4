# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..models.sale_tools import ensure_one_record

QUARTERS = [("1", "Q1"), ("2", "Q2"), ("3", "Q3"), ("4", "Q4")]
MONTHS = [(str(month), str(month)) for month in range(1, 13)]


class SaleAppraisalGenerate(models.TransientModel):
    """Create the appraisals of a period for salespeople or a whole team, with
    every KPI computed in one batch. Running it again refreshes the drafts."""

    _name = "sale.appraisal.generate"
    _description = "Generate Appraisals"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    template_id = fields.Many2one(
        "sale.appraisal.template",
        required=True,
        domain="[('company_id', '=', company_id)]",
    )
    period_type = fields.Selection(related="template_id.period_type")
    year = fields.Integer(required=True, default=lambda self: date.today().year)
    quarter = fields.Selection(QUARTERS, default="1")
    month = fields.Selection(MONTHS, default="1")
    date_from = fields.Date(compute="_compute_dates", string="Period Start")
    date_to = fields.Date(compute="_compute_dates", string="Period End")
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        domain="[('company_id', 'in', (company_id, False))]",
    )
    user_ids = fields.Many2many(
        "res.users",
        string="Salespeople",
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
        help="Leave empty to appraise every member of the team.",
    )

    @api.depends("period_type", "year", "quarter", "month")
    def _compute_dates(self):
        for wizard in self:
            if not wizard.year or not wizard.period_type:
                wizard.date_from = wizard.date_to = False
                continue
            if wizard.period_type == "year":
                start, months = date(wizard.year, 1, 1), 12
            elif wizard.period_type == "quarter":
                start = date(wizard.year, (int(wizard.quarter or 1) - 1) * 3 + 1, 1)
                months = 3
            else:
                start, months = date(wizard.year, int(wizard.month or 1), 1), 1
            wizard.date_from = start
            wizard.date_to = start + relativedelta(months=months, days=-1)

    @api.onchange("team_id")
    def _onchange_team_id(self):
        if self.team_id:
            self.user_ids = self.team_id.member_ids

    def _get_users(self):
        self.ensure_one()
        users = self.user_ids or self.team_id.member_ids
        # Nobody appraises themselves: a head's appraisal is made by a director.
        return users - self.env.user

    def action_generate(self):
        ensure_one_record(self)
        if not self.env.user.has_group(
            "sale_process_control.group_sale_department_head"
        ):
            raise AccessError(
                self.env._("Only department heads and directors generate appraisals.")
            )
        users = self._get_users()
        if not users:
            raise UserError(
                self.env._("Choose the salespeople or a team with members to appraise.")
            )
        appraisals = self.env["sale.appraisal"]._generate(
            self.template_id, users, self.date_from, self.date_to, self.team_id
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Appraisals"),
            "res_model": "sale.appraisal",
            "view_mode": "list,form",
            "domain": [("id", "in", appraisals.ids)],
        }


class SaleAppraisalRefuse(models.TransientModel):
    _name = "sale.appraisal.refuse"
    _description = "Refuse Appraisal"

    appraisal_id = fields.Many2one("sale.appraisal", required=True)
    reason = fields.Text(required=True)

    def action_refuse(self):
        ensure_one_record(self)
        self.appraisal_id._refuse(self.reason)
        return {"type": "ir.actions.act_window_close"}


class SaleHonourPropose(models.TransientModel):
    _name = "sale.honour.propose"
    _description = "Propose Honours"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date_from = fields.Date(string="Period Start", required=True)
    date_to = fields.Date(string="Period End", required=True)
    ranking_basis = fields.Selection(
        [("score", "Final score"), ("achievement", "Target achievement")],
        required=True,
        default="score",
    )
    star_count = fields.Integer(string="Number of Sales Stars", default=3)

    def action_propose(self):
        ensure_one_record(self)
        if not self.env.user.has_group(
            "sale_process_control.group_sale_department_head"
        ):
            raise AccessError(
                self.env._("Only department heads and directors propose honours.")
            )
        if self.star_count < 0:
            raise UserError(self.env._("The number of sales stars cannot be negative."))
        honours = self.env["sale.honour"]._propose(
            self.company_id,
            self.date_from,
            self.date_to,
            self.ranking_basis,
            self.star_count,
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Honours"),
            "res_model": "sale.honour",
            "view_mode": "list,form",
            "domain": [("id", "in", honours.ids)],
        }
