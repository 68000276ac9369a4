# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
import logging
from datetime import date

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .sale_tools import ensure_one_record, in_company_langs

_logger = logging.getLogger(__name__)

COLLECTION_PLAN_STATES = [
    ("open", "In Progress"),
    ("overdue", "Overdue"),
    ("done", "Collected"),
    ("cancel", "Cancelled"),
]
COLLECTION_LINE_STATUSES = [
    ("planned", "Planned"),
    ("partial", "Partially Received"),
    ("received", "Received"),
    ("overdue", "Overdue"),
]
# Overdue installments handled per run of the daily job; the job runs again
# at once while some are left.
OVERDUE_BATCH_SIZE = 500


class SaleCollectionPlan(models.Model):
    """When and how much a customer pays for an order (R-24).

    The installments come from the order's payment terms. What was received is
    read from the order's invoices: the amount settled on an invoice linked to
    installments goes to those installments, the amount settled on the order's
    other invoices goes to the installments without an invoice, in both cases
    earliest due date first.
    """

    _name = "sale.collection.plan"
    _description = "Collection Plan"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    _sql_constraints = [
        (
            "order_uniq",
            "unique(order_id)",
            "An order has a single collection plan.",
        ),
    ]

    name = fields.Char(compute="_compute_name", store=True)
    order_id = fields.Many2one(
        "sale.order",
        required=True,
        readonly=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        related="order_id.partner_id.commercial_partner_id",
        store=True,
        index=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        related="order_id.user_id",
        store=True,
        index=True,
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        related="order_id.team_id",
        store=True,
    )
    company_id = fields.Many2one(
        "res.company",
        related="order_id.company_id",
        store=True,
        index=True,
    )
    currency_id = fields.Many2one(
        "res.currency",
        related="order_id.currency_id",
        store=True,
    )
    payment_term_id = fields.Many2one(
        "account.payment.term",
        string="Payment Terms",
        readonly=True,
        help="The payment terms the installments were made from.",
    )
    date_ref = fields.Date(
        string="Reference Date",
        readonly=True,
        help="The date from which the payment terms count: the delivery date "
        "promised to the customer, or the order date.",
    )
    line_ids = fields.One2many(
        "sale.collection.plan.line",
        "plan_id",
        string="Installments",
        copy=True,
    )
    amount_order = fields.Monetary(
        string="Order Total",
        related="order_id.amount_total",
    )
    amount_planned = fields.Monetary(
        string="Planned",
        compute="_compute_amounts",
        store=True,
    )
    amount_received = fields.Monetary(
        string="Received",
        compute="_compute_amounts",
        store=True,
    )
    amount_open = fields.Monetary(
        string="To Collect",
        compute="_compute_amounts",
        store=True,
    )
    amount_overdue = fields.Monetary(
        string="Overdue",
        compute="_compute_amounts",
        store=True,
    )
    amount_unplanned = fields.Monetary(
        string="Not Planned",
        compute="_compute_amount_unplanned",
        help="Part of the order total that no installment covers (negative when "
        "the installments exceed the order total).",
    )
    collection_progress = fields.Float(
        string="Collected (%)",
        compute="_compute_amounts",
        store=True,
        aggregator="avg",
    )
    state = fields.Selection(
        selection=COLLECTION_PLAN_STATES,
        compute="_compute_state",
        store=True,
        index=True,
        tracking=True,
    )
    note = fields.Text()

    @api.depends("order_id.name")
    def _compute_name(self):
        for plan in self:
            plan.name = plan.order_id.name

    @api.depends(
        "line_ids.amount",
        "line_ids.amount_received",
        "line_ids.status",
    )
    def _compute_amounts(self):
        for plan in self:
            lines = plan.line_ids
            planned = sum(lines.mapped("amount"))
            received = sum(lines.mapped("amount_received"))
            plan.amount_planned = planned
            plan.amount_received = received
            plan.amount_open = planned - received
            plan.amount_overdue = sum(
                line.amount - line.amount_received
                for line in lines
                if line.status == "overdue"
            )
            plan.collection_progress = 100.0 * received / planned if planned else 0.0

    @api.depends("amount_order", "amount_planned")
    def _compute_amount_unplanned(self):
        for plan in self:
            plan.amount_unplanned = plan.amount_order - plan.amount_planned

    @api.depends("order_id.state", "line_ids.status")
    def _compute_state(self):
        for plan in self:
            statuses = set(plan.line_ids.mapped("status"))
            if plan.order_id.state == "cancel":
                plan.state = "cancel"
            elif statuses and statuses == {"received"}:
                plan.state = "done"
            elif "overdue" in statuses:
                plan.state = "overdue"
            else:
                plan.state = "open"

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_reset_from_terms(self):
        """Make the installments again from the order's current payment terms."""
        for plan in self:
            if plan.state == "cancel" or any(plan.line_ids.mapped("amount_received")):
                raise UserError(
                    self.env._(
                        "The installments of %(plan)s can no longer be made again: "
                        "payments were received or the order was cancelled. Edit "
                        "the installments instead.",
                        plan=plan.display_name,
                    )
                )
            plan.order_id._check_can_plan_collection()
            vals = plan.order_id._prepare_collection_plan_vals()
            plan.line_ids.overdue_activity_id.unlink()
            plan.write(
                {
                    "payment_term_id": vals["payment_term_id"],
                    "date_ref": vals["date_ref"],
                    "line_ids": [Command.clear(), *vals["line_ids"]],
                }
            )
            plan.message_post(
                body=self.env._("Installments made again from the payment terms.")
            )
        return True

    def action_open_order(self):
        ensure_one_record(self)
        return {
            "type": "ir.actions.act_window",
            "res_model": "sale.order",
            "res_id": self.order_id.id,
            "views": [(False, "form")],
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _get_form_action(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Collection Plan"),
            "res_model": "sale.collection.plan",
            "res_id": self.id,
            "views": [(False, "form")],
            "target": "current",
        }

    def _get_received_by_line(self):
        """Return ``{line: amount received}`` for the installments of the plan."""
        self.ensure_one()
        currency = self.currency_id or self.company_id.currency_id
        lines = self.line_ids
        posted = self.order_id.invoice_ids.filtered(
            lambda m: m.state == "posted" and m.move_type == "out_invoice"
        )
        linked = lines.invoice_id.filtered(lambda m: m.state == "posted")
        # One pool per linked invoice, one (key None) for the order's other invoices.
        pools = {invoice: self._get_settled_amount(invoice) for invoice in linked}
        pools[None] = sum(self._get_settled_amount(m) for m in posted - linked)
        received = {}
        for line in lines.sorted(lambda ln: (ln.due_date or date.max, ln.sequence)):
            key = line.invoice_id if line.invoice_id else None
            available = pools.get(key, 0.0)
            taken = currency.round(max(min(available, line.amount), 0.0))
            received[line] = taken
            pools[key] = available - taken
        return received

    def _get_settled_amount(self, invoice):
        """Paid or credited part of ``invoice``, in the plan's currency."""
        self.ensure_one()
        settled = invoice.amount_total - invoice.amount_residual
        if invoice.currency_id == self.currency_id or not self.currency_id:
            return settled
        return invoice.currency_id._convert(
            settled,
            self.currency_id,
            self.company_id,
            invoice.invoice_date or fields.Date.context_today(self),
        )


class SaleCollectionPlanLine(models.Model):
    _name = "sale.collection.plan.line"
    _description = "Collection Plan Installment"
    _order = "plan_id, due_date, sequence, id"
    _check_company_auto = True

    _sql_constraints = [
        (
            "amount_positive",
            "CHECK(amount > 0)",
            "The amount of an installment must be positive.",
        ),
    ]

    plan_id = fields.Many2one(
        "sale.collection.plan",
        string="Collection Plan",
        required=True,
        ondelete="cascade",
        index=True,
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Description")
    due_date = fields.Date(required=True)
    amount = fields.Monetary(required=True)
    invoice_id = fields.Many2one(
        "account.move",
        check_company=True,
        domain="[('id', 'in', available_invoice_ids)]",
        help="The invoice this installment is collected with. Installments "
        "without an invoice share what is paid on the order's other invoices.",
    )
    available_invoice_ids = fields.Many2many(
        "account.move",
        compute="_compute_available_invoice_ids",
    )
    amount_received = fields.Monetary(
        string="Received",
        compute="_compute_amount_received",
        store=True,
        help="Paid or credited on the invoices, allocated to the installments "
        "earliest due date first.",
    )
    amount_open = fields.Monetary(
        string="To Collect",
        compute="_compute_amount_open",
        store=True,
    )
    status = fields.Selection(
        selection=COLLECTION_LINE_STATUSES,
        compute="_compute_status",
        store=True,
        index=True,
        help="Overdue once the due date has passed without full payment; the "
        "daily job marks the installments that fall due.",
    )
    order_id = fields.Many2one(
        "sale.order",
        related="plan_id.order_id",
        store=True,
        string="Order",
    )
    partner_id = fields.Many2one(
        "res.partner",
        related="plan_id.partner_id",
        store=True,
        string="Customer",
    )
    user_id = fields.Many2one(
        "res.users",
        related="plan_id.user_id",
        store=True,
        index=True,
        string="Salesperson",
    )
    company_id = fields.Many2one(
        "res.company",
        related="plan_id.company_id",
        store=True,
        index=True,
    )
    currency_id = fields.Many2one(
        "res.currency",
        related="plan_id.currency_id",
        store=True,
    )
    overdue_activity_id = fields.Many2one(
        "mail.activity",
        readonly=True,
        copy=False,
        ondelete="set null",
    )
    is_overdue_notified = fields.Boolean(
        string="Overdue Notified",
        readonly=True,
        copy=False,
        help="The salesperson got an activity for this overdue installment.",
    )

    @api.depends("plan_id.order_id")
    def _compute_available_invoice_ids(self):
        for line in self:
            line.available_invoice_ids = line.plan_id.order_id.invoice_ids.filtered(
                lambda m: m.move_type == "out_invoice"
            )

    @api.depends(
        "amount",
        "due_date",
        "sequence",
        "invoice_id.amount_residual",
        "invoice_id.state",
        "plan_id.line_ids.amount",
        "plan_id.line_ids.due_date",
        "plan_id.line_ids.invoice_id",
        "plan_id.order_id.order_line.invoice_lines.move_id.amount_residual",
        "plan_id.order_id.order_line.invoice_lines.move_id.state",
    )
    def _compute_amount_received(self):
        received = {}
        for plan in self.plan_id:
            received.update(plan._get_received_by_line())
        for line in self:
            line.amount_received = received.get(line, 0.0)

    @api.depends("amount", "amount_received")
    def _compute_amount_open(self):
        for line in self:
            line.amount_open = line.amount - line.amount_received

    @api.depends("amount", "amount_received", "due_date")
    def _compute_status(self):
        today = fields.Date.context_today(self)
        for line in self:
            currency = line.currency_id or line.env.company.currency_id
            if currency.compare_amounts(line.amount_received, line.amount) >= 0:
                line.status = "received"
            elif line.due_date and line.due_date < today:
                line.status = "overdue"
            elif not currency.is_zero(line.amount_received):
                line.status = "partial"
            else:
                line.status = "planned"

    @api.constrains("invoice_id", "plan_id")
    def _check_invoice_id(self):
        for line in self.filtered("invoice_id"):
            if line.invoice_id not in line.plan_id.order_id.invoice_ids:
                raise ValidationError(
                    self.env._(
                        "Invoice %(invoice)s is not an invoice of order %(order)s.",
                        invoice=line.invoice_id.display_name,
                        order=line.plan_id.order_id.display_name,
                    )
                )

    def write(self, vals):
        if "due_date" in vals or "amount" in vals:
            self._post_change_message(vals)
        moved = self.browse()
        if "due_date" in vals:
            new_date = fields.Date.to_date(vals["due_date"])
            moved = self.filtered(lambda ln: ln.due_date != new_date)
            # A new due date starts the overdue follow-up again.
            moved.overdue_activity_id.unlink()
        result = super().write(vals)
        if moved:
            super(SaleCollectionPlanLine, moved).write({"is_overdue_notified": False})
        return result

    # ------------------------------------------------------------------
    # Scheduled job
    # ------------------------------------------------------------------
    @api.model
    def _cron_check_overdue(self):
        """Daily: mark installments that fell due and give their salesperson one
        activity per overdue installment (never a second one for the same due
        date); close the activities of installments received since.
        """
        today = fields.Date.context_today(self)
        fallen_due = self.search(
            [
                ("status", "in", ("planned", "partial")),
                ("due_date", "<", today),
            ]
        )
        # Their status depends on today: recompute it, and what follows from it.
        fallen_due.modified(["due_date"])
        fallen_due.flush_recordset(["status"])
        self._close_received_activities()
        domain = self._get_overdue_to_notify_domain()
        batch = self.search(domain, limit=OVERDUE_BATCH_SIZE)
        for part in in_company_langs(batch):
            part._notify_overdue()
        _logger.info("Collection plans: %s overdue installments notified", len(batch))
        self.env["ir.cron"]._notify_progress(
            done=len(batch), remaining=self.search_count(domain)
        )
        return True

    @api.model
    def _get_overdue_to_notify_domain(self):
        return [
            ("status", "=", "overdue"),
            ("is_overdue_notified", "=", False),
            ("plan_id.state", "!=", "cancel"),
        ]

    def _notify_overdue(self):
        """Schedule one activity per installment for the plan's salesperson."""
        today = fields.Date.context_today(self)
        for line in self:
            plan = line.plan_id
            user = plan.user_id or plan.team_id.user_id
            if user:
                activity = plan.activity_schedule(
                    "sale_process_control.mail_activity_type_collection_overdue",
                    date_deadline=today,
                    summary=self.env._(
                        "Collect %(amount)s due on %(date)s",
                        amount=line._format_amount(line.amount - line.amount_received),
                        date=fields.Date.to_string(line.due_date),
                    ),
                    note=line.name or "",
                    user_id=user.id,
                )
                line.overdue_activity_id = activity
            else:
                _logger.info(
                    "Collection plan %s has no salesperson to follow up installment %s",
                    plan.display_name,
                    line.id,
                )
            line.is_overdue_notified = True

    @api.model
    def _close_received_activities(self):
        received = self.search(
            [("status", "=", "received"), ("overdue_activity_id", "!=", False)]
        )
        for line in received:
            line.overdue_activity_id.action_feedback(
                feedback=self.env._("The installment was received.")
            )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _format_amount(self, amount):
        self.ensure_one()
        currency = self.currency_id or self.env.company.currency_id
        return currency.format(amount)

    def _post_change_message(self, vals):
        for line in self:
            changes = []
            if "due_date" in vals:
                changes.append(
                    self.env._(
                        "due date %(old)s → %(new)s",
                        old=fields.Date.to_string(line.due_date),
                        new=fields.Date.to_string(
                            fields.Date.to_date(vals["due_date"])
                        ),
                    )
                )
            if "amount" in vals and line.currency_id.compare_amounts(
                line.amount, vals["amount"]
            ):
                changes.append(
                    self.env._(
                        "amount %(old)s → %(new)s",
                        old=line._format_amount(line.amount),
                        new=line._format_amount(vals["amount"]),
                    )
                )
            if changes:
                line.plan_id.message_post(
                    body=self.env._(
                        "Installment %(name)s changed: %(changes)s",
                        name=line.name or line.id,
                        changes=", ".join(changes),
                    )
                )


class SaleOrder(models.Model):
    _inherit = "sale.order"

    collection_plan_ids = fields.One2many(
        "sale.collection.plan",
        "order_id",
        string="Collection Plans",
    )
    collection_plan_count = fields.Integer(compute="_compute_collection_plan")
    collection_progress = fields.Float(
        string="Collected (%)",
        compute="_compute_collection_plan",
    )

    @api.depends("collection_plan_ids.collection_progress")
    def _compute_collection_plan(self):
        for order in self:
            plans = order.collection_plan_ids
            order.collection_plan_count = len(plans)
            order.collection_progress = plans[:1].collection_progress

    def action_open_collection_plan(self):
        """Open the order's collection plan, made from its payment terms if new."""
        ensure_one_record(self)
        plan = self.collection_plan_ids[:1]
        if not plan:
            self._check_can_plan_collection()
            plan = self.env["sale.collection.plan"].create(
                self._prepare_collection_plan_vals()
            )
        return plan._get_form_action()

    def _check_can_plan_collection(self):
        for order in self:
            if order.state != "sale":
                raise UserError(
                    self.env._(
                        "Confirm order %(order)s before planning its collection.",
                        order=order.name,
                    )
                )
            if order.currency_id.compare_amounts(order.amount_total, 0.0) <= 0:
                raise UserError(
                    self.env._(
                        "Order %(order)s has nothing to collect.", order=order.name
                    )
                )

    def _prepare_collection_plan_vals(self):
        self.ensure_one()
        date_ref = self._get_collection_date_ref()
        installments = self._get_collection_installments(date_ref)
        count = len(installments)
        return {
            "order_id": self.id,
            "payment_term_id": self.payment_term_id.id,
            "date_ref": date_ref,
            "line_ids": [
                Command.create(
                    {
                        "sequence": 10 * number,
                        "name": self.env._(
                            "Installment %(number)s of %(count)s",
                            number=number,
                            count=count,
                        ),
                        "due_date": due_date,
                        "amount": amount,
                    }
                )
                for number, (due_date, amount) in enumerate(installments, start=1)
            ],
        }

    def _get_collection_date_ref(self):
        """The promised delivery date when there is one, else the order date,
        as a date in the user's time zone."""
        self.ensure_one()
        moment = self.commitment_date or self.date_order or fields.Datetime.now()
        return fields.Datetime.context_timestamp(self, moment).date()

    def _get_collection_installments(self, date_ref):
        """Return ``[(due date, amount)]`` of the order total by its payment terms."""
        self.ensure_one()
        currency = self.currency_id
        term = self.payment_term_id
        if not term.line_ids:
            return [(date_ref, self.amount_total)]
        terms = term._compute_terms(
            date_ref=date_ref,
            currency=currency,
            company=self.company_id,
            tax_amount=self.amount_tax,
            tax_amount_currency=self.amount_tax,
            sign=1,
            untaxed_amount=self.amount_untaxed,
            untaxed_amount_currency=self.amount_untaxed,
        )
        return [
            (term_line["date"], currency.round(term_line["foreign_amount"]))
            for term_line in terms["line_ids"]
            if currency.compare_amounts(term_line["foreign_amount"], 0.0) > 0
        ]
