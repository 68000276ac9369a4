# Copyright 2026 Sales Process Control contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0.html)
import math
import random
from datetime import datetime, time

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from .sale_decision_guard import decision_action
from .sale_tools import company_lang, ensure_one_record

SPOT_CHECK_STATES = [
    ("draft", "Draft"),
    ("in_progress", "In Progress"),
    ("done", "Done"),
]
# The checklist of a spot check line: result field, note field, label.
CHECKLIST = [
    ("info_complete", "info_note"),
    ("review_compliant", "review_note"),
    ("contract_compliant", "contract_note"),
    ("delivered_on_time", "delivery_note"),
    ("paid_on_time", "payment_note"),
]


def _new_seed():
    return random.SystemRandom().randint(1, 2**31 - 1)


class SaleSpotCheck(models.Model):
    """A supervision spot check (R-37): a random sample of confirmed orders,
    drawn reproducibly from a stored seed, each checked against the checklist."""

    _name = "sale.spot.check"
    _inherit = ["mail.thread", "mail.activity.mixin", "sale.decision.guard"]
    # Set by the buttons and jobs only (sale.decision.guard).
    _decision_fields = ("state", "candidate_count")
    _description = "Spot Check"
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference",
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    inspector_id = fields.Many2one(
        "res.users",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
    )
    state = fields.Selection(
        SPOT_CHECK_STATES,
        string="Status",
        required=True,
        default="draft",
        readonly=True,
        copy=False,
        tracking=True,
    )
    date_from = fields.Date(
        string="Orders From",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1),
    )
    date_to = fields.Date(
        string="Orders To", required=True, default=fields.Date.context_today
    )
    sample_mode = fields.Selection(
        [("count", "Number of Orders"), ("percent", "Percentage of Orders")],
        string="Sample By",
        required=True,
        default="count",
    )
    sample_size = fields.Integer(default=10)
    sample_percent = fields.Float(string="Sample (%)", default=10.0)
    seed = fields.Integer(
        required=True,
        default=lambda self: _new_seed(),
        copy=False,
        tracking=True,
        help="The same seed with the same filters draws the same sample.",
    )
    salesperson_ids = fields.Many2many(
        "res.users",
        "sale_spot_check_salesperson_rel",
        "check_id",
        "user_id",
        string="Salespeople",
    )
    team_ids = fields.Many2many(
        "crm.team",
        "sale_spot_check_team_rel",
        "check_id",
        "team_id",
        string="Sales Teams",
    )
    tier_ids = fields.Many2many(
        "sale.customer.tier",
        "sale_spot_check_tier_rel",
        "check_id",
        "tier_id",
        string="Customer Tiers",
    )
    min_amount = fields.Monetary(
        string="Minimum Amount", help="Only orders of at least this total."
    )
    candidate_count = fields.Integer(
        string="Orders Matching", readonly=True, copy=False
    )
    line_ids = fields.One2many("sale.spot.check.line", "check_id", string="Orders")
    line_count = fields.Integer(string="Orders Sampled", compute="_compute_counts")
    finding_count = fields.Integer(
        string="Orders with Findings", compute="_compute_counts"
    )
    rectification_count = fields.Integer(compute="_compute_counts")
    note = fields.Html(string="Conclusion")

    @api.depends("line_ids.has_finding", "line_ids.rectification_ids")
    def _compute_counts(self):
        for check in self:
            check.line_count = len(check.line_ids)
            check.finding_count = len(check.line_ids.filtered("has_finding"))
            check.rectification_count = len(check.line_ids.rectification_ids)

    @api.constrains("sample_size", "sample_percent", "date_from", "date_to")
    def _check_sample(self):
        for check in self:
            if check.sample_mode == "count" and check.sample_size < 1:
                raise ValidationError(self.env._("Sample at least one order."))
            if check.sample_mode == "percent" and not 0 < check.sample_percent <= 100:
                raise ValidationError(
                    self.env._("The sample percentage must be above 0 and at most 100.")
                )
            if check.date_from > check.date_to:
                raise ValidationError(
                    self.env._("The period of the spot check ends before it starts.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code(
                    "sale.spot.check"
                ) or self.env._("New")
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @decision_action
    def action_draw_sample(self):
        """Draw the sample and pre-fill the checklist of each order."""
        for check in self:
            if check.state != "draft":
                raise UserError(
                    self.env._(
                        "The sample of %(check)s is already drawn. Reset it to draft "
                        "to draw again.",
                        check=check.name,
                    )
                )
            candidates = check._get_candidate_orders()
            sample = check._draw(candidates)
            if not sample:
                raise UserError(
                    self.env._(
                        "No confirmed order matches the period and filters of "
                        "%(check)s. Widen the period or the filters.",
                        check=check.name,
                    )
                )
            check.line_ids.unlink()
            check.write(
                {
                    "candidate_count": len(candidates),
                    "state": "in_progress",
                    "line_ids": [
                        fields.Command.create({"order_id": order.id})
                        for order in sample
                    ],
                }
            )
            check.line_ids._prefill_checklist()
            check.message_post(
                body=self.env._(
                    "Drew %(count)s of %(total)s matching orders with seed %(seed)s.",
                    count=len(sample),
                    total=len(candidates),
                    seed=check.seed,
                )
            )

    @decision_action
    def action_done(self):
        for check in self:
            if check.state != "in_progress":
                raise UserError(
                    self.env._("Draw the sample of %(check)s first.", check=check.name)
                )
            unchecked = check.line_ids.filtered(lambda line: not line.is_checked)
            if unchecked:
                raise UserError(
                    self.env._(
                        "Confirm the checklist of every order before closing "
                        "%(check)s; still to check: %(orders)s.",
                        check=check.name,
                        orders=", ".join(unchecked.order_id.mapped("name")),
                    )
                )
        self.write({"state": "done"})

    @decision_action
    def action_reset_draft(self):
        for check in self:
            if check.line_ids.rectification_ids:
                raise UserError(
                    self.env._(
                        "%(check)s has rectification notices; it cannot be drawn "
                        "again.",
                        check=check.name,
                    )
                )
        self.line_ids.unlink()
        self.write({"state": "draft", "candidate_count": 0})

    def action_new_seed(self):
        self.filtered(lambda c: c.state == "draft").write({"seed": _new_seed()})

    def action_view_rectifications(self):
        ensure_one_record(self)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Rectification Notices"),
            "res_model": "sale.rectification",
            "view_mode": "list,form",
            "domain": [("spot_check_line_id.check_id", "=", self.id)],
        }

    # ------------------------------------------------------------------
    # Sampling
    # ------------------------------------------------------------------
    def _get_candidate_domain(self):
        self.ensure_one()
        start = datetime.combine(self.date_from, time.min)
        end = datetime.combine(self.date_to, time.max)
        domain = [
            ("company_id", "=", self.company_id.id),
            ("state", "=", "sale"),
            ("date_order", ">=", start),
            ("date_order", "<=", end),
        ]
        if self.salesperson_ids:
            domain.append(("user_id", "in", self.salesperson_ids.ids))
        if self.team_ids:
            domain.append(("team_id", "in", self.team_ids.ids))
        if self.tier_ids:
            domain.append(
                (
                    "partner_id.commercial_partner_id.customer_tier_id",
                    "in",
                    self.tier_ids.ids,
                )
            )
        if self.min_amount:
            domain.append(("amount_total", ">=", self.min_amount))
        return domain

    def _get_candidate_orders(self):
        """The confirmed orders the sample is drawn from, sorted by id."""
        self.ensure_one()
        # Tiers are per company: search them in the spot check's company.
        return (
            self.env["sale.order"]
            .with_company(self.company_id)
            .search(self._get_candidate_domain(), order="id")
        )

    def _get_sample_size(self, total):
        self.ensure_one()
        if self.sample_mode == "percent":
            return min(total, math.ceil(total * self.sample_percent / 100))
        return min(total, self.sample_size)

    def _draw(self, candidates):
        """The sample: ``random.Random(seed)`` over the sorted candidate ids,
        so the same seed and filters draw the same orders."""
        self.ensure_one()
        ids = sorted(candidates.ids)
        picked = random.Random(self.seed).sample(ids, self._get_sample_size(len(ids)))
        return self.env["sale.order"].browse(sorted(picked))


