# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .sale_decision_guard import decision_action
from .sale_tools import in_company_langs

RECTIFICATION_STATES = [
    ("draft", "Draft"),
    ("open", "Awaiting Answer"),
    ("answered", "Answered"),
    ("closed", "Closed"),
    ("cancel", "Cancelled"),
]
SUPERVISION_GROUP = "sale_process_control.group_sale_supervision"
# What the responsible person writes on a notice addressed to them.
ANSWER_FIELDS = {"answer", "evidence_ids", "message_main_attachment_id"}


class SaleRectification(models.Model):
    """A rectification notice (整改通知, R-38): a finding of supervision with
    the person responsible, a deadline and the action required. The person
    answers with evidence, supervision verifies and closes or sends it back;
    a notice still unanswered after its deadline escalates to the person's
    manager once."""

    _name = "sale.rectification"
    _inherit = ["mail.thread", "mail.activity.mixin", "sale.decision.guard"]
    # Set by the buttons and jobs only (sale.decision.guard).
    _decision_fields = (
        "state",
        "issuer_id",
        "date_issued",
        "answer_date",
        "verified_by_id",
        "closed_date",
        "escalated_date",
    )
    _description = "Rectification Notice"
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Number",
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    state = fields.Selection(
        RECTIFICATION_STATES,
        string="Status",
        required=True,
        default="draft",
        readonly=True,
        copy=False,
        tracking=True,
    )
    source = fields.Selection(
        [
            ("spot_check", "Spot Check"),
            ("risk_event", "Risk Event"),
            ("free", "Other"),
        ],
        compute="_compute_source",
        store=True,
    )
    spot_check_line_id = fields.Many2one(
        "sale.spot.check.line",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    spot_check_id = fields.Many2one(
        related="spot_check_line_id.check_id", string="Spot Check", store=True
    )
    risk_event_id = fields.Many2one(
        "sale.risk.event",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
    )
    order_id = fields.Many2one(
        "sale.order", string="Sales Order", check_company=True, tracking=True
    )
    issuer_id = fields.Many2one(
        "res.users",
        string="Issued By",
        required=True,
        default=lambda self: self.env.user,
        readonly=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible Person",
        required=True,
        tracking=True,
        index=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    manager_id = fields.Many2one(
        "res.users",
        compute="_compute_manager_id",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="Who an overdue notice escalates to: the leader of the responsible "
        "person's sales team.",
    )
    date_issued = fields.Date(readonly=True, copy=False)
    deadline = fields.Date(
        required=True,
        tracking=True,
        default=lambda self: (
            fields.Date.context_today(self)
            + timedelta(days=self.env.company.sale_rectification_days)
        ),
    )
    finding = fields.Text(required=True)
    required_action = fields.Text(required=True)
    answer = fields.Text(tracking=True)
    evidence_ids = fields.Many2many(
        "ir.attachment",
        "sale_rectification_evidence_rel",
        "rectification_id",
        "attachment_id",
    )
    answer_date = fields.Datetime(readonly=True, copy=False)
    verified_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    closed_date = fields.Datetime(readonly=True, copy=False)
    is_overdue = fields.Boolean(
        compute="_compute_is_overdue", search="_search_is_overdue"
    )
    escalated_date = fields.Datetime(readonly=True, copy=False)

    @api.depends("spot_check_line_id", "risk_event_id")
    def _compute_source(self):
        for notice in self:
            if notice.spot_check_line_id:
                notice.source = "spot_check"
            elif notice.risk_event_id:
                notice.source = "risk_event"
            else:
                notice.source = "free"

    @api.depends("user_id")
    def _compute_manager_id(self):
        for notice in self:
            leader = notice.user_id.sudo().sale_team_id.user_id
            notice.manager_id = leader if leader != notice.user_id else False

    @api.depends("state", "deadline")
    @api.depends_context("uid")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for notice in self:
            notice.is_overdue = bool(
                notice.state == "open" and notice.deadline and notice.deadline < today
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on overdue notices."))
        today = fields.Date.context_today(self)
        if (operator == "=") == value:
            return [("state", "=", "open"), ("deadline", "<", today)]
        return ["|", ("state", "!=", "open"), ("deadline", ">=", today)]

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "sale.rectification"
                ) or self.env._("New")
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and not self.env.user.has_group(SUPERVISION_GROUP):
            if set(vals) - ANSWER_FIELDS:
                raise AccessError(
                    self.env._(
                        "Only supervision changes a rectification notice; the "
                        "responsible person answers it with the Answer button."
                    )
                )
            for notice in self:
                notice._check_can_answer()
        return super().write(vals)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @decision_action
    def action_send(self):
        self._check_supervision()
        for notice in self:
            if notice.state != "draft":
                raise UserError(
                    self.env._("%(notice)s was already sent.", notice=notice.name)
                )
            notice.write(
                {"state": "open", "date_issued": fields.Date.context_today(self)}
            )
            notice._schedule_answer_activity()
            notice.message_subscribe(partner_ids=notice.user_id.partner_id.ids)
            notice.message_post(
                body=self.env._(
                    "Rectification notice sent to %(user)s; answer by %(deadline)s.",
                    user=notice.user_id.name,
                    deadline=notice.deadline,
                ),
                partner_ids=notice.user_id.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )

    @decision_action
    def action_answer(self):
        for notice in self:
            notice._check_can_answer()
            if not (notice.answer or "").strip():
                raise UserError(
                    self.env._(
                        "Write what was corrected in the answer of %(notice)s "
                        "before sending it; attach the evidence.",
                        notice=notice.name,
                    )
                )
        # The responsible person may write only their answer; the state and
        # its date are the notice's own bookkeeping.
        self.sudo().write({"state": "answered", "answer_date": fields.Datetime.now()})
        for notice in self:
            notice.activity_feedback(["mail.mail_activity_data_todo"])
            notice.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Verify the rectification"),
                user_id=notice.issuer_id.id,
            )
            notice.message_post(
                body=self.env._("Answered by %(user)s.", user=self.env.user.name)
            )

    @decision_action
    def action_close(self):
        self._check_supervision()
        for notice in self:
            if notice.state != "answered":
                raise UserError(
                    self.env._(
                        "%(notice)s is closed once its responsible person has "
                        "answered it.",
                        notice=notice.name,
                    )
                )
        self.write(
            {
                "state": "closed",
                "closed_date": fields.Datetime.now(),
                "verified_by_id": self.env.user.id,
            }
        )
        self.activity_feedback(["mail.mail_activity_data_todo"])

    @decision_action
    def action_send_back(self):
        self._check_supervision()
        for notice in self:
            if notice.state != "answered":
                raise UserError(
                    self.env._(
                        "Only answered notices are sent back; %(notice)s is not.",
                        notice=notice.name,
                    )
                )
        self.write({"state": "open"})
        for notice in self:
            notice.activity_feedback(["mail.mail_activity_data_todo"])
            notice._schedule_answer_activity()
            notice.message_post(
                body=self.env._(
                    "Sent back: the rectification is not sufficient. Complete it and "
                    "answer again."
                ),
                partner_ids=notice.user_id.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )

    @decision_action
    def action_cancel(self):
        self._check_supervision()
        if self.filtered(lambda n: n.state == "closed"):
            raise UserError(self.env._("A closed notice cannot be cancelled."))
        self.write({"state": "cancel"})
        self.activity_unlink(["mail.mail_activity_data_todo"])

    def action_print(self):
        return self.env.ref(
            "sale_process_control.action_report_sale_rectification"
        ).report_action(self)

    # ------------------------------------------------------------------
    # Escalation
    # ------------------------------------------------------------------
    @api.model
    @decision_action
    def _cron_escalate_overdue(self):
        """Escalate each notice unanswered after its deadline to the
        responsible person's manager, once."""
        notices = self.search(
            [
                ("state", "=", "open"),
                ("deadline", "<", fields.Date.context_today(self)),
                ("escalated_date", "=", False),
            ]
        )
        for part in in_company_langs(notices):
            part._escalate()

    @decision_action
    def _escalate(self):
        for notice in self:
            manager = notice.manager_id or notice.issuer_id
            notice.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Overdue rectification notice"),
                note=self.env._(
                    "%(user)s has not answered rectification notice %(notice)s due "
                    "on %(deadline)s.",
                    user=notice.user_id.name,
                    notice=notice.name,
                    deadline=notice.deadline,
                ),
                user_id=manager.id,
            )
            notice.message_post(
                body=self.env._(
                    "Overdue since %(deadline)s: escalated to %(manager)s.",
                    deadline=notice.deadline,
                    manager=manager.name,
                ),
                partner_ids=manager.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
            )
        self.write({"escalated_date": fields.Datetime.now()})

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _check_supervision(self):
        if not self.env.user.has_group(SUPERVISION_GROUP):
            raise AccessError(
                self.env._(
                    "Only the supervision group sends, verifies and closes "
                    "rectification notices."
                )
            )

    def _check_can_answer(self):
        self.ensure_one()
        if self.user_id != self.env.user and not self.env.user.has_group(
            SUPERVISION_GROUP
        ):
            raise AccessError(
                self.env._(
                    "Only %(user)s, the responsible person, answers %(notice)s.",
                    user=self.user_id.name,
                    notice=self.name,
                )
            )
        if self.state != "open":
            raise UserError(
                self.env._("%(notice)s is not awaiting an answer.", notice=self.name)
            )

    def _schedule_answer_activity(self):
        self.ensure_one()
        self.activity_schedule(
            "mail.mail_activity_data_todo",
            date_deadline=self.deadline,
            summary=self.env._("Answer the rectification notice"),
            note=self.required_action,
            user_id=self.user_id.id,
        )

    def _get_form_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
        }

    def _get_print_lang(self):
        """Chinese by default; the language of the user otherwise."""
        installed = {code for code, _name in self.env["res.lang"].get_installed()}
        if "zh_CN" in installed:
            return "zh_CN"
        return self.env.lang or "en_US"
