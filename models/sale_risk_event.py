# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_date

from .sale_decision_guard import decision_action
from .sale_tools import company_lang, ensure_one_record

_logger = logging.getLogger(__name__)

RISK_TYPES = [
    ("market", "Market"),
    ("credit", "Credit"),
    ("legal", "Legal"),
    ("contract", "Contract"),
    ("delivery", "Delivery"),
]
RISK_SEVERITIES = [
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
    ("critical", "Critical"),
]
RISK_STATES = [
    ("open", "Raised"),
    ("in_progress", "In Progress"),
    ("closed", "Closed"),
]
AUTO_CAUSES = [
    ("credit_hold", "Credit Hold"),
    ("late_delivery", "Late Delivery"),
    ("overdue_receivable", "Overdue Receivables"),
]
# Bookkeeping of the automatic events, written by the system only.
AUTO_FIELDS = {"is_automatic", "auto_cause", "auto_key"}
# The post-event analysis that must be written before an event is closed.
ANALYSIS_FIELDS = ("cause", "measure_effect", "lessons", "improvements")


class SaleRiskEvent(models.Model):
    """An entry of the risk register (R-36). Events are recorded by hand or
    raised automatically from credit holds, late deliveries and overdue
    receivables: one open event per source and cause, closed with an
    automatic analysis once the cause disappears."""

    _name = "sale.risk.event"
    _inherit = ["mail.thread", "mail.activity.mixin", "sale.decision.guard"]
    # Set by the buttons and jobs only (sale.decision.guard).
    _decision_fields = ("state", "closed_date")
    _description = "Risk Event"
    _order = "state_sequence, date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Title", required=True, tracking=True)
    risk_type = fields.Selection(
        RISK_TYPES, string="Type", required=True, default="market", tracking=True
    )
    severity = fields.Selection(
        RISK_SEVERITIES, required=True, default="medium", tracking=True
    )
    state = fields.Selection(
        RISK_STATES,
        string="Status",
        required=True,
        default="open",
        tracking=True,
        copy=False,
    )
    state_sequence = fields.Integer(compute="_compute_state_sequence", store=True)
    date = fields.Date(
        string="Date Raised",
        required=True,
        default=fields.Date.context_today,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        tracking=True,
        index=True,
        default=lambda self: self.env.user,
        help="Who follows the event up and takes the measures.",
    )
    order_id = fields.Many2one(
        "sale.order", string="Sales Order", index="btree_not_null", check_company=True
    )
    contract_id = fields.Many2one(
        "sale.contract", index="btree_not_null", check_company=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        index="btree_not_null",
        domain="[('parent_id', '=', False)]",
    )
    description = fields.Text(help="What happened and what is at stake.")
    measures = fields.Text(tracking=True, help="What is done to limit the damage.")
    amount = fields.Monetary(
        string="Amount at Risk", help="The sum involved, when there is one."
    )
    # Post-event analysis (事后分析)
    cause = fields.Text(string="Cause Analysis")
    measure_effect = fields.Text(string="Effect of Measures")
    lessons = fields.Text(string="Lessons Learned")
    improvements = fields.Text()
    closed_date = fields.Date(readonly=True, copy=False)
    # Automatic events
    is_automatic = fields.Boolean(readonly=True, copy=False)
    auto_cause = fields.Selection(
        AUTO_CAUSES, string="Automatic Cause", readonly=True, copy=False
    )
    auto_key = fields.Char(readonly=True, copy=False, index="btree_not_null")
    rectification_ids = fields.One2many(
        "sale.rectification", "risk_event_id", string="Rectification Notices"
    )
    rectification_count = fields.Integer(compute="_compute_rectification_count")

    def init(self):
        # One open automatic event per source and cause; a cause that comes
        # back after its event was closed opens a new event.
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS sale_risk_event_auto_key_open_uniq "
                "ON sale_risk_event (company_id, auto_key) "
                "WHERE auto_key IS NOT NULL AND state != 'closed'"
            )
        )

    @api.depends("state")
    def _compute_state_sequence(self):
        order = {key: index for index, (key, _label) in enumerate(RISK_STATES)}
        for event in self:
            event.state_sequence = order.get(event.state, 0)

    def _compute_rectification_count(self):
        for event in self:
            event.rectification_count = len(event.rectification_ids)

    @api.constrains("state", *ANALYSIS_FIELDS)
    def _check_analysis_before_closing(self):
        for event in self.filtered(lambda e: e.state == "closed"):
            missing = [
                event._fields[name].get_description(self.env)["string"]
                for name in ANALYSIS_FIELDS
                if not (event[name] or "").strip()
            ]
            if missing:
                raise ValidationError(
                    self.env._(
                        "Risk event %(event)s cannot be closed without its post-event "
                        "analysis. Fill in: %(items)s.",
                        event=event.name,
                        items=", ".join(missing),
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if any(AUTO_FIELDS & set(vals) for vals in vals_list):
            self._check_auto_fields_writable()
        return super().create(vals_list)

    def write(self, vals):
        if AUTO_FIELDS & set(vals):
            self._check_auto_fields_writable()
        return super().write(vals)

    def _check_auto_fields_writable(self):
        if not self.env.su:
            raise AccessError(
                self.env._(
                    "Automatic risk events are raised and resolved by the system "
                    "only; record other events by hand."
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @decision_action
    def action_start(self):
        self.filtered(lambda e: e.state == "open").write({"state": "in_progress"})

    @decision_action
    def action_close(self):
        self._check_can_close()
        for event in self:
            if event.state == "closed":
                raise UserError(
                    self.env._(
                        "Risk event %(event)s is already closed.", event=event.name
                    )
                )
        self.write({"state": "closed", "closed_date": fields.Date.context_today(self)})

    @decision_action
    def action_reopen(self):
        self._check_can_close()
        self.filtered(lambda e: e.state == "closed").write(
            {"state": "in_progress", "closed_date": False}
        )

    def _check_can_close(self):
        """An automatic event closes when its cause disappears; by hand, only
        supervision closes or reopens it, never the person it is about."""
        self.check_access("write")
        if self.env.su or self.env.user.has_group(
            "sale_process_control.group_sale_supervision"
        ):
            return
        automatic = self.filtered("is_automatic")
        if automatic:
            raise AccessError(
                self.env._(
                    "Risk event %(event)s was raised by the system and closes by "
                    "itself once its cause is gone; only supervision closes or "
                    "reopens it by hand.",
                    event=automatic[0].name,
                )
            )

    def action_create_rectification(self):
        ensure_one_record(self)
        notice = self.env["sale.rectification"].create(
            self._prepare_rectification_vals()
        )
        return notice._get_form_action()

    def action_view_rectifications(self):
        ensure_one_record(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Rectification Notices"),
            "res_model": "sale.rectification",
            "view_mode": "list,form",
            "domain": [("risk_event_id", "=", self.id)],
            "context": {"default_risk_event_id": self.id},
        }

    def _prepare_rectification_vals(self):
        self.ensure_one()
        return {
            "risk_event_id": self.id,
            "order_id": self.order_id.id,
            "company_id": self.company_id.id,
            "user_id": (self.order_id.user_id or self.user_id).id,
            "finding": "\n".join(
                text for text in (self.name, self.description) if text
            ),
            "required_action": self.measures or "",
        }

    # ------------------------------------------------------------------
    # Automatic events
    # ------------------------------------------------------------------
    @api.model
    @decision_action
    def _cron_sync_automatic_events(self):
        """Raise, update and resolve the automatic events of every company
        that switched them on."""
        companies = self.env["res.company"].search(
            [("sale_risk_auto_enabled", "=", True)]
        )
        for company in companies:
            events = (
                self.sudo()
                .with_company(company)
                .with_context(lang=company_lang(company))
            )
            events._sync_automatic(
                company, "credit_hold", events._get_credit_hold_causes(company)
            )
            events._sync_automatic(
                company, "late_delivery", events._get_late_delivery_causes(company)
            )
            events._sync_automatic(
                company,
                "overdue_receivable",
                events._get_overdue_receivable_causes(company),
            )

    @api.model
    def _get_credit_hold_causes(self, company, orders=None):
        """Values of the events that the credit holds call for, by key."""
        if orders is None:
            orders = self.env["sale.order"].search(
                [("company_id", "=", company.id), ("credit_hold", "=", True)]
            )
        return {
            f"credit_hold:{order.id}": {
                "name": self.env._("Credit hold on %(order)s", order=order.name),
                "risk_type": "credit",
                "severity": "medium",
                "order_id": order.id,
                "partner_id": order.partner_id.commercial_partner_id.id,
                "user_id": order.user_id.id,
                "amount": order.amount_total,
                "description": order.credit_hold_reasons or "",
            }
            for order in orders.filtered("credit_hold")
        }

    @api.model
    def _get_late_delivery_causes(self, company):
        """Orders with an outgoing delivery not done beyond its deadline (or
        scheduled date) plus the tolerance."""
        limit = fields.Datetime.now() - timedelta(
            days=company.sale_risk_delivery_tolerance
        )
        groups = self.env["stock.picking"]._read_group(
            [
                ("company_id", "=", company.id),
                ("picking_type_code", "=", "outgoing"),
                ("state", "not in", ("done", "cancel", "draft")),
                ("sale_id", "!=", False),
                "|",
                "&",
                ("date_deadline", "!=", False),
                ("date_deadline", "<", limit),
                "&",
                ("date_deadline", "=", False),
                ("scheduled_date", "<", limit),
            ],
            ["sale_id"],
            ["scheduled_date:min", "date_deadline:min", "__count"],
        )
        causes = {}
        for order, scheduled, deadline, count in groups:
            due = deadline or scheduled
            causes[f"late_delivery:{order.id}"] = {
                "name": self.env._("Late delivery of %(order)s", order=order.name),
                "risk_type": "delivery",
                "severity": "medium",
                "order_id": order.id,
                "partner_id": order.partner_id.commercial_partner_id.id,
                "user_id": order.user_id.id,
                "amount": order.amount_total,
                "description": self.env._(
                    "%(count)s delivery(ies) not done; due since %(date)s.",
                    count=count,
                    date=format_date(self.env, due),
                ),
            }
        return causes

    @api.model
    def _get_overdue_receivable_causes(self, company):
        """Customers whose receivables overdue beyond the tolerance in days
        add up to more than the tolerated amount."""
        limit = fields.Date.context_today(self) - timedelta(
            days=company.sale_risk_receivable_days
        )
        groups = self.env["account.move.line"]._read_group(
            [
                ("company_id", "=", company.id),
                ("account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
                ("reconciled", "=", False),
                ("date_maturity", "<", limit),
                ("partner_id", "!=", False),
            ],
            ["partner_id"],
            ["amount_residual:sum", "date_maturity:min"],
        )
        threshold = company.sale_risk_receivable_amount
        causes = {}
        for partner, residual, oldest in groups:
            partner = partner.commercial_partner_id
            key = f"overdue_receivable:{partner.id}"
            if key in causes:
                causes[key]["amount"] += residual
                continue
            causes[key] = {
                "name": self.env._(
                    "Overdue receivables of %(customer)s", customer=partner.name
                ),
                "risk_type": "credit",
                "severity": "high",
                "partner_id": partner.id,
                "user_id": partner.user_id.id,
                "amount": residual,
                "oldest": oldest,
            }
        result = {}
        for key, vals in causes.items():
            if company.currency_id.compare_amounts(vals["amount"], threshold) <= 0:
                continue
            oldest = vals.pop("oldest")
            vals["description"] = self.env._(
                "%(amount)s overdue for more than %(days)s days (oldest due %(date)s).",
                amount=company.currency_id.format(vals["amount"]),
                days=company.sale_risk_receivable_days,
                date=format_date(self.env, oldest),
            )
            result[key] = vals
        return result

    @api.model
    @decision_action
    def _sync_automatic(self, company, cause, wanted, scope=None):
        """Make the open automatic events of ``cause`` match ``wanted`` (values
        by key): create the missing ones, update the others, resolve those
        whose cause disappeared. ``scope`` limits the resolving to these keys
        (the immediate hooks look at one order only)."""
        domain = [
            ("company_id", "=", company.id),
            ("auto_cause", "=", cause),
            ("state", "!=", "closed"),
        ]
        if scope is not None:
            domain.append(("auto_key", "in", list(scope)))
        existing = self.search(domain)
        by_key = {event.auto_key: event for event in existing}
        to_create = []
        for key, vals in wanted.items():
            event = by_key.get(key)
            if event:
                changes = {
                    name: value
                    for name, value in vals.items()
                    if name in ("description", "amount")
                    and event._fields[name].convert_to_write(event[name], event)
                    != value
                }
                if changes:
                    event.write(changes)
                continue
            to_create.append(
                dict(
                    vals,
                    company_id=company.id,
                    is_automatic=True,
                    auto_cause=cause,
                    auto_key=key,
                )
            )
        created = self.create(to_create)
        if created:
            _logger.info("Raised %s %s risk event(s)", len(created), cause)
        existing.filtered(lambda e: e.auto_key not in wanted)._resolve_automatic()
        return created

    @decision_action
    def _resolve_automatic(self):
        """Close automatic events whose cause disappeared, with an automatic
        analysis note."""
        today = fields.Date.context_today(self)
        for event in self:
            label = dict(AUTO_CAUSES)[event.auto_cause]
            note = self.env._(
                "Resolved automatically on %(date)s: the cause (%(cause)s) "
                "disappeared.",
                date=format_date(self.env, today),
                cause=label,
            )
            event.write(
                {
                    "state": "closed",
                    "closed_date": today,
                    "cause": event.cause or event.description or label,
                    "measure_effect": event.measure_effect or note,
                    "lessons": event.lessons
                    or self.env._("Automatic analysis; nothing further recorded."),
                    "improvements": event.improvements
                    or self.env._("None recorded; review if the cause comes back."),
                }
            )
            event.message_post(body=note)