class SaleSpotCheckLine(models.Model):
    _name = "sale.spot.check.line"
    _description = "Spot Check Line"
    _order = "check_id, id"
    _check_company_auto = True

    check_id = fields.Many2one(
        "sale.spot.check", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="check_id.company_id", store=True)
    check_state = fields.Selection(related="check_id.state")
    order_id = fields.Many2one(
        "sale.order", required=True, check_company=True, index=True
    )
    user_id = fields.Many2one(related="order_id.user_id", string="Salesperson")
    partner_id = fields.Many2one(related="order_id.partner_id", string="Customer")
    amount_total = fields.Monetary(related="order_id.amount_total")
    currency_id = fields.Many2one(related="order_id.currency_id")
    info_complete = fields.Boolean(string="Information Complete")
    info_note = fields.Char(string="Information Note")
    review_compliant = fields.Boolean()
    review_note = fields.Char()
    contract_compliant = fields.Boolean()
    contract_note = fields.Char()
    delivered_on_time = fields.Boolean()
    delivery_note = fields.Char()
    paid_on_time = fields.Boolean()
    payment_note = fields.Char()
    is_checked = fields.Boolean(
        string="Checked",
        copy=False,
        help="The inspector confirmed or corrected the pre-filled checklist.",
    )
    checked_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    inspector_note = fields.Text(string="Inspector Findings")
    has_finding = fields.Boolean(compute="_compute_has_finding", store=True)
    rectification_ids = fields.One2many(
        "sale.rectification", "spot_check_line_id", string="Rectification Notices"
    )

    _sql_constraints = [
        (
            "order_uniq",
            "unique(check_id, order_id)",
            "An order is sampled once per spot check.",
        ),
    ]

    @api.depends(*(result for result, _note in CHECKLIST))
    def _compute_has_finding(self):
        for line in self:
            line.has_finding = not all(line[result] for result, _note in CHECKLIST)

    @api.depends("check_id.name", "order_id.name")
    def _compute_display_name(self):
        for line in self:
            line.display_name = f"{line.check_id.name} / {line.order_id.name}"

    def write(self, vals):
        # Who checked the line is recorded, never written by hand.
        if "is_checked" in vals or "checked_by_id" in vals:
            vals = dict(vals)
            vals["checked_by_id"] = (
                self.env.user.id if vals.get("is_checked") else False
            )
        return super().write(vals)

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @decision_action
    def action_confirm_check(self):
        for line in self:
            line._check_in_progress()
        self.write({"is_checked": True})

    def action_prefill(self):
        for line in self:
            line._check_in_progress()
        self.write({"is_checked": False})
        self._prefill_checklist()

    def action_create_rectification(self):
        ensure_one_record(self)
        self._check_in_progress(allow_done=True)
        if not self.has_finding and not (self.inspector_note or "").strip():
            raise UserError(
                self.env._(
                    "%(order)s passed every check; write the finding in the notes "
                    "before raising a rectification notice.",
                    order=self.order_id.name,
                )
            )
        notice = self.env["sale.rectification"].create(
            self._prepare_rectification_vals()
        )
        return notice._get_form_action()

    def _check_in_progress(self, allow_done=False):
        allowed = ("in_progress", "done") if allow_done else ("in_progress",)
        if self.check_id.state not in allowed:
            raise UserError(
                self.env._(
                    "The spot check %(check)s is not in progress.",
                    check=self.check_id.name,
                )
            )

    def _prepare_rectification_vals(self):
        self.ensure_one()
        failed = [
            f"{self._fields[result].get_description(self.env)['string']}: "
            f"{self[note] or '-'}"
            for result, note in CHECKLIST
            if not self[result]
        ]
        if self.inspector_note:
            failed.append(self.inspector_note)
        return {
            "spot_check_line_id": self.id,
            "order_id": self.order_id.id,
            "company_id": self.company_id.id,
            "user_id": (self.order_id.user_id or self.check_id.inspector_id).id,
            "finding": self.env._(
                "Spot check %(check)s of %(order)s:\n%(items)s",
                check=self.check_id.name,
                order=self.order_id.name,
                items="\n".join(failed),
            ),
            "required_action": self.env._(
                "Correct the items found and answer with the evidence."
            ),
        }

    # ------------------------------------------------------------------
    # Pre-fill
    # ------------------------------------------------------------------
    def _prefill_checklist(self):
        for record in self:
            # The notes are read by the inspector, the salesperson and the
            # management: in the company's language.
            line = record.with_context(lang=company_lang(record.company_id))
            # The checklist reads payments and contracts that supervision may
            # read but the line only records.
            order = line.order_id.sudo()
            values = {}
            for result, note, (ok, text) in zip(
                (r for r, _n in CHECKLIST),
                (n for _r, n in CHECKLIST),
                (
                    line._check_information(order),
                    line._check_review(order),
                    line._check_contract(order),
                    line._check_delivery(order),
                    line._check_payment(order),
                ),
                strict=True,
            ):
                values[result] = ok
                values[note] = text
            line.write(values)

    def _check_information(self, order):
        missing = order._get_registration_missing()
        if missing:
            return False, self.env._("Missing: %(items)s", items=", ".join(missing))
        return True, self.env._("Registration complete")

    def _check_review(self, order):
        if order.approval_state == "approved":
            return True, self.env._(
                "Review approved on %(date)s",
                date=format_date(self.env, order.approval_date),
            )
        if not order.review_required:
            if order.state in ("sale", "done"):
                return True, self.env._(
                    "No review was required when the order was confirmed"
                )
            return True, self.env._("No review required")
        state = dict(order._fields["approval_state"]._description_selection(self.env))
        return False, self.env._(
            "Review required; review status: %(state)s",
            state=state.get(order.approval_state, order.approval_state),
        )

    def _check_contract(self, order):
        if not order.contract_required:
            if order.state in ("sale", "done"):
                return True, self.env._(
                    "No contract was required when the order was confirmed"
                )
            return True, self.env._("No contract required")
        signed = order.contract_ids.filtered(lambda c: c.state in ("signed", "done"))
        if signed:
            return True, self.env._(
                "Signed contract %(contract)s",
                contract=", ".join(signed.mapped("name")),
            )
        return False, self.env._("Contract required but none is signed")

    def _get_promised_date(self, order):
        promised = order.commitment_date or order.expected_date
        return promised and fields.Datetime.context_timestamp(self, promised).date()

    def _check_delivery(self, order):
        pickings = order.picking_ids.filtered(
            lambda p: p.picking_type_code == "outgoing" and p.state != "cancel"
        )
        if not pickings:
            return True, self.env._("Nothing to deliver")
        promised = self._get_promised_date(order)
        today = fields.Date.context_today(self)
        open_pickings = pickings.filtered(lambda p: p.state != "done")
        if open_pickings:
            if promised and promised < today:
                return False, self.env._(
                    "Not delivered; promised for %(date)s",
                    date=format_date(self.env, promised),
                )
            return True, self.env._("Delivery not yet due")
        last = max(
            fields.Datetime.context_timestamp(self, p.date_done).date()
            for p in pickings
        )
        if promised and last > promised:
            return False, self.env._(
                "Delivered on %(done)s, promised for %(date)s",
                done=format_date(self.env, last),
                date=format_date(self.env, promised),
            )
        return True, self.env._(
            "Delivered on %(done)s", done=format_date(self.env, last)
        )

    def _check_payment(self, order):
        invoices = order.invoice_ids.filtered(
            lambda m: m.state == "posted" and m.move_type == "out_invoice"
        )
        if not invoices:
            return True, self.env._("Not invoiced yet")
        today = fields.Date.context_today(self)
        late = []
        for invoice in invoices:
            due = invoice.invoice_date_due or invoice.invoice_date
            receivable = invoice.line_ids.filtered(
                lambda line: line.account_type == "asset_receivable"
            )
            if invoice.payment_state in ("paid", "in_payment", "reversed"):
                paid = max(
                    receivable.matched_credit_ids.mapped("max_date") or [due],
                )
                if paid > due:
                    late.append(
                        self.env._(
                            "%(invoice)s paid on %(paid)s, due %(due)s",
                            invoice=invoice.name,
                            paid=format_date(self.env, paid),
                            due=format_date(self.env, due),
                        )
                    )
            elif due < today:
                late.append(
                    self.env._(
                        "%(invoice)s unpaid, due %(due)s",
                        invoice=invoice.name,
                        due=format_date(self.env, due),
                    )
                )
        if late:
            return False, "; ".join(late)
        return True, self.env._("Invoices paid or not yet due")
