# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .sale_decision_guard import decision_action
from .sale_tools import company_lang

HONOUR_TYPES = [
    ("champion", "Sales Champion"),
    ("star", "Sales Star"),
]
HONOUR_STATES = [
    ("proposed", "Proposed"),
    ("confirmed", "Confirmed"),
    ("cancelled", "Cancelled"),
]
RANKING_BASES = [
    ("score", "Final score"),
    ("achievement", "Target achievement"),
]


class SaleHonour(models.Model):
    """An honour of a period (policy 002 §五(四)3): the sales champion (first
    of the ranking) and the sales stars (next ones), proposed from the
    appraisals and confirmed by a sales director."""

    _name = "sale.honour"
    _description = "Sales Honour"
    _inherit = ["mail.thread", "sale.decision.guard"]
    # Set by the buttons and jobs only (sale.decision.guard).
    _decision_fields = ("state", "confirmed_by_id", "confirmed_date")
    _order = "date_from desc, rank, id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    honour_type = fields.Selection(
        HONOUR_TYPES, string="Honour", required=True, tracking=True
    )
    user_id = fields.Many2one(
        "res.users", string="Salesperson", required=True, index=True, tracking=True
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    date_from = fields.Date(string="Period Start", required=True)
    date_to = fields.Date(string="Period End", required=True)
    appraisal_id = fields.Many2one(
        "sale.appraisal", check_company=True, ondelete="set null"
    )
    ranking_basis = fields.Selection(RANKING_BASES, required=True, default="score")
    rank = fields.Integer()
    final_score = fields.Float(digits=(16, 2))
    achievement = fields.Float(string="Target Achievement (%)", digits=(16, 2))
    state = fields.Selection(
        HONOUR_STATES,
        string="Status",
        required=True,
        default="proposed",
        tracking=True,
        index=True,
    )
    confirmed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    confirmed_date = fields.Datetime(string="Confirmed On", readonly=True, copy=False)

    @api.depends("honour_type", "user_id.name", "date_from", "date_to")
    def _compute_name(self):
        for honour in self:
            labels = dict(
                self._fields["honour_type"]._description_selection(
                    honour.with_context(lang=company_lang(honour.company_id)).env
                )
            )
            honour.name = (
                f"{labels.get(honour.honour_type, '')}: {honour.user_id.name or ''}"
                f" ({honour.date_from or ''} ~ {honour.date_to or ''})"
            )

    @decision_action
    def action_confirm(self):
        for honour in self:
            if honour.state != "proposed":
                raise UserError(self.env._("Only proposed honours can be confirmed."))
            if not self.env.user.has_group("sale_process_control.group_sale_director"):
                raise AccessError(self.env._("Only a sales director confirms honours."))
            if honour.user_id == self.env.user:
                raise AccessError(self.env._("You cannot confirm your own honour."))
        self.sudo().write(
            {
                "state": "confirmed",
                "confirmed_by_id": self.env.user.id,
                "confirmed_date": fields.Datetime.now(),
            }
        )
        for honour in self:
            honour.message_post(
                body=self.env._("Congratulations! %(honour)s", honour=honour.name),
                partner_ids=honour.user_id.partner_id.ids,
            )
        return True

    @decision_action
    def action_cancel(self):
        if any(h.state != "proposed" for h in self):
            raise UserError(self.env._("Only proposed honours can be cancelled."))
        self.write({"state": "cancelled"})
        return True

    @api.model
    def _propose(self, company, date_from, date_to, basis="score", star_count=3):
        """Rank the appraisals of the period (scored or later) and propose the
        champion and the ``star_count`` stars. Replaces earlier proposals of
        the same period; refuses once an honour of the period is confirmed."""
        domain = [
            ("company_id", "=", company.id),
            ("date_from", "=", date_from),
            ("date_to", "=", date_to),
        ]
        honours = self.search(domain)
        if honours.filtered(lambda h: h.state == "confirmed"):
            raise UserError(
                self.env._(
                    "The honours of this period are already confirmed; "
                    "they can no longer be proposed again."
                )
            )
        honours.unlink()
        appraisals = self.env["sale.appraisal"].search(
            domain + [("state", "!=", "draft")]
        )
        if not appraisals:
            raise UserError(
                self.env._(
                    "No scored appraisal for this period: score the appraisals first."
                )
            )
        field = "final_score" if basis == "score" else "achievement"
        ranking = appraisals.sorted(lambda a: (-a[field], -a.final_score, a.id))
        # One honour per salesperson even if they have several templates.
        seen, ranked = set(), []
        for appraisal in ranking:
            if appraisal.user_id.id not in seen:
                seen.add(appraisal.user_id.id)
                ranked.append(appraisal)
        return self.create(
            [
                {
                    "honour_type": "champion" if rank == 1 else "star",
                    "user_id": appraisal.user_id.id,
                    "company_id": company.id,
                    "date_from": date_from,
                    "date_to": date_to,
                    "appraisal_id": appraisal.id,
                    "ranking_basis": basis,
                    "rank": rank,
                    "final_score": appraisal.final_score,
                    "achievement": appraisal.achievement,
                }
                for rank, appraisal in enumerate(ranked[: 1 + star_count], start=1)
            ]
        )
