# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

FEEDBACK_TYPES = [
    ("feedback", "Feedback"),
    ("complaint", "Complaint"),
    ("after_sales", "After-Sales Request"),
]
FEEDBACK_SEVERITIES = [
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
    ("critical", "Critical"),
]
FEEDBACK_STATES = [
    ("new", "New"),
    ("in_progress", "In Progress"),
    ("resolved", "Resolved"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]
SATISFACTION = [
    ("0", "Not Rated"),
    ("1", "Very Dissatisfied"),
    ("2", "Dissatisfied"),
    ("3", "Neutral"),
    ("4", "Satisfied"),
    ("5", "Very Satisfied"),
]
# Days customer service has to respond, by severity.
RESPONSE_DAYS = {"critical": 1, "high": 2, "medium": 5, "low": 10}
ACTIVITY_TYPE = "sale_process_control.mail_activity_type_customer_feedback"


class SaleCustomerFeedback(models.Model):
    """Feedback, complaints and after-sales requests of customers (R-05).

    The salesperson (or anyone who hears it) records it; customer service owns
    it from submission to resolution; the response goes back to the salesperson
    as an activity; the salesperson closes it with the customer's satisfaction.
    Counts per customer, product and salesperson: ``_get_feedback_counts``.
    """

    _name = "sale.customer.feedback"
    _description = "Customer Feedback"
    _inherit = ["mail.thread", "mail.activity.mixin", "sale.decision.guard"]
    # Set by the buttons and jobs only (sale.decision.guard).
    _decision_fields = ("state", "resolved_by_id", "resolved_date", "closed_date")
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
    )
    subject = fields.Char(required=True, tracking=True)
    feedback_type = fields.Selection(
        FEEDBACK_TYPES,
        string="Type",
        required=True,
        default="feedback",
        tracking=True,
        index=True,
    )
    severity = fields.Selection(
        FEEDBACK_SEVERITIES,
        required=True,
        default="medium",
        tracking=True,
    )
    state = fields.Selection(
        FEEDBACK_STATES,
        string="Status",
        required=True,
        default="new",
        copy=False,
        tracking=True,
        index=True,
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        tracking=True,
        check_company=True,
    )
    commercial_partner_id = fields.Many2one(
        "res.partner",
        string="Customer Company",
        related="partner_id.commercial_partner_id",
        store=True,
        index=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        compute="_compute_user_id",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        index=True,
        domain="[('share', '=', False)]",
        help="Receives the response of customer service.",
    )
    date = fields.Datetime(
        string="Received On",
        required=True,
        default=fields.Datetime.now,
        index=True,
    )
    description = fields.Html()
    sale_order_id = fields.Many2one(
        "sale.order",
        string="Order",
        check_company=True,
        domain="[('partner_id.commercial_partner_id', '=', commercial_partner_id)]",
    )
    picking_id = fields.Many2one(
        "stock.picking",
        string="Delivery",
        check_company=True,
        domain="[('partner_id.commercial_partner_id', '=', commercial_partner_id), "
        "('picking_type_code', '=', 'outgoing')]",
    )
    product_id = fields.Many2one(
        "product.product",
        check_company=True,
        index=True,
    )
    visit_id = fields.Many2one(
        "sale.visit",
        string="Heard During Visit",
        check_company=True,
        index=True,
    )
    service_user_id = fields.Many2one(
        "res.users",
        string="Customer Service",
        tracking=True,
        index=True,
        domain=lambda self: [
            (
                "groups_id",
                "in",
                self.env.ref("sale_process_control.group_sale_customer_service").ids,
            ),
            ("share", "=", False),
        ],
        help="The customer service owner who handles it until it is resolved.",
    )
    date_deadline = fields.Date(
        string="Response Due",
        compute="_compute_date_deadline",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
    )
    root_cause = fields.Text(copy=False)
    resolution = fields.Text(
        string="Response",
        copy=False,
        help="What was done and what to tell the customer; sent back to the "
        "salesperson.",
    )
    resolved_by_id = fields.Many2one("res.users", copy=False, readonly=True)
    resolved_date = fields.Datetime(string="Resolved On", copy=False, readonly=True)
    closed_date = fields.Datetime(string="Closed On", copy=False, readonly=True)
    satisfaction = fields.Selection(
        SATISFACTION,
        default="0",
        copy=False,
        tracking=True,
        help="How satisfied the customer is with the outcome.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------
    @api.depends("partner_id")
    def _compute_user_id(self):
        for feedback in self:
            feedback.user_id = (
                feedback.partner_id.user_id
                or feedback.commercial_partner_id.user_id
                or feedback.user_id
                or self.env.user
            )

    @api.depends("severity", "date")
    def _compute_date_deadline(self):
        for feedback in self:
            received = feedback.date or fields.Datetime.now()
            feedback.date_deadline = received.date() + timedelta(
                days=RESPONSE_DAYS.get(feedback.severity, 5)
            )

    # ------------------------------------------------------------------
    # Onchanges
    # ------------------------------------------------------------------
    @api.onchange("sale_order_id")
    def _onchange_sale_order_id(self):
        order = self.sale_order_id
        if order and not self.partner_id:
            self.partner_id = order.partner_id
        if order and self.picking_id and self.picking_id.sale_id != order:
            self.picking_id = False
        products = order.order_line.product_id
        if len(products) == 1 and not self.product_id:
            self.product_id = products

    @api.onchange("picking_id")
    def _onchange_picking_id(self):
        if self.picking_id.sale_id and not self.sale_order_id:
            self.sale_order_id = self.picking_id.sale_id

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not self.env.su and vals.get("state", "new") != "new":
                raise UserError(
                    self.env._(
                        "New feedback starts as new; submit it to customer "
                        "service with its button."
                    )
                )
            if vals.get("name", self.env._("New")) == self.env._("New"):
                company = self.env["res.company"].browse(
                    vals.get("company_id") or self.env.company.id
                )
                vals["name"] = self.env["ir.sequence"].with_company(
                    company
                ).next_by_code("sale.customer.feedback") or self.env._("New")
        return super().create(vals_list)

    def write(self, vals):
        if "state" in vals and not self.env.su:
            raise UserError(
                self.env._(
                    "The status of feedback changes through its buttons: Submit, "
                    "Resolve, Close, Reopen or Cancel."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        if any(feedback.state not in ("new", "cancelled") for feedback in self):
            raise UserError(
                self.env._(
                    "Submitted feedback is part of the customer's record; cancel it "
                    "instead of deleting it."
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_submit(self):
        """Hand the feedback to its customer service owner."""
        self.check_access("write")
        self._check_state_in(("new",))
        for feedback in self:
            if not feedback.service_user_id:
                raise UserError(
                    self.env._(
                        "Choose the customer service owner of %(feedback)s before "
                        "submitting it.",
                        feedback=feedback.name,
                    )
                )
        self._set_state("in_progress")
        self._schedule_handling()
        return True

    def action_resolve(self):
        """Customer service gives its response; the salesperson gets it."""
        self.check_access("write")
        self._check_state_in(("in_progress",))
        for feedback in self:
            feedback._check_is_owner()
            if not feedback.resolution:
                raise UserError(
                    self.env._(
                        "Write the response of %(feedback)s before resolving it.",
                        feedback=feedback.name,
                    )
                )
        self.activity_feedback(
            [ACTIVITY_TYPE],
            feedback=self.env._("Resolved."),
        )
        # Who resolved and when is part of the record, not of the user's input.
        self.sudo().write(
            {
                "state": "resolved",
                "resolved_by_id": self.env.user.id,
                "resolved_date": fields.Datetime.now(),
            }
        )
        for feedback in self:
            feedback.activity_schedule(
                ACTIVITY_TYPE,
                date_deadline=fields.Date.context_today(feedback) + timedelta(days=2),
                summary=self.env._("Tell the customer the outcome"),
                note=feedback.resolution,
                user_id=feedback.user_id.id,
            )
        return True

    def action_close(self):
        """The salesperson has told the customer: the case is closed."""
        self.check_access("write")
        self._check_state_in(("resolved",))
        self.activity_feedback(
            [ACTIVITY_TYPE],
            feedback=self.env._("Closed."),
        )
        self.sudo().write({"state": "closed", "closed_date": fields.Datetime.now()})
        return True

    def action_reopen(self):
        """The outcome does not hold: customer service works on it again."""
        self.check_access("write")
        self._check_state_in(("resolved", "closed"))
        self.activity_unlink([ACTIVITY_TYPE])
        self.sudo().write({"state": "in_progress", "closed_date": False})
        self._schedule_handling()
        return True

    def action_cancel(self):
        self.check_access("write")
        self._check_state_in(("new", "in_progress"))
        self.activity_unlink([ACTIVITY_TYPE])
        self._set_state("cancelled")
        return True

    def action_reset_to_new(self):
        self.check_access("write")
        self._check_state_in(("cancelled",))
        self._set_state("new")
        return True

    # ------------------------------------------------------------------
    # Figures for reports
    # ------------------------------------------------------------------
    @api.model
    def _get_feedback_counts(self, groupby, domain=None, feedback_type="complaint"):
        """Number of feedback records of ``feedback_type`` (all types if False)
        per value of ``groupby`` (``commercial_partner_id``, ``product_id``,
        ``user_id``, ...), not cancelled, as ``{record: count}``."""
        full_domain = [("state", "!=", "cancelled"), *(domain or [])]
        if feedback_type:
            full_domain.append(("feedback_type", "=", feedback_type))
        return dict(self._read_group(full_domain, [groupby], ["__count"]))

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _schedule_handling(self):
        for feedback in self:
            feedback.activity_schedule(
                ACTIVITY_TYPE,
                date_deadline=feedback.date_deadline,
                summary=self.env._(
                    "Handle %(type)s of %(customer)s",
                    type=dict(FEEDBACK_TYPES)[feedback.feedback_type].lower(),
                    customer=feedback.commercial_partner_id.display_name,
                ),
                note=feedback.subject,
                user_id=feedback.service_user_id.id,
            )

    def _check_is_owner(self):
        self.ensure_one()
        if self.service_user_id != self.env.user and not self.env.user.has_group(
            "sale_process_control.group_sale_department_head"
        ):
            raise AccessError(
                self.env._(
                    "%(feedback)s is handled by %(owner)s; only the owner or a "
                    "department head resolves it.",
                    feedback=self.name,
                    owner=self.service_user_id.name,
                )
            )

    def _check_state_in(self, states):
        labels = dict(FEEDBACK_STATES)
        for feedback in self:
            if feedback.state not in states:
                raise UserError(
                    self.env._(
                        "%(feedback)s is %(state)s: this step is not possible.",
                        feedback=feedback.name,
                        state=labels[feedback.state],
                    )
                )

    def _set_state(self, state):
        # The status is guarded against direct writes; the buttons are its way.
        self.sudo().write({"state": state})
